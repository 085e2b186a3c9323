//! The vendor console's rows: the accounts linked to a vendor and their
//! settings.

use sqlx::PgConnection;

use crate::model::account::{AccountSettings, ServicePlan};

/// A linked account as the console lists it.
#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub service_plan: ServicePlan,
    pub vendor_owned: bool,
    /// An active Administrator of the account has set a password.
    pub set_up: bool,
}

const ACCOUNT_COLUMNS: &str = "o.id, o.name, o.service_plan, l.vendor_owned,
    EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id AND u.account_type = 'administrator'
            AND u.status = 'active' AND u.password_hash IS NOT NULL) AS set_up";

/// Up to `limit` accounts linked to `vendor` whose lowered name matches
/// `pattern`, by name, after the account `after` (keyset paging).
pub async fn page(
    conn: &mut PgConnection,
    vendor: i64,
    pattern: &str,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM vendor_links l JOIN organizations o ON o.id = l.customer_id
         WHERE l.vendor_id = $1 AND lower(o.name) LIKE $2
           AND ($3::bigint IS NULL OR (lower(o.name), o.id) >
                (SELECT lower(name), id FROM organizations WHERE id = $3))
         ORDER BY lower(o.name), o.id LIMIT $4"
    ))
    .bind(vendor)
    .bind(pattern)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// How many accounts linked to `vendor` match `pattern`.
pub async fn count(
    conn: &mut PgConnection,
    vendor: i64,
    pattern: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM vendor_links l JOIN organizations o ON o.id = l.customer_id
         WHERE l.vendor_id = $1 AND lower(o.name) LIKE $2"#,
        vendor,
        pattern
    )
    .fetch_one(conn)
    .await
}

/// The account `customer`, if it is linked to `vendor`.
pub async fn linked(
    conn: &mut PgConnection,
    vendor: i64,
    customer: i64,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM vendor_links l JOIN organizations o ON o.id = l.customer_id
         WHERE l.vendor_id = $1 AND l.customer_id = $2"
    ))
    .bind(vendor)
    .bind(customer)
    .fetch_optional(conn)
    .await
}

/// The account's settings and the version they were read at.
pub async fn settings(
    conn: &mut PgConnection,
    customer: i64,
) -> Result<(AccountSettings, i32), sqlx::Error> {
    let row = sqlx::query!(
        "SELECT transmit_approval_required, professional_claims, institutional_claims,
                dental_claims, version FROM organizations WHERE id = $1",
        customer
    )
    .fetch_one(conn)
    .await?;
    Ok((
        AccountSettings {
            transmit_approval_required: row.transmit_approval_required,
            professional_claims: row.professional_claims,
            institutional_claims: row.institutional_claims,
            dental_claims: row.dental_claims,
        },
        row.version,
    ))
}
