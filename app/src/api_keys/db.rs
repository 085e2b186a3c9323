//! API keys' rows and statements: the keys of an account as Edit Account
//! lists them, creating and revoking one, and the use of a key with its
//! per-key rate limit.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::REQUESTS_PER_MINUTE;
use crate::model::ids::{ApiKeyId, OrgId, UserId, VendorId};

/// A key as Edit Account lists it.
pub struct KeyRow {
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `vendor`'s keys for `customer`, newest first.
pub async fn list(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
) -> Result<Vec<KeyRow>, sqlx::Error> {
    sqlx::query_as!(
        KeyRow,
        r#"SELECT k.id AS "id: ApiKeyId", k.name, k.prefix,
                  k.created_at AS "created_at: DateTime<Utc>",
                  u.first_name || ' ' || u.last_name AS "created_by!",
                  k.last_used_at AS "last_used_at: DateTime<Utc>",
                  k.revoked_at AS "revoked_at: DateTime<Utc>"
           FROM api_keys k JOIN users u ON u.id = k.created_by
           WHERE k.vendor_id = $1 AND k.customer_id = $2 ORDER BY k.id DESC"#,
        vendor.0,
        customer.0
    )
    .fetch_all(conn)
    .await
}

/// A new key of `vendor` for `customer`, stored by its hash.
pub struct NewKey<'a> {
    pub vendor: VendorId,
    pub customer: OrgId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub hash: &'a [u8],
    pub created_by: UserId,
}

/// Stores the key; returns its id.
pub async fn insert(conn: &mut PgConnection, key: &NewKey<'_>) -> Result<ApiKeyId, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO api_keys (vendor_id, customer_id, name, prefix, key_hash, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS "id: ApiKeyId""#,
        key.vendor.0,
        key.customer.0,
        key.name,
        key.prefix,
        key.hash,
        key.created_by.0
    )
    .fetch_one(conn)
    .await
}

/// Revokes `vendor`'s live key `key` for `customer`; returns its name and
/// prefix, or `None` if there is no such live key.
pub async fn revoke(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
    key: ApiKeyId,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "UPDATE api_keys SET revoked_at = now()
         WHERE id = $1 AND vendor_id = $2 AND customer_id = $3 AND revoked_at IS NULL
         RETURNING name, prefix",
        key.0,
        vendor.0,
        customer.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.name, r.prefix)))
}

/// A live key that was presented, counted against its rate limit.
#[derive(Debug, Clone)]
pub struct UsedKey {
    pub id: ApiKeyId,
    pub prefix: String,
    pub vendor_id: VendorId,
    pub customer_id: OrgId,
    pub created_by: UserId,
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
    sqlx::query_as!(
        UsedKey,
        r#"UPDATE api_keys SET
               window_count = CASE WHEN window_started_at > $2::timestamptz - interval '1 minute'
                                   THEN window_count + 1 ELSE 1 END,
               window_started_at = CASE WHEN window_started_at > $2::timestamptz - interval '1 minute'
                                        THEN window_started_at ELSE $2 END,
               last_used_at = $2
           WHERE key_hash = $1 AND revoked_at IS NULL
           RETURNING id AS "id: ApiKeyId", prefix, vendor_id AS "vendor_id: VendorId",
                     customer_id AS "customer_id: OrgId", created_by AS "created_by: UserId",
                     window_count"#,
        hash,
        now as _
    )
    .fetch_optional(conn)
    .await
}

/// One claim as the vendor API answers it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ClaimJson {
    pub id: i64,
    pub claim_number: String,
    pub patient_name: String,
    /// YYYY-MM-DD.
    #[schema(value_type = String, format = Date)]
    pub service_date: chrono::NaiveDate,
    pub amount_cents: i64,
    /// `draft`, `submitted`, `paid`, `denied` or `refunded`.
    pub status: String,
}

/// Up to `limit` claims of `customer`, newest first, after the claim `after`.
pub async fn claims(
    conn: &mut PgConnection,
    customer: OrgId,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<ClaimJson>, sqlx::Error> {
    sqlx::query_as!(
        ClaimJson,
        r#"SELECT id, claim_number, patient_name,
                  service_date AS "service_date: chrono::NaiveDate", amount_cents, status
           FROM claims
           WHERE org_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"#,
        customer.0,
        after,
        limit
    )
    .fetch_all(conn)
    .await
}
