//! Server functions for "forgot password" and for choosing a password from
//! a link (a reset or an invitation).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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
    ssr::request(email).await.map_err(AppError::respond)
}

/// Describes the link a token belongs to, or says it expired.
///
/// Permissions: whoever holds the token.
#[server(prefix = "/api", endpoint = "check_password_link")]
pub async fn check_password_link(token: String) -> Result<PasswordLink, AppError> {
    ssr::check(token).await.map_err(AppError::respond)
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
    ssr::reset(token, new_password, confirm_password)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{Duration, Utc};

    use super::{LINK_EXPIRED, PasswordLink, RESET_REQUESTED};
    use crate::{
        audit::db::{Actor, Event, record},
        auth::{
            api::client_address,
            password,
            reset::{self, Purpose},
            throttle,
        },
        error::AppError,
        mail::outbox::{Mail, enqueue},
        model::{
            ids::{OrgId, UserId},
            validation::{
                CommonPasswords, EMAIL_MESSAGE, Field, FieldErrors, is_email, validate_new_password,
            },
        },
        state::{AppState, RequestId},
    };

    fn expired() -> AppError {
        AppError::Conflict(LINK_EXPIRED.to_owned())
    }

    pub async fn request(email: String) -> Result<String, AppError> {
        let request = RequestId::current();
        let email = email.trim().to_lowercase();
        if !is_email(&email) {
            let mut errors = FieldErrors::default();
            errors.0.insert(Field::Email, EMAIL_MESSAGE.to_owned());
            return Err(AppError::Invalid(errors));
        }
        let state = AppState::current()?;
        let client = client_address().await;
        let now = Utc::now();
        let mut tx = state.pool.begin().await?;
        // The per-address limit of sign-in also bounds reset requests.
        if let throttle::Gate::ClientLimited =
            throttle::check(&mut tx, &email, &client, now).await?
        {
            return Err(AppError::TooManyAttempts(
                throttle::Gate::ClientLimited.message().unwrap_or_default(),
            ));
        }
        let account: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, org_id, first_name FROM users WHERE lower(email) = $1 AND status = 'active'",
        )
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, org, first_name)) = account else {
            return Ok(RESET_REQUESTED.to_owned());
        };
        let user = UserId(id);
        let recent = reset::issued_since(&mut tx, user, now - Duration::hours(1)).await?;
        if recent >= reset::RESETS_PER_HOUR {
            return Ok(RESET_REQUESTED.to_owned());
        }
        let token = reset::issue(&mut tx, user, Purpose::Reset, now).await?;
        let body = format!(
            "Hello {first_name},\n\n\
             Someone, hopefully you, asked to reset the password of your Portcullis account {email}.\n\
             Choose a new password here (the link works once, within one hour):\n\n\
             {link}\n\n\
             If you did not ask for this, ignore this message: your password stays as it is.\n",
            link = reset::link(&state.mail.public_url, &token),
        );
        enqueue(
            &mut tx,
            Mail {
                org: Some(OrgId(org)),
                to: &email,
                subject: "Reset your Portcullis password",
                body,
                kind: crate::mail::MailKind::PasswordReset(user),
            },
        )
        .await?;
        let event = Event::about_user(OrgId(org), "auth.password_reset_request", id);
        let actor = Actor::anonymous(format!("anonymous ({client})"), &request);
        record(&mut tx, &actor, event).await?;
        tx.commit().await?;
        Ok(RESET_REQUESTED.to_owned())
    }

    pub async fn check(token: String) -> Result<PasswordLink, AppError> {
        let hash = reset::token_hash(&token).ok_or_else(expired)?;
        let state = AppState::current()?;
        let mut tx = state.pool.begin().await?;
        let (_, email, purpose) = reset::open(&mut tx, &hash, Utc::now())
            .await?
            .ok_or_else(expired)?;
        Ok(PasswordLink {
            email,
            invitation: purpose == Purpose::Invitation,
        })
    }

    pub async fn reset(token: String, new: String, confirm: String) -> Result<(), AppError> {
        let request = RequestId::current();
        let hash = reset::token_hash(&token).ok_or_else(expired)?;
        let state = AppState::current()?;
        let now = Utc::now();
        // First a look without holding anything: bad input changes nothing
        // and the slow hash runs outside the transaction.
        let email = {
            let mut conn = state.pool.acquire().await?;
            let (_, email, _) = reset::open(&mut conn, &hash, now)
                .await?
                .ok_or_else(expired)?;
            email
        };
        validate_new_password(&new, &confirm, &email, CommonPasswords::server())
            .map_err(AppError::Invalid)?;
        let new_hash = password::hash(new).await?;

        let mut tx = state.pool.begin().await?;
        // Again, locked: of two parallel uses, the second finds it burnt.
        let (user, email, purpose) = reset::open(&mut tx, &hash, now)
            .await?
            .ok_or_else(expired)?;
        reset::burn_all(&mut tx, user, now).await?;
        let (org, label): (i64, String) = sqlx::query_as(
            "UPDATE users SET password_hash = $1, password_changed_at = $2, sessions_not_before = $2,
                              version = version + 1, updated_at = now()
             WHERE id = $3
             RETURNING org_id, first_name || ' ' || last_name || ' <' || email || '>'",
        )
        .bind(&new_hash.0)
        .bind(now)
        .bind(user.0)
        .fetch_one(&mut *tx)
        .await?;
        // Proving control of the mailbox lifts a lockout.
        throttle::record_success(&mut tx, &email.to_lowercase()).await?;
        let event = Event {
            org: Some(OrgId(org)),
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
            ..Actor::anonymous(label, &request)
        };
        record(&mut tx, &actor, event).await?;
        tx.commit().await?;
        leptos_axum::redirect("/sign-in?password-reset");
        Ok(())
    }
}
