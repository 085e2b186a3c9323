//! Server functions of the Payers and facilities page.
//!
//! Permissions: reading, anyone signed in, for the company they act in
//! (from the session, never from the request); every change, the policy's
//! `ManageCatalog`: an Administrator acting in the parent company.
//! `catalog` is "payers" or "facilities".

use leptos::prelude::*;

use super::{CatalogView, CopyPlan};
use crate::error::AppError;

/// The acting company's payers and facilities.
#[server(prefix = "/api", endpoint = "list_catalog")]
pub async fn list_catalog() -> Result<CatalogView, AppError> {
    ssr::list().await.map_err(AppError::respond)
}

/// Creates (`entry_id` "") or edits a payer or facility of the parent
/// company, if nobody changed it meanwhile.
#[server(prefix = "/api", endpoint = "save_entry")]
pub async fn save_entry(
    catalog: String,
    entry_id: String,
    version: i32,
    name: String,
    detail: String,
) -> Result<String, AppError> {
    ssr::save(catalog, entry_id, version, name, detail)
        .await
        .map_err(AppError::respond)
}

/// Deletes a payer or facility of the parent company. Its copies stay, as
/// the children's own.
#[server(prefix = "/api", endpoint = "delete_entry")]
pub async fn delete_entry(
    catalog: String,
    entry_id: i64,
    version: i32,
) -> Result<String, AppError> {
    ssr::delete(catalog, entry_id, version)
        .await
        .map_err(AppError::respond)
}

/// What copying the parent's entry down to `children` would do to each.
#[server(prefix = "/api", endpoint = "plan_copy")]
pub async fn plan_copy(
    catalog: String,
    entry_id: i64,
    children: Option<Vec<i64>>,
) -> Result<CopyPlan, AppError> {
    ssr::copy(catalog, entry_id, children.unwrap_or_default(), false)
        .await
        .map_err(AppError::respond)
}

