//! Administrator changes by ticket (seed 002): on a customer's ticket, a
//! member of the platform's staff proposes making a user a Site
//! Administrator or a Support User, or reactivating an Administrator; a
//! second one, a Platform Administrator, approves (and the change is made)
//! or rejects it. The customer's audit log keeps each step with the
//! ticket, labelled with the platform.
//!
//! Permissions: proposing, the platform's staff (`PlatformConsole`);
//! deciding, a Platform Administrator who did not propose it
//! (`ApproveChange`). A change is proposed only on a ticket opened by an
//! active Administrator of the organization, or, when it has none left,
//! with the verification recorded as its reason.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::reset,
    error::Found,
    mail::{
        MailKind,
        outbox::{Mail, enqueue},
    },
    model::{
        org::OrgKind,
        platform::{ChangeKind, ChangeStatus, validate_reason},
        policy::Action,
        user::AccountType,
        validation::Field,
    },
    org::db::load_user,
    platform::{db, desk_api::ticket_org},
    principal::serve,
};
use crate::{
    error::AppError,
    model::ids::{ChangeId, TicketId, UserId},
};
#[cfg(feature = "ssr")]
use chrono::Utc;
#[cfg(feature = "ssr")]
use serde_json::json;

pub const CHANGE_MESSAGE: &str =
    "Choose Make Site Administrator, Make Support User or Reactivate Administrator.";
pub const CUSTOMERS_ONLY: &str = "Administrator changes are made for customer organizations.";
pub const NOT_FROM_AN_ADMINISTRATOR: &str = "This organization has active Administrators: the change must be asked for on a ticket one of them opened.";
pub const CHANGE_DECIDED: &str = "This change was decided already. Reload to see how.";

/// Proposes `change` ("make_administrator", "make_support_user" or
/// "reactivate_administrator") for the organization's user `user_id` on
/// the ticket, with what was verified as `reason`.
#[server(prefix = "/api", endpoint = "propose_change")]
pub async fn propose_change(
    ticket_id: TicketId,
    change: String,
    user_id: UserId,
    reason: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut tx = request.state.pool.begin().await?;
        if !crate::support::db::lock(&mut tx, ticket_id).await? {
            return Err(AppError::NotFound);
        }
        let org = ticket_org(&mut tx, ticket_id).await?;
        let kind = ChangeKind::from_key(change.trim())
            .ok_or_else(|| AppError::field(Field::Change, CHANGE_MESSAGE))?;
        let reason = validate_reason(&reason).map_err(AppError::Invalid)?;
        let (_, _, _) = db::lock_organization(&mut tx, org).await.found()?;
        let summary = db::organization(&mut tx, org).await.found()?;
        if summary.kind != OrgKind::Customer {
            return Err(AppError::field(Field::Change, CUSTOMERS_ONLY));
        }
        let target = load_user(&mut tx, user_id)
            .await?
            .filter(|u| u.org == org)
            .ok_or_else(|| AppError::field(Field::User, "Choose a user of this organization."))?;
        let pointless = match kind {
            ChangeKind::MakeAdministrator => target.is_admin(),
            ChangeKind::MakeSupportUser => target.support_user,
            ChangeKind::ReactivateAdministrator => !target.is_admin() || target.is_active(),
        };
        if pointless {
            let said = match kind {
                ChangeKind::MakeAdministrator => "is an Administrator already",
                ChangeKind::MakeSupportUser => "is a Support User already",
                ChangeKind::ReactivateAdministrator => "is not an inactive Administrator",
            };
            return Err(AppError::field(
                Field::User,
                &format!("{} {said}.", target.full_name()),
            ));
        }
        // Asked for by a current Administrator, or by nobody left to ask.
        let opener_is_admin = db::opened_by_active_administrator(&mut tx, ticket_id, org).await?;
        if summary.administrators > 0 && !opener_is_admin {
            return Err(AppError::field(Field::Change, NOT_FROM_AN_ADMINISTRATOR));
        }
        let id = db::propose(
            &mut tx,
            ticket_id,
            org,
            kind,
            user_id,
            &reason,
            caller.user.id,
        )
        .await?
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "“{}” for {} is waiting for approval already.",
                kind.label(),
                target.full_name()
            ))
        })?;
        let event = Event::about_user(org, "platform.change_propose", user_id).after(json!({
            "change_id": id, "change": kind.key(), "ticket_id": ticket_id, "reason": reason,
        }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        Ok(format!(
            "“{}” for {} waits for a second Platform Administrator's approval.",
            kind.label(),
            target.full_name()
        ))
    })
    .await
}

