//! Server functions for an Administrator to see and lift a user's sign-in
//! lockout (the Edit User page shows them).

use leptos::prelude::*;

use crate::error::AppError;

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
    use leptos::prelude::expect_context;
    use sqlx::PgConnection;

    use crate::{
        audit::db::{Actor, Event, record},
        auth::{gate, throttle},
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
            .await
            .map_err(AppError::internal)?
            .ok_or(AppError::NotFound)
    }

    pub async fn lock(user_id: i64) -> Result<Option<String>, AppError> {
        let state = expect_context::<AppState>();
        let admin = gate::org_administrator(&state).await?;
        let mut conn = state.pool.acquire().await.map_err(AppError::internal)?;
        let email = target_email(&mut conn, &admin, user_id).await?;
        let until: Option<Option<DateTime<Utc>>> =
            sqlx::query_scalar("SELECT locked_until FROM sign_in_lockouts WHERE email = $1")
                .bind(&email)
                .fetch_optional(&mut *conn)
                .await
                .map_err(AppError::internal)?;
        Ok(until
            .flatten()
            .filter(|until| *until > Utc::now())
            .map(|until| until.format("%Y-%m-%d %H:%M UTC").to_string()))
    }

    pub async fn unlock(user_id: i64) -> Result<bool, AppError> {
        let state = expect_context::<AppState>();
        let admin = gate::org_administrator(&state).await?;
        let mut tx = state.pool.begin().await.map_err(AppError::internal)?;
        let email = target_email(&mut tx, &admin, user_id).await?;
        let lifted = throttle::unlock(&mut tx, &email)
            .await
            .map_err(AppError::internal)?;
        if lifted {
            let event = Event {
                org: Some(admin.org),
                action: "auth.unlock",
                target_type: "user",
                target_id: Some(user_id.to_string()),
                before: None,
                after: None,
            };
            record(&mut tx, &Actor::user(&admin), event)
                .await
                .map_err(AppError::internal)?;
        }
        tx.commit().await.map_err(AppError::internal)?;
        Ok(lifted)
    }
}