/// Copies the parent's entry down to `children`, all or nothing: children
/// without a copy gain one, outdated copies are updated; returns what was done.
#[server(prefix = "/api", endpoint = "copy_down")]
pub async fn copy_down(
    catalog: String,
    entry_id: i64,
    children: Option<Vec<i64>>,
) -> Result<CopyPlan, AppError> {
    ssr::copy(catalog, entry_id, children.unwrap_or_default(), true)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::super::{
        CHILDREN_MESSAGE, CatalogView, CopyPlan, ENTRY_CHANGED_ELSEWHERE, ENTRY_IN_USE,
        ENTRY_NAME_TAKEN, Entry,
    };
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::{AppError, ConstraintAnswer, OnConstraint},
        model::{
            access::Action,
            catalog::{Catalog, CopyOutcome, EntryInput, copy_outcome, validate_entry},
            org::Company,
            validation::Field,
        },
        state::AppState,
        users::optional_id,
    };

    fn catalog_of(key: &str) -> Result<Catalog, AppError> {
        Catalog::from_key(key)
            .ok_or_else(|| AppError::BadRequest(format!("{key:?} is not payers or facilities")))
    }

    /// The caller, if the policy lets them manage the lists where they act,
    /// with that company (the parent).
    async fn manager(state: &AppState) -> Result<(Caller, Company), AppError> {
        let caller = Caller::current(state).await?;
        let company = caller.acting_company().await?.clone();
        caller.check(Action::ManageCatalog(&company))?;
        Ok((caller, company))
    }

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        detail: String,
        copy_of: Option<String>,
        version: i32,
    }

    async fn entries(
        state: &AppState,
        catalog: Catalog,
        company: &Company,
    ) -> Result<Vec<Entry>, AppError> {
        let (table, column) = catalog.table();
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT e.id, e.name, e.{column} AS detail, s.name AS copy_of, e.version
             FROM {table} e LEFT JOIN {table} s ON s.id = e.source_id
             WHERE e.company_id = $1 AND e.org_id = $2 ORDER BY lower(e.name), e.id"
        ))
        .bind(company.id.0)
        .bind(company.org.0)
        .fetch_all(&state.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Entry {
                id: r.id,
                name: r.name,
                detail: r.detail,
                copy_of: r.copy_of,
                version: r.version,
            })
            .collect())
    }

    pub async fn list() -> Result<CatalogView, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let company = caller.acting_company().await?;
        let manage = caller.may(Action::ManageCatalog(company));
        let mut children: Vec<(i64, String)> = if manage {
            caller
                .snapshot
                .companies
                .iter()
                .filter(|c| c.active && !c.is_parent())
                .map(|c| (c.id.0, c.name.clone()))
                .collect()
        } else {
            Vec::new()
        };
        children.sort_by_key(|(_, name)| name.to_lowercase());
        Ok(CatalogView {
            company: company.name.clone(),
            payers: entries(&state, Catalog::Payers, company).await?,
            facilities: entries(&state, Catalog::Facilities, company).await?,
            manage,
            children,
        })
    }

    /// A name another entry of the list already has, as the form shows it.
    fn name_taken() -> AppError {
        AppError::field(Field::EntryName, ENTRY_NAME_TAKEN)
    }
    const NAME_TAKEN: &[ConstraintAnswer] = &[
        ("payers_name_key", name_taken),
        ("facilities_name_key", name_taken),
    ];

    /// The parent's entry `id`, locked, with its version; `NotFound` if it
    /// is not the parent's.
    async fn locked_entry(
        tx: &mut sqlx::PgConnection,
        catalog: Catalog,
        parent: &Company,
        id: i64,
    ) -> Result<(EntryInput, i32), AppError> {
        let (table, column) = catalog.table();
        let row: Option<(String, String, i32)> = sqlx::query_as(&format!(
            "SELECT name, {column}, version FROM {table} WHERE id = $1 AND company_id = $2 FOR UPDATE"
        ))
        .bind(id)
        .bind(parent.id.0)
        .fetch_optional(tx)
        .await?;
        let (name, detail, version) = row.ok_or(AppError::NotFound)?;
        Ok((EntryInput { name, detail }, version))
    }

    pub async fn save(
        catalog: String,
        entry_id: String,
        version: i32,
        name: String,
        detail: String,
    ) -> Result<String, AppError> {
        // Who first: a caller who may not is refused before any field is read.
        let state = AppState::current()?;
        let (caller, parent) = manager(&state).await?;
        let catalog = catalog_of(&catalog)?;
        let entry_id = optional_id(&entry_id)?;
        let valid = validate_entry(catalog, &EntryInput { name, detail })?;
        let (table, column) = catalog.table();
        let mut tx = state.pool.begin().await?;
        let (id, before, verb) = match entry_id {
            None => {
                let id: i64 = sqlx::query_scalar(&format!(
                    "INSERT INTO {table} (org_id, company_id, name, {column}) VALUES ($1, $2, $3, $4) RETURNING id"
                ))
                .bind(parent.org.0)
                .bind(parent.id.0)
                .bind(&valid.name)
                .bind(&valid.detail)
                .fetch_one(&mut *tx)
                .await
                .on_constraint(NAME_TAKEN)?;
                (id, None, "create")
            }
            Some(id) => {
                let (old, old_version) = locked_entry(&mut tx, catalog, &parent, id).await?;
                if old_version != version {
                    return Err(AppError::Conflict(ENTRY_CHANGED_ELSEWHERE.to_owned()));
                }
                sqlx::query(&format!(
                    "UPDATE {table} SET name = $1, {column} = $2, version = version + 1 WHERE id = $3"
                ))
                .bind(&valid.name)
                .bind(&valid.detail)
                .bind(id)
                .execute(&mut *tx)
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
    }

    pub async fn delete(catalog: String, entry_id: i64, version: i32) -> Result<String, AppError> {
        let state = AppState::current()?;
        let (caller, parent) = manager(&state).await?;
        let catalog = catalog_of(&catalog)?;
        let (table, _) = catalog.table();
        let mut tx = state.pool.begin().await?;
        let (old, old_version) = locked_entry(&mut tx, catalog, &parent, entry_id).await?;
        if old_version != version {
            return Err(AppError::Conflict(ENTRY_CHANGED_ELSEWHERE.to_owned()));
        }
        let deleted = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(entry_id)
            .execute(&mut *tx)
            .await;
        if let Err(sqlx::Error::Database(e)) = &deleted
            && e.is_foreign_key_violation()
        {
            return Err(AppError::Conflict(ENTRY_IN_USE.to_owned()));
        }
        deleted?;
        let action = format!("{}.delete", catalog.singular());
        let event = Event {
            org: Some(parent.org),
            action: &action,
            target_type: catalog.singular(),
            target_id: Some(entry_id.to_string()),
            before: Some(json!({ "name": old.name, "detail": old.detail, "version": old_version })),
            after: None,
        };
        record(&mut tx, &caller.actor_in(Some(parent.id)), event).await?;
        tx.commit().await?;
        Ok(format!(
            "{} has been deleted; its copies stay with their companies.",
            old.name
        ))
    }

    /// Plans a copy-down and, when `apply`, carries it out in the same
    /// transaction, so what is reported is exactly what happened.
    pub async fn copy(
        catalog: String,
        entry_id: i64,
        children: Vec<i64>,
        apply: bool,
    ) -> Result<CopyPlan, AppError> {
        let state = AppState::current()?;
        let (caller, parent) = manager(&state).await?;
        let catalog = catalog_of(&catalog)?;
        let children: BTreeSet<i64> = children.into_iter().collect();
        let targets: Vec<&Company> = caller
            .snapshot
            .companies
            .iter()
            .filter(|c| children.contains(&c.id.0))
            .collect();
        if children.is_empty()
            || targets.len() != children.len()
            || targets.iter().any(|c| c.is_parent() || !c.active)
        {
            return Err(AppError::field(Field::Children, CHILDREN_MESSAGE));
        }
        let (table, column) = catalog.table();
        let mut tx = state.pool.begin().await?;
        let (source, _) = locked_entry(&mut tx, catalog, &parent, entry_id).await?;
        // One copy-down per child at a time: two at once would both add.
        sqlx::query("SELECT id FROM companies WHERE id = ANY($1) ORDER BY id FOR UPDATE")
            .bind(children.iter().copied().collect::<Vec<_>>())
            .execute(&mut *tx)
            .await?;
        let mut lines = Vec::new();
        let mut targets = targets;
        targets.sort_by_key(|c| c.name.to_lowercase());
        for child in targets {
            let copy: Option<(i64, String, String)> = sqlx::query_as(&format!(
                "SELECT id, name, {column} FROM {table} WHERE company_id = $1 AND source_id = $2 ORDER BY id LIMIT 1"
            ))
            .bind(child.id.0)
            .bind(entry_id)
            .fetch_optional(&mut *tx)
            .await?;
            let named_alike: bool = sqlx::query_scalar(&format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE company_id = $1 AND lower(name) = lower($2)
                                  AND id IS DISTINCT FROM $3)"
            ))
            .bind(child.id.0)
            .bind(&source.name)
            .bind(copy.as_ref().map(|c| c.0))
            .fetch_one(&mut *tx)
            .await?;
            let existing = copy.as_ref().map(|(_, name, detail)| EntryInput {
                name: name.clone(),
                detail: detail.clone(),
            });
            let outcome = copy_outcome(&source, existing.as_ref(), named_alike);
            if apply {
                match (outcome, &copy) {
                    (CopyOutcome::Gains, _) => {
                        sqlx::query(&format!(
                            "INSERT INTO {table} (org_id, company_id, name, {column}, source_id) VALUES ($1, $2, $3, $4, $5)"
                        ))
                        .bind(parent.org.0)
                        .bind(child.id.0)
                        .bind(&source.name)
                        .bind(&source.detail)
                        .bind(entry_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    (CopyOutcome::Updates, Some((copy_id, ..))) => {
                        sqlx::query(&format!(
                            "UPDATE {table} SET name = $1, {column} = $2, version = version + 1 WHERE id = $3"
                        ))
                        .bind(&source.name)
                        .bind(&source.detail)
                        .bind(copy_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    _ => {}
                }
            }
            lines.push((child.name.clone(), outcome));
        }
        if apply {
            let action = format!("{}.copy_down", catalog.singular());
            let event = Event {
                org: Some(parent.org),
                action: &action,
                target_type: catalog.singular(),
                target_id: Some(entry_id.to_string()),
                before: None,
                after: Some(json!({
                    "name": source.name, "detail": source.detail,
                    "children": lines.iter().map(|(name, outcome)| json!({ "company": name, "outcome": outcome })).collect::<Vec<_>>(),
                })),
            };
            record(&mut tx, &caller.actor_in(Some(parent.id)), event).await?;
            tx.commit().await?;
        }
        Ok(CopyPlan {
            entry: source.name,
            lines,
        })
    }
}
