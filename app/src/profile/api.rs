//! Server functions of the own-profile page.

use leptos::prelude::*;

use super::Profile;
use crate::error::AppError;

/// The caller's own profile.
///
/// Permissions: any signed-in user, for themselves only.
#[server(prefix = "/api", endpoint = "load_profile")]
pub async fn load_profile() -> Result<Profile, AppError> {
    async {
        let state = crate::state::AppState::current()?;
        let user = crate::auth::session::authenticate(&state).await?;
        Ok(Profile {
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            version: user.version,
        })
    }
    .await
    .map_err(AppError::respond)
}

/// Saves the caller's name and email, if nobody changed them meanwhile.
///
/// Permissions: any signed-in user, for themselves only.
#[server(prefix = "/api", endpoint = "update_profile")]
pub async fn update_profile(
    first_name: String,
    last_name: String,
    email: String,
    version: i32,
) -> Result<String, AppError> {
    update_profile_inner(first_name, last_name, email, version)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn update_profile_inner(
    first_name: String,
    last_name: String,
    email: String,
    version: i32,
) -> Result<String, AppError> {
    use crate::{
        audit::db::{Actor, Event, record},
        auth::session,
        error::OnConstraint,
        model::validation::{Field, PROFILE_SAVED_MESSAGE, ProfileInput, validate_profile},
        state::{AppState, RequestId},
    };

    let request = RequestId::current();
    let state = AppState::current()?;
    let user = session::authenticate(&state).await?;
    let valid = validate_profile(&ProfileInput {
        first_name,
        last_name,
        email,
    })?;

    let mut tx = state.pool.begin().await?;
    let updated = sqlx::query_scalar::<_, i32>(
        "UPDATE users SET first_name = $1, last_name = $2, email = $3, version = version + 1, updated_at = now()
         WHERE id = $4 AND version = $5 RETURNING version",
    )
    .bind(&valid.first_name)
    .bind(&valid.last_name)
    .bind(&valid.email)
    .bind(user.id.0)
    .bind(version)
    .fetch_optional(&mut *tx)
    .await
    .on_constraint(&[("users_email_key", || {
        AppError::field(Field::Email, super::EMAIL_TAKEN)
    })])?;
    let Some(new_version) = updated else {
        return Err(AppError::Conflict(
            super::PROFILE_CHANGED_ELSEWHERE.to_owned(),
        ));
    };
    let actor = Actor::user(&user, &request);
    let event = Event {
        org: Some(user.org),
        action: "user.update_own_profile",
        target_type: "user",
        target_id: Some(user.id.to_string()),
        before: Some(serde_json::json!({
            "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "version": user.version,
        })),
        after: Some(serde_json::json!({
            "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email, "version": new_version,
        })),
    };
    record(&mut tx, &actor, event).await?;
    tx.commit().await?;
    Ok(PROFILE_SAVED_MESSAGE.to_owned())
}

/// Changes the caller's password after checking the current one, then
/// signs out every session of the user, this one included.
///
/// Permissions: any signed-in user, for themselves only.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    change_password_inner(current_password, new_password, confirm_password)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn change_password_inner(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::{
        audit::db::{Actor, Event, record},
        auth::{password, session, throttle},
        model::validation::{CommonPasswords, Field, FieldErrors, validate_new_password},
        state::{AppState, RequestId},
    };

    let request = RequestId::current();
    let state = AppState::current()?;
    let user = session::authenticate(&state).await?;
    validate_new_password(&new, &confirm, &user.email, CommonPasswords::server())
        .map_err(AppError::Invalid)?;

    // A stolen session must not be a way to guess the password: the same
    // throttle as sign-in guards the current-password check.
    let now = chrono::Utc::now();
    let mut conn = state.pool.acquire().await?;
    let gate = throttle::check(&mut conn, &user.email, "password-change", now).await?;
    if let Some(message) = gate.message() {
        return Err(AppError::TooManyAttempts(message));
    }
    let stored: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id.0)
            .fetch_one(&mut *conn)
            .await?;
    drop(conn);
    if !password::verify(current, stored.map(password::PasswordHashString)).await {
        let mut tx = state.pool.begin().await?;
        throttle::record_failure(&mut tx, &user.email, "password-change", now).await?;
        tx.commit().await?;
        let mut errors = FieldErrors::default();
        errors.0.insert(
            Field::CurrentPassword,
            super::CURRENT_PASSWORD_WRONG.to_owned(),
        );
        return Err(AppError::Invalid(errors));
    }

    let hash = password::hash(new).await?;
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, sessions_not_before = $2,
                          version = version + 1, updated_at = now()
         WHERE id = $3",
    )
    .bind(&hash.0)
    .bind(now)
    .bind(user.id.0)
    .execute(&mut *tx)
    .await?;
    let actor = Actor::user(&user, &request);
    let event = Event {
        org: Some(user.org),
        action: "auth.password_change",
        target_type: "user",
        target_id: Some(user.id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "sessions_signed_out": true })),
    };
    record(&mut tx, &actor, event).await?;
    tx.commit().await?;
    session::end(&session::current_session().await?).await?;
    leptos_axum::redirect("/sign-in?password-changed");
    Ok(())
}
