//! Server functions of Add User.

// The form's fields are the server function's arguments, one each, so the
// form posts flat names that work without JavaScript.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::NewUserChoices;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::reset::{self, Purpose},
    error::OnConstraint,
    mail::{
        MailKind, letters,
        outbox::{Mail, enqueue},
    },
    model::{
        access::OrgIndex,
        delegation::Grant,
        policy::Action,
        user::{AccountType, UserType},
        validation::{Field, ProfileInput, validate_profile},
    },
    principal::serve,
    profile::EMAIL_TAKEN,
    users::{COMPANY_MESSAGE, ROLE_MESSAGE, SELF_SERVICE_NEEDS_PARTNER, db, picked_types},
};
use crate::{
    error::AppError,
    model::ids::{CompanyId, RoleId, UserId},
    ui::choice::Choice,
};
#[cfg(feature = "ssr")]
use std::collections::BTreeSet;

/// The organization's roles and the companies the caller may act in, for
/// the Add User form and the Users page's filters.
///
/// Permissions: whoever may open the Users page (`Action::SeeUsers`).
#[server(prefix = "/api", endpoint = "new_user_options")]
pub async fn new_user_options() -> Result<NewUserChoices, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        caller.check(Action::SeeUsers(caller.user.org))?;
        let snapshot = &caller.snapshot;
        let acting = caller.acting().await?;
        let none = BTreeSet::new();
        let grantable = snapshot
            .roles
            .iter()
            .filter(|role| {
                let grant = Grant {
                    org: caller.user.org,
                    administrator: false,
                    support_user: false,
                    role: Some(role),
                    companies: &none,
                    before: None,
                };
                caller.may(Action::GrantAccess(&grant))
            })
            .map(|role| role.id)
            .collect();
        Ok(NewUserChoices {
            acting,
            delegated: !caller.access.administrator
                && caller.may(Action::AddUsers(caller.user.org)),
            grantable,
            companies: caller
                .access
                .company_list(&OrgIndex::new(snapshot))
                .into_iter()
                .map(|c| (c.id, c.name.clone()))
                .collect(),
            roles: snapshot
                .roles
                .iter()
                .map(|r| (r.id, r.name.clone(), r.self_service))
                .collect(),
        })
    })
    .await
}

/// Creates a user and emails them an invitation link to choose a password
/// (valid 7 days); returns the new user's id.
///
/// `account_type`: "standard" or "administrator"; `user_type`: "partner"
/// or "customer"; `company_id`: the Customer's one company or the
/// Partner's default company (needed for Standard users); `companies`: the
/// Partner's companies (seed 001's App Permission card; the default is
/// always one of them; ignored for Customers and Administrators, who act
/// in their one company and in every company); `role_id`: optional ("" for
/// none).
///
/// Permissions: an Administrator of the organization, or a holder of
/// Users: add within their own access (`Action::AddUsers`, then
/// `Action::GrantAccess`: a Standard, non-Support user whose role and
/// companies they hold themselves).
#[server(prefix = "/api", endpoint = "add_user")]
pub async fn add_user(
    first_name: String,
    last_name: String,
    email: String,
    account_type: String,
    user_type: String,
    company_id: Choice<CompanyId>,
    role_id: Choice<RoleId>,
    companies: Option<Vec<CompanyId>>,
) -> Result<UserId, AppError> {
    serve(|request| async move {
        // Who first: a caller who may not is refused before any field is read.
        let caller = request.caller().await?.allowed(Action::AddUsers)?;
        let (Choice(company_id), Choice(role_id)) = (company_id, role_id);
        let profile = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        });
        let mut errors = profile.clone().err().unwrap_or_default();
        let (account_type, user_type) = picked_types(&mut errors, &account_type, &user_type);
        let administrator = account_type == Some(AccountType::Administrator);
        let customer = user_type == Some(UserType::Customer);
        // An Administrator's own rule; anyone else is told by GrantAccess.
        if administrator && caller.access.administrator {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        let (admin, snapshot) = (&caller.user, &caller.snapshot);
        // Only this organization's companies and roles can be chosen.
        let company =
            company_id.and_then(|id| snapshot.companies.iter().find(|c| c.id == id && c.active));
        errors.check(
            Field::Company,
            company.is_some() || (administrator && company_id.is_none()),
            COMPANY_MESSAGE,
        );
        let picked = companies.unwrap_or_default();
        let usable = |id: &CompanyId| snapshot.companies.iter().any(|c| c.id == *id && c.active);
        errors.check(Field::Company, picked.iter().all(usable), COMPANY_MESSAGE);
        // A Standard Partner acts in the companies picked, the default
        // among them; a Customer in its one company; an Administrator in all.
        let direct: BTreeSet<CompanyId> = match (administrator, customer) {
            (false, false) => picked.into_iter().chain(company.map(|c| c.id)).collect(),
            (false, true) => company.map(|c| c.id).into_iter().collect(),
            (true, _) => BTreeSet::new(),
        };
        let role = role_id.map(|id| snapshot.roles.iter().find(|r| r.id == id));
        errors.check(Field::Role, !matches!(role, Some(None)), ROLE_MESSAGE);
        if let Some(Some(role)) = role {
            errors.check(
                Field::Role,
                !(role.self_service && customer),
                SELF_SERVICE_NEEDS_PARTNER,
            );
        }
        let (Ok(valid), Some(account_type), Some(user_type), true) =
            (profile, account_type, user_type, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        // Never more than the caller holds, unless an Administrator.
        let grant = Grant {
            org: caller.user.org,
            administrator,
            support_user: false,
            role: role.flatten(),
            companies: &direct,
            before: None,
        };
        caller.check(Action::GrantAccess(&grant))?;

        let mut tx = request.state.pool.begin().await?;
        let new = db::NewUser {
            org: admin.org,
            first_name: &valid.first_name,
            last_name: &valid.last_name,
            email: &valid.email,
            account_type,
            user_type,
            company: company.map(|c| c.id),
            role: role_id,
            direct: &direct.iter().map(|c| c.0).collect::<Vec<_>>(),
        };
        let id = db::insert(&mut tx, &new)
            .await
            .on_constraint(&[("users_email_key", || {
                AppError::field(Field::Email, EMAIL_TAKEN)
            })])?;
        let token = reset::issue(&mut tx, id, Purpose::Invitation, chrono::Utc::now()).await?;
        let letter = letters::invited_by_administrator(
            &valid.first_name,
            &admin.full_name(),
            &snapshot.org.name,
            &reset::link(&request.state.mail.public_url, &token),
            &valid.email,
        );
        let mail = Mail {
            org: Some(admin.org),
            to: &valid.email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::Invitation(id),
        };
        enqueue(&mut tx, mail).await?;
        let event = Event::new(admin.org, "user.create", "user", id).after(serde_json::json!({
            "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email,
            "account_type": account_type.key(), "user_type": user_type.key(),
            "company_id": company.map(|c| c.id), "role_id": role_id, "companies": direct,
        }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/users/{id}?invited"));
        Ok(id)
    })
    .await
}
