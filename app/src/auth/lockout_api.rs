//! Server functions for an Administrator to see and lift a user's sign-in
//! lockout (the Edit User page shows them).

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::{db, throttle},
    model::{policy::Action, time::minute_utc},
    principal::serve,
};
use crate::{error::AppError, model::ids::UserId};

/// A user of the caller's organization who is locked out of signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedUser {
    pub id: UserId,
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
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut conn = request.state.pool.acquire().await?;
        let locked = db::locked(&mut conn, caller.user.org).await?;
        Ok(locked
            .into_iter()
            .map(|user| LockedUser {
                id: user.id,
                name: user.name,
                email: user.email,
                locked_until: minute_utc(user.locked_until),
            })
            .collect())
    })
    .await
}

/// When the user's sign-in lock ends (`None`: not locked), as
/// "2026-11-23 10:45 UTC".
///
/// Permissions: an Administrator of the user's organization; another
/// organization's user is "not found", never "forbidden".
#[server(prefix = "/api", endpoint = "sign_in_lock")]
pub async fn sign_in_lock(user_id: UserId) -> Result<Option<String>, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut conn = request.state.pool.acquire().await?;
        let email = db::lock_key(&mut conn, caller.user.org, user_id)
            .await
            .found()?;
        let until = db::locked_until(&mut conn, &email).await?;
        Ok(until
            .filter(|until| *until > chrono::Utc::now())
            .map(minute_utc))
    })
    .await
}

/// Lifts the user's sign-in lockout; audited.
///
/// Permissions: an Administrator of the user's organization.
#[server(prefix = "/api", endpoint = "unlock_sign_in")]
pub async fn unlock_sign_in(user_id: UserId) -> Result<bool, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut tx = request.state.pool.begin().await?;
        let email = db::lock_key(&mut tx, caller.user.org, user_id)
            .await
            .found()?;
        let lifted = throttle::unlock(&mut tx, &email).await?;
        if lifted {
            let event = Event::about_user(caller.user.org, "auth.unlock", user_id);
            record(&mut tx, &caller.actor(), event).await?;
        }
        tx.commit().await?;
        Ok(lifted)
    })
    .await
}
