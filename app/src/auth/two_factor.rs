//! Two-factor sign-in: TOTP secrets (RFC 6238: SHA-1, 6 digits, 30 s, one
//! step of clock skew either way) and single-use recovery codes.
//!
//! Security-sensitive: a code is accepted once only (the accepted step is
//! stored and only a later one passes, in one atomic UPDATE), recovery codes
//! are stored as SHA-256 hashes and burnt on use.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use totp_rs::{Builder, Secret, Totp};

use crate::model::ids::UserId;

/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "Portcullis";
pub const RECOVERY_CODES: usize = 10;
/// An unconfirmed secret is kept this long, so reloading the enrolment page
/// does not change the QR code the user just scanned.
const ENROLMENT_MINUTES: i64 = 15;
/// Crockford's base-32 alphabet: no i, l, o or u to misread.
const CODE_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("TOTP: {0}")]
    Totp(String),
    #[error("random numbers are unavailable: {0}")]
    Random(String),
}

/// What the user typed into the code field, told apart by its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeInput {
    /// Six digits from the authenticator app.
    Totp(String),
    /// One of the ten recovery codes, normalised (lower case, no dashes).
    Recovery(String),
}

impl CodeInput {
    /// `None` when it is neither shape (then no attempt is spent on it).
    pub fn parse(typed: &str) -> Option<Self> {
        let compact: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_lowercase();
        if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
            Some(CodeInput::Totp(compact))
        } else if compact.len() == 10 && compact.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            Some(CodeInput::Recovery(compact))
        } else {
            None
        }
    }
}

pub fn totp(secret: &[u8], email: &str) -> Result<Totp, TwoFactorError> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(email)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| TwoFactorError::Totp(e.to_string()))
}

/// The step a code matches at `now` (±1 step), if any.
pub fn matching_step(secret: &[u8], email: &str, code: &str, now: DateTime<Utc>) -> Option<u64> {
    let seconds = u64::try_from(now.timestamp()).ok()?;
    totp(secret, email).ok()?.check(code, seconds)
}

/// What the enrolment page shows: the secret as text and as a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// The user's pending secret, or a new one (replacing a stale pending one).
/// Refuses (None) when two-factor sign-in is already set up.
pub async fn begin(
    conn: &mut PgConnection,
    user: UserId,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<Enrolment>, TwoFactorError> {
    let fresh = Secret::generate();
    let secret = sqlx::query_scalar!(
        "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
             WHERE user_totp.confirmed_at IS NULL AND user_totp.created_at < $3 - make_interval(mins => $4)
         RETURNING secret",
        user.0,
        fresh.as_ref(),
        now as _,
        ENROLMENT_MINUTES as i32
    )
    .fetch_optional(&mut *conn)
    .await?;
    let secret = match secret {
        Some(secret) => secret,
        // Not replaced: either a recent pending secret or a confirmed one.
        None => {
            let stored = sqlx::query!(
                "SELECT secret, confirmed_at FROM user_totp WHERE user_id = $1",
                user.0
            )
            .fetch_one(&mut *conn)
            .await?;
            if stored.confirmed_at.is_some() {
                return Ok(None);
            }
            stored.secret
        }
    };
    let totp = totp(&secret, email)?;
    let otpauth_url = totp
        .to_url()
        .map_err(|e| TwoFactorError::Totp(e.to_string()))?;
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(|e| TwoFactorError::Totp(e.to_string()))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(Some(Enrolment {
        secret_base32: totp.secret().to_base32(),
        otpauth_url,
        qr_svg,
    }))
}

/// Whether the user must use two-factor sign-in: Administrators and the
/// platform's staff (who reach every organization).
pub async fn is_required(conn: &mut PgConnection, user: UserId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT u.account_type = 'administrator' OR o.kind = 'platform' AS "required!"
           FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = $1"#,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// Whether the user has confirmed two-factor sign-in.
pub async fn is_enrolled(conn: &mut PgConnection, user: UserId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL)
               AS "enrolled!""#,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// Accepts a TOTP code once: `confirming` checks the pending secret and
/// confirms it, otherwise the confirmed one. The accepted step is stored in
/// the same statement, so a replayed code (even in parallel) fails.
pub async fn accept_code(
    conn: &mut PgConnection,
    user: UserId,
    email: &str,
    code: &str,
    confirming: bool,
    now: DateTime<Utc>,
) -> Result<bool, TwoFactorError> {
    let secret = sqlx::query_scalar!(
        "SELECT secret FROM user_totp WHERE user_id = $1 AND (confirmed_at IS NULL) = $2",
        user.0,
        confirming
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(step) = secret.and_then(|s| matching_step(&s, email, code, now)) else {
        return Ok(false);
    };
    let step = i64::try_from(step).map_err(|e| TwoFactorError::Totp(e.to_string()))?;
    let accepted = sqlx::query!(
        "UPDATE user_totp SET last_step = $2, confirmed_at = coalesce(confirmed_at, $3)
         WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)",
        user.0,
        step,
        now as _
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(accepted == 1)
}

fn hash_code(code: &str) -> Vec<u8> {
    Sha256::digest(code.as_bytes()).to_vec()
}

/// Replaces the user's recovery codes with ten new ones; returns them as
/// the user should write them down ("xxxxx-xxxxx"), the only time they exist
/// in clear.
pub async fn new_recovery_codes(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Vec<String>, TwoFactorError> {
    let mut random = [0_u8; RECOVERY_CODES * 10];
    getrandom::fill(&mut random).map_err(|e| TwoFactorError::Random(e.to_string()))?;
    let codes: Vec<String> = random
        .chunks(10)
        .map(|chunk| {
            chunk
                .iter()
                .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
                .collect()
        })
        .collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| hash_code(c)).collect();
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])",
        user.0,
        &hashes
    )
    .execute(&mut *conn)
    .await?;
    Ok(codes
        .iter()
        .map(|c| format!("{}-{}", &c[..5], &c[5..]))
        .collect())
}

/// Burns a recovery code; false if it is unknown or was used before.
pub async fn use_recovery_code(
    conn: &mut PgConnection,
    user: UserId,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let used = sqlx::query!(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        user.0,
        hash_code(code),
        now as _
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(used == 1)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "left!" FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"#,
        user.0
    )
    .fetch_one(conn)
    .await
}

#[cfg(test)]
#[path = "two_factor_tests.rs"]
mod tests;

crate::error::internal_faults!(TwoFactorError);
