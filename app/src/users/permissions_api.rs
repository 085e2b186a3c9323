//! Server functions of Edit User's Permissions tab.

// The form's fields are the server function's arguments, one each, so the
// form posts flat names that work without JavaScript.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::PermissionsView;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    error::OnConstraint,
    model::{
        delegation::Grant,
        policy::Action,
        user::{AccountType, UserType},
        validation::{Field, FieldErrors},
    },
    principal::serve,
    users::{
        COMPANY_MESSAGE, DEFAULT_COMPANY_MESSAGE, LAST_ADMINISTRATOR, ROLE_MESSAGE, RoleChoice,
        SELF_SERVICE_NEEDS_PARTNER, USER_CHANGED_ELSEWHERE, USER_SAVED, db, picked_types,
    },
};
use crate::{
    error::AppError,
    model::ids::{CompanyId, RoleId, UserId},
    ui::choice::Choice,
};
#[cfg(feature = "ssr")]
use std::collections::BTreeSet;

/// The user's account type, user type, company, role, Support User flag
/// and picked companies, with the organization's companies and roles.
///
/// Permissions: whoever may see the user (`Action::SeeUser`); the view
/// says whether the caller may also change it.
#[server(prefix = "/api", endpoint = "load_user_permissions")]
pub async fn load_user_permissions(user_id: UserId) -> Result<PermissionsView, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let user = caller.see(&request.state.pool, user_id).await?;
        let snapshot = &caller.snapshot;
        let companies: BTreeSet<CompanyId> = user.direct_companies.iter().copied().collect();
        let as_is = Grant {
            org: caller.user.org,
            administrator: user.is_admin(),
            support_user: user.support_user,
            role: user
                .role
                .and_then(|id| snapshot.roles.iter().find(|r| r.id == id)),
            companies: &companies,
            before: None,
        };
        Ok(PermissionsView {
            // An Administrator, or a holder of Users: add for whom the user
            // is within their own access.
            editable: caller.may(Action::AddUsers(caller.user.org))
                && caller.may(Action::GrantAccess(&as_is)),
            user_id,
            version: user.version,
            administrator: user.is_admin(),
            customer: user.user_type == UserType::Customer,
            company_id: user.default_company,
            role_id: user.role,
            support_user: user.support_user,
            direct: user.direct_companies.iter().copied().collect(),
            companies: snapshot
                .companies
                .iter()
                .filter(|c| c.active)
                .map(|c| (c.id, c.name.clone()))
                .collect(),
            roles: snapshot
                .roles
                .iter()
                .map(|r| RoleChoice {
                    id: r.id,
                    name: r.name.clone(),
                    self_service: r.self_service,
                    companies: r.companies.iter().copied().collect(),
                })
                .collect(),
        })
    })
    .await
}

/// Saves the Permissions tab, all or nothing, if nobody changed the user
/// meanwhile. `companies`: every company picked directly, the ones the role
/// also gives included (a company not sent is no longer a direct pick; the
/// role's own come with it regardless); ignored for Administrators (every
/// company) and Customers (their one company).
///
/// Permissions: an Administrator of the user's organization (only its own
/// Administrators make or change an Administrator), or a holder of Users:
/// add, for a user within their own access, giving only what they hold
/// (`Action::GrantAccess`).
#[server(prefix = "/api", endpoint = "update_user_permissions")]
pub async fn update_user_permissions(
    user_id: UserId,
    version: i32,
    account_type: String,
    user_type: String,
    company_id: Choice<CompanyId>,
    role_id: Choice<RoleId>,
    support_user: Option<String>,
    companies: Option<Vec<CompanyId>>,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::AddUsers)?;
        let (Choice(company_id), Choice(role_id)) = (company_id, role_id);
        let picked = companies.unwrap_or_default();
        let (admin, snapshot) = (&caller.user, &caller.snapshot);

        let mut errors = FieldErrors::default();
        let (account_type, user_type) = picked_types(&mut errors, &account_type, &user_type);
        let administrator = account_type == Some(AccountType::Administrator);
        let customer = user_type == Some(UserType::Customer);
        let usable = |id: CompanyId| snapshot.companies.iter().any(|c| c.id == id && c.active);
        let role = role_id.map(|id| snapshot.roles.iter().find(|r| r.id == id));
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
        let role_given: BTreeSet<CompanyId> = role
            .map(|r| r.companies.iter().copied().collect())
            .unwrap_or_default();
        let direct: BTreeSet<CompanyId> = match (administrator, customer) {
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
        let (Some(account_type), Some(user_type), true) =
            (account_type, user_type, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };

        let mut tx = request.state.pool.begin().await?;
        let before = db::permissions_for_update(&mut tx, admin.org, user_id)
            .await
            .found()?;
        let before_companies: BTreeSet<CompanyId> =
            before.companies.iter().copied().map(CompanyId).collect();
        let as_was = Grant {
            org: caller.user.org,
            administrator: before.account_type == AccountType::Administrator,
            support_user: before.support_user,
            role: before
                .role_id
                .and_then(|id| snapshot.roles.iter().find(|r| r.id.0 == id)),
            companies: &before_companies,
            before: None,
        };
        let to_be = Grant {
            org: caller.user.org,
            administrator,
            support_user: support_user.is_some(),
            role,
            companies: &direct,
            before: Some(&as_was),
        };
        caller.check(Action::GrantAccess(&to_be))?;
        if caller.access.administrator
            && (administrator || before.account_type == AccountType::Administrator)
        {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        if before.version != version {
            return Err(AppError::Conflict(USER_CHANGED_ELSEWHERE.to_owned()));
        }
        let direct: Vec<i64> = direct.into_iter().map(|c| c.0).collect();
        let support_user = support_user.is_some();
        let change = db::PermissionsChange {
            account_type,
            user_type,
            company: company_id,
            role: role_id,
            support_user,
            direct: &direct,
        };
        let new_version = db::update_permissions(&mut tx, admin.org, user_id, &change)
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
        let event = Event::new(admin.org, "user.permissions", "user", user_id)
            .before(serde_json::json!({
                "account_type": before.account_type.key(), "user_type": before.user_type.key(),
                "company_id": before.default_company_id, "role_id": before.role_id,
                "support_user": before.support_user, "companies": before.companies,
                "version": before.version,
            }))
            .after(serde_json::json!({
                "account_type": account_type.key(), "user_type": user_type.key(),
                "company_id": company_id, "role_id": role_id, "support_user": support_user,
                "companies": direct, "version": new_version,
            }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(USER_SAVED.to_owned())
    })
    .await
}
