//! Server functions of the support desk: every organization's tickets to
//! the platform in one queue, their assignment, and tickets the platform
//! opens for an organization (after a call, say). Reading, commenting,
//! status and asking a vendor for help are the ticket page's own functions
//! (`support::api`), which answer the platform's staff as the platform.
//!
//! Permissions: the platform's staff (`PlatformConsole`); everyone else is
//! refused. What they change is recorded in the ticket's organization's
//! audit log, labelled with the platform.

use leptos::prelude::*;

use super::{DeskPage, DeskView};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    db::{one_page, substring_pattern},
    error::Found,
    model::{
        ids::UserId,
        org::OrgKind,
        policy::Action,
        ticket::{TicketInput, TicketStatus, validate_ticket},
        time::minute_utc,
        validation::Field,
    },
    platform::{
        Agent, ChangeRow, DESK_PAGE_SIZE, DeskTicket, MemberRow,
        db::{self, DeskFilter},
    },
    principal::{Caller, serve},
    support::TICKET_CHANGED_ELSEWHERE,
};
use crate::{
    error::AppError,
    model::ids::{OrgId, TicketId},
};
#[cfg(feature = "ssr")]
use chrono::{Duration, Utc};
#[cfg(feature = "ssr")]
use serde_json::json;
#[cfg(feature = "ssr")]
use sqlx::PgConnection;

pub const ASSIGNEE_MESSAGE: &str = "Choose a member of the platform's staff, or nobody.";
pub const AGE_MESSAGE: &str = "Choose any age, or older than 1, 7 or 30 days.";

/// The queue, newest first, after `after`: `organization` is part of its
/// name; `status` "open", "waiting", "closed" or "" for any; `age` "" or
/// the days it is at least old ("1", "7", "30"); `assignee` "" (anyone),
/// "me", "none" or a staff member's id.
#[server(prefix = "/api", endpoint = "support_desk")]
pub async fn support_desk(
    organization: String,
    status: String,
    age: String,
    assignee: String,
    after: Option<TicketId>,
) -> Result<DeskPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        if organization.chars().count() > 100 {
            return Err(AppError::field(
                Field::Organization,
                "Search for at most 100 characters.",
            ));
        }
        let status = match status.trim() {
            "" => None,
            key => Some(TicketStatus::from_key(key).ok_or_else(|| {
                AppError::field(Field::Status, crate::support::TICKET_STATUS_MESSAGE)
            })?),
        };
        let now = Utc::now();
        let older_than = match age.trim() {
            "" => None,
            days @ ("1" | "7" | "30") => {
                Some(now - Duration::days(days.parse().unwrap_or_default()))
            }
            _ => return Err(AppError::field(Field::DateFrom, AGE_MESSAGE)),
        };
        let mut conn = request.state.pool.acquire().await?;
        let agents = agents(&mut conn, &caller).await?;
        let assignee = match assignee.trim() {
            "" => None,
            "me" => Some(Some(caller.user.id)),
            "none" => Some(None),
            id => Some(Some(staff_member(&agents, id)?)),
        };
        let filter = DeskFilter {
            organization: substring_pattern(&organization),
            status,
            older_than,
            assignee,
        };
        let rows = db::desk(&mut conn, &filter, after, DESK_PAGE_SIZE + 1).await?;
        let (rows, next_after) = one_page(rows, DESK_PAGE_SIZE, |row| row.id);
        Ok(DeskPage {
            tickets: rows
                .into_iter()
                .map(|row| DeskTicket {
                    id: row.id,
                    organization: row.organization,
                    kind: row.kind,
                    subject: row.subject,
                    status: row.status,
                    opened_by: row.opened_by,
                    assignee: row.assignee,
                    updated: minute_utc(row.updated_at),
                    age_days: (now - row.created_at).num_days(),
                })
                .collect(),
            next_after,
            agents,
            me: caller.user.id,
        })
    })
    .await
}

/// What the desk shows of a ticket beside its page: its assignee, the
/// staff it may go to, the organization's users a change may name, and
/// the changes proposed on it.
#[server(prefix = "/api", endpoint = "load_desk_view")]
pub async fn load_desk_view(ticket_id: TicketId) -> Result<DeskView, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut conn = request.state.pool.acquire().await?;
        let org = ticket_org(&mut conn, ticket_id).await?;
        let summary = db::organization(&mut conn, org).await.found()?;
        let members = match summary.kind {
            OrgKind::Customer => db::members(&mut conn, org).await?,
            _ => Vec::new(),
        };
        let changes = db::changes(&mut conn, ticket_id).await?;
        Ok(DeskView {
            org,
            kind: summary.kind,
            suspended: summary.suspended,
            assignee: db::assignee(&mut conn, ticket_id).await?,
            agents: agents(&mut conn, &caller).await?,
            members: members.into_iter().map(MemberRow::from).collect(),
            changes: changes.into_iter().map(ChangeRow::from).collect(),
            may_approve: caller.may(Action::RunPlatform),
            me: caller.user.id,
        })
    })
    .await
}

