//! The email outbox: mail is written in the transaction of the change that
//! caused it, so it is sent if and only if the change commits. A worker
//! delivers it over SMTP; without SMTP, the development mailbox shows it.

use sqlx::PgConnection;

use super::MailKind;
use crate::model::ids::{OrgId, UserId};

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail<'a> {
    pub org: Option<OrgId>,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: String,
    /// What it is for; an invitation or a reset names the user it is about.
    pub kind: MailKind,
}

/// Queues a message; returns its id.
pub async fn enqueue(conn: &mut PgConnection, mail: Mail<'_>) -> Result<i64, sqlx::Error> {
    let (kind, user) = match mail.kind {
        MailKind::Invitation(user) => ("invitation", Some(user)),
        MailKind::PasswordReset(user) => ("password_reset", Some(user)),
        MailKind::Notice => ("notice", None),
    };
    sqlx::query_scalar!(
        "INSERT INTO email_outbox (org_id, recipient, subject, body, kind, user_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        mail.org.map(|o| o.0),
        mail.to,
        mail.subject,
        &mail.body,
        kind,
        user.map(|UserId(id)| id)
    )
    .fetch_one(conn)
    .await
}
