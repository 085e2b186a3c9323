//! The mail pages' statements: the development mailbox and the
//! organization's undelivered mail. Queuing is `outbox::enqueue`, shared by
//! every feature that sends mail.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::MailPurpose;
use crate::model::ids::{MailId, OrgId, UserId};

/// A message as the development mailbox shows it.
pub struct Queued {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent: bool,
}

/// The newest 50 messages of the outbox.
pub async fn newest(conn: &mut PgConnection) -> Result<Vec<Queued>, sqlx::Error> {
    sqlx::query_as!(
        Queued,
        r#"SELECT id AS "id: MailId", recipient, subject, body,
                  created_at AS "created_at: DateTime<Utc>", sent_at IS NOT NULL AS "sent!"
           FROM email_outbox ORDER BY id DESC LIMIT 50"#
    )
    .fetch_all(conn)
    .await
}

/// A message not delivered yet that failed at least once.
pub struct Undelivered {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    pub kind: MailPurpose,
    /// The user an invitation or a reset is about.
    pub user_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// An invitation whose user has not chosen a password yet.
    pub invitee_waiting: bool,
}

/// The undelivered messages of `org`, oldest first (at most 100); with
/// `only`, that one alone.
pub async fn undelivered(
    conn: &mut PgConnection,
    org: OrgId,
    only: Option<MailId>,
) -> Result<Vec<Undelivered>, sqlx::Error> {
    sqlx::query_as!(
        Undelivered,
        r#"SELECT o.id AS "id: MailId", o.recipient, o.subject, o.kind AS "kind: MailPurpose",
                  o.user_id AS "user_id: UserId", o.created_at AS "created_at: DateTime<Utc>",
                  o.attempts, o.last_error,
                  (o.kind = 'invitation' AND u.password_hash IS NULL AND u.status = 'active')
                      AS "invitee_waiting!"
           FROM email_outbox o LEFT JOIN users u ON u.id = o.user_id
           WHERE o.org_id = $1 AND o.sent_at IS NULL AND o.last_error IS NOT NULL
             AND ($2::bigint IS NULL OR o.id = $2)
           ORDER BY o.id LIMIT 100"#,
        org.0,
        only.map(|m| m.0)
    )
    .fetch_all(conn)
    .await
}

/// The undelivered message `mail` of `org`, locked; `None` for any other
/// (another organization's, or one delivered meanwhile).
pub async fn undelivered_one(
    conn: &mut PgConnection,
    org: OrgId,
    mail: MailId,
) -> Result<Option<Undelivered>, sqlx::Error> {
    sqlx::query!(
        "SELECT id FROM email_outbox WHERE id = $1 AND org_id = $2 FOR UPDATE",
        mail.0,
        org.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(undelivered(conn, org, Some(mail)).await?.pop())
}

/// Gives `mail` a fresh set of attempts, the first one now.
pub async fn retry(conn: &mut PgConnection, mail: MailId) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE email_outbox SET attempts = 0, next_attempt_at = now() WHERE id = $1",
        mail.0
    )
    .execute(conn)
    .await?;
    Ok(())
}