/// Assigns the ticket to a member of staff (`assignee`: their id, or ""
/// for nobody).
#[server(prefix = "/api", endpoint = "assign_ticket")]
pub async fn assign_ticket(
    ticket_id: TicketId,
    version: i32,
    assignee: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut tx = request.state.pool.begin().await?;
        let agents = agents(&mut tx, &caller).await?;
        let to = match assignee.trim() {
            "" => None,
            id => Some(staff_member(&agents, id)?),
        };
        if !crate::support::db::lock(&mut tx, ticket_id).await? {
            return Err(AppError::NotFound);
        }
        let ticket = crate::support::db::ticket(&mut tx, ticket_id, caller.user.org)
            .await
            .found()?;
        if ticket.version != version {
            return Err(AppError::Conflict(TICKET_CHANGED_ELSEWHERE.to_owned()));
        }
        let before = db::assignee(&mut tx, ticket_id).await?;
        let name = |id: Option<UserId>| {
            id.and_then(|id| agents.iter().find(|a| a.id == id))
                .map_or_else(|| "nobody".to_owned(), |a| a.name.clone())
        };
        if before == to {
            return Ok(format!("The ticket is assigned to {} already.", name(to)));
        }
        db::assign(&mut tx, ticket_id, to).await?;
        let event = Event::new(ticket.org_id, "ticket.assign", "support_ticket", ticket_id)
            .before(json!({ "assignee": name(before) }))
            .after(json!({ "assignee": name(to) }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("The ticket is assigned to {}.", name(to)))
    })
    .await
}

/// Opens a ticket for a customer or vendor organization, as the platform
/// (after a call, or to record a verification); its Administrators and
/// Support Users see it on their Support page. Answers with its page.
#[server(prefix = "/api", endpoint = "open_ticket_for")]
pub async fn open_ticket_for(
    org_id: OrgId,
    subject: String,
    message: String,
) -> Result<TicketId, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let ticket = validate_ticket(&TicketInput {
            subject,
            message,
            claims: String::new(),
        })
        .map_err(AppError::Invalid)?;
        let mut tx = request.state.pool.begin().await?;
        db::lock_organization(&mut tx, org_id).await.found()?;
        let id = crate::support::db::open(
            &mut tx,
            org_id,
            caller.user.id,
            &ticket.subject,
            &ticket.message,
            &[],
        )
        .await?;
        let event = Event::new(org_id, "ticket.open", "support_ticket", id)
            .after(json!({ "subject": ticket.subject, "claims": [] }));
        record(&mut tx, &caller.platform_actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/support/{id}?opened"));
        Ok(id)
    })
    .await
}

/// The active members of the platform's staff, by name.
#[cfg(feature = "ssr")]
async fn agents(conn: &mut PgConnection, caller: &Caller) -> Result<Vec<Agent>, AppError> {
    Ok(db::staff(conn, caller.user.org)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| Agent {
            id: m.id,
            name: m.name,
        })
        .collect())
}

/// The staff member named by `id` among `agents`.
#[cfg(feature = "ssr")]
fn staff_member(agents: &[Agent], id: &str) -> Result<UserId, AppError> {
    id.parse::<i64>()
        .ok()
        .map(UserId)
        .filter(|id| agents.iter().any(|a| a.id == *id))
        .ok_or_else(|| AppError::field(Field::Assignee, ASSIGNEE_MESSAGE))
}

/// The organization of the ticket `id`; `NotFound` if there is none.
#[cfg(feature = "ssr")]
pub(crate) async fn ticket_org(conn: &mut PgConnection, id: TicketId) -> Result<OrgId, AppError> {
    let ticket = crate::support::db::ticket(conn, id, OrgId(0))
        .await
        .found()?;
    Ok(ticket.org_id)
}

#[cfg(feature = "ssr")]
impl From<db::ChangeRecord> for ChangeRow {
    fn from(row: db::ChangeRecord) -> Self {
        ChangeRow {
            id: row.id,
            kind: row.kind,
            target: row.target,
            reason: row.reason,
            proposed_by: row.proposed_by,
            proposed_by_id: row.proposed_by_id,
            status: row.status,
            decided_by: row.decided_by,
            at: minute_utc(row.proposed_at),
        }
    }
}
