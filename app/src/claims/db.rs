//! One claim as every feature reads it (the claims page, the vendor
//! console, support tickets): its row type and the columns that fill it.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::ClaimRow;
use crate::model::{
    claim::ClaimStatus,
    ids::{ClaimId, CompanyId, OrgId},
};

/// A claim as selected with [`COLUMNS`].
#[derive(sqlx::FromRow)]
pub struct ClaimRecord {
    pub id: ClaimId,
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
    org: OrgId,
    after: Option<ClaimId>,
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

/// The claims list's filters, checked: a company ($1) and the rest ($2..$7).
pub struct Filter {
    pub company: CompanyId,
    pub status: Option<ClaimStatus>,
    pub payer: Option<crate::model::ids::EntryId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Filter {
    /// Binds `$1` to `$7`.
    fn bind<'q, O>(
        &self,
        query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
        query
            .bind(self.company)
            .bind(self.status)
            .bind(self.payer)
            .bind(self.from)
            .bind(self.to)
            .bind(self.min)
            .bind(self.max)
    }
}

const FILTER: &str = "c.company_id = $1
    AND ($2::text IS NULL OR c.status = $2)
    AND ($3::bigint IS NULL OR c.payer_id = $3)
    AND ($4::date IS NULL OR c.service_date >= $4)
    AND ($5::date IS NULL OR c.service_date <= $5)
    AND ($6::bigint IS NULL OR c.amount_cents >= $6)
    AND ($7::bigint IS NULL OR c.amount_cents <= $7)";

/// Up to `limit` matching claims, newest service date first, after the
/// claim `after` (keyset paging).
pub async fn page(
    conn: &mut PgConnection,
    f: &Filter,
    after: Option<ClaimId>,
    limit: i64,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
         WHERE {FILTER}
           AND ($8::bigint IS NULL OR (c.service_date, c.id) <
                (SELECT service_date, id FROM claims WHERE id = $8 AND company_id = $1))
         ORDER BY c.service_date DESC, c.id DESC LIMIT $9"
    );
    let rows: Vec<ClaimRecord> = f
        .bind(sqlx::query_as(&sql))
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(ClaimRow::from).collect())
}

/// How many claims match.
pub async fn count(conn: &mut PgConnection, f: &Filter) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT count(*) FROM claims c WHERE {FILTER}");
    let (count,): (i64,) = f.bind(sqlx::query_as(&sql)).fetch_one(conn).await?;
    Ok(count)
}

/// The company's payers by name, for the list's filter.
pub async fn payers(
    conn: &mut PgConnection,
    company: CompanyId,
) -> Result<Vec<(crate::model::ids::EntryId, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: crate::model::ids::EntryId", name FROM payers
           WHERE company_id = $1 ORDER BY lower(name)"#,
        company.0
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// The claim `claim` of `company`.
pub async fn one(
    conn: &mut PgConnection,
    company: CompanyId,
    claim: ClaimId,
) -> Result<Option<ClaimRow>, sqlx::Error> {
    let row: Option<ClaimRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
         WHERE c.id = $1 AND c.company_id = $2"
    ))
    .bind(claim)
    .bind(company)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(ClaimRow::from))
}

/// A claim's fields before a change, locked.
pub struct Locked {
    pub status: ClaimStatus,
    pub patient_name: String,
    pub service_date: NaiveDate,
    pub amount_cents: i64,
    pub version: i32,
}

pub async fn for_update(
    conn: &mut PgConnection,
    company: CompanyId,
    claim: ClaimId,
) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as!(
        Locked,
        r#"SELECT status AS "status: ClaimStatus", patient_name,
                  service_date AS "service_date: NaiveDate", amount_cents, version
           FROM claims WHERE id = $1 AND company_id = $2 FOR UPDATE"#,
        claim.0,
        company.0
    )
    .fetch_optional(conn)
    .await
}

/// Changes the claim's patient, service date and amount.
pub async fn edit(
    conn: &mut PgConnection,
    claim: ClaimId,
    patient: &str,
    date: NaiveDate,
    cents: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE claims SET patient_name = $1, service_date = $2, amount_cents = $3,
                           version = version + 1
         WHERE id = $4",
        patient,
        date as _,
        cents,
        claim.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the claim to `status`.
pub async fn set_status(
    conn: &mut PgConnection,
    claim: ClaimId,
    status: ClaimStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE claims SET status = $1, version = version + 1 WHERE id = $2",
        status.key(),
        claim.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the claim.
pub async fn delete(conn: &mut PgConnection, claim: ClaimId) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM claims WHERE id = $1", claim.0)
        .execute(conn)
        .await?;
    Ok(())
}
