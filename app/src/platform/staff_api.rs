//! Server functions of the console's Staff page: the platform's own
//! people. Permissions: any of its staff see the list; its Administrators
//! add a Platform Administrator or a Support Agent (invited by mail; they
//! set up two-factor sign-in at their first sign-in).

use leptos::prelude::*;

use super::StaffPage;
use crate::error::AppError;
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
        platform::PlatformRole,
        validation::{Field, FieldErrors, ProfileInput, validate_profile},
    },
    platform::{EMAIL_TAKEN, ROLE_MESSAGE, StaffRow, db},
    principal::serve,
};
#[cfg(feature = "ssr")]
use chrono::Utc;
#[cfg(feature = "ssr")]
use serde_json::json;

/// The platform's staff, by name.
#[server(prefix = "/api", endpoint = "platform_staff")]
pub async fn platform_staff() -> Result<StaffPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut conn = request.state.pool.acquire().await?;
        let staff = db::staff(&mut conn, caller.user.org).await?;
        Ok(StaffPage {
            platform: caller.snapshot.org.name.clone(),
            staff: staff
                .into_iter()
                .map(|m| StaffRow {
                    id: m.id,
                    name: m.name,
                    email: m.email,
                    role: PlatformRole::of(m.account_type),
                    active: m.active,
                    two_factor: m.two_factor,
                })
                .collect(),
            may_run: caller.may(crate::model::policy::Action::RunPlatform),
        })
    })
    .await
}

/// Adds a member of staff (`role`: "administrator" or "support_agent")
/// and mails them their invitation.
#[server(prefix = "/api", endpoint = "add_platform_staff")]
pub async fn add_platform_staff(
    first_name: String,
    last_name: String,
    email: String,
    role: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(true)?;
        let role = PlatformRole::from_key(role.trim());
        let profile = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        });
        let (role, profile) = match (role, profile) {
            (Some(role), Ok(profile)) => (role, profile),
            (role, profile) => {
                let mut errors = profile.err().unwrap_or_else(FieldErrors::default);
                errors.check(Field::PlatformRole, role.is_some(), ROLE_MESSAGE);
                return Err(AppError::Invalid(errors));
            }
        };
        let platform = caller.user.org;
        let mut tx = request.state.pool.begin().await?;
        if crate::accounts::db::email_taken(&mut tx, &profile.email).await? {
            return Err(AppError::field(Field::Email, EMAIL_TAKEN));
        }
        let member = db::insert_member(
            &mut tx,
            platform,
            &profile.first_name,
            &profile.last_name,
            &profile.email,
            role.account_type(),
        )
        .await
        .on_constraint(&[("users_email_key", || {
            AppError::field(Field::Email, EMAIL_TAKEN)
        })])?;
        let token = reset::issue(&mut tx, member, Purpose::Invitation, Utc::now()).await?;
        let letter = letters::invited_by_administrator(
            &profile.first_name,
            &caller.user.full_name(),
            &caller.snapshot.org.name,
            &reset::link(&request.state.mail.public_url, &token),
            &profile.email,
        );
        let mail = Mail {
            org: Some(platform),
            to: &profile.email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::Invitation(member),
        };
        enqueue(&mut tx, mail).await?;
        let event = Event::about_user(platform, "staff.add", member.0).after(json!({
            "name": format!("{} {}", profile.first_name, profile.last_name),
            "email": profile.email, "role": role.key(),
        }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(format!(
            "{} {} is invited as {}: they choose a password from the mail, then set up two-factor sign-in.",
            profile.first_name,
            profile.last_name,
            role.label()
        ))
    })
    .await
}
