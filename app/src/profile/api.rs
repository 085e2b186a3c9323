//! Server functions of the own-profile page.

use leptos::prelude::*;

use super::Profile;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::{self, password, throttle},
    error::OnConstraint,
    model::validation::{
        CommonPasswords, Field, FieldErrors, PROFILE_SAVED_MESSAGE, ProfileInput,
        validate_new_password, validate_profile,
    },
    principal::Actor,
    principal::serve,
    principal::session,
};

/// The caller's own profile.
///
/// Permissions: any signed-in user, for themselves only.
#[server(prefix = "/api", endpoint = "load_profile")]
pub async fn load_profile() -> Result<Profile, AppError> {
    serve(|request| async move {
        let user = request.user().await?;
        Ok(Profile {
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            version: user.version,
        })
    })
    .await
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
    serve(|request| async move {
        let user = request.user().await?;
        let valid = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        })?;
        let mut tx = request.state.pool.begin().await?;
        let new_version = super::db::update(&mut tx, user.id, version, &valid)
            .await
            .on_constraint(&[("users_email_key", || {
                AppError::field(Field::Email, super::EMAIL_TAKEN)
            })])?
            .ok_or_else(|| AppError::Conflict(super::PROFILE_CHANGED_ELSEWHERE.to_owned()))?;
        let event = Event::new(user.org, "user.update_own_profile", "user", user.id)
.before(serde_json::json!({
                "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "version": user.version,
            }))
.after(serde_json::json!({
                "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email, "version": new_version,
            }));
        record(&mut tx, &Actor::user(&user, &request.id), event).await?;
        tx.commit().await?;
        Ok(PROFILE_SAVED_MESSAGE.to_owned())
    })
    .await
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
    serve(|request| async move {
        let user = request.user().await?;
        validate_new_password(
            &new_password,
            &confirm_password,
            &user.email,
            CommonPasswords::server(),
        )
        .map_err(AppError::Invalid)?;

        // A stolen session must not be a way to guess the password: the
        // same throttle as sign-in guards the current-password check.
        let now = chrono::Utc::now();
        let mut conn = request.state.pool.acquire().await?;
        let gate = throttle::check(&mut conn, &user.email, "password-change", now).await?;
        if let Some(message) = gate.message() {
            return Err(AppError::TooManyAttempts(message));
        }
        let stored = auth::db::password_hash(&mut conn, user.id).await?;
        drop(conn);
        if !password::verify(current_password, stored.map(password::PasswordHashString)).await {
            let mut tx = request.state.pool.begin().await?;
            throttle::record_failure(&mut tx, &user.email, "password-change", now).await?;
            tx.commit().await?;
            let mut errors = FieldErrors::default();
            errors.0.insert(
                Field::CurrentPassword,
                super::CURRENT_PASSWORD_WRONG.to_owned(),
            );
            return Err(AppError::Invalid(errors));
        }

        let hash = password::hash(new_password).await?;
        let mut tx = request.state.pool.begin().await?;
        auth::db::set_password(&mut tx, user.id, &hash.0, now).await?;
        let event = Event::new(user.org, "auth.password_change", "user", user.id)
            .after(serde_json::json!({ "sessions_signed_out": true }));
        record(&mut tx, &Actor::user(&user, &request.id), event).await?;
        tx.commit().await?;
        session::end(request.session()?).await?;
        leptos_axum::redirect("/sign-in?password-changed");
        Ok(())
    })
    .await
}
