//! Who is calling: the signed-in user behind a request's session, re-checked
//! on every request against the database.
//!
//! Security-sensitive: a session dies when the user is deactivated, when the
//! user's password changes (`users.sessions_not_before`), after the idle
//! timeout (the cookie store's expiry) and after the absolute lifetime.

use chrono::{DateTime, Utc};
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
pub enum SignIn {
    /// Signed in: may do whatever the policy allows.
    Complete(User),
    /// The password was right, but a second factor is due: a TOTP code if
    /// `enrolled`, else enrolment (Administrators must enrol). Nothing else
    /// is allowed until then.
    SecondFactorDue { user: User, enrolled: bool },
}

/// The key under which the session keeps the company the user chose to act in.
const CONTEXT_KEY: &str = "company";

/// The company this session chose to act in, if any (whether the user may
/// still act there is the policy's question: `EffectiveAccess::acting_company`).
pub async fn chosen_company(session: &Session) -> Result<Option<CompanyId>, AppError> {
    Ok(session.get(CONTEXT_KEY).await?)
}

/// Records the company the session acts in from now on.
pub async fn choose_company(session: &Session, company: CompanyId) -> Result<(), AppError> {
    Ok(session.insert(CONTEXT_KEY, company).await?)
}

/// The key under which a sign-in waiting for its second factor keeps the
/// page it will go on to.
const NEXT_KEY: &str = "next";

/// Keeps `path` (already checked by `same_site_path`) for after the second factor.
pub async fn remember_next(session: &Session, path: &str) -> Result<(), AppError> {
    Ok(session.insert(NEXT_KEY, path).await?)
}

/// The page a completed sign-in goes on to (once), else the start page.
pub async fn take_next(session: &Session) -> Result<String, AppError> {
    let next: Option<String> = session.remove(NEXT_KEY).await?;
    Ok(next
        .as_deref()
        .and_then(crate::ui::url::same_site_path)
        .unwrap_or("/")
        .to_owned())
}

/// The key under which vendor staff's session keeps their switch into a
/// customer's account.
const SWITCH_KEY: &str = "switch";

/// A switch into a customer's account, as the session names it (whether
/// it still counts is for `org::switches` and the policy to say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switch {
    /// The `vendor_switches` row.
    pub id: i64,
    pub customer: OrgId,
}

/// The switch this vendor session names, if any.
pub async fn switch(session: &Session) -> Result<Option<Switch>, AppError> {
    Ok(session.get(SWITCH_KEY).await?)
}

/// Enters the switch's account; the acting company starts afresh there.
pub async fn switch_into(session: &Session, switch: Switch) -> Result<(), AppError> {
    session.remove_value(CONTEXT_KEY).await?;
    Ok(session.insert(SWITCH_KEY, switch).await?)
}

/// Back in the vendor's own account.
pub async fn leave_switch(session: &Session) -> Result<(), AppError> {
    session.remove_value(CONTEXT_KEY).await?;
    session.remove_value(SWITCH_KEY).await?;
    Ok(())
}

/// Starts a signed-in session for `user` under a new session id, so an id
/// planted before sign-in is worthless after it.
pub async fn start(session: &Session, user: UserId, now: DateTime<Utc>) -> Result<(), AppError> {
    // A request without a session cookie has no id to drop: its session
    // is stored under a fresh one anyway (cycling would delete an id
    // nobody has, one round trip for nothing).
    if session.id().is_some() {
        session.cycle_id().await?;
    }
    Ok(session
        .insert(
            AUTH_KEY,
            SessionAuth {
                user,
                signed_in_at: now,
                second_factor: false,
            },
        )
        .await?)
}

/// Records that the second factor was proved, under a new session id (a
/// privilege change).
pub async fn complete_second_factor(session: &Session) -> Result<(), AppError> {
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Err(AppError::Unauthorized);
    };
    auth.second_factor = true;
    session.cycle_id().await?;
    Ok(session.insert(AUTH_KEY, auth).await?)
}

/// Whether the session holds a sign-in at all, valid or not.
pub async fn has_sign_in(session: &Session) -> Result<bool, AppError> {
    Ok(session.get::<SessionAuth>(AUTH_KEY).await?.is_some())
}

/// Ends the session: the row is deleted and the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    Ok(session.flush().await?)
}

/// The signed-in, still-active user of this session, or `None` (also
/// while a second factor is due).
pub async fn signed_in_user(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    Ok(signed_in(state, session, now).await?.map(|(user, _)| user))
}

/// [`signed_in_user`] with their organization's `access_version`, read in
/// the same statement (the request's principal needs both).
pub async fn signed_in(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<(User, i64)>, AppError> {
    Ok(match checked(state, session, now).await? {
        Some((SignIn::Complete(user), version)) => Some((user, version)),
        _ => None,
    })
}

/// The session's still-valid sign-in, complete or halfway through; `None`
/// when there is none or it is no longer valid (the user deactivated, the
/// password changed since, the lifetime over). Read-only: a dead session
/// is ended by whoever describes it to its user (`who_am_i`), or expires.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<SignIn>, AppError> {
    Ok(checked(state, session, now)
        .await?
        .map(|(sign_in, _)| sign_in))
}

/// [`sign_in`] with the organization's `access_version`.
async fn checked(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Option<(SignIn, i64)>, AppError> {
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
            two_factor_required: required,
            org_suspended: false,
            org_version,
        }) if user.is_active()
            && not_before.is_none_or(|cutoff| auth.signed_in_at >= cutoff)
            && now - auth.signed_in_at < state.sessions.absolute_lifetime =>
        {
            let due = (required || enrolled) && !auth.second_factor;
            let sign_in = if due {
                SignIn::SecondFactorDue { user, enrolled }
            } else {
                SignIn::Complete(user)
            };
            Ok(Some((sign_in, org_version)))
        }
        _ => Ok(None),
    }
}
