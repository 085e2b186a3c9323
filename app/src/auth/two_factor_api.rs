//! Server functions for two-factor sign-in: status, enrolment, the code
//! asked at sign-in, and new recovery codes.
//!
//! Callers halfway through sign-in (password right, second factor due) may
//! call these and `sign_out`, nothing else.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The caller's two-factor state, as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    /// This session still has to prove a second factor.
    pub due: bool,
    /// An authenticator app is set up.
    pub enrolled: bool,
    /// Administrators must use two-factor sign-in.
    pub required: bool,
    pub recovery_codes_left: i64,
}

/// What the enrolment step shows: the secret as a QR code and as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub qr_svg: String,
}

pub const CODE_WRONG: &str =
    "That code is not right, or it was used already. Codes change every 30 seconds.";
pub const CODE_SHAPE: &str =
    "Enter the 6-digit code from your authenticator app, or a recovery code.";
pub const ALREADY_ENROLLED: &str = "Two-factor sign-in is already set up for your account.";

/// Permissions: any signed-in caller, also halfway through sign-in.
#[server(prefix = "/api", endpoint = "two_factor_status")]
pub async fn two_factor_status() -> Result<TwoFactorState, AppError> {
    ssr::status().await.map_err(AppError::respond)
}

/// Starts (or resumes) setting up an authenticator app.
///
/// Permissions: any signed-in caller without two-factor sign-in yet.
#[server(prefix = "/api", endpoint = "begin_two_factor")]
pub async fn begin_two_factor() -> Result<EnrolmentView, AppError> {
    ssr::begin().await.map_err(AppError::respond)
}

/// Proves the new authenticator with one of its codes; returns the ten
/// recovery codes, shown this once.
///
/// Permissions: any signed-in caller without two-factor sign-in yet.
#[server(prefix = "/api", endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    ssr::confirm(code).await.map_err(AppError::respond)
}

/// The second step of signing in: a code from the app or a recovery code.
///
/// Permissions: a caller whose password was right and who is enrolled.
#[server(prefix = "/api", endpoint = "verify_two_factor")]
pub async fn verify_two_factor(code: String) -> Result<(), AppError> {
    ssr::verify(code).await.map_err(AppError::respond)
}

