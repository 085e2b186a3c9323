//! Making, hashing and checking API keys, and the per-key rate limit.
//! A key reads `pk_<8 letters or digits>_<32 letters or digits>`; only its
//! SHA-256 is stored, and the first part (the prefix) is kept to list it.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::REQUESTS_PER_MINUTE;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_text(len: usize) -> Result<String, String> {
    // Rejection sampling keeps every character equally likely.
    let mut text = String::with_capacity(len);
    while text.len() < len {
        let mut bytes = [0_u8; 64];
        getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
        for b in bytes {
            if usize::from(b) < 248 && text.len() < len {
                text.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(text)
}

/// A new key: (the key to show once, its prefix, its hash).
pub fn generate() -> Result<(String, String, Vec<u8>), String> {
    let prefix = format!("pk_{}", random_text(8)?);
    let key = format!("{prefix}_{}", random_text(32)?);
    let hash = Sha256::digest(key.as_bytes()).to_vec();
    Ok((key, prefix, hash))
}

/// The hash to look a presented key up by; `None` for anything that is not
/// shaped like a key, so junk never reaches the database.
pub fn hash_of(presented: &str) -> Option<Vec<u8>> {
    let shaped = presented.len() == 3 + 8 + 1 + 32
        && presented.starts_with("pk_")
        && presented.as_bytes()[11] == b'_'
        && presented[3..11]
            .bytes()
            .chain(presented[12..].bytes())
            .all(|b| b.is_ascii_alphanumeric());
    shaped.then(|| Sha256::digest(presented.as_bytes()).to_vec())
}

/// A live key that was presented, counted against its rate limit.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UsedKey {
    pub id: i64,
    pub prefix: String,
    pub vendor_id: i64,
    pub customer_id: i64,
    pub created_by: i64,
    /// Requests in the current minute, this one included.
    pub window_count: i32,
}

impl UsedKey {
    pub fn over_limit(&self) -> bool {
        self.window_count > REQUESTS_PER_MINUTE
    }
}

/// Finds the unrevoked key with this hash and counts one request in its
/// current one-minute window (atomically: concurrent requests through any
/// server process each count once).
pub async fn use_key(
    conn: &mut PgConnection,
    hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<UsedKey>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE api_keys SET
             window_count = CASE WHEN window_started_at > $2 - interval '1 minute'
                                 THEN window_count + 1 ELSE 1 END,
             window_started_at = CASE WHEN window_started_at > $2 - interval '1 minute'
                                      THEN window_started_at ELSE $2 END,
             last_used_at = $2
         WHERE key_hash = $1 AND revoked_at IS NULL
         RETURNING id, prefix, vendor_id, customer_id, created_by, window_count",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
