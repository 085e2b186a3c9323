//! The platform side (issue 22), through its server functions on the demo
//! data: its staff sign in with two factors and reach the console; they
//! create, rename, suspend and reactivate organizations; the support desk
//! answers every organization's tickets without seeing their claims and
//! asks a vendor under Limited Access for help; links need both sides'
//! consent and the platform's completion; an Administrator change needs a
//! second Platform Administrator. Each refusal changes nothing.

use crate::common;

use app::{
    auth::Me,
    model::{platform::REASON_MESSAGE, policy::Denied, validation::Field},
    platform::{
        DeskPage, DeskView, LinkRequestsPage, OrgDetail, OrgsPage, StaffPage,
        changes_api::NOT_FROM_AN_ADMINISTRATOR, links_api::ABOVE_AGREED,
    },
    support::TicketDetail,
};
use axum::{Router, http::StatusCode};
use common::{
    Ignoring, call, call_ok, conflicting_call, enrolled_admin_session, fingerprint, invalid_call,
    me, org_id, sign_in, signed_in, user_id,
};
use server::demo::{CUSTOMER, DEMO_PASSWORD, PLATFORM, SECOND_VENDOR, VENDOR};
use sqlx::PgPool;

const PAULA: &str = "paula.platform@portcullis.example";
const SEAN: &str = "sean.support@portcullis.example";
const ADA: &str = "ada.admin@northwind.example";
const MAX: &str = "max.meridian@meridian.example";
const VERA: &str = "vera.vendor@claimwise.example";
const SAM: &str = "sam.support@northwind.example";

struct Platform {
    pool: PgPool,
    router: Router,
    paula: String,
    sean: String,
}

async fn platform(pool: &PgPool) -> Platform {
    let router = common::demo_app(pool).await;
    let (paula, _) = enrolled_admin_session(&router, PAULA).await;
    let (sean, _) = enrolled_admin_session(&router, SEAN).await;
    Platform {
        pool: pool.clone(),
        router,
        paula,
        sean,
    }
}

