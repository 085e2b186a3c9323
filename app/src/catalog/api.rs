//! Server functions of the Payers and facilities page.
//!
//! Permissions: reading, anyone signed in, for the company they act in
//! (from the session, never from the request); every change, the policy's
//! `ManageCatalog`: an Administrator acting in the parent company.
//! `catalog` is "payers" or "facilities".

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{CatalogView, CopyPlan};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    catalog::{
        CHILDREN_MESSAGE, ENTRY_CHANGED_ELSEWHERE, ENTRY_IN_USE, ENTRY_NAME_TAKEN, Entry, db,
    },
    error::{ConstraintAnswer, OnConstraint},
    model::{
        catalog::{CopyOutcome, EntryInput, copy_outcome, validate_entry},
        org::Company,
        policy::Action,
        validation::Field,
    },
    principal::Caller,
    principal::{Request, serve},
};
use crate::{
    error::AppError,
    model::{
        catalog::Catalog,
        ids::{CompanyId, EntryId},
    },
    ui::choice::Choice,
};
#[cfg(feature = "ssr")]
use serde_json::json;

/// The acting company's payers and facilities.
#[server(prefix = "/api", endpoint = "list_catalog")]
pub async fn list_catalog() -> Result<CatalogView, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let company = caller.acting_company().await?;
        let manage = caller.may(Action::ManageCatalog(company));
        let mut children: Vec<(CompanyId, String)> = if manage {
            caller
                .snapshot
                .companies
                .iter()
                .filter(|c| c.active && !c.is_parent())
                .map(|c| (c.id, c.name.clone()))
                .collect()
        } else {
            Vec::new()
        };
        children.sort_by_key(|(_, name)| name.to_lowercase());
        let mut conn = request.state.pool.acquire().await?;
        let mut list = async |catalog| -> Result<Vec<Entry>, AppError> {
            Ok(db::entries(&mut conn, catalog, company)
                .await?
                .into_iter()
                .map(|r| Entry {
                    id: r.id,
                    name: r.name,
                    detail: r.detail,
                    copy_of: r.copy_of,
                    version: r.version,
                })
                .collect())
        };
        Ok(CatalogView {
            company: company.name.clone(),
            payers: list(Catalog::Payers).await?,
            facilities: list(Catalog::Facilities).await?,
            manage,
            children,
        })
    })
    .await
}

/// Creates (`entry_id` "") or edits a payer or facility of the parent
/// company, if nobody changed it meanwhile.
#[server(prefix = "/api", endpoint = "save_entry")]
pub async fn save_entry(
    catalog: Catalog,
    entry_id: Choice<EntryId>,
    version: i32,
    name: String,
    detail: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        // Who first: a caller who may not is refused before any field is read.
        let (caller, parent) = manager(&request).await?;
        let valid = validate_entry(catalog, &EntryInput { name, detail })?;
        let mut tx = request.state.pool.begin().await?;
        let (id, before, verb) = match entry_id.0 {
            None => {
                let id = db::insert(&mut tx, catalog, parent.org, parent.id, &valid, None)
                    .await
                    .on_constraint(NAME_TAKEN)?;
                (id, None, "create")
            }
            Some(id) => {
                let (old, old_version) =
                    db::locked(&mut tx, catalog, parent.id, id).await.found()?;
                if old_version != version {
                    return Err(AppError::Conflict(ENTRY_CHANGED_ELSEWHERE.to_owned()));
                }
                db::update(&mut tx, catalog, id, &valid)
                    .await
                    .on_constraint(NAME_TAKEN)?;
                (
                    id,
                    Some(json!({ "name": old.name, "detail": old.detail, "version": old_version })),
                    "update",
                )
            }
        };
        let action = format!("{}.{verb}", catalog.singular());
        let event = Event {
            org: Some(parent.org),
            action: &action,
            target_type: catalog.singular(),
            target_id: Some(id.to_string()),
            before,
            after: Some(json!({ "name": valid.name, "detail": valid.detail })),
        };
        record(&mut tx, &caller.actor_in(Some(parent.id)), event).await?;
        tx.commit().await?;
        Ok(format!("{} has been saved.", valid.name))
    })
    .await
}

/// Deletes a payer or facility of the parent company. Its copies stay, as
/// the children's own.
#[server(prefix = "/api", endpoint = "delete_entry")]
pub async fn delete_entry(
    catalog: Catalog,
    entry_id: EntryId,
    version: i32,
) -> Result<String, AppError> {
    serve(|request| async move {
        let (caller, parent) = manager(&request).await?;
        let mut tx = request.state.pool.begin().await?;
        let (old, old_version) = db::locked(&mut tx, catalog, parent.id, entry_id)
            .await
            .found()?;
        if old_version != version {
            return Err(AppError::Conflict(ENTRY_CHANGED_ELSEWHERE.to_owned()));
        }
        let deleted = db::delete(&mut tx, catalog, entry_id).await;
        if let Err(sqlx::Error::Database(e)) = &deleted
            && e.is_foreign_key_violation()
        {
            return Err(AppError::Conflict(ENTRY_IN_USE.to_owned()));
        }
        deleted?;
        let action = format!("{}.delete", catalog.singular());
        let event = Event::new(parent.org, &action, catalog.singular(), entry_id)
            .before(json!({ "name": old.name, "detail": old.detail, "version": old_version }));
        record(&mut tx, &caller.actor_in(Some(parent.id)), event).await?;
        tx.commit().await?;
        Ok(format!(
            "{} has been deleted; its copies stay with their companies.",
            old.name
        ))
    })
    .await
}

