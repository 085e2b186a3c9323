//! Bulk actions on users picked on the Users page.

use leptos::prelude::*;

use crate::error::AppError;

/// Applies one action to the picked users, all or nothing, and says what
/// changed. `action`: "activate", "deactivate", "assign_role" (with
/// `role_id`; "" takes the role away) or "add_company" (with `company_id`;
/// Partners with a Standard account only: an Administrator has every
/// company and a Customer exactly one).
///
/// Permissions: an Administrator of the users' organization.
#[server(prefix = "/api", endpoint = "bulk_update_users")]
pub async fn bulk_update_users(
    action: String,
    users: Option<Vec<i64>>,
    role_id: String,
    company_id: String,
) -> Result<String, AppError> {
    ssr::bulk(action, users.unwrap_or_default(), role_id, company_id)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::{
        BULK_NONE_PICKED, COMPANY_MESSAGE, LAST_ADMINISTRATOR, ROLE_MESSAGE,
        SELF_SERVICE_NEEDS_PARTNER, optional_id,
    };
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::{AppError, OnConstraint},
        model::{
            access::Action,
            ids::{CompanyId, RoleId},
            validation::{Field, FieldErrors},
        },
        state::AppState,
    };

    /// Enough for a page of users several times over; more is a mistake.
    const MAX_USERS: usize = 500;

    fn invalid(field: Field, message: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.0.insert(field, message.to_owned());
        AppError::Invalid(errors)
    }

    fn users_word(n: u64) -> String {
        if n == 1 {
            "1 user".to_owned()
        } else {
            format!("{n} users")
        }
    }

    pub async fn bulk(
        action: String,
        mut users: Vec<i64>,
        role_id: String,
        company_id: String,
    ) -> Result<String, AppError> {
        // Who first: a caller who may not is refused before any field is read.
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        users.sort_unstable();
        users.dedup();
        if users.is_empty() {
            return Err(invalid(Field::Users, BULK_NONE_PICKED));
        }
        if users.len() > MAX_USERS {
            return Err(invalid(Field::Users, "Pick at most 500 users at once."));
        }
        let (role_id, company_id) = (optional_id(&role_id)?, optional_id(&company_id)?);
        let snapshot = &caller.snapshot;
        let org = caller.user.org.0;

        let mut tx = state.pool.begin().await?;
        // Every picked user must be of this organization; lock them, in
        // one order (so two bulk changes cannot wait on each other), and
        // without blocking the references audit events take to them.
        let found: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT id FROM users WHERE id = ANY($1) AND org_id = $2
                                   ORDER BY id FOR NO KEY UPDATE) u",
        )
        .bind(&users)
        .bind(org)
        .fetch_one(&mut *tx)
        .await?;
        if found != users.len() as i64 {
            return Err(AppError::NotFound);
        }
        // Administrators among the picked: only the organization's own
        // Administrators change them.
        let administrators: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE id = ANY($1) AND account_type = 'administrator'",
        )
        .bind(&users)
        .fetch_one(&mut *tx)
        .await?;
        if administrators > 0 {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        let outcome = match action.as_str() {
            "activate" => sqlx::query(
                "UPDATE users SET status = 'active', version = version + 1, updated_at = now()
                 WHERE id = ANY($1) AND status = 'inactive'",
            )
            .bind(&users)
            .execute(&mut *tx)
            .await
            .map(|r| format!("{} activated.", users_word(r.rows_affected()))),
            "deactivate" => sqlx::query(
                "UPDATE users SET status = 'inactive', sessions_not_before = now(),
                                  version = version + 1, updated_at = now()
                 WHERE id = ANY($1) AND status = 'active'",
            )
            .bind(&users)
            .execute(&mut *tx)
            .await
            .map(|r| {
                format!(
                    "{} deactivated and signed out everywhere.",
                    users_word(r.rows_affected())
                )
            }),
            "assign_role" => {
                if role_id.is_some_and(|r| !snapshot.roles.iter().any(|role| role.id == RoleId(r)))
                {
                    return Err(invalid(Field::Role, ROLE_MESSAGE));
                }
                sqlx::query(
                    "UPDATE users SET role_id = $2, version = version + 1, updated_at = now()
                     WHERE id = ANY($1) AND role_id IS DISTINCT FROM $2",
                )
                .bind(&users)
                .bind(role_id)
                .execute(&mut *tx)
                .await
                .map(|r| format!("{} got the new role.", users_word(r.rows_affected())))
            }
            "add_company" => {
                let usable = company_id.filter(|c| {
                    snapshot
                        .companies
                        .iter()
                        .any(|company| company.id == CompanyId(*c) && company.active)
                });
                let Some(company) = usable else {
                    return Err(invalid(Field::Company, COMPANY_MESSAGE));
                };
                sqlx::query(
                    "INSERT INTO user_companies (user_id, company_id, org_id)
                     SELECT id, $2, org_id FROM users
                     WHERE id = ANY($1) AND user_type = 'partner' AND account_type = 'standard'
                     ON CONFLICT DO NOTHING",
                )
                .bind(&users)
                .bind(company)
                .execute(&mut *tx)
                .await
                .map(|r| {
                    format!(
                        "{} got the company; the others have it already, or are Administrators or Customers.",
                        users_word(r.rows_affected())
                    )
                })
            }
            _ => {
                return Err(invalid(
                    Field::Action,
                    "Choose what to do with the picked users.",
                ));
            }
        };
        let summary = outcome.on_constraint(&[
            ("users_keep_an_administrator", || {
                AppError::Conflict(format!("{LAST_ADMINISTRATOR} Nothing was changed."))
            }),
            ("users_self_service_needs_partner", || {
                invalid(Field::Role, SELF_SERVICE_NEEDS_PARTNER)
            }),
        ])?;
        let event = Event {
            org: Some(caller.user.org),
            action: "user.bulk",
            target_type: "user",
            target_id: None,
            before: None,
            after: Some(serde_json::json!({
                "action": action, "users": users, "role_id": role_id, "company_id": company_id,
                "summary": summary,
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(summary)
    }
}
