//! The roles feature's statements: the Roles page, the role editor,
//! creating, saving and deleting a role.

use serde_json::json;
use sqlx::PgConnection;

use crate::model::{
    ids::{OrgId, RoleId, UserId},
    permission::{Permission, PermissionSet},
    role::ServiceType,
};

/// The stored keys of a permission set.
pub fn keys(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.key().to_owned()).collect()
}

/// The permissions of stored keys (a key the model no longer knows is
/// left out).
pub fn permissions(keys: &[String]) -> PermissionSet {
    keys.iter()
        .filter_map(|k| Permission::from_key(k))
        .collect()
}

/// A role as the Roles page lists it.
pub struct ListRow {
    pub id: RoleId,
    pub name: String,
    pub description: String,
    pub self_service: bool,
    pub permissions: Vec<String>,
    pub companies: i64,
    pub members: i64,
}

/// The roles of `org` by name, with their companies and members counted.
pub async fn list(conn: &mut PgConnection, org: OrgId) -> Result<Vec<ListRow>, sqlx::Error> {
    sqlx::query_as!(
        ListRow,
        r#"SELECT r.id AS "id: RoleId", r.name, r.description, r.self_service, r.permissions,
                  (SELECT count(*) FROM role_companies rc WHERE rc.role_id = r.id) AS "companies!",
                  (SELECT count(*) FROM users u WHERE u.role_id = r.id) AS "members!"
           FROM roles r WHERE r.org_id = $1 ORDER BY lower(r.name), r.id"#,
        org.0
    )
    .fetch_all(conn)
    .await
}

/// A new role of `org`.
pub struct NewRole<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub permissions: PermissionSet,
    pub withheld: PermissionSet,
    pub self_service: bool,
    pub template: Option<&'static str>,
}

/// Adds the role; returns its id.
pub async fn insert(
    conn: &mut PgConnection,
    org: OrgId,
    role: &NewRole<'_>,
) -> Result<RoleId, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO roles (org_id, name, description, permissions, withheld, self_service, template)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS "id: RoleId""#,
        org.0,
        role.name,
        role.description,
        &keys(role.permissions),
        &keys(role.withheld),
        role.self_service,
        role.template
    )
    .fetch_one(conn)
    .await
}

/// A role's fields as the editor shows them and the audit log keeps them.
pub struct Stored {
    pub name: String,
    pub description: String,
    pub self_service: bool,
    pub permissions: Vec<String>,
    pub withheld: Vec<String>,
    pub version: i32,
    pub companies: Vec<i64>,
}

impl Stored {
    pub fn json(&self) -> serde_json::Value {
        json!({
            "name": self.name, "description": self.description, "self_service": self.self_service,
            "permissions": self.permissions, "companies": self.companies, "version": self.version,
        })
    }
}

/// The role `role` of `org`.
pub async fn stored(
    conn: &mut PgConnection,
    org: OrgId,
    role: RoleId,
) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as!(
        Stored,
        r#"SELECT r.name, r.description, r.self_service, r.permissions, r.withheld, r.version,
                  ARRAY(SELECT rc.company_id FROM role_companies rc WHERE rc.role_id = r.id
                        ORDER BY rc.company_id) AS "companies!"
           FROM roles r WHERE r.id = $1 AND r.org_id = $2"#,
        role.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// Locks the role `role` of `org` for the rest of the transaction;
/// whether there is one.
pub async fn lock(conn: &mut PgConnection, org: OrgId, role: RoleId) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        "SELECT id FROM roles WHERE id = $1 AND org_id = $2 FOR UPDATE",
        role.0,
        org.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(locked.is_some())
}

/// How many users hold `role`.
pub async fn members(conn: &mut PgConnection, role: RoleId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM users WHERE role_id = $1"#,
        role.0
    )
    .fetch_one(conn)
    .await
}

/// A role as saved from the editor.
pub struct RoleChange<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub self_service: bool,
    pub permissions: PermissionSet,
    /// The companies members inherit.
    pub companies: &'a [i64],
}

/// Saves the role and replaces its companies. Members keep the companies
/// picked for them directly; the ones only this role gave them go with it.
pub async fn update(
    conn: &mut PgConnection,
    org: OrgId,
    role: RoleId,
    change: &RoleChange<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE roles SET name = $1, description = $2, self_service = $3, permissions = $4,
                          version = version + 1, updated_at = now()
         WHERE id = $5",
        change.name,
        change.description,
        change.self_service,
        &keys(change.permissions),
        role.0
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM role_companies WHERE role_id = $1", role.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO role_companies (role_id, company_id, org_id)
         SELECT $1, unnest($2::bigint[]), $3",
        role.0,
        change.companies,
        org.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The members of `role`, locked, so nobody joins the role while it goes.
pub async fn lock_members(
    conn: &mut PgConnection,
    role: RoleId,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: UserId" FROM users WHERE role_id = $1 ORDER BY id FOR UPDATE"#,
        role.0
    )
    .fetch_all(conn)
    .await
}

/// The name of the role `role` of `org`, if there is one.
pub async fn name(
    conn: &mut PgConnection,
    org: OrgId,
    role: RoleId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT name FROM roles WHERE id = $1 AND org_id = $2",
        role.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// Moves every member of `from` to `to`.
pub async fn move_members(
    conn: &mut PgConnection,
    from: RoleId,
    to: RoleId,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET role_id = $1, version = version + 1, updated_at = now()
         WHERE role_id = $2",
        to.0,
        from.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the role.
pub async fn delete(conn: &mut PgConnection, role: RoleId) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM roles WHERE id = $1", role.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The service type of `org` and its row version.
pub async fn service_type(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<(ServiceType, i32), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT service_type AS "service_type: ServiceType", version
           FROM organizations WHERE id = $1"#,
        org.0
    )
    .fetch_one(conn)
    .await?;
    Ok((row.service_type, row.version))
}

/// Sets the service type of `org` if its row is still at `version`;
/// returns the type it had, or `None` if the row moved.
pub async fn set_service_type(
    conn: &mut PgConnection,
    org: OrgId,
    to: ServiceType,
    version: i32,
) -> Result<Option<ServiceType>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE organizations o SET service_type = $2, version = o.version + 1
           FROM organizations old
           WHERE o.id = $1 AND old.id = o.id AND o.version = $3
           RETURNING old.service_type AS "before: ServiceType""#,
        org.0,
        to.key(),
        version
    )
    .fetch_optional(conn)
    .await
}
