//! Bulk actions on users picked on the Users page.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    error::OnConstraint,
    model::{policy::Action, user::UserStatus, validation::Field},
    principal::serve,
    users::{
        BULK_NONE_PICKED, COMPANY_MESSAGE, LAST_ADMINISTRATOR, ROLE_MESSAGE,
        SELF_SERVICE_NEEDS_PARTNER, db,
    },
};
use crate::{
    error::AppError,
    model::ids::{CompanyId, RoleId, UserId},
    ui::choice::Choice,
};

/// Enough for a page of users several times over; more is a mistake.
#[cfg(feature = "ssr")]
const MAX_USERS: usize = 500;

/// Applies one action to the picked users, all or nothing, and says what
/// changed. `action`: "activate", "deactivate", "assign_role" (with
/// `role_id`; "" takes the role away) or "add_company" (with `company_id`;
/// Partners with a Standard account only: an Administrator has every
/// company and a Customer exactly one).
///
/// Permissions: an Administrator of the users' organization; only the
/// organization's own Administrators change Administrators among them.
#[server(prefix = "/api", endpoint = "bulk_update_users")]
pub async fn bulk_update_users(
    action: String,
    users: Option<Vec<UserId>>,
    role_id: Choice<RoleId>,
    company_id: Choice<CompanyId>,
) -> Result<String, AppError> {
    serve(|request| async move {
        // Who first: a caller who may not is refused before any field is read.
        let caller = request.caller().await?.allowed(Action::Administer)?;
        let mut users: Vec<i64> = users.unwrap_or_default().into_iter().map(|u| u.0).collect();
        users.sort_unstable();
        users.dedup();
        if users.is_empty() {
            return Err(AppError::field(Field::Users, BULK_NONE_PICKED));
        }
        if users.len() > MAX_USERS {
            return Err(AppError::field(
                Field::Users,
                "Pick at most 500 users at once.",
            ));
        }
        let (Choice(role_id), Choice(company_id)) = (role_id, company_id);
        let snapshot = &caller.snapshot;

        let mut tx = request.state.pool.begin().await?;
        // Every picked user must be of this organization.
        let (found, administrators) = db::lock_picked(&mut tx, caller.user.org, &users).await?;
        if found != users.len() as i64 {
            return Err(AppError::NotFound);
        }
        if administrators > 0 {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        let outcome = match action.as_str() {
            "activate" => db::set_status(&mut tx, &users, UserStatus::Active)
                .await
                .map(|n| format!("{} activated.", users_word(n))),
            "deactivate" => db::set_status(&mut tx, &users, UserStatus::Inactive)
                .await
                .map(|n| {
                    format!(
                        "{} deactivated and signed out everywhere.",
                        users_word(n)
                    )
                }),
            "assign_role" => {
                if role_id.is_some_and(|r| !snapshot.roles.iter().any(|role| role.id == r)) {
                    return Err(AppError::field(Field::Role, ROLE_MESSAGE));
                }
                db::set_role(&mut tx, &users, role_id)
                    .await
                    .map(|n| format!("{} got the new role.", users_word(n)))
            }
            "add_company" => {
                let usable = company_id.filter(|c| {
                    snapshot
                        .companies
                        .iter()
                        .any(|company| company.id == *c && company.active)
                });
                let Some(company) = usable else {
                    return Err(AppError::field(Field::Company, COMPANY_MESSAGE));
                };
                db::add_company(&mut tx, &users, company).await.map(|n| {
                    format!(
                        "{} got the company; the others have it already, or are Administrators or Customers.",
                        users_word(n)
                    )
                })
            }
            _ => {
                return Err(AppError::field(
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
                AppError::field(Field::Role, SELF_SERVICE_NEEDS_PARTNER)
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
    })
    .await
}

#[cfg(feature = "ssr")]
fn users_word(n: u64) -> String {
    if n == 1 {
        "1 user".to_owned()
    } else {
        format!("{n} users")
    }
}
