//! Support tickets: who opens and handles them, and — the matrix — what a
//! vendor reaches at each Vendor Access level, through the server
//! functions, on the demo's real tickets and claims, judged against the
//! policy's own verdict.

use crate::common;

use app::{
    model::{
        access::{OrgIndex, effective_access},
        ids::{OrgId, UserId},
        policy::{Action, VendorNeed, can},
        ticket::{COMMENT_MESSAGE, SUBJECT_MESSAGE},
        validation::Field,
        vendor::VendorTier,
    },
    org::db::{load_snapshot, load_user},
    support::{SupportContact, TICKET_CLOSED, TicketDetail, TicketsPage, UNKNOWN_CLAIM},
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call, ok, org_id,
    signed_in, user_id,
};
use server::demo::{CUSTOMER, VENDOR};
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const SAM: &str = "sam.support@northwind.example";
const PAT: &str = "pat.partner@northwind.example";
const VICTOR: &str = "victor.staff@claimwise.example";

async fn tickets(router: &Router, cookie: &str, customer: Option<i64>) -> TicketsPage {
    let form = customer
        .map(|c| format!("customer_id={c}"))
        .unwrap_or_default();
    call_ok(router, cookie, "list_tickets", &form).await
}

async fn ticket_id(pool: &PgPool, subject_start: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM support_tickets WHERE subject LIKE $1 || '%'")
        .bind(subject_start)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn support_users_open_comment_on_and_close_tickets(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let sam = signed_in(&router, SAM).await;
    assert_eq!(tickets(&router, &sam, None).await.tickets.len(), 3);

    // Claims by number, in companies where Sam sees claims (North Clinic).
    let opened = call(
        &router,
        &sam,
        "open_ticket",
        "subject=Payer+rejects+NPI&message=Line+1%0ALine+2&claims=nc-0001+NC-0003",
    )
    .await;
    let id: i64 = ok(opened);
    let detail: TicketDetail =
        call_ok(&router, &sam, "load_ticket", &format!("ticket_id={id}")).await;
    assert_eq!(detail.subject, "Payer rejects NPI");
    assert_eq!(detail.message, "Line 1\nLine 2");
    let numbers: Vec<&str> = detail.claims.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["NC-0001", "NC-0003"]);
    assert!(
        detail
            .claims
            .iter()
            .all(|c| c.claim.is_some() && c.link.is_some())
    );
    assert!(!detail.as_vendor);
    // Claimwise (All Support) can be asked; it has not been yet.
    assert_eq!(detail.can_ask.len(), 1);

    call_ok::<String>(
        &router,
        &sam,
        "comment_on_ticket",
        &format!("ticket_id={id}&body=Any+news%3F"),
    )
    .await;
    let said: String = call_ok(
        &router,
        &sam,
        "ask_vendor_for_help",
        &format!("ticket_id={id}&vendor_id={}", org_id(&pool, VENDOR).await),
    )
    .await;
    assert_eq!(
        said,
        format!("{VENDOR} has been asked to help with this ticket.")
    );
    // The vendor's Administrator is told by mail.
    let mails: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM email_outbox WHERE recipient = 'vera.vendor@claimwise.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mails, 1);
    let detail: TicketDetail =
        call_ok(&router, &sam, "load_ticket", &format!("ticket_id={id}")).await;
    assert_eq!(detail.comments.len(), 1);
    assert_eq!(detail.help_from, [VENDOR]);
    assert!(detail.can_ask.is_empty());

    call_ok::<String>(
        &router,
        &sam,
        "set_ticket_status",
        &format!("ticket_id={id}&version={}&status=closed", detail.version),
    )
    .await;
    let closed = call(
        &router,
        &sam,
        "comment_on_ticket",
        &format!("ticket_id={id}&body=More"),
    )
    .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert!(closed.body.contains(TICKET_CLOSED));
    // A stale status form is a conflict.
    let stale = call(
        &router,
        &sam,
        "set_ticket_status",
        &format!("ticket_id={id}&version={}&status=open", detail.version),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    for action in [
        "ticket.open",
        "ticket.comment",
        "ticket.ask_vendor",
        "ticket.status",
    ] {
        assert_eq!(audit_count(&pool, action).await, 1, "{action}");
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bad_tickets_and_comments_are_refused_and_change_nothing(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let sam = signed_in(&router, SAM).await;
    let before = count(&pool, "support_tickets").await;
    let errors = invalid_call(&router, &sam, "open_ticket", "subject=+&message=x&claims=").await;
    assert_eq!(errors.get(Field::Subject), Some(SUBJECT_MESSAGE));
    // A claim Sam cannot see (South Clinic) or that does not exist.
    let errors = invalid_call(
        &router,
        &sam,
        "open_ticket",
        "subject=S&message=M&claims=SC-0001,NC-9999",
    )
    .await;
    assert_eq!(
        errors.get(Field::Claims),
        Some(format!("{UNKNOWN_CLAIM}SC-0001, NC-9999.").as_str())
    );
    assert_eq!(count(&pool, "support_tickets").await, before);
    let id = ticket_id(&pool, "Medicare denials").await;
    let errors = invalid_call(
        &router,
        &sam,
        "comment_on_ticket",
        &format!("ticket_id={id}&body=+%0A+"),
    )
    .await;
    assert_eq!(errors.get(Field::Comment), Some(COMMENT_MESSAGE));
    let errors = invalid_call(
        &router,
        &sam,
        "set_ticket_status",
        &format!("ticket_id={id}&version=1&status=deleted"),
    )
    .await;
    assert!(errors.get(Field::Status).is_some());
    let errors = invalid_call(
        &router,
        &sam,
        "ask_vendor_for_help",
        &format!("ticket_id={id}&vendor_id=999999"),
    )
    .await;
    assert!(errors.get(Field::Vendor).is_some());
    assert_eq!(count(&pool, "support_ticket_comments").await, 0);
    assert_eq!(audit_count(&pool, "ticket.status").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_administrators_and_support_users_handle_tickets(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let id = ticket_id(&pool, "Medicare denials").await;
    let vendor = org_id(&pool, VENDOR).await;
    let calls = [
        ("list_tickets", String::new()),
        ("open_ticket", "subject=S&message=M&claims=".to_owned()),
        ("load_ticket", format!("ticket_id={id}")),
        ("comment_on_ticket", format!("ticket_id={id}&body=Hi")),
        (
            "set_ticket_status",
            format!("ticket_id={id}&version=1&status=closed"),
        ),
        (
            "ask_vendor_for_help",
            format!("ticket_id={id}&vendor_id={vendor}"),
        ),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    // Pat has no Support User flag: refused with the reason.
    let pat = signed_in(&router, PAT).await;
    expect_status(&router, &pat, &calls, StatusCode::FORBIDDEN).await;
    let reply = call(&router, &pat, "list_tickets", "").await;
    assert!(reply.body.contains("SupportUsersOnly"), "{}", reply.body);
    // Another organization's Administrator: the ticket does not exist for her.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    expect_status(&router, &rosa, &calls[2..5], StatusCode::NOT_FOUND).await;
    // Vendor staff run no ticket of the customer: no status, no asking.
    let victor = signed_in(&router, VICTOR).await;
    expect_status(&router, &victor, &calls[4..], StatusCode::FORBIDDEN).await;
    expect_status(&router, &victor, &calls[1..2], StatusCode::FORBIDDEN).await;
    // Asking a No Access vendor: left out of support issues.
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    sqlx::query("UPDATE vendor_links SET tier = 'no_access' WHERE customer_id = $1")
        .bind(org_id(&pool, CUSTOMER).await)
        .execute(&pool)
        .await
        .unwrap();
    let other = ticket_id(&pool, "Facility address").await;
    let refused = call(
        &router,
        &ada,
        "ask_vendor_for_help",
        &format!("ticket_id={other}&vendor_id={vendor}"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("VendorLeftOut"), "{}", refused.body);
    assert_eq!(count(&pool, "support_ticket_comments").await, 0);
    assert_eq!(count(&pool, "support_ticket_vendor_help").await, 1);
    // Northwind's three and Claimwise's Vendor Support ticket.
    assert_eq!(count(&pool, "support_tickets").await, 4);
}

/// The names and roles `support_contacts` answers `cookie` with.
async fn contacts(router: &Router, cookie: &str) -> Vec<(String, bool, bool)> {
    let people: Vec<SupportContact> = call_ok(router, cookie, "support_contacts", "").await;
    people
        .into_iter()
        .map(|p| (p.name, p.administrator, p.support_user))
        .collect()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_user_who_cannot_open_tickets_learns_who_can(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;
    let named = |name: &str, admin, support| (name.to_owned(), admin, support);
    // Northwind's active Administrators and Support Users, by last name;
    // not Pat, not inactive Ivy, nobody of another organization.
    assert_eq!(
        contacts(&router, &pat).await,
        [
            named("Ada Admin", true, false),
            named("Ben Backup", true, false),
            named("Sam Support", false, true),
        ]
    );
    // It follows the users: a new Support User appears, a deactivated
    // Administrator goes.
    sqlx::query("UPDATE users SET support_user = true WHERE email = $1")
        .bind(PAT)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE users SET status = 'inactive' WHERE email = 'ben.backup@northwind.example'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        contacts(&router, &pat).await,
        [
            named("Ada Admin", true, false),
            named("Pat Partner", false, true),
            named("Sam Support", false, true),
        ]
    );
    // Vendor staff learn their vendor's own, not a customer's.
    let victor = signed_in(&router, VICTOR).await;
    let theirs = contacts(&router, &victor).await;
    assert_eq!(theirs, [named("Vera Vendor", true, false)]);
    // Signed out: asked to sign in; the platform's staff: refused.
    let calls = [("support_contacts", String::new())];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let (sean, _) = enrolled_admin_session(&router, "sean.support@portcullis.example").await;
    expect_status(&router, &sean, &calls, StatusCode::FORBIDDEN).await;
}

/// What the server answered for one vendor request: allowed or not.
fn allowed(status: StatusCode) -> bool {
    match status {
        StatusCode::OK => true,
        // Forbidden on the vendor's pages; not found for a ticket out of reach.
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => false,
        other => panic!("unexpected {other}"),
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_tier_reaches_exactly_what_the_policy_allows(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor_cookie = signed_in(&router, VICTOR).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let vendor = org_id(&pool, VENDOR).await;
    let victor = load_user(
        &mut pool.acquire().await.unwrap(),
        UserId(user_id(&pool, VICTOR).await),
    )
    .await
    .unwrap()
    .unwrap();
    let helped = ticket_id(&pool, "Medicare denials").await;
    let unhelped = ticket_id(&pool, "Facility address").await;
    let all_claims: i64 = sqlx::query_scalar("SELECT count(*) FROM claims WHERE org_id = $1")
        .bind(northwind)
        .fetch_one(&pool)
        .await
        .unwrap();

    for tier in VendorTier::ALL {
        sqlx::query("UPDATE vendor_links SET tier = $1 WHERE vendor_id = $2 AND customer_id = $3")
            .bind(tier.key())
            .bind(vendor)
            .bind(northwind)
            .execute(&pool)
            .await
            .unwrap();
        // The policy's verdicts, from the same snapshot the server reads.
        let snapshot = load_snapshot(&mut pool.acquire().await.unwrap(), OrgId(vendor))
            .await
            .unwrap()
            .unwrap();
        let access = effective_access(&victor, &OrgIndex::new(&snapshot), chrono::Utc::now());
        let policy = |need| {
            can(
                &access,
                Action::VendorReach {
                    customer: OrgId(northwind),
                    need,
                },
            )
            .is_ok()
        };
        let sees_ticket = |help_requested| policy(VendorNeed::Ticket { help_requested });

        // Tickets, listed: every ticket, only the helped one, or a refusal.
        let listed = call(
            &router,
            &victor_cookie,
            "list_tickets",
            &format!("customer_id={northwind}"),
        )
        .await;
        assert_eq!(allowed(listed.status), sees_ticket(true), "{tier:?} list");
        if listed.status == StatusCode::OK {
            let page: TicketsPage = serde_json::from_str(&listed.body).unwrap();
            let mut ids: Vec<i64> = page.tickets.iter().map(|t| t.id.0).collect();
            ids.sort_unstable();
            let expected: i64 = if sees_ticket(false) { 3 } else { 1 };
            assert_eq!(ids.len() as i64, expected, "{tier:?} listed {ids:?}");
            assert!(ids.contains(&helped));
            assert_eq!(ids.contains(&unhelped), sees_ticket(false), "{tier:?}");
            assert_eq!(page.vendor_tier, Some(tier));
        }

        for (ticket, help_requested) in [(helped, true), (unhelped, false)] {
            let comments_before = count(&pool, "support_ticket_comments").await;
            // A ticket with its comments and the claims it references.
            let read = call(
                &router,
                &victor_cookie,
                "load_ticket",
                &format!("ticket_id={ticket}"),
            )
            .await;
            assert_eq!(
                allowed(read.status),
                sees_ticket(help_requested),
                "{tier:?} read {ticket}"
            );
            if read.status == StatusCode::OK {
                let detail: TicketDetail = serde_json::from_str(&read.body).unwrap();
                assert!(detail.as_vendor && detail.can_ask.is_empty());
                let sees_claims = policy(VendorNeed::TicketClaims { help_requested });
                assert_eq!(detail.claims.len(), 2, "{tier:?}");
                assert!(
                    detail
                        .claims
                        .iter()
                        .all(|c| c.claim.is_some() == sees_claims && c.link.is_none())
                );
                assert_eq!(
                    detail.comments.len() as i64,
                    comments_before_on(&pool, ticket).await
                );
            } else {
                // Out of reach is not found: the answer must not confirm
                // that the ticket exists (the tier's reason is the list's).
                assert_eq!(read.status, StatusCode::NOT_FOUND, "{tier:?} {}", read.body);
                let denied: app::error::AppError = serde_json::from_str(&read.body).unwrap();
                assert_eq!(denied, app::error::AppError::NotFound);
                let missing = call(
                    &router,
                    &victor_cookie,
                    "load_ticket",
                    &format!("ticket_id={}", ticket + 100_000),
                )
                .await;
                assert_eq!(
                    (missing.status, missing.body),
                    (read.status, read.body.clone())
                );
            }
            // Commenting: exactly where reading is allowed, labelled with the vendor.
            let wrote = call(
                &router,
                &victor_cookie,
                "comment_on_ticket",
                &format!("ticket_id={ticket}&body=From+{}", tier.key()),
            )
            .await;
            assert_eq!(
                allowed(wrote.status),
                sees_ticket(help_requested),
                "{tier:?} comment {ticket}"
            );
            let added = count(&pool, "support_ticket_comments").await - comments_before;
            assert_eq!(added, i64::from(wrote.status == StatusCode::OK));
        }

        // All claim data of the account.
        let claims = call(
            &router,
            &victor_cookie,
            "account_claims",
            &format!("customer_id={northwind}"),
        )
        .await;
        assert_eq!(
            allowed(claims.status),
            policy(VendorNeed::Claims),
            "{tier:?} claims"
        );
        if claims.status == StatusCode::OK {
            let page: app::accounts::ClaimsOfAccount = serde_json::from_str(&claims.body).unwrap();
            assert_eq!(page.claims.len() as i64, all_claims);
        }
    }

    // The spec's table, as the matrix above found it on real data.
    assert_eq!(
        VendorNeed::Ticket {
            help_requested: true
        }
        .tier(),
        VendorTier::Limited
    );
    assert_eq!(
        VendorNeed::Ticket {
            help_requested: false
        }
        .tier(),
        VendorTier::AllSupport
    );
    assert_eq!(VendorNeed::Claims.tier(), VendorTier::Full);

    // Transparency: everything the vendor read or wrote is in Northwind's
    // log, labelled with the vendor.
    let unlabelled: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE actor_user_id = $1 AND action NOT LIKE 'auth.%'
           AND (org_id <> $2 OR acting_vendor_id IS DISTINCT FROM $3)",
    )
    .bind(victor.id.0)
    .bind(northwind)
    .bind(vendor)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unlabelled, 0);
    // Comments: Limited 1 (helped), All Support 2, Full 2.
    assert_eq!(audit_count(&pool, "ticket.comment").await, 5);
    assert_eq!(audit_count(&pool, "ticket.vendor_view").await, 5);
    assert_eq!(audit_count(&pool, "claims.vendor_view").await, 1);
}

async fn comments_before_on(pool: &PgPool, ticket: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM support_ticket_comments WHERE ticket_id = $1")
        .bind(ticket)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_unlinked_vendor_or_customer_id_reveals_nothing(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    // Riverside is linked (Full); an id that is not a linked customer is 404.
    let own = org_id(&pool, VENDOR).await;
    expect_status(
        &router,
        &victor,
        &[
            ("list_tickets", format!("customer_id={own}")),
            ("account_claims", format!("customer_id={own}")),
            ("account_claims", "customer_id=999999".to_owned()),
            ("load_ticket", "ticket_id=999999".to_owned()),
        ],
        StatusCode::NOT_FOUND,
    )
    .await;
    // A customer's user cannot list another organization's tickets.
    let sam = signed_in(&router, SAM).await;
    let riverside = org_id(&pool, server::demo::SECOND_CUSTOMER).await;
    expect_status(
        &router,
        &sam,
        &[("list_tickets", format!("customer_id={riverside}"))],
        StatusCode::NOT_FOUND,
    )
    .await;
    // And customers have no linked accounts.
    expect_status(
        &router,
        &sam,
        &[
            ("linked_accounts", "search=".to_owned()),
            ("account_claims", format!("customer_id={riverside}")),
        ],
        StatusCode::FORBIDDEN,
    )
    .await;
}