/// What copying the parent's entry down to `children` would do to each.
#[server(prefix = "/api", endpoint = "plan_copy")]
pub async fn plan_copy(
    catalog: Catalog,
    entry_id: EntryId,
    children: Option<Vec<CompanyId>>,
) -> Result<CopyPlan, AppError> {
    serve(|request| {
        copy(
            request,
            catalog,
            entry_id,
            children.unwrap_or_default(),
            false,
        )
    })
    .await
}

/// Copies the parent's entry down to `children`, all or nothing: children
/// without a copy gain one, outdated copies are updated; returns what was done.
#[server(prefix = "/api", endpoint = "copy_down")]
pub async fn copy_down(
    catalog: Catalog,
    entry_id: EntryId,
    children: Option<Vec<CompanyId>>,
) -> Result<CopyPlan, AppError> {
    serve(|request| {
        copy(
            request,
            catalog,
            entry_id,
            children.unwrap_or_default(),
            true,
        )
    })
    .await
}

/// The caller, if the policy lets them manage the lists where they act,
/// with that company (the parent).
#[cfg(feature = "ssr")]
async fn manager(request: &Request) -> Result<(Caller, Company), AppError> {
    let caller = request.caller().await?;
    let company = caller.acting_company().await?.clone();
    caller.check(Action::ManageCatalog(&company))?;
    Ok((caller, company))
}

/// A name another entry of the list already has, as the form shows it.
#[cfg(feature = "ssr")]
fn name_taken() -> AppError {
    AppError::field(Field::EntryName, ENTRY_NAME_TAKEN)
}

#[cfg(feature = "ssr")]
const NAME_TAKEN: &[ConstraintAnswer] = &[
    ("payers_name_key", name_taken),
    ("facilities_name_key", name_taken),
];

/// Plans a copy-down and, when `apply`, carries it out in the same
/// transaction, so what is reported is exactly what happened.
#[cfg(feature = "ssr")]
async fn copy(
    request: Request,
    catalog: Catalog,
    entry_id: EntryId,
    children: Vec<CompanyId>,
    apply: bool,
) -> Result<CopyPlan, AppError> {
    let (caller, parent) = manager(&request).await?;
    let children: std::collections::BTreeSet<CompanyId> = children.into_iter().collect();
    let mut targets: Vec<&Company> = caller
        .snapshot
        .companies
        .iter()
        .filter(|c| children.contains(&c.id))
        .collect();
    if children.is_empty()
        || targets.len() != children.len()
        || targets.iter().any(|c| c.is_parent() || !c.active)
    {
        return Err(AppError::field(Field::Children, CHILDREN_MESSAGE));
    }
    let mut tx = request.state.pool.begin().await?;
    let (source, _) = db::locked(&mut tx, catalog, parent.id, entry_id)
        .await
        .found()?;
    let ids: Vec<i64> = children.iter().map(|c| c.0).collect();
    db::lock_companies(&mut tx, &ids).await?;
    let mut lines = Vec::new();
    targets.sort_by_key(|c| c.name.to_lowercase());
    for child in targets {
        let (copy, named_alike) =
            db::copy_in(&mut tx, catalog, child.id, entry_id, &source.name).await?;
        let outcome = copy_outcome(&source, copy.as_ref().map(|(_, e)| e), named_alike);
        if apply {
            match (outcome, &copy) {
                (CopyOutcome::Gains, _) => {
                    db::insert(
                        &mut tx,
                        catalog,
                        parent.org,
                        child.id,
                        &source,
                        Some(entry_id),
                    )
                    .await?;
                }
                (CopyOutcome::Updates, Some((copy_id, _))) => {
                    db::update(&mut tx, catalog, *copy_id, &source).await?;
                }
                _ => {}
            }
        }
        lines.push((child.name.clone(), outcome));
    }
    if apply {
        let action = format!("{}.copy_down", catalog.singular());
        let children: Vec<_> = lines
            .iter()
            .map(|(name, outcome)| json!({ "company": name, "outcome": outcome }))
            .collect();
        let event = Event::new(parent.org, &action, catalog.singular(), entry_id).after(json!({
            "name": source.name, "detail": source.detail, "children": children,
        }));
        record(&mut tx, &caller.actor_in(Some(parent.id)), event).await?;
        tx.commit().await?;
    }
    Ok(CopyPlan {
        entry: source.name,
        lines,
    })
}
