//! Server functions of the console's Organizations pages.
//!
//! Permissions: the platform's staff list and open every customer and
//! vendor organization (`PlatformConsole`); its Administrators create,
//! rename, suspend and reactivate them (`RunPlatform`). Each change is
//! recorded in the organization's own audit log, labelled with the
//! platform (whose log lists it too).

use leptos::prelude::*;

use super::{OrgDetail, OrgsPage};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::reset::{self, Purpose},
    db::{one_page, substring_pattern},
    error::{Found, OnConstraint},
    mail::{
        MailKind, letters,
        outbox::{Mail, enqueue},
    },
    model::{
        ids::UserId,
        org::{OrgKind, validate_org_name},
        user::AccountType,
        validation::{Field, FieldErrors, ProfileInput, validate_profile},
    },
    org::db::create_parent_and_administrator,
    platform::{
        EMAIL_TAKEN, KIND_MESSAGE, MemberRow, ORG_CHANGED_ELSEWHERE, ORG_NAME_TAKEN,
        ORGS_PAGE_SIZE, OrgSummary, db,
    },
    principal::serve,
};
use crate::{error::AppError, model::ids::OrgId};
#[cfg(feature = "ssr")]
use chrono::Utc;
#[cfg(feature = "ssr")]
use serde_json::json;

#[cfg(feature = "ssr")]
impl From<db::OrgRow> for OrgSummary {
    fn from(row: db::OrgRow) -> Self {
        OrgSummary {
            id: row.id,
            name: row.name,
            kind: row.kind,
            suspended: row.suspended,
            administrators: row.administrators,
            administrators_with_two_factor: row.administrators_with_two_factor,
            linked: row.linked,
            open_tickets: row.open_tickets,
        }
    }
}

/// Customer and vendor organizations whose name contains `search`, of
/// `kind` ("customer", "vendor" or "" for both), by name, after `after`.
#[server(prefix = "/api", endpoint = "platform_organizations")]
pub async fn platform_organizations(
    search: String,
    kind: String,
    after: Option<OrgId>,
) -> Result<OrgsPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        if search.chars().count() > 100 {
            return Err(AppError::field(
                Field::Search,
                "Search for at most 100 characters.",
            ));
        }
        let kind = match kind.trim() {
            "" => None,
            key => Some(
                OrgKind::from_key(key)
                    .filter(|k| *k != OrgKind::Platform)
                    .ok_or_else(|| AppError::field(Field::Kind, KIND_MESSAGE))?,
            ),
        };
        let pattern = substring_pattern(&search);
        let mut conn = request.state.pool.acquire().await?;
        let rows = db::organizations(&mut conn, &pattern, kind, after, ORGS_PAGE_SIZE + 1).await?;
        let total = db::count(&mut conn, &pattern, kind).await?;
        let (rows, next_after) = one_page(rows, ORGS_PAGE_SIZE, |row| row.id);
        Ok(OrgsPage {
            organizations: rows.into_iter().map(OrgSummary::from).collect(),
            next_after,
            total,
            may_run: caller.may(crate::model::policy::Action::RunPlatform),
        })
    })
    .await
}

/// One organization with its users, Administrators first.
#[server(prefix = "/api", endpoint = "load_organization")]
pub async fn load_organization(org_id: OrgId) -> Result<OrgDetail, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut conn = request.state.pool.acquire().await?;
        let row = db::organization(&mut conn, org_id).await.found()?;
        let members = db::members(&mut conn, org_id).await?;
        Ok(OrgDetail {
            version: row.version,
            summary: row.into(),
            members: members.into_iter().map(MemberRow::from).collect(),
            may_run: caller.may(crate::model::policy::Action::RunPlatform),
        })
    })
    .await
}

