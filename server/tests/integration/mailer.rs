//! The mail worker against an SMTP server on loopback: a queued message is
//! delivered once and marked sent; a failure is recorded and retried later.

use crate::common;

use app::mail::outbox::{Mail, enqueue};
use common::smtp_sink;
use server::mailer::Mailer;
use sqlx::PgPool;

async fn queue(pool: &PgPool, subject: &str) -> i64 {
    let mut conn = pool.acquire().await.unwrap();
    enqueue(
        &mut conn,
        Mail {
            org: None,
            to: "pat.partner@northwind.example",
            subject,
            body: "Hello Pat,\n\nThe link: http://portcullis.test/x\n".to_owned(),
            kind: app::mail::MailKind::Notice,
        },
    )
    .await
    .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn queued_mail_is_delivered_once_and_marked_sent(pool: PgPool) {
    let id = queue(&pool, "Reset your Portcullis password").await;
    let (port, sink) = smtp_sink("250 ok", 1).await;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Portcullis <no-reply@portcullis.test>",
    )
    .unwrap();
    assert_eq!(mailer.deliver_due(&pool).await.unwrap(), 1);
    drop(mailer); // closes the pooled connection, so the sink sees QUIT or EOF
    let received = sink.await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].contains("Subject: Reset your Portcullis password"),
        "{}",
        received[0]
    );
    assert!(
        received[0].contains("To: pat.partner@northwind.example"),
        "{}",
        received[0]
    );
    assert!(
        received[0].contains("http://portcullis.test/x"),
        "{}",
        received[0]
    );

    let (sent, attempts): (bool, i32) =
        sqlx::query_as("SELECT sent_at IS NOT NULL, attempts FROM email_outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(sent);
    assert_eq!(attempts, 1);
    let unreachable = Mailer::new("smtp://127.0.0.1:9", "no-reply@portcullis.test").unwrap();
    assert_eq!(
        unreachable.deliver_due(&pool).await.unwrap(),
        0,
        "nothing is sent twice"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_failed_delivery_is_recorded_and_retried_later(pool: PgPool) {
    let id = queue(&pool, "Welcome").await;
    // Port 9 (discard) is closed on loopback: the connection is refused.
    let mailer = Mailer::new("smtp://127.0.0.1:9", "no-reply@portcullis.test").unwrap();
    assert_eq!(mailer.deliver_due(&pool).await.unwrap(), 0);
    let (sent, error, later): (bool, Option<String>, bool) = sqlx::query_as(
        "SELECT sent_at IS NOT NULL, last_error, next_attempt_at > now() FROM email_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!sent);
    assert!(error.is_some_and(|e| !e.is_empty()));
    assert!(later, "not retried at once");
    assert_eq!(mailer.deliver_due(&pool).await.unwrap(), 0);
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM email_outbox WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, 1, "waits before the next attempt");
}

#[test]
fn bad_settings_are_refused_at_start() {
    assert!(Mailer::new("gopher://x", "no-reply@portcullis.test").is_err());
    assert!(Mailer::new("smtp://127.0.0.1:25", "not an address").is_err());
}
