//! One claim as every feature reads it (the claims page, the vendor
//! console, support tickets): its row type and the columns that fill it.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::ClaimRow;
use crate::model::claim::ClaimStatus;

/// A claim as selected with [`COLUMNS`].
#[derive(sqlx::FromRow)]
pub struct ClaimRecord {
    pub id: i64,
    pub claim_number: String,
    patient_name: String,
    payer: Option<String>,
    service_date: NaiveDate,
    amount_cents: i64,
    status: ClaimStatus,
    version: i32,
}

impl From<ClaimRecord> for ClaimRow {
    fn from(record: ClaimRecord) -> Self {
        ClaimRow {
            id: record.id,
            number: record.claim_number,
            patient: record.patient_name,
            payer: record.payer,
            service_date: record.service_date.format("%Y-%m-%d").to_string(),
            amount_cents: record.amount_cents,
            status: record.status,
            version: record.version,
        }
    }
}

/// Selects a [`ClaimRecord`] from `claims c LEFT JOIN payers p`.
pub const COLUMNS: &str = "c.id, c.claim_number, c.patient_name, p.name AS payer, c.service_date,
    c.amount_cents, c.status, c.version";

/// Up to `limit` claims of organization `org`, newest first, after the
/// claim `after` (keyset paging).
pub async fn of_organization(
    conn: &mut PgConnection,
    org: i64,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    let rows: Vec<ClaimRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
         WHERE c.org_id = $1 AND ($2::bigint IS NULL OR c.id < $2)
         ORDER BY c.id DESC LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(ClaimRow::from).collect())
}
