//! Ticket views (My, Team, CC'd Tickets) and CC (seed 002): a ticket's
//! handlers CC any active user of the organization, who is told by email,
//! then reads and comments on it without handling tickets; nobody else.

use crate::common;

use app::{
    model::{
        ticket::{CC_WHOM_MESSAGE, VIEW_MESSAGE},
        validation::Field,
    },
    support::{TicketDetail, TicketsPage},
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call, signed_in,
    user_id,
};
use sqlx::PgPool;

const SAM: &str = "sam.support@northwind.example";
const PAT: &str = "pat.partner@northwind.example";
const MIA: &str = "mia.manager@northwind.example";
const ADA: &str = "ada.admin@northwind.example";
const VICTOR: &str = "victor.staff@claimwise.example";

async fn subjects(router: &Router, cookie: &str, view: &str) -> Vec<String> {
    let page: TicketsPage = call_ok(router, cookie, "list_tickets", &format!("view={view}")).await;
    page.tickets.into_iter().map(|t| t.subject).collect()
}

async fn ticket(pool: &PgPool, subject_start: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM support_tickets WHERE subject LIKE $1 || '%'")
        .bind(subject_start)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn mails_to(pool: &PgPool, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM email_outbox WHERE recipient = $1 ORDER BY id")
        .bind(email)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn my_team_and_ccd_tickets_and_a_cc_that_reads_and_comments(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let sam = signed_in(&router, SAM).await;
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let all = [
        "Refund posted twice",
        "Facility address on South Clinic claims",
        "Medicare denials at North Clinic",
    ];
    // Sam opened the demo's three: his, and the team's; Ada opened none.
    assert_eq!(subjects(&router, &sam, "mine").await, all);
    assert_eq!(
        subjects(&router, &sam, "").await,
        all,
        "My Tickets is the default"
    );
    assert_eq!(subjects(&router, &ada, "mine").await, Vec::<String>::new());
    assert_eq!(subjects(&router, &ada, "team").await, all);
    assert_eq!(subjects(&router, &ada, "cc").await, Vec::<String>::new());
    let page: TicketsPage = call_ok(&router, &ada, "list_tickets", "view=team").await;
    assert!(page.handles);

    // Pat handles no tickets: none of a ticket's, until he is CC'd on one.
    let pat = signed_in(&router, PAT).await;
    let id = ticket(&pool, "Facility address").await;
    let pat_id = user_id(&pool, PAT).await;
    let read = [("load_ticket", format!("ticket_id={id}"))];
    expect_status(&router, &pat, &read, StatusCode::FORBIDDEN).await;
    assert_eq!(subjects(&router, &pat, "cc").await, Vec::<String>::new());

    let said: String = call_ok(
        &router,
        &ada,
        "cc_on_ticket",
        &format!("ticket_id={id}&user_id={pat_id}"),
    )
    .await;
    assert_eq!(
        said,
        "Pat Partner is now CC'd on this ticket, and has been told by email."
    );
    assert_eq!(audit_count(&pool, "ticket.cc").await, 1);
    let mails = mails_to(&pool, PAT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].0,
        format!("CC: support ticket #{id} Facility address on South Clinic claims")
    );
    assert!(
        mails[0].1.contains(&format!("/support/{id}")),
        "{}",
        mails[0].1
    );
    // Twice: said, and nothing more happens.
    let again: String = call_ok(
        &router,
        &ada,
        "cc_on_ticket",
        &format!("ticket_id={id}&user_id={pat_id}"),
    )
    .await;
    assert_eq!(again, "Pat Partner is already CC'd on this ticket.");
    assert_eq!(mails_to(&pool, PAT).await.len(), 1);
    assert_eq!(audit_count(&pool, "ticket.cc").await, 1);

    // Pat now finds it in his CC'd Tickets, reads it and comments…
    assert_eq!(
        subjects(&router, &pat, "cc").await,
        ["Facility address on South Clinic claims"]
    );
    let detail: TicketDetail =
        call_ok(&router, &pat, "load_ticket", &format!("ticket_id={id}")).await;
    assert!(detail.as_cc);
    assert_eq!(detail.cc, ["Pat Partner"]);
    assert!(detail.can_ask.is_empty() && detail.cc_choices.is_empty());
    let _: String = call_ok(
        &router,
        &pat,
        "comment_on_ticket",
        &format!("ticket_id={id}&body=Seen+at+South+Clinic+too"),
    )
    .await;
    // …but neither handles it nor sees the other tickets.
    let other = ticket(&pool, "Medicare denials").await;
    let mia_id = user_id(&pool, MIA).await;
    let handling = [
        (
            "set_ticket_status",
            format!("ticket_id={id}&version=1&status=closed"),
        ),
        ("cc_on_ticket", format!("ticket_id={id}&user_id={mia_id}")),
        ("load_ticket", format!("ticket_id={other}")),
        ("list_tickets", "view=team".to_owned()),
        ("list_tickets", "view=mine".to_owned()),
    ];
    expect_status(&router, &pat, &handling, StatusCode::FORBIDDEN).await;
    // The ticket's handlers see whom it CCs, and who else may be.
    let detail: TicketDetail =
        call_ok(&router, &sam, "load_ticket", &format!("ticket_id={id}")).await;
    assert_eq!(detail.cc, ["Pat Partner"]);
    assert!(!detail.cc_choices.iter().any(|(u, _)| u.0 == pat_id));
    assert!(detail.cc_choices.iter().any(|(u, _)| u.0 == mia_id));
    assert!(
        !detail
            .cc_choices
            .iter()
            .any(|(_, name)| name == "Sam Support"),
        "not its opener"
    );
    assert_eq!(detail.comments.last().unwrap().author, "Pat Partner");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_cc_of_anyone_but_an_active_user_of_the_organization_is_refused(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let id = ticket(&pool, "Facility address").await;
    let ivy = user_id(&pool, "ivy.inactive@northwind.example").await;
    let rosa = user_id(&pool, "rosa.rivers@riverside.example").await;
    for user in [ivy.to_string(), rosa.to_string(), "999999".to_owned()] {
        let errors = invalid_call(
            &router,
            &ada,
            "cc_on_ticket",
            &format!("ticket_id={id}&user_id={user}"),
        )
        .await;
        assert_eq!(errors.get(Field::Cc), Some(CC_WHOM_MESSAGE));
    }
    let errors = invalid_call(&router, &ada, "list_tickets", "view=everyone").await;
    assert_eq!(errors.get(Field::View), Some(VIEW_MESSAGE));
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM support_ticket_cc")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(audit_count(&pool, "ticket.cc").await, 0);
    // Signed out, another customer's Administrator, vendor staff: refused.
    let pat = user_id(&pool, PAT).await;
    let calls = [("cc_on_ticket", format!("ticket_id={id}&user_id={pat}"))];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let (rosa_cookie, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    expect_status(&router, &rosa_cookie, &calls, StatusCode::NOT_FOUND).await;
    let victor = signed_in(&router, VICTOR).await;
    let reply = call(&router, &victor, "cc_on_ticket", &calls[0].1).await;
    assert!(
        matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        reply.status
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM support_ticket_cc")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}
