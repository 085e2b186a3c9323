//! Loading what the policy needs from the database.

use std::collections::BTreeSet;

use sqlx::PgConnection;

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

/// The organization, its companies (parent first), roles and vendor links.
pub async fn load_snapshot(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Option<OrgSnapshot>, sqlx::Error> {
    let Some((id, name, kind)) = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT id, name, kind FROM organizations WHERE id = $1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let org = Organization {
        id: OrgId(id),
        name,
        kind: keyed(OrgKind::from_key, "organization kind", &kind)?,
    };

    let companies = sqlx::query_as::<_, (i64, i64, String, Option<i64>, bool)>(
        "SELECT id, org_id, name, parent_id, active FROM companies
         WHERE org_id = $1 ORDER BY parent_id NULLS FIRST, lower(name), id",
    )
    .bind(org.id.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, org, name, parent, active)| Company {
        id: CompanyId(id),
        org: OrgId(org),
        name,
        parent: parent.map(CompanyId),
        active,
    })
    .collect();

    let roles = sqlx::query_as::<_, (i64, i64, String, String, Vec<String>, bool, i32, Vec<i64>)>(
        "SELECT r.id, r.org_id, r.name, r.description, r.permissions, r.self_service, r.version,
                COALESCE(array_agg(rc.company_id) FILTER (WHERE rc.company_id IS NOT NULL), '{}')
         FROM roles r LEFT JOIN role_companies rc ON rc.role_id = r.id
         WHERE r.org_id = $1 GROUP BY r.id ORDER BY lower(r.name)",
    )
    .bind(org.id.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(
        |(id, org, name, description, keys, self_service, version, companies)| {
            Ok(Role {
                id: RoleId(id),
                org: OrgId(org),
                name,
                description,
                permissions: permissions(&keys)?,
                companies: companies.into_iter().map(CompanyId).collect(),
                self_service,
                version,
            })
        },
    )
    .collect::<Result<_, sqlx::Error>>()?;

    let vendor_links = sqlx::query_as::<_, (i64, i64, bool, String, Option<chrono::DateTime<chrono::Utc>>, Option<String>)>(
        "SELECT vendor_id, customer_id, vendor_owned, tier, expires_at, reverts_to FROM vendor_links
         WHERE vendor_id = $1 OR customer_id = $1 ORDER BY vendor_id, customer_id",
    )
    .bind(org.id.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(vendor, customer, vendor_owned, tier, expires_at, reverts_to)| {
        let tier = keyed(VendorTier::from_key, "vendor tier", &tier)?;
        let reverts_to = match reverts_to {
            Some(key) => keyed(VendorTier::from_key, "vendor tier", &key)?,
            None => tier,
        };
        Ok(VendorLink {
            vendor: VendorId(vendor),
            customer: OrgId(customer),
            vendor_owned,
            grant: VendorGrant { tier, expires_at, reverts_to },
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;

    Ok(Some(OrgSnapshot {
        org,
        companies,
        roles,
        vendor_links,
    }))
}

type UserRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    bool,
    Option<i64>,
    i32,
    Vec<i64>,
);

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
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.org_id, u.first_name, u.last_name, u.email, u.status, u.account_type, u.user_type,
                u.default_company_id, u.support_user, u.role_id, u.version,
                COALESCE(array_agg(uc.company_id) FILTER (WHERE uc.company_id IS NOT NULL), '{}')
         FROM users u LEFT JOIN user_companies uc ON uc.user_id = u.id
         WHERE u.id = $1 GROUP BY u.id",
    )
    .bind(user.0)
    .fetch_optional(conn)
    .await?;
    let Some((
        id,
        org,
        first_name,
        last_name,
        email,
        status,
        account_type,
        user_type,
        default,
        support,
        role,
        version,
        direct,
    )) = row
    else {
        return Ok(None);
    };
    Ok(Some(User {
        id: UserId(id),
        org: OrgId(org),
        first_name,
        last_name,
        email,
        status: keyed(UserStatus::from_key, "user status", &status)?,
        account_type: keyed(AccountType::from_key, "account type", &account_type)?,
        user_type: keyed(UserType::from_key, "user type", &user_type)?,
        default_company: default.map(CompanyId),
        support_user: support,
        role: role.map(RoleId),
        direct_companies: direct.into_iter().map(CompanyId).collect::<BTreeSet<_>>(),
        version,
    }))
}