/// Creates a customer organization (with its parent company) or a vendor
/// organization, and invites its first Administrator by mail; answers
/// with the organization's page.
#[server(prefix = "/api", endpoint = "create_organization")]
pub async fn create_organization(
    kind: String,
    name: String,
    first_name: String,
    last_name: String,
    email: String,
) -> Result<OrgId, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(true)?;
        let kind = OrgKind::from_key(kind.trim()).filter(|k| *k != OrgKind::Platform);
        let name = validate_org_name(&name);
        let profile = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        });
        let (kind, name, profile) = match (kind, name, profile) {
            (Some(kind), Ok(name), Ok(profile)) => (kind, name, profile),
            (kind, name, profile) => {
                let mut errors = FieldErrors::default();
                errors.check(Field::Kind, kind.is_some(), KIND_MESSAGE);
                for invalid in [name.err(), profile.err()].into_iter().flatten() {
                    errors.0.extend(invalid.0);
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let mut tx = request.state.pool.begin().await?;
        let org = db::insert_organization(&mut tx, &name, kind)
            .await?
            .ok_or_else(|| AppError::field(Field::OrganizationName, ORG_NAME_TAKEN))?;
        if crate::accounts::db::email_taken(&mut tx, &profile.email).await? {
            return Err(AppError::field(Field::Email, EMAIL_TAKEN));
        }
        let taken = || AppError::field(Field::Email, EMAIL_TAKEN);
        let admin = match kind {
            OrgKind::Customer => create_parent_and_administrator(
                &mut tx,
                org.0,
                &name,
                &profile.first_name,
                &profile.last_name,
                &profile.email,
            )
            .await
            .map(UserId),
            _ => {
                db::insert_member(
                    &mut tx,
                    org,
                    &profile.first_name,
                    &profile.last_name,
                    &profile.email,
                    AccountType::Administrator,
                )
                .await
            }
        }
        .on_constraint(&[("users_email_key", taken)])?;
        let token = reset::issue(&mut tx, admin, Purpose::Invitation, Utc::now()).await?;
        let letter = letters::invited_by_vendor(
            &profile.first_name,
            &caller.snapshot.org.name,
            &name,
            &reset::link(&request.state.mail.public_url, &token),
            &profile.email,
            &request.state.account_offer.onboarding_url,
        );
        let mail = Mail {
            org: Some(org),
            to: &profile.email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::Invitation(admin),
        };
        enqueue(&mut tx, mail).await?;
        let event = Event::new(org, "organization.create", "organization", org).after(json!({
            "name": name, "kind": kind.key(), "administrator": profile.email,
        }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/platform/organizations/{org}?created"));
        Ok(org)
    })
    .await
}

/// Renames an organization (and a customer's parent company with it).
#[server(prefix = "/api", endpoint = "rename_organization")]
pub async fn rename_organization(
    org_id: OrgId,
    version: i64,
    name: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(true)?;
        let name = validate_org_name(&name).map_err(AppError::Invalid)?;
        let mut tx = request.state.pool.begin().await?;
        let (old, current, _) = db::lock_organization(&mut tx, org_id).await.found()?;
        if current != version {
            return Err(AppError::Conflict(ORG_CHANGED_ELSEWHERE.to_owned()));
        }
        if old == name {
            return Ok(format!("{name} keeps its name."));
        }
        if !db::rename(&mut tx, org_id, &name).await? {
            return Err(AppError::field(Field::OrganizationName, ORG_NAME_TAKEN));
        }
        let event = Event::new(org_id, "organization.rename", "organization", org_id)
            .before(json!({ "name": old }))
            .after(json!({ "name": name }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("{old} is now called {name}."))
    })
    .await
}

/// Suspends an organization (none of its users signs in or acts; nothing
/// is deleted) or reactivates it.
#[server(prefix = "/api", endpoint = "set_organization_suspended")]
pub async fn set_organization_suspended(
    org_id: OrgId,
    version: i64,
    suspended: bool,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(true)?;
        let mut tx = request.state.pool.begin().await?;
        let (name, current, was) = db::lock_organization(&mut tx, org_id).await.found()?;
        if current != version {
            return Err(AppError::Conflict(ORG_CHANGED_ELSEWHERE.to_owned()));
        }
        if was == suspended {
            let state = if suspended { "suspended" } else { "active" };
            return Ok(format!("{name} is {state} already."));
        }
        db::set_suspended(&mut tx, org_id, suspended, Utc::now()).await?;
        let action = if suspended {
            "organization.suspend"
        } else {
            "organization.reactivate"
        };
        let event = Event::new(org_id, action, "organization", org_id)
            .before(json!({ "suspended": was }))
            .after(json!({ "suspended": suspended }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        Ok(if suspended {
            format!("{name} is suspended: none of its users can sign in.")
        } else {
            format!("{name} is active again.")
        })
    })
    .await
}

#[cfg(feature = "ssr")]
impl From<db::MemberRecord> for MemberRow {
    fn from(row: db::MemberRecord) -> Self {
        MemberRow {
            id: row.id,
            name: row.name,
            email: row.email,
            active: row.active,
            administrator: row.account_type == AccountType::Administrator,
            support_user: row.support_user,
            two_factor: row.two_factor,
        }
    }
}
