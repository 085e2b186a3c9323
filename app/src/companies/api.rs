//! Server functions of the Companies page.
//!
//! Permissions: an Administrator of the organization; every read and write
//! is scoped to the caller's organization, so another organization's
//! company is "not found".

use leptos::prelude::*;

use super::CompanyRow;
use crate::error::AppError;

/// The organization's companies: the parent first, then children by name.
#[server(prefix = "/api", endpoint = "list_companies")]
pub async fn list_companies() -> Result<Vec<CompanyRow>, AppError> {
    ssr::list().await.map_err(AppError::respond)
}

/// Adds a child company under the organization's parent company.
#[server(prefix = "/api", endpoint = "create_company")]
pub async fn create_company(name: String) -> Result<String, AppError> {
    ssr::create(name).await.map_err(AppError::respond)
}

/// Renames a company and sets its status ("active" or "inactive"), if
/// nobody changed it meanwhile. Nobody acts in an inactive company; its
/// data stays. The parent company stays active.
#[server(prefix = "/api", endpoint = "update_company")]
pub async fn update_company(
    company_id: i64,
    version: i32,
    name: String,
    status: String,
) -> Result<String, AppError> {
    ssr::update(company_id, version, name, status)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use serde_json::json;

    use super::super::{
        COMPANY_CHANGED_ELSEWHERE, COMPANY_NAME_TAKEN, COMPANY_SAVED, COMPANY_STATUS_MESSAGE,
        CompanyRow, PARENT_STAYS_ACTIVE,
    };
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::{AppError, ConstraintAnswer, OnConstraint},
        model::{access::Action, org::validate_company_name, validation::Field},
        org::db::acts_in_any,
        state::AppState,
    };

    /// The caller, if an Administrator of their organization.
    async fn administrator(state: &AppState) -> Result<Caller, AppError> {
        let caller = Caller::current(state).await?.allowed(Action::Administer)?;
        Ok(caller)
    }

    /// A name another company of the organization already has.
    const NAME_TAKEN: &[ConstraintAnswer] = &[("companies_name_key", || {
        AppError::field(Field::CompanyName, COMPANY_NAME_TAKEN)
    })];

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        parent: bool,
        active: bool,
        version: i32,
        members: i64,
    }

    pub async fn list() -> Result<Vec<CompanyRow>, AppError> {
        let state = AppState::current()?;
        let caller = administrator(&state).await?;
        // Members by the policy's rules for Standard users (Administrators
        // act everywhere and are not counted).
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT c.id, c.name, c.parent_id IS NULL AS parent, c.active, c.version,
                    (SELECT count(*) FROM users u
                      WHERE u.org_id = c.org_id AND u.account_type = 'standard'
                        AND {}) AS members
             FROM companies c WHERE c.org_id = $1
             ORDER BY c.parent_id IS NOT NULL, lower(c.name)",
            acts_in_any("ARRAY[c.id]")
        ))
        .bind(caller.user.org.0)
        .fetch_all(&state.pool)
        .await?;
        Ok(rows
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
    }

    pub async fn create(name: String) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = administrator(&state).await?;
        let name = validate_company_name(&name)?;
        let parent = caller
            .snapshot
            .companies
            .iter()
            .find(|c| c.is_parent())
            .ok_or(AppError::NotFound)?;
        let mut tx = state.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (org_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(caller.user.org.0)
        .bind(parent.id.0)
        .bind(&name)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(NAME_TAKEN)?;
        let event = Event {
            org: Some(caller.user.org),
            action: "company.create",
            target_type: "company",
            target_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "name": name, "parent_id": parent.id.0, "active": true })),
        };
        record(&mut tx, &caller.actor_in(caller.acting().await?), event).await?;
        tx.commit().await?;
        Ok(format!("{name} has been added."))
    }

    pub async fn update(
        company_id: i64,
        version: i32,
        name: String,
        status: String,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = administrator(&state).await?;
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
        let mut tx = state.pool.begin().await?;
        let before: Option<(String, bool, bool, i32)> = sqlx::query_as(
            "SELECT name, active, parent_id IS NULL, version FROM companies
             WHERE id = $1 AND org_id = $2 FOR UPDATE",
        )
        .bind(company_id)
        .bind(caller.user.org.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (old_name, old_active, parent, old_version) = before.ok_or(AppError::NotFound)?;
        if old_version != version {
            return Err(AppError::Conflict(COMPANY_CHANGED_ELSEWHERE.to_owned()));
        }
        if parent && !active {
            return Err(AppError::field(Field::CompanyStatus, PARENT_STAYS_ACTIVE));
        }
        let new_version: i32 = sqlx::query_scalar(
            "UPDATE companies SET name = $1, active = $2, version = version + 1
             WHERE id = $3 RETURNING version",
        )
        .bind(&name)
        .bind(active)
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(NAME_TAKEN)?;
        let event = Event {
            org: Some(caller.user.org),
            action: "company.update",
            target_type: "company",
            target_id: Some(company_id.to_string()),
            before: Some(json!({ "name": old_name, "active": old_active, "version": old_version })),
            after: Some(json!({ "name": name, "active": active, "version": new_version })),
        };
        record(&mut tx, &caller.actor_in(caller.acting().await?), event).await?;
        tx.commit().await?;
        Ok(COMPANY_SAVED.to_owned())
    }
}
