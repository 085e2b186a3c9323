//! Who is calling: the signed-in user behind a request's session, re-checked
//! on every request against the database.
//!
//! Security-sensitive: a session dies when the user is deactivated, when the
//! user's password changes (`users.sessions_not_before`), after the idle
//! timeout (the cookie store's expiry) and after the absolute lifetime.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::{
    error::AppError,
    model::{ids::UserId, user::User},
    org::db::load_user,
    state::AppState,
};

/// The key under which the session keeps [`SessionAuth`].
const AUTH_KEY: &str = "auth";

/// What a session remembers about its sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user: UserId,
    pub signed_in_at: DateTime<Utc>,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends a session nobody used for this long (enforced by the store).
    pub idle_timeout: Duration,
    /// Ends every session this long after sign-in, used or not.
    pub absolute_lifetime: Duration,
    /// Secure cookies (`__Host-` prefixed). Browsers accept them over HTTPS
    /// and on localhost; off only for plain HTTP elsewhere.
    pub secure_cookies: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
            secure_cookies: true,
        }
    }
}

/// The request's session (installed by the server's session layer).
pub async fn current_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// Starts a signed-in session for `user` under a new session id, so an id
/// planted before sign-in is worthless after it.
pub async fn start(session: &Session, user: UserId, now: DateTime<Utc>) -> Result<(), AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(
            AUTH_KEY,
            SessionAuth {
                user,
                signed_in_at: now,
            },
        )
        .await
        .map_err(AppError::internal)
}

/// Ends the session: the row is deleted and the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// The signed-in, still-active user of this request, or `Unauthorized`
/// (after ending a session that is no longer valid).
pub async fn authenticate(state: &AppState) -> Result<User, AppError> {
    let session = current_session().await?;
    match signed_in_user(state, &session, Utc::now()).await? {
        Some(user) => Ok(user),
        None => Err(AppError::Unauthorized),
    }
}

/// Like [`authenticate`], but `None` for anonymous callers.
pub async fn signed_in_user(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    let Some(auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await.map_err(AppError::internal)?;
    let not_before: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("SELECT sessions_not_before FROM users WHERE id = $1")
            .bind(auth.user.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(AppError::internal)?;
    let user = load_user(&mut conn, auth.user)
        .await
        .map_err(AppError::internal)?;
    let valid = match (&user, not_before) {
        (Some(user), Some(not_before)) => {
            user.is_active()
                && not_before.is_none_or(|cutoff| auth.signed_in_at >= cutoff)
                && now - auth.signed_in_at < state.sessions.absolute_lifetime
        }
        _ => false,
    };
    if valid {
        Ok(user)
    } else {
        end(session).await?;
        Ok(None)
    }
}
