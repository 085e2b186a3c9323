//! Server functions of the Roles page and the role editor.
//!
//! Permissions: an Administrator of the organization, through the policy
//! gate; every read and write is scoped to the caller's organization, so
//! another organization's role is "not found".

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{RoleEditor, RolesOverview};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    error::{ConstraintAnswer, OnConstraint},
    model::{
        permission::{Permission, PermissionSet},
        policy::Action,
        role::{RoleInput, RoleTemplate, validate_role},
        validation::Field,
    },
    principal::serve,
    roles::{
        MOVE_TO_MESSAGE, ROLE_CHANGED_ELSEWHERE, ROLE_COMPANY_MESSAGE, ROLE_NAME_TAKEN, ROLE_SAVED,
        RoleSummary, SELF_SERVICE_HAS_CUSTOMERS, TEMPLATE_MESSAGE, TEMPLATE_NOT_OFFERED,
        TemplateChoice, db, members_need_a_new_role,
    },
};
use crate::{
    error::AppError,
    model::ids::{CompanyId, RoleId},
    ui::choice::Choice,
};
#[cfg(feature = "ssr")]
use serde_json::json;

/// A unique-name violation as the field error the form shows.
#[cfg(feature = "ssr")]
const NAME_TAKEN: ConstraintAnswer = ("roles_name_key", || {
    AppError::field(Field::RoleName, ROLE_NAME_TAKEN)
});

/// The organization's roles with their member counts, and the templates.
#[server(prefix = "/api", endpoint = "list_roles")]
pub async fn list_roles() -> Result<RolesOverview, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut conn = request.state.pool.acquire().await?;
        let rows = db::list(&mut conn, caller.user.org).await?;
        let (service_type, _) = db::service_type(&mut conn, caller.user.org).await?;
        Ok(RolesOverview {
            roles: rows
                .into_iter()
                .map(|row| RoleSummary {
                    id: row.id,
                    name: row.name,
                    description: row.description,
                    self_service: row.self_service,
                    permissions: db::permissions(&row.permissions),
                    companies: row.companies,
                    members: row.members,
                })
                .collect(),
            templates: RoleTemplate::ALL
                .into_iter()
                .map(|template| TemplateChoice {
                    template,
                    offered: template.service_types().contains(&service_type),
                })
                .collect(),
            service_type,
        })
    })
    .await
}

/// Creates a role from a template's permissions (`template` is a
/// `RoleTemplate` key of the organization's service type) or from scratch
/// (`template` ""); returns its id.
#[server(prefix = "/api", endpoint = "create_role")]
pub async fn create_role(
    name: String,
    description: String,
    template: String,
) -> Result<RoleId, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let valid = validate_role(&RoleInput { name, description });
        let template = match template.as_str() {
            "" => Ok(None),
            key => RoleTemplate::from_key(key).map(Some).ok_or(()),
        };
        let mut errors = valid.clone().err().unwrap_or_default();
        errors.check(Field::Template, template.is_ok(), TEMPLATE_MESSAGE);
        let mut tx = request.state.pool.begin().await?;
        let (service_type, _) = db::service_type(&mut tx, caller.user.org).await?;
        if let Ok(Some(template)) = template {
            errors.check(
                Field::Template,
                template.service_types().contains(&service_type),
                TEMPLATE_NOT_OFFERED,
            );
        }
        let (Ok(valid), Ok(template), true) = (valid, template, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let role = db::NewRole {
            name: &valid.name,
            description: &valid.description,
            permissions: template.map_or(PermissionSet::EMPTY, RoleTemplate::permissions),
            withheld: template.map_or(PermissionSet::EMPTY, RoleTemplate::withheld),
            self_service: template.is_some_and(RoleTemplate::self_service),
            template: template.map(RoleTemplate::key),
        };
        let id = db::insert(&mut tx, caller.user.org, &role)
            .await
            .on_constraint(&[NAME_TAKEN])?;
        let event = Event::new(caller.user.org, "role.create", "role", id).after(json!({
            "name": valid.name, "description": valid.description,
            "template": role.template, "permissions": db::keys(role.permissions),
            "withheld": db::keys(role.withheld), "self_service": role.self_service,
        }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/roles/{id}?created"));
        Ok(id)
    })
    .await
}

