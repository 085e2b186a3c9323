//! Server functions for an Administrator to see and lift a user's sign-in
//! lockout (the Edit User page shows them).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A user of the caller's organization who is locked out of signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// "2026-11-23 10:45 UTC".
    pub locked_until: String,
}

/// The organization's users who are locked out now, latest lock first.
///
/// Permissions: an Administrator of the organization.
#[server(prefix = "/api", endpoint = "locked_users")]
pub async fn locked_users() -> Result<Vec<LockedUser>, AppError> {
    ssr::locked().await.map_err(AppError::respond)
}

/// When the user's sign-in lock ends (`None`: not locked), as
/// "2026-11-23 10:45 UTC".
///
/// Permissions: an Administrator of the user's organization.
#[server(prefix = "/api", endpoint = "sign_in_lock")]
pub async fn sign_in_lock(user_id: i64) -> Result<Option<String>, AppError> {
    ssr::lock(user_id).await.map_err(AppError::respond)
}

/// Lifts the user's sign-in lockout; audited.
///
/// Permissions: an Administrator of the user's organization.
#[server(prefix = "/api", endpoint = "unlock_sign_in")]
pub async fn unlock_sign_in(user_id: i64) -> Result<bool, AppError> {
    ssr::unlock(user_id).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};
    use sqlx::PgConnection;

    use super::LockedUser;
    use crate::model::access::Action;
    use crate::{
        audit::db::{Event, record},
        auth::{gate::Caller, throttle},
        error::AppError,
        model::user::User,
        state::AppState,
    };

    /// The target's email, only within the caller's organization: another
    /// organization's user is "not found", never "forbidden".
    async fn target_email(
        conn: &mut PgConnection,
        admin: &User,
        user_id: i64,
    ) -> Result<String, AppError> {
        sqlx::query_scalar("SELECT lower(email) FROM users WHERE id = $1 AND org_id = $2")
            .bind(user_id)
            .bind(admin.org.0)
            .fetch_optional(conn)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn locked() -> Result<Vec<LockedUser>, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let rows: Vec<(i64, String, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT u.id, u.first_name || ' ' || u.last_name, u.email, l.locked_until
             FROM sign_in_lockouts l JOIN users u ON lower(u.email) = l.email
             WHERE u.org_id = $1 AND l.locked_until > now()
             ORDER BY l.locked_until DESC LIMIT 100",
        )
        .bind(admin.org.0)
        .fetch_all(&state.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, email, until)| LockedUser {
                id,
                name,
                email,
                locked_until: crate::model::time::minute_utc(until),
            })
            .collect())
    }

    pub async fn lock(user_id: i64) -> Result<Option<String>, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let mut conn = state.pool.acquire().await?;
        let email = target_email(&mut conn, admin, user_id).await?;
        let until: Option<Option<DateTime<Utc>>> =
            sqlx::query_scalar("SELECT locked_until FROM sign_in_lockouts WHERE email = $1")
                .bind(&email)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(until
            .flatten()
            .filter(|until| *until > Utc::now())
            .map(crate::model::time::minute_utc))
    }

    pub async fn unlock(user_id: i64) -> Result<bool, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let mut tx = state.pool.begin().await?;
        let email = target_email(&mut tx, admin, user_id).await?;
        let lifted = throttle::unlock(&mut tx, &email).await?;
        if lifted {
            let event = Event::about_user(admin.org, "auth.unlock", user_id);
            record(&mut tx, &caller.actor(), event).await?;
        }
        tx.commit().await?;
        Ok(lifted)
    }
}
