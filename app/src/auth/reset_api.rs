//! Server functions for "forgot password" and for choosing a password from
//! a link (a reset or an invitation).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::{
        db, password,
        reset::{self, Purpose},
        throttle,
    },
    mail::{
        MailKind, letters,
        outbox::{Mail, enqueue},
    },
    model::validation::{
        CommonPasswords, EMAIL_MESSAGE, Field, FieldErrors, is_email, validate_new_password,
    },
    principal::Actor,
    principal::serve,
};
#[cfg(feature = "ssr")]
use chrono::{Duration, Utc};

/// The one answer to every reset request, so it never reveals whether an
/// account exists.
pub const RESET_REQUESTED: &str = "If an account uses that email address, we have sent it a link to choose a new password. The link works once, within one hour.";
pub const LINK_EXPIRED: &str = "This link has expired or was already used. Ask for a new one on the “Forgot your password?” page.";

/// What the "choose a password" page shows about its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    pub email: String,
    pub invitation: bool,
}

/// Sends a reset link to the account with this email, if there is one.
///
/// Permissions: anyone. Always the same answer; throttled per address.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    serve(|request| async move {
        let email = email.trim().to_lowercase();
        if !is_email(&email) {
            let mut errors = FieldErrors::default();
            errors.0.insert(Field::Email, EMAIL_MESSAGE.to_owned());
            return Err(AppError::Invalid(errors));
        }
        let now = Utc::now();
        let mut tx = request.state.pool.begin().await?;
        // The per-address limit of sign-in also bounds reset requests.
        if let throttle::Gate::ClientLimited =
            throttle::check(&mut tx, &email, &request.client, now).await?
        {
            return Err(AppError::TooManyAttempts(
                throttle::Gate::ClientLimited.message().unwrap_or_default(),
            ));
        }
        let Some((user, org, first_name)) = db::active_account(&mut tx, &email).await? else {
            return Ok(RESET_REQUESTED.to_owned());
        };
        let recent = reset::issued_since(&mut tx, user, now - Duration::hours(1)).await?;
        if recent >= reset::RESETS_PER_HOUR {
            return Ok(RESET_REQUESTED.to_owned());
        }
        let token = reset::issue(&mut tx, user, Purpose::Reset, now).await?;
        let letter = letters::password_reset(
            &first_name,
            &email,
            &reset::link(&request.state.mail.public_url, &token),
        );
        let mail = Mail {
            org: Some(org),
            to: &email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::PasswordReset(user),
        };
        enqueue(&mut tx, mail).await?;
        let event = Event::about_user(org, "auth.password_reset_request", user);
        let actor = Actor::anonymous(format!("anonymous ({})", request.client), &request.id);
        record(&mut tx, &actor, event).await?;
        tx.commit().await?;
        Ok(RESET_REQUESTED.to_owned())
    })
    .await
}

/// Describes the link a token belongs to, or says it expired.
///
/// Permissions: whoever holds the token.
#[server(prefix = "/api", endpoint = "check_password_link")]
pub async fn check_password_link(token: String) -> Result<PasswordLink, AppError> {
    serve(|request| async move {
        let hash = reset::token_hash(&token).ok_or_else(expired)?;
        let mut tx = request.state.pool.begin().await?;
        let (_, email, purpose) = reset::open(&mut tx, &hash, Utc::now())
            .await?
            .ok_or_else(expired)?;
        Ok(PasswordLink {
            email,
            invitation: purpose == Purpose::Invitation,
        })
    })
    .await
}

/// Sets a new password from a link; every session of the user ends.
///
/// Permissions: whoever holds the token, once.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    serve(|request| async move {
        let hash = reset::token_hash(&token).ok_or_else(expired)?;
        let now = Utc::now();
        // First a look without holding anything: bad input changes nothing
        // and the slow hash runs outside the transaction.
        let email = {
            let mut conn = request.state.pool.acquire().await?;
            let (_, email, _) = reset::open(&mut conn, &hash, now)
                .await?
                .ok_or_else(expired)?;
            email
        };
        validate_new_password(
            &new_password,
            &confirm_password,
            &email,
            CommonPasswords::server(),
        )
        .map_err(AppError::Invalid)?;
        let new_hash = password::hash(new_password).await?;

        let mut tx = request.state.pool.begin().await?;
        // Again, locked: of two parallel uses, the second finds it burnt.
        let (user, email, purpose) = reset::open(&mut tx, &hash, now)
            .await?
            .ok_or_else(expired)?;
        reset::burn_all(&mut tx, user, now).await?;
        let (org, label) = db::set_password(&mut tx, user, &new_hash.0, now).await?;
        // Proving control of the mailbox lifts a lockout.
        throttle::record_success(&mut tx, &email.to_lowercase()).await?;
        let event = Event {
            org: Some(org),
            action: match purpose {
                Purpose::Reset => "auth.password_reset",
                Purpose::Invitation => "auth.invitation_accept",
            },
            target_type: "user",
            target_id: Some(user.to_string()),
            before: None,
            after: None,
        };
        let actor = Actor {
            user: Some(user),
            ..Actor::anonymous(label, &request.id)
        };
        record(&mut tx, &actor, event).await?;
        tx.commit().await?;
        leptos_axum::redirect("/sign-in?password-reset");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn expired() -> AppError {
    AppError::Conflict(LINK_EXPIRED.to_owned())
}