/// Replaces the caller's recovery codes with ten new ones.
///
/// Permissions: a fully signed-in, enrolled caller.
#[server(prefix = "/api", endpoint = "new_recovery_codes")]
pub async fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    ssr::regenerate().await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::Utc;

    use super::{ALREADY_ENROLLED, CODE_SHAPE, CODE_WRONG, EnrolmentView, TwoFactorState};
    use crate::{
        audit::db::{Actor, Event, record},
        auth::{
            api::client_address,
            session::{self, Caller},
            throttle,
            two_factor::{self, CodeInput},
        },
        error::AppError,
        model::{
            user::User,
            validation::{Field, FieldErrors},
        },
        state::{AppState, RequestId},
    };

    fn invalid(message: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.0.insert(Field::Code, message.to_owned());
        AppError::Invalid(errors)
    }

    /// The session's caller, complete or not, and whether a factor is due.
    async fn any_caller(state: &AppState) -> Result<(User, bool, bool), AppError> {
        let session = session::current_session().await?;
        match session::caller(state, &session, Utc::now()).await? {
            Some(Caller::SignedIn(user)) => {
                let mut conn = state.pool.acquire().await?;
                let enrolled = two_factor::is_enrolled(&mut conn, user.id).await?;
                Ok((user, false, enrolled))
            }
            Some(Caller::SecondFactorDue { user, enrolled }) => Ok((user, true, enrolled)),
            None => Err(AppError::Unauthorized),
        }
    }

    pub async fn status() -> Result<TwoFactorState, AppError> {
        let state = AppState::current()?;
        let (user, due, enrolled) = any_caller(&state).await?;
        let mut conn = state.pool.acquire().await?;
        let recovery_codes_left = two_factor::recovery_codes_left(&mut conn, user.id).await?;
        Ok(TwoFactorState {
            due,
            enrolled,
            required: user.is_admin(),
            recovery_codes_left,
        })
    }

    pub async fn begin() -> Result<EnrolmentView, AppError> {
        let state = AppState::current()?;
        let (user, _, enrolled) = any_caller(&state).await?;
        if enrolled {
            return Err(AppError::Conflict(ALREADY_ENROLLED.to_owned()));
        }
        let mut conn = state.pool.acquire().await?;
        let enrolment = two_factor::begin(&mut conn, user.id, &user.email, Utc::now())
            .await?
            .ok_or_else(|| AppError::Conflict(ALREADY_ENROLLED.to_owned()))?;
        Ok(EnrolmentView {
            secret: enrolment.secret_base32,
            qr_svg: enrolment.qr_svg,
        })
    }

    /// Throttled like sign-in (per account and per address): guessing
    /// six digits must not be a way around the password lockout.
    async fn gate(state: &AppState, user: &User, client: &str) -> Result<(), AppError> {
        let mut conn = state.pool.acquire().await?;
        let gate =
            throttle::check(&mut conn, &user.email.to_lowercase(), client, Utc::now()).await?;
        match gate.message() {
            Some(message) => Err(AppError::TooManyAttempts(message)),
            None => Ok(()),
        }
    }

    async fn failed(state: &AppState, user: &User, client: &str, request: &RequestId) -> AppError {
        let email = user.email.to_lowercase();
        let outcome = async {
            let mut tx = state.pool.begin().await?;
            let locked = throttle::record_failure(&mut tx, &email, client, Utc::now()).await?;
            let event = Event {
                org: Some(user.org),
                action: "auth.second_factor_failed",
                target_type: "user",
                target_id: Some(user.id.to_string()),
                before: None,
                after: locked.map(|until| serde_json::json!({ "locked_until": until })),
            };
            record(&mut tx, &Actor::user(user, request), event).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(locked)
        };
        match outcome.await {
            Ok(Some(until)) => AppError::TooManyAttempts(
                throttle::Gate::EmailLocked { until }
                    .message()
                    .unwrap_or_default(),
            ),
            Ok(None) => invalid(CODE_WRONG),
            Err(e) => AppError::internal(e),
        }
    }

    pub async fn confirm(code: String) -> Result<Vec<String>, AppError> {
        let request = RequestId::current();
        let state = AppState::current()?;
        let (user, _, enrolled) = any_caller(&state).await?;
        let Some(CodeInput::Totp(code)) = CodeInput::parse(&code) else {
            return Err(invalid(
                "Enter the 6-digit code your authenticator app shows.",
            ));
        };
        if enrolled {
            return Err(AppError::Conflict(ALREADY_ENROLLED.to_owned()));
        }
        let client = client_address().await;
        gate(&state, &user, &client).await?;
        let now = Utc::now();
        let mut tx = state.pool.begin().await?;
        let accepted =
            two_factor::accept_code(&mut tx, user.id, &user.email, &code, true, now).await?;
        if !accepted {
            drop(tx);
            return Err(failed(&state, &user, &client, &request).await);
        }
        let codes = two_factor::new_recovery_codes(&mut tx, user.id).await?;
        let event = Event::about_user(user.org, "auth.two_factor_enrol", user.id);
        record(&mut tx, &Actor::user(&user, &request), event).await?;
        throttle::record_success(&mut tx, &user.email.to_lowercase()).await?;
        tx.commit().await?;
        // Proving the new app is proving the second factor for this session.
        session::complete_second_factor(&session::current_session().await?).await?;
        Ok(codes)
    }

    pub async fn verify(code: String) -> Result<(), AppError> {
        let request = RequestId::current();
        let state = AppState::current()?;
        let session = session::current_session().await?;
        let user = match session::caller(&state, &session, Utc::now()).await? {
            Some(Caller::SecondFactorDue {
                user,
                enrolled: true,
            }) => user,
            Some(Caller::SecondFactorDue {
                enrolled: false, ..
            }) => {
                return Err(AppError::Conflict(
                    "Set up two-factor sign-in first.".to_owned(),
                ));
            }
            // Already complete: nothing to prove.
            Some(Caller::SignedIn(_)) => {
                leptos_axum::redirect(&session::take_next(&session).await?);
                return Ok(());
            }
            None => return Err(AppError::Unauthorized),
        };
        // The code's shape only once the session is known to be halfway.
        let Some(input) = CodeInput::parse(&code) else {
            return Err(invalid(CODE_SHAPE));
        };
        let client = client_address().await;
        gate(&state, &user, &client).await?;
        let now = Utc::now();
        let mut tx = state.pool.begin().await?;
        let (accepted, action) = match &input {
            CodeInput::Totp(code) => (
                two_factor::accept_code(&mut tx, user.id, &user.email, code, false, now).await?,
                "auth.second_factor",
            ),
            CodeInput::Recovery(code) => (
                two_factor::use_recovery_code(&mut tx, user.id, code, now).await?,
                "auth.recovery_code_use",
            ),
        };
        if !accepted {
            drop(tx);
            return Err(failed(&state, &user, &client, &request).await);
        }
        throttle::record_success(&mut tx, &user.email.to_lowercase()).await?;
        let event = Event::about_user(user.org, action, user.id);
        record(&mut tx, &Actor::user(&user, &request), event).await?;
        tx.commit().await?;
        session::complete_second_factor(&session).await?;
        leptos_axum::redirect(&session::take_next(&session).await?);
        Ok(())
    }

    pub async fn regenerate() -> Result<Vec<String>, AppError> {
        let request = RequestId::current();
        let state = AppState::current()?;
        let user = session::authenticate(&state).await?;
        let mut tx = state.pool.begin().await?;
        if !two_factor::is_enrolled(&mut tx, user.id).await? {
            return Err(AppError::Conflict(
                "Set up two-factor sign-in first.".to_owned(),
            ));
        }
        let codes = two_factor::new_recovery_codes(&mut tx, user.id).await?;
        let event = Event::about_user(user.org, "auth.recovery_codes_new", user.id);
        record(&mut tx, &Actor::user(&user, &request), event).await?;
        tx.commit().await?;
        Ok(codes)
    }
}