impl Platform {
    async fn int(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    async fn unchanged(&self) -> String {
        fingerprint(&self.pool, &Ignoring::default()).await
    }

    /// `form` sent by `cookie` is refused with 403 and the policy's reason,
    /// changing nothing.
    async fn forbidden(&self, cookie: &str, endpoint: &str, form: &str, reason: Denied) {
        let before = self.unchanged().await;
        let reply = call(&self.router, cookie, endpoint, form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{endpoint}: {}",
            reply.body
        );
        assert!(
            reply.body.contains(&format!("{reason:?}")),
            "{endpoint}: {}",
            reply.body
        );
        assert_eq!(
            self.unchanged().await,
            before,
            "{endpoint} changed something"
        );
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn platform_staff_must_use_two_factor_and_see_the_console(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // A Support Agent is not an Administrator, yet a second factor is due.
    let reply = sign_in(&router, SEAN, DEMO_PASSWORD).await;
    assert_eq!(
        reply.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/two-factor")
    );
    let halfway = common::session_cookie(&reply).unwrap();
    let refused = call(&router, &halfway, "platform_organizations", "search=&kind=").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);

    let (sean, _) = enrolled_admin_session(&router, SEAN).await;
    let me: Me = me(&router, &sean).await;
    assert!(me.platform_staff && !me.vendor_staff && !me.administrator);
    assert!(!me.sees_users && !me.sees_claims && me.companies.is_empty());
    let page: OrgsPage = call_ok(&router, &sean, "platform_organizations", "search=&kind=").await;
    let names: Vec<&str> = page.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [VENDOR, SECOND_VENDOR, CUSTOMER, "Riverside Family Practice"]
    );
    assert!(
        !names.contains(&PLATFORM),
        "the platform lists only the others"
    );
    assert!(!page.may_run, "an agent does not run organizations");
    let northwind = &page.organizations[2];
    assert_eq!((northwind.administrators, northwind.open_tickets), (2, 2));
    assert_eq!(northwind.linked, [VENDOR]);

    // Keyset paging by name, and the search.
    let vendors: OrgsPage = call_ok(
        &router,
        &sean,
        "platform_organizations",
        "search=&kind=vendor",
    )
    .await;
    assert_eq!(vendors.total, 2);
    let first = call_ok::<OrgsPage>(
        &router,
        &sean,
        "platform_organizations",
        "search=north&kind=",
    )
    .await;
    assert_eq!(first.organizations.len(), 1);
    let bad = invalid_call(
        &router,
        &sean,
        "platform_organizations",
        "search=&kind=platform",
    )
    .await;
    assert!(bad.get(Field::Kind).is_some());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn platform_administrators_create_rename_suspend_and_reactivate_organizations(pool: PgPool) {
    let p = platform(&pool).await;
    // An agent may not; bad input changes nothing.
    let form =
        "kind=vendor&name=Acme+Billing&first_name=Olga&last_name=Owens&email=olga%40acme.example";
    p.forbidden(
        &p.sean,
        "create_organization",
        form,
        Denied::PlatformAdministratorsOnly,
    )
    .await;
    let before = p.unchanged().await;
    let errors = invalid_call(
        &p.router,
        &p.paula,
        "create_organization",
        "kind=platform&name=+&first_name=O&last_name=&email=nope",
    )
    .await;
    for field in [
        Field::Kind,
        Field::OrganizationName,
        Field::FirstName,
        Field::Email,
    ] {
        assert!(errors.get(field).is_some(), "{field:?}: {errors:?}");
    }
    let taken = invalid_call(
        &p.router,
        &p.paula,
        "create_organization",
        "kind=vendor&name=claimwise+billing+services&first_name=Olga&last_name=Owens&email=olga%40acme.example",
    )
    .await;
    assert!(taken.get(Field::OrganizationName).is_some());
    assert_eq!(p.unchanged().await, before);

    let id: i64 = common::ok(call(&p.router, &p.paula, "create_organization", form).await);
    let detail: OrgDetail = call_ok(
        &p.router,
        &p.sean,
        "load_organization",
        &format!("org_id={id}"),
    )
    .await;
    assert_eq!(detail.summary.name, "Acme Billing");
    assert_eq!(detail.members.len(), 1);
    assert!(detail.members[0].administrator && !detail.members[0].two_factor);
    let invited = p
        .int("SELECT count(*) FROM email_outbox WHERE recipient = 'olga@acme.example' AND kind = 'invitation'")
        .await;
    assert_eq!(invited, 1);
    // A customer gets its parent company; the event is the new
    // organization's, labelled with the platform.
    let customer: i64 = common::ok(
        call(
            &p.router,
            &p.paula,
            "create_organization",
            "kind=customer&name=Lakeview+Clinic&first_name=Lena&last_name=Lake&email=lena%40lakeview.example",
        )
        .await,
    );
    assert_eq!(
        p.int(&format!(
            "SELECT count(*) FROM companies WHERE org_id = {customer} AND parent_id IS NULL"
        ))
        .await,
        1
    );
    let platform = org_id(&pool, PLATFORM).await;
    assert_eq!(
        p.int(&format!(
            "SELECT count(*) FROM audit_events WHERE org_id = {customer}
             AND action = 'organization.create' AND acting_vendor_id = {platform}"
        ))
        .await,
        1
    );

    // Rename, at the version read; a stale version is refused.
    let version = detail.version;
    let said: String = call_ok(
        &p.router,
        &p.paula,
        "rename_organization",
        &format!("org_id={id}&version={version}&name=Acme+Revenue"),
    )
    .await;
    assert!(said.contains("Acme Revenue"), "{said}");
    conflicting_call(
        &p.router,
        &p.paula,
        "rename_organization",
        &format!("org_id={id}&version={version}&name=Acme+Again"),
    )
    .await;

    // Suspending Northwind: its users cannot sign in, and a session they
    // had stops counting; reactivating lets them back in.
    let northwind = org_id(&pool, CUSTOMER).await;
    let sam = signed_in(&p.router, SAM).await;
    let version: i64 = p
        .int(&format!(
            "SELECT access_version FROM organizations WHERE id = {northwind}"
        ))
        .await;
    let form = format!("org_id={northwind}&version={version}&suspended=true");
    p.forbidden(
        &p.sean,
        "set_organization_suspended",
        &form,
        Denied::PlatformAdministratorsOnly,
    )
    .await;
    let _: String = call_ok(&p.router, &p.paula, "set_organization_suspended", &form).await;
    let refused = call(&p.router, &sam, "list_tickets", "").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let again = sign_in(&p.router, SAM, DEMO_PASSWORD).await;
    assert!(common::session_cookie(&again).is_none() || again.status.is_client_error());
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.body);
    let version: i64 = p
        .int(&format!(
            "SELECT access_version FROM organizations WHERE id = {northwind}"
        ))
        .await;
    let _: String = call_ok(
        &p.router,
        &p.paula,
        "set_organization_suspended",
        &format!("org_id={northwind}&version={version}&suspended=false"),
    )
    .await;
    signed_in(&p.router, SAM).await;
    assert_eq!(common::audit_count(&pool, "organization.suspend").await, 1);
    assert_eq!(
        common::audit_count(&pool, "organization.reactivate").await,
        1
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_desk_answers_every_organizations_tickets_without_their_claims(pool: PgPool) {
    let p = platform(&pool).await;
    let desk: DeskPage = call_ok(
        &p.router,
        &p.sean,
        "support_desk",
        "organization=&status=&age=&assignee=",
    )
    .await;
    // Northwind's three and Claimwise's Vendor Support ticket.
    assert_eq!(desk.tickets.len(), 4);
    let vendor_ticket = desk
        .tickets
        .iter()
        .find(|t| t.organization == VENDOR)
        .unwrap();
    let northwind_ticket = desk
        .tickets
        .iter()
        .find(|t| t.subject.starts_with("Medicare denials"))
        .unwrap();

    // Assigned to Sean, then only his.
    let sean_id = user_id(&pool, SEAN).await;
    let detail: TicketDetail = call_ok(
        &p.router,
        &p.sean,
        "load_ticket",
        &format!("ticket_id={}", northwind_ticket.id),
    )
    .await;
    assert!(detail.as_platform && !detail.as_vendor);
    assert!(!detail.claims.is_empty());
    assert!(
        detail
            .claims
            .iter()
            .all(|c| c.claim.is_none() && c.link.is_none()),
        "the platform sees claim numbers, never claim data"
    );
    let _: String = call_ok(
        &p.router,
        &p.paula,
        "assign_ticket",
        &format!(
            "ticket_id={}&version={}&assignee={sean_id}",
            detail.id, detail.version
        ),
    )
    .await;
    let mine: DeskPage = call_ok(
        &p.router,
        &p.sean,
        "support_desk",
        "organization=&status=&age=&assignee=me",
    )
    .await;
    assert_eq!(mine.tickets.len(), 1);
    assert_eq!(mine.tickets[0].id, northwind_ticket.id);
    let stranger = invalid_call(
        &p.router,
        &p.paula,
        "assign_ticket",
        &format!(
            "ticket_id={}&version={}&assignee={}",
            detail.id,
            detail.version + 1,
            user_id(&pool, ADA).await
        ),
    )
    .await;
    assert!(stranger.get(Field::Assignee).is_some());

    // A comment in each direction: the agent answers Claimwise's ticket,
    // and Vera reads it labelled with the platform.
    let _: String = call_ok(
        &p.router,
        &p.sean,
        "comment_on_ticket",
        &format!(
            "ticket_id={}&body=We+see+the+duplicates+and+are+on+it.",
            vendor_ticket.id
        ),
    )
    .await;
    let (vera, _) = enrolled_admin_session(&p.router, VERA).await;
    let seen: TicketDetail = call_ok(
        &p.router,
        &vera,
        "load_ticket",
        &format!("ticket_id={}", vendor_ticket.id),
    )
    .await;
    let last = seen.comments.last().unwrap();
    assert_eq!(
        last.vendor.as_deref(),
        Some(format!("Platform: {PLATFORM}").as_str())
    );
    assert_eq!(
        common::audit_count(&pool, "ticket.comment").await,
        1,
        "the comment is in Claimwise's log"
    );

    // The platform opens a ticket for Northwind; its Support Users see it.
    let northwind = org_id(&pool, CUSTOMER).await;
    let opened: i64 = common::ok(
        call(
            &p.router,
            &p.sean,
            "open_ticket_for",
            &format!("org_id={northwind}&subject=Verification+call&message=We+called+Ada+back."),
        )
        .await,
    );
    let sam = signed_in(&p.router, SAM).await;
    let theirs: app::support::TicketsPage =
        call_ok(&p.router, &sam, "list_tickets", "view=team").await;
    assert!(theirs.tickets.iter().any(|t| t.id.0 == opened));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn under_limited_access_the_platform_asks_the_vendor_for_help_on_one_ticket(pool: PgPool) {
    let p = platform(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let claimwise = org_id(&pool, VENDOR).await;
    sqlx::query("UPDATE vendor_links SET tier = 'limited' WHERE customer_id = $1")
        .bind(northwind)
        .execute(&pool)
        .await
        .unwrap();
    let ticket: i64 = p
        .int(&format!(
            "SELECT t.id FROM support_tickets t WHERE t.org_id = {northwind}
             AND NOT EXISTS (SELECT 1 FROM support_ticket_vendor_help h WHERE h.ticket_id = t.id)
             ORDER BY t.id LIMIT 1"
        ))
        .await;
    let victor = signed_in(&p.router, "victor.staff@claimwise.example").await;
    let hidden = call(
        &p.router,
        &victor,
        "load_ticket",
        &format!("ticket_id={ticket}"),
    )
    .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);

    let detail: TicketDetail = call_ok(
        &p.router,
        &p.sean,
        "load_ticket",
        &format!("ticket_id={ticket}"),
    )
    .await;
    assert_eq!(detail.can_ask.len(), 1, "{:?}", detail.can_ask);
    let _: String = call_ok(
        &p.router,
        &p.sean,
        "ask_vendor_for_help",
        &format!("ticket_id={ticket}&vendor_id={claimwise}"),
    )
    .await;
    let now_seen: TicketDetail = call_ok(
        &p.router,
        &victor,
        "load_ticket",
        &format!("ticket_id={ticket}"),
    )
    .await;
    assert_eq!(now_seen.id.0, ticket);
    // The customer sees that it happened, by whom.
    let (ada, _) = enrolled_admin_session(&p.router, ADA).await;
    let theirs: TicketDetail = call_ok(
        &p.router,
        &ada,
        "load_ticket",
        &format!("ticket_id={ticket}"),
    )
    .await;
    assert_eq!(theirs.help_from, [VENDOR]);
    let label: String = sqlx::query_scalar(
        "SELECT v.name FROM audit_events e JOIN organizations v ON v.id = e.acting_vendor_id
         WHERE e.action = 'ticket.ask_vendor' AND e.org_id = $1",
    )
    .bind(northwind)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(label, PLATFORM);
    // No Access leaves the vendor out, for the platform too.
    sqlx::query("UPDATE vendor_links SET tier = 'no_access' WHERE customer_id = $1")
        .bind(northwind)
        .execute(&pool)
        .await
        .unwrap();
    let other: i64 = p
        .int(&format!(
            "SELECT t.id FROM support_tickets t WHERE t.org_id = {northwind}
             AND NOT EXISTS (SELECT 1 FROM support_ticket_vendor_help h WHERE h.ticket_id = t.id)
             ORDER BY t.id LIMIT 1"
        ))
        .await;
    p.forbidden(
        &p.sean,
        "ask_vendor_for_help",
        &format!("ticket_id={other}&vendor_id={claimwise}"),
        Denied::VendorLeftOut,
    )
    .await;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn links_need_both_consents_and_the_platform_within_what_the_customer_agreed(pool: PgPool) {
    let p = platform(&pool).await;
    let (max, _) = enrolled_admin_session(&p.router, MAX).await;
    let (ada, _) = enrolled_admin_session(&p.router, ADA).await;
    let theirs: LinkRequestsPage = call_ok(&p.router, &max, "vendor_link_requests", "").await;
    assert!(!theirs.as_platform && !theirs.customer_side);
    let request = theirs.requests[0].clone();
    assert!(request.customer_consented && !request.vendor_consented);
    let form = format!(
        "request_id={}&version={}&tier=limited",
        request.id, request.version
    );

    // The platform cannot complete before the vendor consents; a vendor
    // cannot complete at all (it would link itself).
    conflicting_call(&p.router, &p.sean, "complete_vendor_link", &form).await;
    p.forbidden(
        &max,
        "complete_vendor_link",
        &form,
        Denied::PlatformStaffOnly,
    )
    .await;
    // Vendor staff switched in, or another customer's Administrator, consent to nothing here.
    let rosa_form = format!(
        "request_id={}&version={}&max_tier=full",
        request.id, request.version
    );
    let (rosa, _) = enrolled_admin_session(&p.router, "rosa.rivers@riverside.example").await;
    let before = p.unchanged().await;
    let stranger = call(&p.router, &rosa, "consent_to_link", &rosa_form).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND, "{}", stranger.body);
    assert_eq!(p.unchanged().await, before);

    let _: String = call_ok(
        &p.router,
        &max,
        "consent_to_link",
        &format!(
            "request_id={}&version={}&max_tier=",
            request.id, request.version
        ),
    )
    .await;
    let queue: LinkRequestsPage = call_ok(&p.router, &p.sean, "vendor_link_requests", "").await;
    let pending = queue.requests.iter().find(|r| r.id == request.id).unwrap();
    assert!(queue.as_platform && pending.customer_consented && pending.vendor_consented);
    let above = invalid_call(
        &p.router,
        &p.sean,
        "complete_vendor_link",
        &format!(
            "request_id={}&version={}&tier=full",
            request.id, pending.version
        ),
    )
    .await;
    assert_eq!(above.get(Field::Tier), Some(ABOVE_AGREED));
    let _: String = call_ok(
        &p.router,
        &p.sean,
        "complete_vendor_link",
        &format!(
            "request_id={}&version={}&tier=limited",
            request.id, pending.version
        ),
    )
    .await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let meridian = org_id(&pool, SECOND_VENDOR).await;
    let platform = org_id(&pool, PLATFORM).await;
    assert_eq!(
        p.int(&format!(
            "SELECT count(*) FROM vendor_links WHERE customer_id = {northwind}
             AND vendor_id = {meridian} AND tier = 'limited'"
        ))
        .await,
        1
    );
    // Every step in all three logs.
    for action in ["link.consent", "link.complete"] {
        let logs: Vec<i64> =
            sqlx::query_scalar("SELECT org_id FROM audit_events WHERE action = $1 ORDER BY org_id")
                .bind(action)
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut expected = vec![northwind, meridian, platform];
        expected.sort();
        assert_eq!(logs, expected, "{action}");
    }
    // Either side ends it.
    let _: String = call_ok(
        &p.router,
        &ada,
        "unlink_vendor",
        &format!("other={meridian}"),
    )
    .await;
    assert_eq!(
        p.int(&format!(
            "SELECT count(*) FROM vendor_links WHERE vendor_id = {meridian}"
        ))
        .await,
        0
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_administrator_change_needs_a_second_platform_administrator(pool: PgPool) {
    let p = platform(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    // Sam's ticket: Northwind has active Administrators, and Sam is not one.
    let sams: i64 = p
        .int(&format!(
            "SELECT min(id) FROM support_tickets WHERE org_id = {northwind}"
        ))
        .await;
    let form =
        format!("ticket_id={sams}&change=make_support_user&user_id={pat}&reason=Asked+by+Ada");
    let refused = invalid_call(&p.router, &p.sean, "propose_change", &form).await;
    assert_eq!(refused.get(Field::Change), Some(NOT_FROM_AN_ADMINISTRATOR));

    // Ada asks on a ticket of her own.
    let (ada, _) = enrolled_admin_session(&p.router, ADA).await;
    let ticket: i64 = common::ok(
        call(
            &p.router,
            &ada,
            "open_ticket",
            "subject=Make+Pat+a+Support+User&message=Please.&claims=",
        )
        .await,
    );
    let form = format!("ticket_id={ticket}&change=make_support_user&user_id={pat}&reason=+");
    let blank = invalid_call(&p.router, &p.sean, "propose_change", &form).await;
    assert_eq!(blank.get(Field::Reason), Some(REASON_MESSAGE));
    let form = format!(
        "ticket_id={ticket}&change=make_support_user&user_id={pat}&reason=Ticket+from+Ada+Admin"
    );
    let _: String = call_ok(&p.router, &p.sean, "propose_change", &form).await;
    conflicting_call(&p.router, &p.sean, "propose_change", &form).await;
    let view: DeskView = call_ok(
        &p.router,
        &p.sean,
        "load_desk_view",
        &format!("ticket_id={ticket}"),
    )
    .await;
    let change = view.changes[0].id;
    let decide = format!("change_id={change}&approve=true");
    // The agent may not approve; the proposer may not either.
    p.forbidden(
        &p.sean,
        "decide_change",
        &decide,
        Denied::PlatformAdministratorsOnly,
    )
    .await;
    // A customer's Administrator has no say in it.
    p.forbidden(&ada, "decide_change", &decide, Denied::PlatformStaffOnly)
        .await;
    assert!(
        !sqlx::query_scalar::<_, bool>("SELECT support_user FROM users WHERE id = $1")
            .bind(pat)
            .fetch_one(&pool)
            .await
            .unwrap()
    );
    let _: String = call_ok(&p.router, &p.paula, "decide_change", &decide).await;
    assert!(
        sqlx::query_scalar::<_, bool>("SELECT support_user FROM users WHERE id = $1")
            .bind(pat)
            .fetch_one(&pool)
            .await
            .unwrap()
    );
    let logged: String = sqlx::query_scalar(
        "SELECT after->>'ticket_id' FROM audit_events
         WHERE action = 'platform.change_apply' AND org_id = $1",
    )
    .bind(northwind)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(logged, ticket.to_string());
    conflicting_call(&p.router, &p.paula, "decide_change", &decide).await;

    // Paula proposing is not approved by Paula.
    let mia = user_id(&pool, "mia.manager@northwind.example").await;
    let _: String = call_ok(
        &p.router,
        &p.paula,
        "propose_change",
        &format!(
            "ticket_id={ticket}&change=make_administrator&user_id={mia}&reason=Ticket+from+Ada"
        ),
    )
    .await;
    let view: DeskView = call_ok(
        &p.router,
        &p.paula,
        "load_desk_view",
        &format!("ticket_id={ticket}"),
    )
    .await;
    let own = view
        .changes
        .iter()
        .find(|c| c.status == app::model::platform::ChangeStatus::Pending)
        .unwrap();
    p.forbidden(
        &p.paula,
        "decide_change",
        &format!("change_id={}&approve=true", own.id),
        Denied::SecondPersonRequired,
    )
    .await;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_locked_out_organization_is_reactivated_with_two_approvals(pool: PgPool) {
    let p = platform(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    // Every Administrator inactive (past the console's own rule).
    sqlx::raw_sql(
        "ALTER TABLE users DISABLE TRIGGER USER;
         UPDATE users SET status = 'inactive' WHERE account_type = 'administrator'
           AND org_id = (SELECT id FROM organizations WHERE name = 'Northwind Health Partners');
         ALTER TABLE users ENABLE TRIGGER USER;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let ada = user_id(&pool, ADA).await;
    let ticket: i64 = common::ok(
        call(
            &p.router,
            &p.sean,
            "open_ticket_for",
            &format!(
                "org_id={northwind}&subject=Locked+out&message=Ada+called+from+the+number+on+file."
            ),
        )
        .await,
    );
    let _: String = call_ok(
        &p.router,
        &p.sean,
        "propose_change",
        &format!(
            "ticket_id={ticket}&change=reactivate_administrator&user_id={ada}\
             &reason=Called+Ada+back+on+the+number+on+file"
        ),
    )
    .await;
    let view: DeskView = call_ok(
        &p.router,
        &p.sean,
        "load_desk_view",
        &format!("ticket_id={ticket}"),
    )
    .await;
    let _: String = call_ok(
        &p.router,
        &p.paula,
        "decide_change",
        &format!("change_id={}&approve=true", view.changes[0].id),
    )
    .await;
    let (status, password): (String, Option<String>) =
        sqlx::query_as("SELECT status, password_hash FROM users WHERE id = $1")
            .bind(ada)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), password), ("active", None));
    assert_eq!(
        p.int("SELECT count(*) FROM email_outbox WHERE recipient = 'ada.admin@northwind.example' AND kind = 'invitation'")
            .await,
        1
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn customers_and_vendors_reach_no_platform_function(pool: PgPool) {
    let p = platform(&pool).await;
    let (ada, _) = enrolled_admin_session(&p.router, ADA).await;
    let (vera, _) = enrolled_admin_session(&p.router, VERA).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    for cookie in [&ada, &vera] {
        for (endpoint, form) in [
            ("platform_organizations", "search=&kind=".to_owned()),
            ("load_organization", format!("org_id={northwind}")),
            ("platform_staff", String::new()),
            (
                "support_desk",
                "organization=&status=&age=&assignee=".to_owned(),
            ),
            (
                "open_ticket_for",
                format!("org_id={northwind}&subject=x&message=y"),
            ),
        ] {
            p.forbidden(cookie, endpoint, &form, Denied::PlatformStaffOnly)
                .await;
        }
    }
    // Platform staff do not open a customer's claims or users.
    let claim: i64 = p
        .int(&format!(
            "SELECT min(id) FROM claims WHERE org_id = {northwind}"
        ))
        .await;
    let reply = call(
        &p.router,
        &p.paula,
        "load_claim",
        &format!("claim_id={claim}"),
    )
    .await;
    assert!(reply.status.is_client_error(), "{}", reply.body);
    let staff: StaffPage = call_ok(&p.router, &p.sean, "platform_staff", "").await;
    assert_eq!(staff.staff.len(), 2);
}