/// One role, for the editor.
#[server(prefix = "/api", endpoint = "load_role")]
pub async fn load_role(role_id: RoleId) -> Result<RoleEditor, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let snapshot = &*caller.snapshot;
        let mut conn = request.state.pool.acquire().await?;
        let role = db::stored(&mut conn, caller.user.org, role_id)
            .await
            .found()?;
        let members = db::members(&mut conn, role_id).await?;
        let mut other_roles: Vec<(RoleId, String)> = snapshot
            .roles
            .iter()
            .filter(|r| r.id != role_id)
            .map(|r| (r.id, r.name.clone()))
            .collect();
        other_roles.sort_by_key(|(_, name)| name.to_lowercase());
        Ok(RoleEditor {
            id: role_id,
            version: role.version,
            permissions: db::permissions(&role.permissions),
            withheld: db::permissions(&role.withheld),
            name: role.name,
            description: role.description,
            self_service: role.self_service,
            companies: role.companies.into_iter().map(CompanyId).collect(),
            all_companies: snapshot
                .companies
                .iter()
                .filter(|c| c.active)
                .map(|c| (c.id, c.name.clone()))
                .collect(),
            members,
            other_roles,
        })
    })
    .await
}

/// Saves a role, all or nothing, if nobody changed it meanwhile.
/// `permissions`: permission keys ("claims.view", …); `companies`: the
/// companies members inherit. Members see the change on their next request.
#[server(prefix = "/api", endpoint = "update_role")]
pub async fn update_role(
    role_id: RoleId,
    version: i32,
    name: String,
    description: String,
    self_service: Option<String>,
    permissions: Option<Vec<String>>,
    companies: Option<Vec<CompanyId>>,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let snapshot = &*caller.snapshot;
        // The form only ever sends known keys: anything else is a broken client.
        let permissions: PermissionSet = permissions
            .unwrap_or_default()
            .iter()
            .map(|k| {
                Permission::from_key(k)
                    .ok_or_else(|| AppError::BadRequest(format!("{k:?} is not a permission")))
            })
            .collect::<Result<_, _>>()?;
        let valid = validate_role(&RoleInput { name, description });
        let mut errors = valid.clone().err().unwrap_or_default();
        let mut companies: Vec<i64> = companies
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.0)
            .collect();
        companies.sort_unstable();
        companies.dedup();
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

        let org = caller.user.org;
        let mut tx = request.state.pool.begin().await?;
        let before = locked(&mut tx, org, role_id, version).await?;
        let change = db::RoleChange {
            name: &valid.name,
            description: &valid.description,
            self_service: self_service.is_some(),
            permissions,
            companies: &companies,
        };
        db::update(&mut tx, org, role_id, &change)
            .await
            .on_constraint(&[
                ("users_self_service_needs_partner", || {
                    AppError::field(Field::SelfService, SELF_SERVICE_HAS_CUSTOMERS)
                }),
                NAME_TAKEN,
            ])?;
        let after = db::stored(&mut tx, org, role_id).await.found()?;
        let event = Event::new(org, "role.update", "role", role_id)
            .before(before.json())
            .after(after.json());
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(ROLE_SAVED.to_owned())
    })
    .await
}

/// Deletes a role. Its members, if any, move to the role `move_to` in the
/// same transaction; without one, a role with members is kept.
#[server(prefix = "/api", endpoint = "delete_role")]
pub async fn delete_role(
    role_id: RoleId,
    version: i32,
    move_to: Choice<RoleId>,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let org = caller.user.org;
        let mut tx = request.state.pool.begin().await?;
        let before = locked(&mut tx, org, role_id, version).await?;
        let members = db::lock_members(&mut tx, role_id).await?;
        let target = match move_to.0 {
            Some(id) if id != role_id => Some(
                db::name(&mut tx, org, id)
                    .await?
                    .map(|name| (id, name))
                    .ok_or_else(|| AppError::field(Field::MoveTo, MOVE_TO_MESSAGE))?,
            ),
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
            db::move_members(&mut tx, role_id, *target_id)
                .await
                .on_constraint(&[("users_self_service_needs_partner", || {
                    AppError::field(Field::MoveTo, SELF_SERVICE_HAS_CUSTOMERS)
                })])?;
        }
        db::delete(&mut tx, role_id).await?;
        let event = Event::new(org, "role.delete", "role", role_id)
            .before(before.json())
            .after(json!({
                "members_moved": members,
                "moved_to": target.as_ref().map(|(id, name)| json!({ "id": id, "name": name })),
            }));
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
    })
    .await
}

/// Locks the role for a change and reads it as it stands: "not found" for
/// another organization's role, a conflict when someone changed it since
/// the editor loaded `version`.
#[cfg(feature = "ssr")]
async fn locked(
    tx: &mut sqlx::PgConnection,
    org: crate::model::ids::OrgId,
    role_id: RoleId,
    version: i32,
) -> Result<db::Stored, AppError> {
    if !db::lock(tx, org, role_id).await? {
        return Err(AppError::NotFound);
    }
    let stored = db::stored(tx, org, role_id).await.found()?;
    if stored.version != version {
        return Err(AppError::Conflict(ROLE_CHANGED_ELSEWHERE.to_owned()));
    }
    Ok(stored)
}
