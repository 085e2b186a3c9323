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
    model::{
        ids::{CompanyId, OrgId, UserId},
        user::User,
    },
    org::db::{SessionUser, load_session_user},
    state::AppState,
};

/// The key under which the session keeps [`SessionAuth`].
const AUTH_KEY: &str = "auth";

/// What a session remembers about its sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user: UserId,
    pub signed_in_at: DateTime<Utc>,
    /// The second factor was proved in this session (older sessions lack
    /// the field: they count as not proved).
    #[serde(default)]
    pub second_factor: bool,
}

/// Who a session belongs to, and whether the sign-in is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Signed in: may do whatever the policy allows.
    SignedIn(User),
    /// The password was right, but a second factor is due: a TOTP code if
    /// `enrolled`, else enrolment (Administrators must enrol). Nothing else
    /// is allowed until then.
    SecondFactorDue { user: User, enrolled: bool },
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

/// The key under which the session keeps the company the user chose to act in.
const CONTEXT_KEY: &str = "company";

/// The company this session chose to act in, if any (whether the user may
/// still act there is the policy's question: `EffectiveAccess::acting_company`).
pub async fn chosen_company(session: &Session) -> Result<Option<CompanyId>, AppError> {
    session.get(CONTEXT_KEY).await.map_err(AppError::internal)
}

/// Records the company the session acts in from now on.
pub async fn choose_company(session: &Session, company: CompanyId) -> Result<(), AppError> {
    session
        .insert(CONTEXT_KEY, company)
        .await
        .map_err(AppError::internal)
}

/// The key under which a sign-in waiting for its second factor keeps the
/// page it will go on to.
const NEXT_KEY: &str = "next";

/// Keeps `path` (already checked by `same_site_path`) for after the second factor.
pub async fn remember_next(session: &Session, path: &str) -> Result<(), AppError> {
    session
        .insert(NEXT_KEY, path)
        .await
        .map_err(AppError::internal)
}

/// The page a completed sign-in goes on to (once), else the start page.
pub async fn take_next(session: &Session) -> Result<String, AppError> {
    let next: Option<String> = session.remove(NEXT_KEY).await?;
    Ok(next
        .as_deref()
        .and_then(super::same_site_path)
        .unwrap_or("/")
        .to_owned())
}

/// The key under which vendor staff's session keeps the customer account
/// they switched into.
const SWITCH_KEY: &str = "switched_into";

/// The customer account this vendor session switched into, if any
/// (whether it still may is the policy's question: `switched_access`).
pub async fn switched_into(session: &Session) -> Result<Option<OrgId>, AppError> {
    session.get(SWITCH_KEY).await.map_err(AppError::internal)
}

/// Enters `customer`'s account; the acting company starts afresh there.
pub async fn switch_into(session: &Session, customer: OrgId) -> Result<(), AppError> {
    session.remove_value(CONTEXT_KEY).await?;
    session
        .insert(SWITCH_KEY, customer)
        .await
        .map_err(AppError::internal)
}

/// Back in the vendor's own account.
pub async fn leave_switch(session: &Session) -> Result<(), AppError> {
    session.remove_value(CONTEXT_KEY).await?;
    session
        .remove_value(SWITCH_KEY)
        .await
        .map(|_| ())
        .map_err(AppError::internal)
}

/// Starts a signed-in session for `user` under a new session id, so an id
/// planted before sign-in is worthless after it.
pub async fn start(session: &Session, user: UserId, now: DateTime<Utc>) -> Result<(), AppError> {
    session.cycle_id().await?;
    session
        .insert(
            AUTH_KEY,
            SessionAuth {
                user,
                signed_in_at: now,
                second_factor: false,
            },
        )
        .await
        .map_err(AppError::internal)
}

/// Records that the second factor was proved, under a new session id (a
/// privilege change).
pub async fn complete_second_factor(session: &Session) -> Result<(), AppError> {
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Err(AppError::Unauthorized);
    };
    auth.second_factor = true;
    session.cycle_id().await?;
    session
        .insert(AUTH_KEY, auth)
        .await
        .map_err(AppError::internal)
}

/// Ends the session: the row is deleted and the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// The signed-in, still-active user of this request, or `Unauthorized`
/// (also while a second factor is due).
pub async fn authenticate(state: &AppState) -> Result<User, AppError> {
    authenticate_with_session(state).await.map(|(user, _)| user)
}

/// Like [`authenticate`], with the request's session for what follows.
pub async fn authenticate_with_session(state: &AppState) -> Result<(User, Session), AppError> {
    let session = current_session().await?;
    match signed_in_user(state, &session, Utc::now()).await? {
        Some(user) => Ok((user, session)),
        None => Err(AppError::Unauthorized),
    }
}

/// Like [`authenticate`], but `None` for anonymous callers.
pub async fn signed_in_user(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    Ok(match caller(state, session, now).await? {
        Some(Caller::SignedIn(user)) => Some(user),
        _ => None,
    })
}

/// The session's still-valid caller, complete or halfway through sign-in;
/// `None` (after ending the session) when it is no longer valid.
pub async fn caller(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<Caller>, AppError> {
    let Some(auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    let found = load_session_user(&mut conn, auth.user).await?;
    match found {
        Some(SessionUser {
            user,
            sessions_not_before: not_before,
            two_factor_enrolled: enrolled,
        }) if user.is_active()
            && not_before.is_none_or(|cutoff| auth.signed_in_at >= cutoff)
            && now - auth.signed_in_at < state.sessions.absolute_lifetime =>
        {
            let due = (user.is_admin() || enrolled) && !auth.second_factor;
            Ok(Some(if due {
                Caller::SecondFactorDue { user, enrolled }
            } else {
                Caller::SignedIn(user)
            }))
        }
        _ => {
            end(session).await?;
            Ok(None)
        }
    }
}
