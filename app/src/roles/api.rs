//! Server functions of the Roles page and the role editor.
//!
//! Permissions: an Administrator of the organization, through the policy
//! gate; every read and write is scoped to the caller's organization, so
//! another organization's role is "not found".

use leptos::prelude::*;

use super::{RoleEditor, RolesOverview};
use crate::error::AppError;

/// The organization's roles with their member counts, and the templates.
#[server(prefix = "/api", endpoint = "list_roles")]
pub async fn list_roles() -> Result<RolesOverview, AppError> {
    ssr::list().await.map_err(AppError::respond)
}

/// Creates a role from a template's permissions (`template` is a
/// `RoleTemplate` key) or from scratch (`template` ""); returns its id.
#[server(prefix = "/api", endpoint = "create_role")]
pub async fn create_role(
    name: String,
    description: String,
    template: String,
) -> Result<i64, AppError> {
    ssr::create(name, description, template)
        .await
        .map_err(AppError::respond)
}

/// One role, for the editor.
#[server(prefix = "/api", endpoint = "load_role")]
pub async fn load_role(role_id: i64) -> Result<RoleEditor, AppError> {
    ssr::load(role_id).await.map_err(AppError::respond)
}

/// Saves a role, all or nothing, if nobody changed it meanwhile.
/// `permissions`: permission keys ("claims.view", …); `companies`: the
/// companies members inherit. Members see the change on their next request.
#[server(prefix = "/api", endpoint = "update_role")]
pub async fn update_role(
    role_id: i64,
    version: i32,
    name: String,
    description: String,
    self_service: Option<String>,
    permissions: Option<Vec<String>>,
    companies: Option<Vec<i64>>,
) -> Result<String, AppError> {
    ssr::update(
        role_id,
        version,
        crate::model::role::RoleInput { name, description },
        self_service.is_some(),
        permissions.unwrap_or_default(),
        companies.unwrap_or_default(),
    )
    .await
    .map_err(AppError::respond)
}

