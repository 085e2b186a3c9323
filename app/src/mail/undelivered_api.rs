//! Server functions for the mail that could not be delivered: the list an
//! organization's Administrators see, sending a message again, and taking
//! an invitation's link to pass on by hand.

use leptos::prelude::*;

use super::UndeliveredMail;
use crate::error::AppError;

/// The organization's messages that could not be delivered yet, oldest
/// first (at most 100).
///
/// Permissions: an Administrator of the organization (`Action::Administer`).
#[server(prefix = "/api", endpoint = "list_undelivered_mail")]
pub async fn list_undelivered_mail() -> Result<Vec<UndeliveredMail>, AppError> {
    ssr::list().await.map_err(AppError::respond)
}

/// Sends an undelivered message again now, with a fresh set of attempts;
/// audited.
///
/// Permissions: an Administrator of the message's organization.
#[server(prefix = "/api", endpoint = "send_mail_again")]
pub async fn send_mail_again(mail_id: i64) -> Result<String, AppError> {
    ssr::again(mail_id).await.map_err(AppError::respond)
}

/// A new link for an undelivered invitation, for the Administrator to pass
/// on by hand, while its user has not chosen a password; audited. Never
/// for a password reset: that would hand the Administrator the account.
///
/// Permissions: an Administrator of the message's organization.
#[server(prefix = "/api", endpoint = "invitation_link")]
pub async fn invitation_link(mail_id: i64) -> Result<String, AppError> {
    ssr::link(mail_id).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};
    use serde_json::json;
    use sqlx::PgConnection;

    use super::super::{MAIL_SENT_AGAIN, MAX_ATTEMPTS, UndeliveredMail, plain_reason};
    use crate::model::access::Action;
    use crate::{
        audit::db::{Event, record},
        auth::{
            gate::Caller,
            reset::{self, Purpose},
        },
        error::AppError,
        model::ids::UserId,
        state::AppState,
    };

    /// An organization's undelivered messages (not sent, failed at least
    /// once), with whether an invitation's user still has no password.
    const UNDELIVERED: &str = "
        SELECT o.id, o.recipient, o.subject, o.kind, o.user_id, o.created_at, o.attempts,
               o.last_error,
               (o.kind = 'invitation' AND u.password_hash IS NULL AND u.status = 'active')
                   AS invitee_waiting
        FROM email_outbox o LEFT JOIN users u ON u.id = o.user_id
        WHERE o.org_id = $1 AND o.sent_at IS NULL AND o.last_error IS NOT NULL";

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        recipient: String,
        subject: String,
        kind: String,
        /// The user an invitation or a reset is about.
        user_id: Option<i64>,
        created_at: DateTime<Utc>,
        attempts: i32,
        last_error: Option<String>,
        /// An invitation whose user has not chosen a password yet.
        invitee_waiting: bool,
    }

    pub async fn list() -> Result<Vec<UndeliveredMail>, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let rows: Vec<Row> = sqlx::query_as(&format!("{UNDELIVERED} ORDER BY o.id LIMIT 100"))
            .bind(caller.user.org.0)
            .fetch_all(&state.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| UndeliveredMail {
                id: r.id,
                to: r.recipient,
                subject: r.subject,
                kind: match r.kind.as_str() {
                    "invitation" => "Invitation",
                    "password_reset" => "Password link",
                    _ => "Notice",
                }
                .to_owned(),
                since: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                attempts: r.attempts,
                reason: plain_reason(r.last_error.as_deref().unwrap_or_default()),
                given_up: r.attempts >= MAX_ATTEMPTS,
                link_available: r.invitee_waiting,
            })
            .collect())
    }

    /// The undelivered message of the caller's organization, locked; `NotFound`
    /// for any other (another organization's, or one delivered meanwhile).
    async fn undelivered(
        conn: &mut PgConnection,
        caller: &Caller,
        mail_id: i64,
    ) -> Result<Row, AppError> {
        sqlx::query_as(&format!("{UNDELIVERED} AND o.id = $2 FOR UPDATE OF o"))
            .bind(caller.user.org.0)
            .bind(mail_id)
            .fetch_optional(conn)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn again(mail_id: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let mut tx = state.pool.begin().await?;
        let mail = undelivered(&mut tx, &caller, mail_id).await?;
        sqlx::query("UPDATE email_outbox SET attempts = 0, next_attempt_at = now() WHERE id = $1")
            .bind(mail.id)
            .execute(&mut *tx)
            .await?;
        let event = Event {
            org: Some(caller.user.org),
            action: "mail.send_again",
            target_type: "mail",
            target_id: Some(mail.id.to_string()),
            before: Some(json!({ "attempts": mail.attempts })),
            after: Some(json!({ "to": mail.recipient, "subject": mail.subject })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(MAIL_SENT_AGAIN.to_owned())
    }

    pub async fn link(mail_id: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let mut tx = state.pool.begin().await?;
        let mail = undelivered(&mut tx, &caller, mail_id).await?;
        let Some(user) = mail.user_id.filter(|_| mail.invitee_waiting) else {
            return Err(AppError::Conflict(
                "Only an invitation of a user who has not chosen a password yet has a link to pass on."
                    .to_owned(),
            ));
        };
        let token = reset::issue(&mut tx, UserId(user), Purpose::Invitation, Utc::now()).await?;
        let event = Event::about_user(caller.user.org, "user.invitation_link", user);
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(reset::link(&state.mail.public_url, &token))
    }
}
