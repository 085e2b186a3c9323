//! Loading what the policy needs from the database.

use std::collections::BTreeSet;

use sqlx::{PgConnection, types::Json};

use crate::model::{
    access::OrgSnapshot,
    ids::{CompanyId, OrgId, RoleId, UserId, VendorId},
    org::{Company, OrgKind, Organization},
    permission::{Permission, PermissionSet},
    role::Role,
    user::{AccountType, User, UserStatus, UserType},
    vendor::{VendorGrant, VendorLink, VendorTier},
};

/// A stored value the model does not know: the schema and the model disagree.
fn unknown(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?} in the database").into())
}

fn keyed<T>(parse: fn(&str) -> Option<T>, what: &str, value: &str) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| unknown(what, value))
}

fn permissions(keys: &[String]) -> Result<PermissionSet, sqlx::Error> {
    keys.iter()
        .map(|k| keyed(Permission::from_key, "permission", k))
        .collect()
}

#[derive(Debug, serde::Deserialize)]
struct CompanyJson {
    id: i64,
    org: i64,
    name: String,
    parent: Option<i64>,
    active: bool,
}

#[derive(Debug, serde::Deserialize)]
struct RoleJson {
    id: i64,
    org: i64,
    name: String,
    description: String,
    permissions: Vec<String>,
    withheld: Vec<String>,
    self_service: bool,
    version: i32,
    companies: Vec<i64>,
}

#[derive(Debug, serde::Deserialize)]
struct LinkJson {
    vendor: i64,
    customer: i64,
    vendor_owned: bool,
    tier: String,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    reverts_to: Option<String>,
}