/// Deletes a role. Its members, if any, move to the role `move_to` in the
/// same transaction; without one, a role with members is kept.
#[server(prefix = "/api", endpoint = "delete_role")]
pub async fn delete_role(role_id: i64, version: i32, move_to: String) -> Result<String, AppError> {
    ssr::delete(role_id, version, move_to)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::BTreeSet;

    use serde_json::json;
    use sqlx::PgConnection;

    use super::super::{
        MOVE_TO_MESSAGE, ROLE_CHANGED_ELSEWHERE, ROLE_COMPANY_MESSAGE, ROLE_NAME_TAKEN, ROLE_SAVED,
        RoleEditor, RoleSummary, RolesOverview, SELF_SERVICE_HAS_CUSTOMERS, TEMPLATE_MESSAGE,
        members_need_a_new_role,
    };
    use crate::model::access::Action;
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::{AppError, ConstraintAnswer, OnConstraint},
        model::{
            ids::CompanyId,
            permission::{Permission, PermissionSet},
            role::{RoleInput, RoleTemplate, validate_role},
            validation::Field,
        },
        state::AppState,
        users::optional_id,
    };

    fn keys(set: PermissionSet) -> Vec<&'static str> {
        set.iter().map(Permission::key).collect()
    }

    #[derive(sqlx::FromRow)]
    struct ListRow {
        id: i64,
        name: String,
        description: String,
        self_service: bool,
        permissions: Vec<String>,
        companies: i64,
        members: i64,
    }

    pub async fn list() -> Result<RolesOverview, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let rows: Vec<ListRow> = sqlx::query_as(
            "SELECT r.id, r.name, r.description, r.self_service, r.permissions,
                    (SELECT count(*) FROM role_companies rc WHERE rc.role_id = r.id) AS companies,
                    (SELECT count(*) FROM users u WHERE u.role_id = r.id) AS members
             FROM roles r WHERE r.org_id = $1 ORDER BY lower(r.name), r.id",
        )
        .bind(admin.org.0)
        .fetch_all(&state.pool)
        .await?;
        Ok(RolesOverview {
            roles: rows
                .into_iter()
                .map(|row| RoleSummary {
                    id: row.id,
                    name: row.name,
                    description: row.description,
                    self_service: row.self_service,
                    permissions: row
                        .permissions
                        .iter()
                        .filter_map(|k| Permission::from_key(k))
                        .collect(),
                    companies: row.companies,
                    members: row.members,
                })
                .collect(),
            templates: RoleTemplate::ALL
                .into_iter()
                .map(|t| {
                    (
                        t.key().to_owned(),
                        t.name().to_owned(),
                        t.description().to_owned(),
                    )
                })
                .collect(),
        })
    }

    /// A unique-name violation as the field error the form shows.
    const NAME_TAKEN: ConstraintAnswer = ("roles_name_key", || {
        AppError::field(Field::RoleName, ROLE_NAME_TAKEN)
    });

    pub async fn create(
        name: String,
        description: String,
        template: String,
    ) -> Result<i64, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let valid = validate_role(&RoleInput { name, description });
        let template = match template.as_str() {
            "" => Ok(None),
            key => RoleTemplate::from_key(key).map(Some).ok_or(()),
        };
        let mut errors = valid.clone().err().unwrap_or_default();
        errors.check(Field::Template, template.is_ok(), TEMPLATE_MESSAGE);
        let (Ok(valid), Ok(template)) = (valid, template) else {
            return Err(AppError::Invalid(errors));
        };
        let permissions = template.map_or(PermissionSet::EMPTY, RoleTemplate::permissions);
        let self_service = template.is_some_and(RoleTemplate::self_service);
        let mut tx = state.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO roles (org_id, name, description, permissions, self_service, template)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(admin.org.0)
        .bind(&valid.name)
        .bind(&valid.description)
        .bind(keys(permissions))
        .bind(self_service)
        .bind(template.map(RoleTemplate::key))
        .fetch_one(&mut *tx)
        .await
        .on_constraint(&[NAME_TAKEN])?;
        let event = Event {
            org: Some(admin.org),
            action: "role.create",
            target_type: "role",
            target_id: Some(id.to_string()),
            before: None,
            after: Some(json!({
                "name": valid.name, "description": valid.description,
                "template": template.map(RoleTemplate::key),
                "permissions": keys(permissions), "self_service": self_service,
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/roles/{id}?created"));
        Ok(id)
    }

    /// The role's fields as the audit log keeps them.
    #[derive(sqlx::FromRow)]
    struct Stored {
        name: String,
        description: String,
        self_service: bool,
        permissions: Vec<String>,
        version: i32,
        companies: Vec<i64>,
    }

    impl Stored {
        fn json(&self) -> serde_json::Value {
            json!({
                "name": self.name, "description": self.description, "self_service": self.self_service,
                "permissions": self.permissions, "companies": self.companies, "version": self.version,
            })
        }
    }

    /// The role `role_id` of `org`, locked for the rest of the transaction
    /// when `lock`.
    async fn stored(
        conn: &mut PgConnection,
        org: i64,
        role_id: i64,
        lock: bool,
    ) -> Result<Stored, AppError> {
        let lock = if lock { "FOR UPDATE OF r" } else { "" };
        sqlx::query_as::<_, Stored>(&format!(
            "SELECT r.name, r.description, r.self_service, r.permissions, r.version,
                    ARRAY(SELECT rc.company_id FROM role_companies rc WHERE rc.role_id = r.id
                          ORDER BY rc.company_id) AS companies
             FROM roles r WHERE r.id = $1 AND r.org_id = $2 {lock}"
        ))
        .bind(role_id)
        .bind(org)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
    }

    pub async fn load(role_id: i64) -> Result<RoleEditor, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let (admin, snapshot) = (&caller.user, &*caller.snapshot);
        let mut conn = state.pool.acquire().await?;
        let role = stored(&mut conn, admin.org.0, role_id, false).await?;
        let members: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role_id = $1")
            .bind(role_id)
            .fetch_one(&mut *conn)
            .await?;
        let mut other_roles: Vec<(i64, String)> = snapshot
            .roles
            .iter()
            .filter(|r| r.id.0 != role_id)
            .map(|r| (r.id.0, r.name.clone()))
            .collect();
        other_roles.sort_by_key(|(_, name)| name.to_lowercase());
        Ok(RoleEditor {
            id: role_id,
            version: role.version,
            permissions: role
                .permissions
                .iter()
                .filter_map(|k| Permission::from_key(k))
                .collect(),
            name: role.name,
            description: role.description,
            self_service: role.self_service,
            companies: role.companies,
            all_companies: snapshot
                .companies
                .iter()
                .filter(|c| c.active)
                .map(|c| (c.id.0, c.name.clone()))
                .collect(),
            members,
            other_roles,
        })
    }

    pub async fn update(
        role_id: i64,
        version: i32,
        input: RoleInput,
        self_service: bool,
        permission_keys: Vec<String>,
        companies: Vec<i64>,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let (admin, snapshot) = (&caller.user, &*caller.snapshot);
        // The form only ever sends known keys: anything else is a broken client.
        let permissions: PermissionSet = permission_keys
            .iter()
            .map(|k| {
                Permission::from_key(k)
                    .ok_or_else(|| AppError::BadRequest(format!("{k:?} is not a permission")))
            })
            .collect::<Result<_, _>>()?;
        let valid = validate_role(&input);
        let mut errors = valid.clone().err().unwrap_or_default();
        let companies: BTreeSet<i64> = companies.into_iter().collect();
        errors.check(
            Field::Company,
            companies.iter().all(|id| {
                snapshot
                    .companies
                    .iter()
                    .any(|c| c.id == CompanyId(*id) && c.active)
            }),
            ROLE_COMPANY_MESSAGE,
        );
        let valid = match valid {
            Ok(valid) if errors.is_empty() => valid,
            _ => return Err(AppError::Invalid(errors)),
        };

        let mut tx = state.pool.begin().await?;
        let before = stored(&mut tx, admin.org.0, role_id, true).await?;
        if before.version != version {
            return Err(AppError::Conflict(ROLE_CHANGED_ELSEWHERE.to_owned()));
        }
        sqlx::query_scalar::<_, i32>(
            "UPDATE roles SET name = $1, description = $2, self_service = $3, permissions = $4,
                              version = version + 1, updated_at = now()
             WHERE id = $5 RETURNING version",
        )
        .bind(&valid.name)
        .bind(&valid.description)
        .bind(self_service)
        .bind(keys(permissions))
        .bind(role_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(&[
            ("users_self_service_needs_partner", || {
                AppError::field(Field::SelfService, SELF_SERVICE_HAS_CUSTOMERS)
            }),
            NAME_TAKEN,
        ])?;
        let companies: Vec<i64> = companies.into_iter().collect();
        // Members keep the companies picked for them directly; the ones
        // only this role gave them go with it.
        sqlx::query("DELETE FROM role_companies WHERE role_id = $1")
            .bind(role_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO role_companies (role_id, company_id, org_id) SELECT $1, unnest($2::bigint[]), $3",
        )
        .bind(role_id)
        .bind(&companies)
        .bind(admin.org.0)
        .execute(&mut *tx)
        .await?;
        let after = stored(&mut tx, admin.org.0, role_id, false).await?;
        let event = Event {
            org: Some(admin.org),
            action: "role.update",
            target_type: "role",
            target_id: Some(role_id.to_string()),
            before: Some(before.json()),
            after: Some(after.json()),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(ROLE_SAVED.to_owned())
    }

    pub async fn delete(role_id: i64, version: i32, move_to: String) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let admin = &caller.user;
        let move_to = optional_id(&move_to)?;
        let org = admin.org.0;
        let mut tx = state.pool.begin().await?;
        let before = stored(&mut tx, org, role_id, true).await?;
        if before.version != version {
            return Err(AppError::Conflict(ROLE_CHANGED_ELSEWHERE.to_owned()));
        }
        // Locks the members too, so nobody joins the role while it goes.
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE role_id = $1 ORDER BY id FOR UPDATE")
                .bind(role_id)
                .fetch_all(&mut *tx)
                .await?;
        let target = match move_to {
            Some(id) if id != role_id => {
                let name: Option<String> =
                    sqlx::query_scalar("SELECT name FROM roles WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org)
                        .fetch_optional(&mut *tx)
                        .await?;
                Some(
                    name.map(|name| (id, name))
                        .ok_or_else(|| AppError::field(Field::MoveTo, MOVE_TO_MESSAGE))?,
                )
            }
            Some(_) => return Err(AppError::field(Field::MoveTo, MOVE_TO_MESSAGE)),
            None => None,
        };
        if !members.is_empty() {
            let Some((target_id, _)) = &target else {
                return Err(AppError::field(
                    Field::MoveTo,
                    &members_need_a_new_role(members.len() as i64),
                ));
            };
            sqlx::query(
                "UPDATE users SET role_id = $1, version = version + 1, updated_at = now() WHERE role_id = $2",
            )
            .bind(target_id)
            .bind(role_id)
            .execute(&mut *tx)
            .await
            .on_constraint(&[("users_self_service_needs_partner", || {
                AppError::field(Field::MoveTo, SELF_SERVICE_HAS_CUSTOMERS)
            })])?;
        }
        sqlx::query("DELETE FROM roles WHERE id = $1")
            .bind(role_id)
            .execute(&mut *tx)
            .await?;
        let event = Event {
            org: Some(admin.org),
            action: "role.delete",
            target_type: "role",
            target_id: Some(role_id.to_string()),
            before: Some(before.json()),
            after: Some(json!({
                "members_moved": members,
                "moved_to": target.as_ref().map(|(id, name)| json!({ "id": id, "name": name })),
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect("/roles?deleted");
        Ok(match (members.len(), target) {
            (0, _) | (_, None) => format!("The role “{}” has been deleted.", before.name),
            (n, Some((_, name))) => format!(
                "The role “{}” has been deleted; {} moved to “{name}”.",
                before.name,
                if n == 1 {
                    "its member".to_owned()
                } else {
                    format!("its {n} members")
                }
            ),
        })
    }
}
