//! The Companies page's statements.

use sqlx::PgConnection;

use crate::{
    model::ids::{CompanyId, OrgId},
    org::db::acts_in_any,
};

/// A company as the page lists it.
#[derive(sqlx::FromRow)]
pub struct Row {
    pub id: CompanyId,
    pub name: String,
    pub parent: bool,
    pub active: bool,
    pub version: i32,
    /// Standard users who may act there (Administrators act everywhere).
    pub members: i64,
}

/// The companies of `org`: the parent first, then children by name.
pub async fn list(conn: &mut PgConnection, org: OrgId) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT c.id, c.name, c.parent_id IS NULL AS parent, c.active, c.version,
                (SELECT count(*) FROM users u
                  WHERE u.org_id = c.org_id AND u.account_type = 'standard'
                    AND {}) AS members
         FROM companies c WHERE c.org_id = $1
         ORDER BY c.parent_id IS NOT NULL, lower(c.name)",
        acts_in_any("ARRAY[c.id]")
    ))
    .bind(org)
    .fetch_all(conn)
    .await
}

/// Adds a child company of `parent`; returns its id.
pub async fn insert_child(
    conn: &mut PgConnection,
    org: OrgId,
    parent: CompanyId,
    name: &str,
) -> Result<CompanyId, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO companies (org_id, parent_id, name) VALUES ($1, $2, $3)
           RETURNING id AS "id: CompanyId""#,
        org.0,
        parent.0,
        name
    )
    .fetch_one(conn)
    .await
}

/// A company before a change, locked.
pub struct Before {
    pub name: String,
    pub active: bool,
    pub parent: bool,
    pub version: i32,
}

pub async fn for_update(
    conn: &mut PgConnection,
    org: OrgId,
    company: CompanyId,
) -> Result<Option<Before>, sqlx::Error> {
    sqlx::query_as!(
        Before,
        r#"SELECT name, active, parent_id IS NULL AS "parent!", version FROM companies
           WHERE id = $1 AND org_id = $2 FOR UPDATE"#,
        company.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// Renames the company and sets whether it is active; returns the new version.
pub async fn update(
    conn: &mut PgConnection,
    company: CompanyId,
    name: &str,
    active: bool,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE companies SET name = $1, active = $2, version = version + 1
         WHERE id = $3 RETURNING version",
        name,
        active,
        company.0
    )
    .fetch_one(conn)
    .await
}
