//! Server functions of Edit User's Permissions tab.

// The form's fields are the server function's arguments, one each, so the
// form posts flat names that work without JavaScript.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::PermissionsView;
use crate::error::AppError;

/// The user's account type, user type, company, role, Support User flag
/// and picked companies, with the organization's companies and roles.
///
/// Permissions: whoever may see the user (`Action::SeeUser`); the view
/// says whether the caller may also change it.
#[server(prefix = "/api", endpoint = "load_user_permissions")]
pub async fn load_user_permissions(user_id: i64) -> Result<PermissionsView, AppError> {
    ssr::load(user_id).await.map_err(AppError::respond)
}

/// Saves the Permissions tab, all or nothing, if nobody changed the user
/// meanwhile. `companies`: every company picked directly, the ones the role
/// also gives included (a company not sent is no longer a direct pick; the
/// role's own come with it regardless); ignored for Administrators (every
/// company) and Customers (their one company).
///
/// Permissions: an Administrator of the user's organization.
#[server(prefix = "/api", endpoint = "update_user_permissions")]
pub async fn update_user_permissions(
    user_id: i64,
    version: i32,
    account_type: String,
    user_type: String,
    company_id: String,
    role_id: String,
    support_user: Option<String>,
    companies: Option<Vec<i64>>,
) -> Result<String, AppError> {
    ssr::update(
        user_id,
        version,
        account_type,
        user_type,
        company_id,
        role_id,
        support_user.is_some(),
        companies.unwrap_or_default(),
    )
    .await
    .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::BTreeSet;

    use super::super::{
        ACCOUNT_TYPE_MESSAGE, COMPANY_MESSAGE, DEFAULT_COMPANY_MESSAGE, LAST_ADMINISTRATOR,
        PermissionsView, ROLE_MESSAGE, RoleChoice, SELF_SERVICE_NEEDS_PARTNER,
        USER_CHANGED_ELSEWHERE, USER_SAVED, USER_TYPE_MESSAGE, optional_id,
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

    pub async fn load(user_id: i64) -> Result<PermissionsView, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut conn = state.pool.acquire().await?;
        let (user, _) = caller
            .reach(&mut conn, user_id, |t| Action::SeeUser(t))
            .await?;
        let snapshot = &caller.snapshot;
        Ok(PermissionsView {
            editable: caller.may(Action::Administer(caller.user.org)),
            user_id,
            version: user.version,
            administrator: user.is_admin(),
            customer: user.user_type == crate::model::user::UserType::Customer,
            company_id: user.default_company.map(|c| c.0),
            role_id: user.role.map(|r| r.0),
            support_user: user.support_user,
            direct: user.direct_companies.iter().map(|c| c.0).collect(),
            companies: snapshot
                .companies
                .iter()
                .filter(|c| c.active)
                .map(|c| (c.id.0, c.name.clone()))
                .collect(),
            roles: snapshot
                .roles
                .iter()
                .map(|r| RoleChoice {
                    id: r.id.0,
                    name: r.name.clone(),
                    self_service: r.self_service,
                    companies: r.companies.iter().map(|c| c.0).collect(),
                })
                .collect(),
        })
    }

    #[derive(sqlx::FromRow)]
    struct Before {
        account_type: String,
        user_type: String,
        default_company_id: Option<i64>,
        role_id: Option<i64>,
        support_user: bool,
        version: i32,
    }

    pub async fn update(
        user_id: i64,
        version: i32,
        account_type: String,
        user_type: String,
        company_id: String,
        role_id: String,
        support_user: bool,
        picked: Vec<i64>,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        let company_id = optional_id(&company_id)?;
        let role_id = optional_id(&role_id)?;
        let (admin, snapshot) = (&caller.user, &caller.snapshot);

        let administrator = account_type == "administrator";
        let customer = user_type == "customer";
        let mut errors = FieldErrors::default();
        errors.check(
            Field::AccountType,
            ["standard", "administrator"].contains(&account_type.as_str()),
            ACCOUNT_TYPE_MESSAGE,
        );
        errors.check(
            Field::UserType,
            ["partner", "customer"].contains(&user_type.as_str()),
            USER_TYPE_MESSAGE,
        );
        let usable = |id: i64| {
            snapshot
                .companies
                .iter()
                .any(|c| c.id == CompanyId(id) && c.active)
        };
        let role = role_id.map(|id| snapshot.roles.iter().find(|r| r.id == RoleId(id)));
        errors.check(Field::Role, !matches!(role, Some(None)), ROLE_MESSAGE);
        let role = role.flatten();
        errors.check(
            Field::Role,
            !(role.is_some_and(|r| r.self_service) && customer),
            SELF_SERVICE_NEEDS_PARTNER,
        );
        errors.check(
            Field::Company,
            company_id.is_none_or(usable),
            COMPANY_MESSAGE,
        );
        errors.check(
            Field::Company,
            picked.iter().all(|id| usable(*id)),
            COMPANY_MESSAGE,
        );
        // Companies picked directly. One the role also gives is kept as a
        // pick of its own, so the user keeps it if the role loses it.
        let role_given: BTreeSet<i64> = role
            .map(|r| r.companies.iter().map(|c| c.0).collect())
            .unwrap_or_default();
        let direct: BTreeSet<i64> = match (administrator, customer) {
            (true, _) => BTreeSet::new(),
            (false, true) => company_id.into_iter().collect(),
            (false, false) => picked.iter().copied().collect(),
        };
        if !administrator {
            if customer {
                errors.check(Field::Company, company_id.is_some(), COMPANY_MESSAGE);
            } else if let Some(default) = company_id {
                errors.check(
                    Field::Company,
                    direct.contains(&default) || role_given.contains(&default),
                    DEFAULT_COMPANY_MESSAGE,
                );
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }

        let mut tx = state.pool.begin().await?;
        let before: Option<Before> = sqlx::query_as(
            "SELECT account_type, user_type, default_company_id, role_id, support_user, version
             FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE",
        )
        .bind(user_id)
        .bind(admin.org.0)
        .fetch_optional(&mut *tx)
        .await?;
        let before = before.ok_or(AppError::NotFound)?;
        if administrator || before.account_type == "administrator" {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        if before.version != version {
            return Err(AppError::Conflict(USER_CHANGED_ELSEWHERE.to_owned()));
        }
        let old_direct: Vec<i64> = sqlx::query_scalar(
            "SELECT company_id FROM user_companies WHERE user_id = $1 ORDER BY company_id",
        )
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        let new_version = sqlx::query_scalar::<_, i32>(
            "UPDATE users SET account_type = $1, user_type = $2, default_company_id = $3, role_id = $4,
                              support_user = $5, version = version + 1, updated_at = now()
             WHERE id = $6 RETURNING version",
        )
        .bind(&account_type)
        .bind(&user_type)
        .bind(company_id)
        .bind(role_id)
        .bind(support_user)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(&[
            ("users_keep_an_administrator", || {
                AppError::Conflict(LAST_ADMINISTRATOR.to_owned())
            }),
            ("users_self_service_needs_partner", || {
                AppError::field(Field::Role, SELF_SERVICE_NEEDS_PARTNER)
            }),
            ("users_customer_has_home_company", || {
                AppError::field(Field::Company, COMPANY_MESSAGE)
            }),
        ])?;
        sqlx::query("DELETE FROM user_companies WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let direct: Vec<i64> = direct.into_iter().collect();
        sqlx::query(
            "INSERT INTO user_companies (user_id, company_id, org_id) SELECT $1, unnest($2::bigint[]), $3",
        )
        .bind(user_id)
        .bind(&direct)
        .bind(admin.org.0)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            org: Some(admin.org),
            action: "user.permissions",
            target_type: "user",
            target_id: Some(user_id.to_string()),
            before: Some(serde_json::json!({
                "account_type": before.account_type, "user_type": before.user_type,
                "company_id": before.default_company_id, "role_id": before.role_id,
                "support_user": before.support_user, "companies": old_direct, "version": before.version,
            })),
            after: Some(serde_json::json!({
                "account_type": account_type, "user_type": user_type, "company_id": company_id,
                "role_id": role_id, "support_user": support_user, "companies": direct, "version": new_version,
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(USER_SAVED.to_owned())
    }
}