/// The organization, its companies (parent first), roles and vendor links.
pub async fn load_snapshot(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Option<OrgSnapshot>, sqlx::Error> {
    Ok(load_snapshot_versioned(conn, org).await?.map(|(s, _)| s))
}

/// The snapshot with its `access_version`, in one statement (requests go
/// through [`super::cache::snapshot`]).
pub async fn load_snapshot_versioned(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Option<(OrgSnapshot, i64)>, sqlx::Error> {
    let Some(row) = sqlx::query!(
            r#"SELECT o.id, o.access_version, o.name, o.kind AS "kind: OrgKind",
                o.suspended_at IS NOT NULL AS "suspended!",
                (SELECT coalesce(json_agg(json_build_object(
                            'id', c.id, 'org', c.org_id, 'name', c.name, 'parent', c.parent_id, 'active', c.active)
                        ORDER BY c.parent_id NULLS FIRST, lower(c.name), c.id), '[]')
                 FROM companies c WHERE c.org_id = o.id) AS "companies!: Json<Vec<CompanyJson>>",
                (SELECT coalesce(json_agg(json_build_object(
                            'id', r.id, 'org', r.org_id, 'name', r.name, 'description', r.description,
                            'permissions', r.permissions, 'withheld', r.withheld,
                            'self_service', r.self_service, 'version', r.version,
                            'companies', (SELECT coalesce(array_agg(rc.company_id), '{}')
                                          FROM role_companies rc WHERE rc.role_id = r.id))
                        ORDER BY lower(r.name), r.id), '[]')
                 FROM roles r WHERE r.org_id = o.id) AS "roles!: Json<Vec<RoleJson>>",
                (SELECT coalesce(json_agg(json_build_object(
                            'vendor', l.vendor_id, 'customer', l.customer_id, 'vendor_owned', l.vendor_owned,
                            'tier', l.tier, 'expires_at', l.expires_at, 'reverts_to', l.reverts_to)
                        ORDER BY l.vendor_id, l.customer_id), '[]')
                 FROM vendor_links l WHERE l.vendor_id = o.id OR l.customer_id = o.id)
                    AS "links!: Json<Vec<LinkJson>>"
             FROM organizations o WHERE o.id = $1"#,
            org.0
        )
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let (id, version, name, kind, suspended) = (
        row.id,
        row.access_version,
        row.name,
        row.kind,
        row.suspended,
    );
    let (Json(companies), Json(roles), Json(links)) = (row.companies, row.roles, row.links);
    let org = Organization {
        id: OrgId(id),
        name,
        kind,
        suspended,
    };
    let companies = companies
        .into_iter()
        .map(|c| Company {
            id: CompanyId(c.id),
            org: OrgId(c.org),
            name: c.name,
            parent: c.parent.map(CompanyId),
            active: c.active,
        })
        .collect();
    let roles = roles
        .into_iter()
        .map(|r| {
            Ok(Role {
                id: RoleId(r.id),
                org: OrgId(r.org),
                name: r.name,
                description: r.description,
                permissions: permissions(&r.permissions)?,
                withheld: permissions(&r.withheld)?,
                companies: r.companies.into_iter().map(CompanyId).collect(),
                self_service: r.self_service,
                version: r.version,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let vendor_links = links
        .into_iter()
        .map(|l| {
            let tier = keyed(VendorTier::from_key, "vendor tier", &l.tier)?;
            let reverts_to = l
                .reverts_to
                .map(|key| keyed(VendorTier::from_key, "vendor tier", &key))
                .transpose()?;
            Ok(VendorLink {
                vendor: VendorId(l.vendor),
                customer: OrgId(l.customer),
                vendor_owned: l.vendor_owned,
                grant: VendorGrant::stored(tier, l.expires_at, reverts_to),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;

    Ok(Some((
        OrgSnapshot {
            org,
            companies,
            roles,
            vendor_links,
            lookup: Default::default(),
        },
        version,
    )))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    org_id: i64,
    first_name: String,
    last_name: String,
    email: String,
    status: UserStatus,
    account_type: AccountType,
    user_type: UserType,
    default_company_id: Option<i64>,
    support_user: bool,
    role_id: Option<i64>,
    version: i32,
    direct_companies: Vec<i64>,
}

impl UserRow {
    pub(crate) fn into_user(self) -> Result<User, sqlx::Error> {
        Ok(User {
            id: UserId(self.id),
            org: OrgId(self.org_id),
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            status: self.status,
            account_type: self.account_type,
            user_type: self.user_type,
            default_company: self.default_company_id.map(CompanyId),
            support_user: self.support_user,
            role: self.role_id.map(RoleId),
            direct_companies: self
                .direct_companies
                .into_iter()
                .map(CompanyId)
                .collect::<BTreeSet<_>>(),
            version: self.version,
        })
    }
}

/// Selects a [`UserRow`] for user `$1` (append columns before `FROM`).
pub(crate) const USER_COLUMNS: &str = "u.id, u.org_id, u.first_name, u.last_name, u.email, u.status, u.account_type,
    u.user_type, u.default_company_id, u.support_user, u.role_id, u.version,
    COALESCE(array_agg(uc.company_id) FILTER (WHERE uc.company_id IS NOT NULL), '{}') AS direct_companies";
pub(crate) const USER_FROM: &str =
    "FROM users u LEFT JOIN user_companies uc ON uc.user_id = u.id WHERE u.id = $1 GROUP BY u.id";

/// SQL: the user `u` may act in one of the companies of the array `ids`,
/// by the policy's rules (`UserTarget::of`): every Administrator (when
/// there is a company at all), a Customer at home, a Partner by pick or by
/// role. The one SQL rendition of the rule, for lists and counts.
pub fn acts_in_any(ids: &str) -> String {
    format!(
        "((u.account_type = 'administrator' AND cardinality({ids}) > 0)
          OR (u.account_type = 'standard' AND u.user_type = 'customer' AND u.default_company_id = ANY({ids}))
          OR (u.account_type = 'standard' AND u.user_type = 'partner' AND (
              EXISTS (SELECT 1 FROM user_companies uc WHERE uc.user_id = u.id AND uc.company_id = ANY({ids}))
              OR EXISTS (SELECT 1 FROM role_companies rc WHERE rc.role_id = u.role_id AND rc.company_id = ANY({ids})))))"
    )
}

/// One user with their direct company assignments.
pub async fn load_user(conn: &mut PgConnection, user: UserId) -> Result<Option<User>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} {USER_FROM}"))
        .bind(user.0)
        .fetch_optional(conn)
        .await?;
    row.map(UserRow::into_user).transpose()
}

/// A session's user, with what the session check needs besides: the time
/// before which sessions no longer count, and whether they enrolled an
/// authenticator. One statement, as every request makes it.
pub struct SessionUser {
    pub user: User,
    pub sessions_not_before: Option<chrono::DateTime<chrono::Utc>>,
    pub two_factor_enrolled: bool,
    /// Two-factor sign-in is required of them: an Administrator, or
    /// platform staff.
    pub two_factor_required: bool,
    /// Their organization is suspended: the session no longer counts.
    pub org_suspended: bool,
    /// Their organization's `access_version`, so the request finds its
    /// cached snapshot without another round trip (`super::cache`).
    pub org_version: i64,
}

pub async fn load_session_user(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<SessionUser>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        sessions_not_before: Option<chrono::DateTime<chrono::Utc>>,
        enrolled: bool,
        required: bool,
        suspended: bool,
        org_version: i64,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, u.sessions_not_before,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS enrolled,
                u.account_type = 'administrator' OR min(o.kind) = 'platform' AS required,
                bool_or(o.suspended_at IS NOT NULL) AS suspended,
                max(o.access_version) AS org_version
         FROM users u JOIN organizations o ON o.id = u.org_id
         LEFT JOIN user_companies uc ON uc.user_id = u.id WHERE u.id = $1 GROUP BY u.id"
    ))
    .bind(user.0)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SessionUser {
            user: r.user.into_user()?,
            sessions_not_before: r.sessions_not_before,
            two_factor_enrolled: r.enrolled,
            two_factor_required: r.required,
            org_suspended: r.suspended,
            org_version: r.org_version,
        })
    })
    .transpose()
}

/// The organization's name.
pub async fn name(conn: &mut PgConnection, org: OrgId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT name FROM organizations WHERE id = $1", org.0)
        .fetch_one(conn)
        .await
}

/// A new customer organization's parent company, named like it, and its
/// first Administrator (who has no password until the invitation is
/// used); returns the Administrator's id. The operator's bootstrap and a
/// vendor's new account both start an organization this way.
pub async fn create_parent_and_administrator(
    conn: &mut PgConnection,
    org: i64,
    name: &str,
    first_name: &str,
    last_name: &str,
    email: &str,
) -> Result<i64, sqlx::Error> {
    let parent = sqlx::query_scalar!(
        "INSERT INTO companies (org_id, name) VALUES ($1, $2) RETURNING id",
        org,
        name
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        "INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type, default_company_id)
         VALUES ($1, $2, $3, $4, 'administrator', 'partner', $5) RETURNING id",
        org,
        first_name,
        last_name,
        email,
        parent
    )
    .fetch_one(conn)
    .await
}
