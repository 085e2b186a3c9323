//! Mail the server would not take, against a real SMTP conversation on
//! loopback: Administrators see their organization's undelivered messages
//! (what, to whom, since when, why in plain words), send one again, and
//! take an invitation's link to pass on by hand -- never a reset's; System
//! status tells the outbox's state; everyone else is refused.

use crate::common;

use app::{
    auth::reset_api::PasswordLink,
    mail::{MAIL_SENT_AGAIN, UndeliveredMail},
    system::SystemStatus,
};
use axum::{Router, http::StatusCode};
use common::{app, audit_count, call, enrolled_admin_session, post_form, signed_in, smtp_sink};
use leptos::prelude::LeptosOptions;
use server::mailer::Mailer;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";
const ROSA: &str = "rosa.rivers@riverside.example";
const NORA: &str = "nora.bounce@northwind.example";

async fn undelivered(router: &Router, cookie: &str) -> Vec<UndeliveredMail> {
    let reply = call(router, cookie, "list_undelivered_mail", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Runs the mail worker once against an SMTP server that answers every
/// recipient with `rcpt_reply`; returns how many went out.
async fn deliver(pool: &PgPool, rcpt_reply: &'static str) -> usize {
    let (port, sink) = smtp_sink(rcpt_reply, usize::MAX).await;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Portcullis <no-reply@portcullis.test>",
    )
    .unwrap();
    let sent = mailer.deliver_due(pool).await.unwrap();
    drop(mailer);
    sink.abort();
    sent
}

async fn tokens(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM password_tokens")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// System status as a server with an SMTP server configured says it.
async fn outgoing_mail(pool: &PgPool) -> String {
    let router = server::router::app(app::state::AppState {
        pool: pool.clone(),
        leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
        sessions: Default::default(),
        mail: app::state::MailSettings {
            public_url: "http://portcullis.test".to_owned(),
            dev_mailbox: false,
            smtp: true,
        },
        snapshots: Default::default(),
        account_offer: std::sync::Arc::new(server::account_offer::default_offer()),
    });
    let reply = post_form(router, "/api/system_status", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str::<SystemStatus>(&reply.body)
        .unwrap()
        .outgoing_mail
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn administrators_see_undelivered_mail_and_send_it_again(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    // What the demo queued went out before this test's failures.
    deliver(&pool, "250 ok").await;
    assert_eq!(outgoing_mail(&pool).await, "Delivering normally.");
    let router = app(pool.clone());
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let north: i64 = sqlx::query_scalar("SELECT id FROM companies WHERE name = 'North Clinic'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let added = call(
        &router,
        &ada,
        "add_user",
        &format!(
            "first_name=Nora&last_name=Bounce&email={}&account_type=standard&user_type=customer&company_id={north}&role_id=",
            NORA.replace('@', "%40")
        ),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let reset = post_form(
        router.clone(),
        "/api/request_password_reset",
        &format!("email={}", PAT.replace('@', "%40")),
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert!(
        undelivered(&router, &ada).await.is_empty(),
        "nothing failed yet"
    );

    // The mail server refuses both recipients.
    assert_eq!(deliver(&pool, "550 5.1.1 no such user here").await, 0);
    let list = undelivered(&router, &ada).await;
    let found: Vec<(&str, &str, bool)> = list
        .iter()
        .map(|m| (m.to.as_str(), m.kind.label(), m.link_available))
        .collect();
    assert_eq!(
        found,
        [(NORA, "Invitation", true), (PAT, "Password link", false)]
    );
    let invitation = &list[0];
    assert_eq!(
        invitation.reason,
        "The mail server refused the message (code 550): the address may not exist or not accept mail."
    );
    assert_eq!((invitation.attempts, invitation.given_up), (1, false));
    assert!(invitation.since.ends_with(" UTC"), "{}", invitation.since);
    assert!(
        outgoing_mail(&pool)
            .await
            .starts_with("2 messages could not be delivered yet, the oldest since "),
    );

    // Nobody else sees or touches them; a reset's link is never handed out.
    let pat = signed_in(&router, PAT).await;
    assert_eq!(
        call(&router, &pat, "list_undelivered_mail", "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let (rosa, _) = enrolled_admin_session(&router, ROSA).await;
    assert!(
        undelivered(&router, &rosa).await.is_empty(),
        "Riverside's own only"
    );
    let tokens_before = tokens(&pool).await;
    for (cookie, endpoint, id, status) in [
        (
            &pat,
            "send_mail_again",
            invitation.id,
            StatusCode::FORBIDDEN,
        ),
        (
            &pat,
            "invitation_link",
            invitation.id,
            StatusCode::FORBIDDEN,
        ),
        (
            &rosa,
            "send_mail_again",
            invitation.id,
            StatusCode::NOT_FOUND,
        ),
        (
            &rosa,
            "invitation_link",
            invitation.id,
            StatusCode::NOT_FOUND,
        ),
        (&ada, "invitation_link", list[1].id, StatusCode::CONFLICT),
        (
            &ada,
            "send_mail_again",
            app::model::ids::MailId(i64::MAX),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let reply = call(&router, cookie, endpoint, &format!("mail_id={id}")).await;
        assert_eq!(reply.status, status, "{endpoint} {id}: {}", reply.body);
    }
    assert_eq!(tokens(&pool).await, tokens_before, "no link was issued");
    assert_eq!(audit_count(&pool, "mail.send_again").await, 0);

    // The invitation's link, for Ada to pass on: it works.
    let reply = call(
        &router,
        &ada,
        "invitation_link",
        &format!("mail_id={}", invitation.id),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let url: String = serde_json::from_str(&reply.body).unwrap();
    let token = url
        .strip_prefix("http://portcullis.test/reset-password?token=")
        .unwrap();
    let link: PasswordLink = serde_json::from_str(
        &post_form(
            router.clone(),
            "/api/check_password_link",
            &format!("token={token}"),
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!((link.email.as_str(), link.invitation), (NORA, true));
    assert_eq!(audit_count(&pool, "user.invitation_link").await, 1);

    // Sent again, the server takes it this time: the list empties.
    for mail in &list {
        let reply = call(
            &router,
            &ada,
            "send_mail_again",
            &format!("mail_id={}", mail.id),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            serde_json::from_str::<String>(&reply.body).unwrap(),
            MAIL_SENT_AGAIN
        );
    }
    assert_eq!(audit_count(&pool, "mail.send_again").await, 2);
    assert_eq!(deliver(&pool, "250 ok").await, 2);
    assert!(undelivered(&router, &ada).await.is_empty());
    assert_eq!(outgoing_mail(&pool).await, "Delivering normally.");
}
