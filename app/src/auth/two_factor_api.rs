//! Server functions for two-factor sign-in: status, enrolment, the code
//! asked at sign-in, and new recovery codes.
//!
//! Callers halfway through sign-in (password right, second factor due) may
//! call these and `sign_out`, nothing else.

#[cfg(feature = "ssr")]
use chrono::Utc;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::{
        throttle,
        two_factor::{self, CodeInput},
    },
    model::{
        user::User,
        validation::{Field, FieldErrors},
    },
    principal::{
        Actor, Request, serve,
        session::{self, SignIn},
    },
};

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
    serve(|request| async move {
        let (user, due, enrolled) = any_sign_in(&request).await?;
        let mut conn = request.state.pool.acquire().await?;
        let recovery_codes_left = two_factor::recovery_codes_left(&mut conn, user.id).await?;
        Ok(TwoFactorState {
            due,
            enrolled,
            required: two_factor::is_required(&mut conn, user.id).await?,
            recovery_codes_left,
        })
    })
    .await
}

/// Starts (or resumes) setting up an authenticator app.
///
/// Permissions: any signed-in caller without two-factor sign-in yet.
#[server(prefix = "/api", endpoint = "begin_two_factor")]
pub async fn begin_two_factor() -> Result<EnrolmentView, AppError> {
    serve(|request| async move {
        let (user, _, enrolled) = any_sign_in(&request).await?;
        if enrolled {
            return Err(AppError::Conflict(ALREADY_ENROLLED.to_owned()));
        }
        let mut conn = request.state.pool.acquire().await?;
        let enrolment = two_factor::begin(&mut conn, user.id, &user.email, Utc::now())
            .await?
            .ok_or_else(|| AppError::Conflict(ALREADY_ENROLLED.to_owned()))?;
        Ok(EnrolmentView {
            secret: enrolment.secret_base32,
            qr_svg: enrolment.qr_svg,
        })
    })
    .await
}

/// Proves the new authenticator with one of its codes; returns the ten
/// recovery codes, shown this once.
///
/// Permissions: any signed-in caller without two-factor sign-in yet.
#[server(prefix = "/api", endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    serve(|request| async move {
        let (user, _, enrolled) = any_sign_in(&request).await?;
        let Some(CodeInput::Totp(code)) = CodeInput::parse(&code) else {
            return Err(invalid(
                "Enter the 6-digit code your authenticator app shows.",
            ));
        };
        if enrolled {
            return Err(AppError::Conflict(ALREADY_ENROLLED.to_owned()));
        }
        gate(&request, &user).await?;
        let now = Utc::now();
        let mut tx = request.state.pool.begin().await?;
        let accepted =
            two_factor::accept_code(&mut tx, user.id, &user.email, &code, true, now).await?;
        if !accepted {
            drop(tx);
            return Err(failed(&request, &user).await);
        }
        let codes = two_factor::new_recovery_codes(&mut tx, user.id).await?;
        let event = Event::about_user(user.org, "auth.two_factor_enrol", user.id.0);
        record(&mut tx, &Actor::user(&user, &request.id), event).await?;
        throttle::record_success(&mut tx, &user.email.to_lowercase()).await?;
        tx.commit().await?;
        // Proving the new app is proving the second factor for this session.
        session::complete_second_factor(request.session()?).await?;
        Ok(codes)
    })
    .await
}

