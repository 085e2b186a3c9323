//! Password links: "forgot password" resets (valid one hour) and
//! invitations (valid seven days). A link carries a 256-bit random token;
//! only its SHA-256 is stored, and the statement that accepts a token also
//! burns it, so a link works once even if clicked twice at the same moment.
//!
//! Security-sensitive.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::model::ids::UserId;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invitation,
}

impl Purpose {
    pub fn key(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Invitation => "invitation",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "reset" => Some(Purpose::Reset),
            "invitation" => Some(Purpose::Invitation),
            _ => None,
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Reset => Duration::hours(1),
            Purpose::Invitation => Duration::days(7),
        }
    }
}

/// At most this many reset links per account per hour: enough for a user
/// who lost the first mail, too few to flood an inbox.
pub const RESETS_PER_HOUR: i64 = 3;

/// The page where a link's token is used, as mailed or printed:
/// `{public_url}/reset-password?token=…`.
pub fn link(public_url: &str, token: &str) -> String {
    format!(
        "{}/reset-password?token={token}",
        public_url.trim_end_matches('/')
    )
}

/// The SHA-256 of a token as it appears in a link (64 hex digits); `None`
/// for anything else, so malformed links never reach the database.
pub fn token_hash(token: &str) -> Option<Vec<u8>> {
    let token = token.trim();
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Sha256::digest(token.to_ascii_lowercase().as_bytes()).to_vec())
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("random numbers are unavailable: {0}")]
    Random(String),
}

/// Issues a new link token for `user`; returns it (the only clear copy).
pub async fn issue(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, TokenError> {
    let mut random = [0_u8; 32];
    getrandom::fill(&mut random).map_err(|e| TokenError::Random(e.to_string()))?;
    let token: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let hash = Sha256::digest(token.as_bytes()).to_vec();
    sqlx::query!(
        "INSERT INTO password_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &hash,
        user.0,
        purpose.key(),
        now as _,
        (now + purpose.lifetime()) as _
    )
    .execute(conn)
    .await?;
    Ok(token)
}

/// How many reset links the user was sent since `since`.
pub async fn issued_since(
    conn: &mut PgConnection,
    user: UserId,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM password_tokens
           WHERE user_id = $1 AND purpose = 'reset' AND created_at > $2"#,
        user.0,
        since as _
    )
    .fetch_one(conn)
    .await
}

/// The still-valid link behind a token: its user (active only), the user's
/// email, and its purpose. Locks the row so a parallel use waits.
pub async fn open(
    conn: &mut PgConnection,
    hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<(UserId, String, Purpose)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT u.id, u.email, t.purpose FROM password_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.status = 'active'
         FOR UPDATE OF t",
        hash,
        now as _
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| Purpose::from_key(&r.purpose).map(|p| (UserId(r.id), r.email, p))))
}

/// Burns every open link of the user (the one just used among them).
pub async fn burn_all(
    conn: &mut PgConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE password_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        user.0,
        now as _
    )
    .execute(conn)
    .await?
    .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_digit_tokens_are_hashed() {
        let token = "ab".repeat(32);
        assert_eq!(token_hash(&token).map(|h| h.len()), Some(32));
        assert_eq!(token_hash(&token), token_hash(&token.to_uppercase()));
        for bad in [
            "",
            "abc",
            &"ab".repeat(31),
            &"zz".repeat(32),
            &"ab".repeat(33),
        ] {
            assert_eq!(token_hash(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reset_links_live_an_hour_and_invitations_a_week() {
        assert_eq!(Purpose::Reset.lifetime(), Duration::hours(1));
        assert_eq!(Purpose::Invitation.lifetime(), Duration::days(7));
        for p in [Purpose::Reset, Purpose::Invitation] {
            assert_eq!(Purpose::from_key(p.key()), Some(p));
        }
    }
}

crate::error::internal_faults!(TokenError);

/// Break-glass: `user` is active again, with nothing their old credentials
/// could still open (no password, no second factor, no session, no earlier
/// link); returns the invitation token with which they choose a password.
/// The operator's `admin reactivate` and the platform's two-person
/// reactivation both end here.
pub async fn reactivate_afresh(
    conn: &mut PgConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<String, TokenError> {
    sqlx::query!(
        "UPDATE users SET status = 'active', password_hash = NULL, sessions_not_before = now(),
                          version = version + 1, updated_at = now() WHERE id = $1",
        user.0
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM user_totp WHERE user_id = $1", user.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.0)
        .execute(&mut *conn)
        .await?;
    burn_all(conn, user, now).await?;
    issue(conn, user, Purpose::Invitation, now).await
}