/// Approves (`approve`: and makes it) or rejects a proposed change.
#[server(prefix = "/api", endpoint = "decide_change")]
pub async fn decide_change(change_id: ChangeId, approve: bool) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut tx = request.state.pool.begin().await?;
        let change = db::lock_change(&mut tx, change_id).await.found()?;
        caller.check(Action::ApproveChange {
            proposed_by: change.proposed_by_id,
        })?;
        if change.status != ChangeStatus::Pending {
            return Err(AppError::Conflict(CHANGE_DECIDED.to_owned()));
        }
        db::lock_organization(&mut tx, change.org_id)
            .await
            .found()?;
        let target = load_user(&mut tx, change.target_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let actor = caller.platform_actor();
        if !approve {
            db::decide(&mut tx, change_id, ChangeStatus::Rejected, caller.user.id).await?;
            let event = Event::about_user(change.org_id, "platform.change_reject", target.id)
                .after(json!({ "change_id": change_id, "change": change.kind.key(),
                               "ticket_id": change.ticket_id }));
            record(&mut tx, &actor, event).await?;
            tx.commit().await?;
            return Ok(format!(
                "“{}” was rejected; nothing changed.",
                change.kind.label()
            ));
        }
        // Still to be made? (Someone may have made it by other means since.)
        let still = match change.kind {
            ChangeKind::MakeAdministrator => !target.is_admin(),
            ChangeKind::MakeSupportUser => !target.support_user,
            ChangeKind::ReactivateAdministrator => target.is_admin() && !target.is_active(),
        };
        if !still {
            return Err(AppError::Conflict(format!(
                "{} changed since this was proposed: reject it, and propose again if needed.",
                target.full_name()
            )));
        }
        db::decide(&mut tx, change_id, ChangeStatus::Applied, caller.user.id).await?;
        let (before, after) = match change.kind {
            ChangeKind::MakeAdministrator => {
                db::set_account_type(&mut tx, target.id, AccountType::Administrator).await?;
                (
                    json!({ "account_type": "standard" }),
                    json!({ "account_type": "administrator" }),
                )
            }
            ChangeKind::MakeSupportUser => {
                db::set_support_user(&mut tx, target.id).await?;
                (
                    json!({ "support_user": false }),
                    json!({ "support_user": true }),
                )
            }
            ChangeKind::ReactivateAdministrator => {
                let token = reset::reactivate_afresh(&mut tx, target.id, Utc::now())
                    .await
                    .map_err(AppError::internal)?;
                let link = reset::link(&request.state.mail.public_url, &token);
                let letter =
                    crate::mail::letters::reactivated(&target.first_name, &link, &target.email);
                let mail = Mail {
                    org: Some(change.org_id),
                    to: &target.email,
                    subject: &letter.subject,
                    body: letter.body,
                    kind: MailKind::Invitation(target.id),
                };
                enqueue(&mut tx, mail).await?;
                (
                    json!({ "status": "inactive" }),
                    json!({ "status": "active", "password": "reset",
                            "two_factor": "re-enrolment required" }),
                )
            }
        };
        let mut after = after;
        after["change_id"] = json!(change_id);
        after["ticket_id"] = json!(change.ticket_id);
        after["reason"] = json!(change.reason);
        after["proposed_by"] = json!(change.proposed_by);
        let event = Event::about_user(change.org_id, "platform.change_apply", target.id)
            .before(before)
            .after(after);
        record(&mut tx, &actor, event).await?;
        tx.commit().await?;
        Ok(format!(
            "Approved: “{}” for {} is done.",
            change.kind.label(),
            target.full_name()
        ))
    })
    .await
}
