//! Server functions of the Companies page.
//!
//! Permissions: an Administrator of the organization; every read and write
//! is scoped to the caller's organization, so another organization's
//! company is "not found".

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::CompanyRow;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    companies::{
        COMPANY_CHANGED_ELSEWHERE, COMPANY_NAME_TAKEN, COMPANY_SAVED, COMPANY_STATUS_MESSAGE,
        PARENT_STAYS_ACTIVE, db,
    },
    error::{ConstraintAnswer, OnConstraint},
    model::{org::validate_company_name, policy::Action, validation::Field},
    principal::serve,
};
use crate::{error::AppError, model::ids::CompanyId};
#[cfg(feature = "ssr")]
use serde_json::json;

/// A name another company of the organization already has.
#[cfg(feature = "ssr")]
const NAME_TAKEN: &[ConstraintAnswer] = &[("companies_name_key", || {
    AppError::field(Field::CompanyName, COMPANY_NAME_TAKEN)
})];

/// The organization's companies: the parent first, then children by name.
#[server(prefix = "/api", endpoint = "list_companies")]
pub async fn list_companies() -> Result<Vec<CompanyRow>, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut conn = request.state.pool.acquire().await?;
        Ok(db::list(&mut conn, caller.user.org)
            .await?
            .into_iter()
            .map(|r| CompanyRow {
                id: r.id,
                name: r.name,
                parent: r.parent,
                active: r.active,
                version: r.version,
                members: r.members,
            })
            .collect())
    })
    .await
}

/// Adds a child company under the organization's parent company.
#[server(prefix = "/api", endpoint = "create_company")]
pub async fn create_company(name: String) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let name = validate_company_name(&name)?;
        let parent = caller
            .snapshot
            .companies
            .iter()
            .find(|c| c.is_parent())
            .ok_or(AppError::NotFound)?;
        let mut tx = request.state.pool.begin().await?;
        let id = db::insert_child(&mut tx, caller.user.org, parent.id, &name)
            .await
            .on_constraint(NAME_TAKEN)?;
        let event = Event::new(caller.user.org, "company.create", "company", id)
            .after(json!({ "name": name, "parent_id": parent.id, "active": true }));
        record(&mut tx, &caller.actor_in(caller.acting().await?), event).await?;
        tx.commit().await?;
        Ok(format!("{name} has been added."))
    })
    .await
}

/// Renames a company and sets its status ("active" or "inactive"), if
/// nobody changed it meanwhile. Nobody acts in an inactive company; its
/// data stays. The parent company stays active.
#[server(prefix = "/api", endpoint = "update_company")]
pub async fn update_company(
    company_id: CompanyId,
    version: i32,
    name: String,
    status: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let named = validate_company_name(&name);
        let mut errors = named.clone().err().unwrap_or_default();
        errors.check(
            Field::CompanyStatus,
            ["active", "inactive"].contains(&status.as_str()),
            COMPANY_STATUS_MESSAGE,
        );
        let name = match named {
            Ok(name) if errors.is_empty() => name,
            _ => return Err(AppError::Invalid(errors)),
        };
        let active = status == "active";
        let mut tx = request.state.pool.begin().await?;
        let before = db::for_update(&mut tx, caller.user.org, company_id)
            .await
            .found()?;
        if before.version != version {
            return Err(AppError::Conflict(COMPANY_CHANGED_ELSEWHERE.to_owned()));
        }
        if before.parent && !active {
            return Err(AppError::field(Field::CompanyStatus, PARENT_STAYS_ACTIVE));
        }
        let new_version = db::update(&mut tx, company_id, &name, active)
            .await
            .on_constraint(NAME_TAKEN)?;
        let event = Event::new(caller.user.org, "company.update", "company", company_id)
            .before(json!({
                "name": before.name, "active": before.active, "version": before.version,
            }))
            .after(json!({ "name": name, "active": active, "version": new_version }));
        record(&mut tx, &caller.actor_in(caller.acting().await?), event).await?;
        tx.commit().await?;
        Ok(COMPANY_SAVED.to_owned())
    })
    .await
}
