//! The vendor console's rows: the accounts linked to a vendor and their
//! settings.

use sqlx::PgConnection;

use crate::model::{
    account::{AccountSettings, ServicePlan, ValidNewAccount},
    ids::{OrgId, UserId, VendorId},
};

/// A linked account as the console lists it.
#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub id: OrgId,
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
    vendor: VendorId,
    pattern: &str,
    after: Option<OrgId>,
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
    vendor: VendorId,
    pattern: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM vendor_links l JOIN organizations o ON o.id = l.customer_id
         WHERE l.vendor_id = $1 AND lower(o.name) LIKE $2"#,
        vendor.0,
        pattern
    )
    .fetch_one(conn)
    .await
}

/// The account `customer`, if it is linked to `vendor`.
pub async fn linked(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
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
    customer: OrgId,
) -> Result<(AccountSettings, i32), sqlx::Error> {
    let row = sqlx::query!(
        "SELECT transmit_approval_required, professional_claims, institutional_claims,
                dental_claims, version FROM organizations WHERE id = $1",
        customer.0
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

/// A user of the account, as "send a password link" offers them.
pub struct ActiveUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// The account's active users, by name.
pub async fn active_users(
    conn: &mut PgConnection,
    customer: OrgId,
) -> Result<Vec<ActiveUser>, sqlx::Error> {
    sqlx::query_as!(
        ActiveUser,
        r#"SELECT id AS "id: UserId", first_name || ' ' || last_name AS "name!", email FROM users
           WHERE org_id = $1 AND status = 'active'
           ORDER BY lower(last_name), lower(first_name), id"#,
        customer.0
    )
    .fetch_all(conn)
    .await
}

/// The active user `user` of the account: first name and email.
pub async fn active_user(
    conn: &mut PgConnection,
    customer: OrgId,
    user: UserId,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT first_name, email FROM users WHERE id = $1 AND org_id = $2 AND status = 'active'",
        user.0,
        customer.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.first_name, r.email)))
}

/// Whether `user` has two-factor sign-in.
pub async fn has_second_factor(conn: &mut PgConnection, user: UserId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL)
           AS "enrolled!""#,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// Saves the account's settings if they are still at `version`; `false`
/// when someone changed them meanwhile.
pub async fn save_settings(
    conn: &mut PgConnection,
    customer: OrgId,
    version: i32,
    settings: &AccountSettings,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE organizations SET transmit_approval_required = $3, professional_claims = $4,
                institutional_claims = $5, dental_claims = $6, version = version + 1
         WHERE id = $1 AND version = $2",
        customer.0,
        version,
        settings.transmit_approval_required,
        settings.professional_claims,
        settings.institutional_claims,
        settings.dental_claims
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new customer organization; `None` when the name is taken.
pub async fn insert_customer(
    conn: &mut PgConnection,
    account: &ValidNewAccount,
) -> Result<Option<OrgId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO organizations (name, kind, transmit_approval_required, professional_claims,
                                      institutional_claims, dental_claims, service_plan, contact_phone)
           VALUES ($1, 'customer', $2, $3, $4, $5, $6, $7)
           ON CONFLICT (lower(name)) DO NOTHING RETURNING id AS "id: OrgId""#,
        account.name,
        account.settings.transmit_approval_required,
        account.settings.professional_claims,
        account.settings.institutional_claims,
        account.settings.dental_claims,
        account.plan.key(),
        account.phone
    )
    .fetch_optional(conn)
    .await
}

/// Whether a user already signs in with `email` (lowercased).
pub async fn email_taken(conn: &mut PgConnection, email: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1) AS "taken!""#,
        email
    )
    .fetch_one(conn)
    .await
}

/// Links `customer` to `vendor` as the vendor's own account, with Full Access.
pub async fn link_owned(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO vendor_links (vendor_id, customer_id, vendor_owned, tier)
         VALUES ($1, $2, true, 'full')",
        vendor.0,
        customer.0
    )
    .execute(conn)
    .await?;
    Ok(())
}
