//! Server functions for the mail that could not be delivered: the list an
//! organization's Administrators see, sending a message again, and taking
//! an invitation's link to pass on by hand.

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::UndeliveredMail;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::reset::{self, Purpose},
    mail::{MAIL_SENT_AGAIN, MAX_ATTEMPTS, db, plain_reason},
    model::policy::Action,
    principal::serve,
};
use crate::{error::AppError, model::ids::MailId};

/// The organization's messages that could not be delivered yet, oldest
/// first (at most 100).
///
/// Permissions: an Administrator of the organization (`Action::Administer`).
#[server(prefix = "/api", endpoint = "list_undelivered_mail")]
pub async fn list_undelivered_mail() -> Result<Vec<UndeliveredMail>, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut conn = request.state.pool.acquire().await?;
        Ok(db::undelivered(&mut conn, caller.user.org, None)
            .await?
            .into_iter()
            .map(|mail| UndeliveredMail {
                id: mail.id,
                to: mail.recipient,
                subject: mail.subject,
                kind: mail.kind,
                since: mail.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                attempts: mail.attempts,
                reason: plain_reason(mail.last_error.as_deref().unwrap_or_default()),
                given_up: mail.attempts >= MAX_ATTEMPTS,
                link_available: mail.invitee_waiting,
            })
            .collect())
    })
    .await
}

/// Sends an undelivered message again now, with a fresh set of attempts;
/// audited.
///
/// Permissions: an Administrator of the message's organization; another
/// organization's message, or one delivered meanwhile, is "not found".
#[server(prefix = "/api", endpoint = "send_mail_again")]
pub async fn send_mail_again(mail_id: MailId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut tx = request.state.pool.begin().await?;
        let mail = db::undelivered_one(&mut tx, caller.user.org, mail_id)
            .await
            .found()?;
        db::retry(&mut tx, mail.id).await?;
        let event = Event::new(caller.user.org, "mail.send_again", "mail", mail.id)
            .before(serde_json::json!({ "attempts": mail.attempts }))
            .after(serde_json::json!({ "to": mail.recipient, "subject": mail.subject }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(MAIL_SENT_AGAIN.to_owned())
    })
    .await
}

/// A new link for an undelivered invitation, for the Administrator to pass
/// on by hand, while its user has not chosen a password; audited. Never
/// for a password reset: that would hand the Administrator the account.
///
/// Permissions: an Administrator of the message's organization.
#[server(prefix = "/api", endpoint = "invitation_link")]
pub async fn invitation_link(mail_id: MailId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut tx = request.state.pool.begin().await?;
        let mail = db::undelivered_one(&mut tx, caller.user.org, mail_id)
            .await.found()?;
        let Some(user) = mail.user_id.filter(|_| mail.invitee_waiting) else {
            return Err(AppError::Conflict(
                "Only an invitation of a user who has not chosen a password yet has a link to pass on."
                    .to_owned(),
            ));
        };
        let token = reset::issue(&mut tx, user, Purpose::Invitation, chrono::Utc::now()).await?;
        let event = Event::about_user(caller.user.org, "user.invitation_link", user);
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(reset::link(&request.state.mail.public_url, &token))
    })
    .await
}
