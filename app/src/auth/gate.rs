//! The one way server functions ask the policy: authenticate, load the
//! caller's organization, and check the action with `model::access::can`.
//! Deny by default: any failure on the way is a refusal.

use chrono::Utc;

use crate::{
    auth::session,
    error::AppError,
    model::{
        access::{Action, OrgIndex, OrgSnapshot, can, effective_access},
        user::User,
    },
    org::db::load_snapshot,
    state::AppState,
};

/// The signed-in caller, if the policy lets them administer their own
/// organization (an active Administrator); otherwise `Unauthorized` or
/// `Forbidden` with the policy's reason.
pub async fn org_administrator(state: &AppState) -> Result<User, AppError> {
    org_administrator_with_org(state)
        .await
        .map(|(user, _)| user)
}

/// Like [`org_administrator`], with the organization the policy read.
pub async fn org_administrator_with_org(state: &AppState) -> Result<(User, OrgSnapshot), AppError> {
    let user = session::authenticate(state).await?;
    let mut conn = state.pool.acquire().await.map_err(AppError::internal)?;
    let snapshot = load_snapshot(&mut conn, user.org)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)?;
    let index = OrgIndex::new(&snapshot);
    let access = effective_access(&user, &index, Utc::now());
    can(&access, Action::Administer(user.org)).map_err(AppError::Forbidden)?;
    Ok((user, snapshot))
}
