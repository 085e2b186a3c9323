//! The sign-in feature's own statements: finding an account by email and
//! storing a new password. Throttling, second factors and password links
//! keep theirs beside their rules (`throttle`, `two_factor`, `reset`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::model::{
    ids::{OrgId, UserId},
    user::UserStatus,
};

/// An account as signing in sees it.
pub struct Account {
    pub id: UserId,
    pub org: OrgId,
    pub password_hash: Option<String>,
    pub status: UserStatus,
    /// "Ann Lee <ann@example.com>", as the audit log names them.
    pub label: String,
    /// An Administrator, platform staff, or enrolled in two-factor sign-in.
    pub second_factor_due: bool,
    /// The account's organization is suspended: nobody of it signs in.
    pub suspended: bool,
}

/// The account signing in with `email` (lowercased), active or not.
pub async fn account(conn: &mut PgConnection, email: &str) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as!(
        Account,
        r#"SELECT u.id AS "id: UserId", u.org_id AS "org: OrgId", u.password_hash,
                  u.status AS "status: UserStatus",
                  u.first_name || ' ' || u.last_name || ' <' || u.email || '>' AS "label!",
                  u.account_type = 'administrator' OR o.kind = 'platform'
                    OR EXISTS (SELECT 1 FROM user_totp t
                               WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                    AS "second_factor_due!",
                  o.suspended_at IS NOT NULL AS "suspended!"
           FROM users u JOIN organizations o ON o.id = u.org_id WHERE lower(u.email) = $1"#,
        email
    )
    .fetch_optional(conn)
    .await
}

/// Records `account`'s sign-in with `email`: forgets the email's failures
/// and lock (as `throttle::record_success`) and appends the `auth.sign_in`
/// audit event, in one statement, so both or neither happen at the cost of
/// one round trip (every sign-in waits for it).
pub async fn record_sign_in(
    conn: &mut PgConnection,
    email: &str,
    account: &Account,
    request: &crate::request_id::RequestId,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH forgotten AS (DELETE FROM sign_in_lockouts WHERE email = $1)
         INSERT INTO audit_events
             (org_id, actor_user_id, actor_label, action, target_type, target_id, request_id)
         VALUES ($2, $3, $4, 'auth.sign_in', 'user', $5, $6)",
        email,
        account.org.0,
        account.id.0,
        account.label,
        account.id.to_string(),
        request.as_deref(),
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The active account with `email` (lowercased) that a reset link may be
/// sent to: its id, organization and first name.
pub async fn active_account(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<(UserId, OrgId, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: UserId", org_id AS "org: OrgId", first_name FROM users
           WHERE lower(email) = $1 AND status = 'active'"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.org, r.first_name)))
}

/// The stored password hash of `user`.
pub async fn password_hash(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user.0)
        .fetch_one(conn)
        .await
}

/// Stores `user`'s new password hash; every session signed in before `now`
/// ends. Returns the user's organization and audit label.
pub async fn set_password(
    conn: &mut PgConnection,
    user: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(OrgId, String), sqlx::Error> {
    let row = sqlx::query!(
        r#"UPDATE users SET password_hash = $1, password_changed_at = $2, sessions_not_before = $2,
                            version = version + 1, updated_at = now()
           WHERE id = $3
           RETURNING org_id AS "org: OrgId",
                     first_name || ' ' || last_name || ' <' || email || '>' AS "label!""#,
        hash,
        now as _,
        user.0
    )
    .fetch_one(conn)
    .await?;
    Ok((row.org, row.label))
}

/// A user of organization `org` by id, with their lowercased email (the
/// key of their sign-in lock); `None` for anyone else's.
pub async fn lock_key(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT lower(email) AS "email!" FROM users WHERE id = $1 AND org_id = $2"#,
        user.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// A locked-out user of an organization.
pub struct Locked {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub locked_until: DateTime<Utc>,
}

/// The users of `org` locked out now, latest lock first (at most 100).
pub async fn locked(conn: &mut PgConnection, org: OrgId) -> Result<Vec<Locked>, sqlx::Error> {
    sqlx::query_as!(
        Locked,
        r#"SELECT u.id AS "id: UserId", u.first_name || ' ' || u.last_name AS "name!", u.email,
                  l.locked_until AS "locked_until!: DateTime<Utc>"
           FROM sign_in_lockouts l JOIN users u ON lower(u.email) = l.email
           WHERE u.org_id = $1 AND l.locked_until > now()
           ORDER BY l.locked_until DESC LIMIT 100"#,
        org.0
    )
    .fetch_all(conn)
    .await
}

/// Until when the sign-in lock keyed `email` holds, if one was ever set.
pub async fn locked_until(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let until = sqlx::query_scalar!(
        r#"SELECT locked_until AS "locked_until?: DateTime<Utc>" FROM sign_in_lockouts
           WHERE email = $1"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(until.flatten())
}