/// The second step of signing in: a code from the app or a recovery code.
///
/// Permissions: a caller whose password was right and who is enrolled.
#[server(prefix = "/api", endpoint = "verify_two_factor")]
pub async fn verify_two_factor(code: String) -> Result<(), AppError> {
    serve(|request| async move {
        let session = request.session()?;
        let user = match request.sign_in().await? {
            Some(SignIn::SecondFactorDue {
                user,
                enrolled: true,
            }) => user,
            Some(SignIn::SecondFactorDue {
                enrolled: false, ..
            }) => {
                return Err(AppError::Conflict(
                    "Set up two-factor sign-in first.".to_owned(),
                ));
            }
            // Already complete: nothing to prove.
            Some(SignIn::Complete(_)) => {
                leptos_axum::redirect(&session::take_next(session).await?);
                return Ok(());
            }
            None => return Err(AppError::Unauthorized),
        };
        // The code's shape only once the session is known to be halfway.
        let Some(input) = CodeInput::parse(&code) else {
            return Err(invalid(CODE_SHAPE));
        };
        gate(&request, &user).await?;
        let now = Utc::now();
        let mut tx = request.state.pool.begin().await?;
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
            return Err(failed(&request, &user).await);
        }
        throttle::record_success(&mut tx, &user.email.to_lowercase()).await?;
        let event = Event::about_user(user.org, action, user.id.0);
        record(&mut tx, &Actor::user(&user, &request.id), event).await?;
        tx.commit().await?;
        session::complete_second_factor(session).await?;
        leptos_axum::redirect(&session::take_next(session).await?);
        Ok(())
    })
    .await
}

/// Replaces the caller's recovery codes with ten new ones.
///
/// Permissions: a fully signed-in, enrolled caller.
#[server(prefix = "/api", endpoint = "new_recovery_codes")]
pub async fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    serve(|request| async move {
        let user = request.user().await?;
        let mut tx = request.state.pool.begin().await?;
        if !two_factor::is_enrolled(&mut tx, user.id).await? {
            return Err(AppError::Conflict(
                "Set up two-factor sign-in first.".to_owned(),
            ));
        }
        let codes = two_factor::new_recovery_codes(&mut tx, user.id).await?;
        let event = Event::about_user(user.org, "auth.recovery_codes_new", user.id.0);
        record(&mut tx, &Actor::user(&user, &request.id), event).await?;
        tx.commit().await?;
        Ok(codes)
    })
    .await
}

#[cfg(feature = "ssr")]
fn invalid(message: &str) -> AppError {
    let mut errors = FieldErrors::default();
    errors.0.insert(Field::Code, message.to_owned());
    AppError::Invalid(errors)
}

/// The session's user, complete or not, whether a factor is due, and
/// whether they are enrolled.
#[cfg(feature = "ssr")]
async fn any_sign_in(request: &Request) -> Result<(User, bool, bool), AppError> {
    match request.sign_in().await? {
        Some(SignIn::Complete(user)) => {
            let mut conn = request.state.pool.acquire().await?;
            let enrolled = two_factor::is_enrolled(&mut conn, user.id).await?;
            Ok((user, false, enrolled))
        }
        Some(SignIn::SecondFactorDue { user, enrolled }) => Ok((user, true, enrolled)),
        None => Err(AppError::Unauthorized),
    }
}

/// Throttled like sign-in (per account and per address): guessing six
/// digits must not be a way around the password lockout.
#[cfg(feature = "ssr")]
async fn gate(request: &Request, user: &User) -> Result<(), AppError> {
    let mut conn = request.state.pool.acquire().await?;
    let gate = throttle::check(
        &mut conn,
        &user.email.to_lowercase(),
        &request.client,
        Utc::now(),
    )
    .await?;
    match gate.message() {
        Some(message) => Err(AppError::TooManyAttempts(message)),
        None => Ok(()),
    }
}

/// A wrong code: counted against the account and recorded.
#[cfg(feature = "ssr")]
async fn failed(request: &Request, user: &User) -> AppError {
    let email = user.email.to_lowercase();
    let outcome = async {
        let mut tx = request.state.pool.begin().await?;
        let locked = throttle::record_failure(&mut tx, &email, &request.client, Utc::now()).await?;
        let event = Event {
            org: Some(user.org),
            action: "auth.second_factor_failed",
            target_type: "user",
            target_id: Some(user.id.to_string()),
            before: None,
            after: locked.map(|until| serde_json::json!({ "locked_until": until })),
        };
        record(&mut tx, &Actor::user(user, &request.id), event).await?;
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
        Err(e) => AppError::from(e),
    }
}
