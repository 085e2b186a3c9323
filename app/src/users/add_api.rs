//! Server functions of Add User.

use leptos::prelude::*;

use super::NewUserChoices;
use crate::error::AppError;

/// The organization's roles and the companies the caller may act in, for
/// the Add User form and the Users page's filters.
///
/// Permissions: whoever may open the Users page (`Action::SeeUsers`).
#[server(prefix = "/api", endpoint = "new_user_options")]
pub async fn new_user_options() -> Result<NewUserChoices, AppError> {
    ssr::options().await.map_err(AppError::respond)
}

/// Creates a user and emails them an invitation link to choose a password
/// (valid 7 days); returns the new user's id.
///
/// `account_type`: "standard" or "administrator"; `user_type`: "partner"
/// or "customer"; `company_id`: the Customer's one company or the
/// Partner's default company (needed for Standard users); `role_id`:
/// optional. Ids come as the form sends them: "" for none.
///
/// Permissions: an Administrator of the organization.
#[server(prefix = "/api", endpoint = "add_user")]
pub async fn add_user(
    first_name: String,
    last_name: String,
    email: String,
    account_type: String,
    user_type: String,
    company_id: String,
    role_id: String,
) -> Result<i64, AppError> {
    ssr::add(
        first_name,
        last_name,
        email,
        account_type,
        user_type,
        company_id,
        role_id,
    )
    .await
    .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::Utc;

    use super::super::{
        ACCOUNT_TYPE_MESSAGE, COMPANY_MESSAGE, NewUserChoices, ROLE_MESSAGE,
        SELF_SERVICE_NEEDS_PARTNER, USER_TYPE_MESSAGE, optional_id,
    };
    use crate::{
        audit::db::{Event, record},
        auth::{
            gate::Caller,
            reset::{self, Purpose},
        },
        error::{AppError, OnConstraint},
        mail::outbox::{Mail, enqueue},
        model::{
            access::{Action, OrgIndex},
            ids::{CompanyId, RoleId},
            validation::{Field, ProfileInput, validate_profile},
        },
        profile::EMAIL_TAKEN,
        state::AppState,
    };

    pub async fn options() -> Result<NewUserChoices, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        caller.check(Action::SeeUsers(caller.user.org))?;
        let snapshot = &caller.snapshot;
        Ok(NewUserChoices {
            companies: caller
                .access
                .company_list(&OrgIndex::new(snapshot))
                .into_iter()
                .map(|c| (c.id.0, c.name.clone()))
                .collect(),
            roles: snapshot
                .roles
                .iter()
                .map(|r| (r.id.0, r.name.clone(), r.self_service))
                .collect(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add(
        first_name: String,
        last_name: String,
        email: String,
        account_type: String,
        user_type: String,
        company_id: String,
        role_id: String,
    ) -> Result<i64, AppError> {
        // Who first: a caller who may not is refused before any field is read.
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?.allowed(Action::Administer)?;
        // "" is no choice; anything else must be an id.
        let (company_id, role_id) = (optional_id(&company_id)?, optional_id(&role_id)?);
        let profile = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        });
        let mut errors = profile.clone().err().unwrap_or_default();
        let administrator = account_type == "administrator";
        let customer = user_type == "customer";
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
        if administrator {
            caller.check(Action::ManageAdministrators(caller.user.org))?;
        }
        let (admin, snapshot) = (&caller.user, &caller.snapshot);
        // Only this organization's companies and roles can be chosen.
        let company = company_id.and_then(|id| {
            snapshot
                .companies
                .iter()
                .find(|c| c.id == CompanyId(id) && c.active)
        });
        errors.check(
            Field::Company,
            company.is_some() || (administrator && company_id.is_none()),
            COMPANY_MESSAGE,
        );
        let role = role_id.map(|id| snapshot.roles.iter().find(|r| r.id == RoleId(id)));
        errors.check(Field::Role, !matches!(role, Some(None)), ROLE_MESSAGE);
        if let Some(Some(role)) = role {
            errors.check(
                Field::Role,
                !(role.self_service && customer),
                SELF_SERVICE_NEEDS_PARTNER,
            );
        }
        let valid = match profile {
            Ok(valid) if errors.is_empty() => valid,
            _ => return Err(AppError::Invalid(errors)),
        };

        let now = Utc::now();
        let mut tx = state.pool.begin().await?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type,
                                default_company_id, role_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(admin.org.0)
        .bind(&valid.first_name)
        .bind(&valid.last_name)
        .bind(&valid.email)
        .bind(&account_type)
        .bind(&user_type)
        .bind(company.map(|c| c.id.0))
        .bind(role_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(&[("users_email_key", || {
            AppError::field(Field::Email, EMAIL_TAKEN)
        })])?;
        if let (Some(company), false) = (company, administrator) {
            sqlx::query(
                "INSERT INTO user_companies (user_id, company_id, org_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(company.id.0)
            .bind(admin.org.0)
            .execute(&mut *tx)
            .await?;
        }
        let token = reset::issue(
            &mut tx,
            crate::model::ids::UserId(id),
            Purpose::Invitation,
            now,
        )
        .await?;
        let body = format!(
            "Hello {first},\n\n\
             {inviter} invited you to {org} on Portcullis, the access console of its billing platform.\n\
             Choose your password here to sign in (the link works once, within seven days):\n\n\
             {link}\n\n\
             Your sign-in email is {email}.\n",
            first = valid.first_name,
            inviter = admin.full_name(),
            org = snapshot.org.name,
            link = reset::link(&state.mail.public_url, &token),
            email = valid.email,
        );
        enqueue(
            &mut tx,
            Mail {
                org: Some(admin.org),
                to: &valid.email,
                subject: &format!("You are invited to {} on Portcullis", snapshot.org.name),
                body,
                kind: crate::mail::MailKind::Invitation(crate::model::ids::UserId(id)),
            },
        )
        .await?;
        let event = Event {
            org: Some(admin.org),
            action: "user.create",
            target_type: "user",
            target_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({
                "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email,
                "account_type": account_type, "user_type": user_type,
                "company_id": company.map(|c| c.id.0), "role_id": role_id,
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/users/{id}?invited"));
        Ok(id)
    }
}
