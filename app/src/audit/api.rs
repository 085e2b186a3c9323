//! Server functions of the Audit log page.
//!
//! Permissions: Administrators (policy `SeeAudit`) read their
//! organization's log — vendor staff's actions in it included; a vendor's
//! Administrators also read their own staff's events in the logs of the
//! customers they worked in. Events of any other log are "not found".

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{AuditDetail, AuditFilters, AuditPage};
#[cfg(feature = "ssr")]
use crate::{
    audit::{AUDIT_PAGE_SIZE, AuditRow, diff, events},
    db::one_page,
    principal::serve,
};
use crate::{error::AppError, model::ids::EventId};

/// The log, newest first, after the event `after` (keyset paging).
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    #[server(default)] filters: AuditFilters,
    after: Option<EventId>,
) -> Result<AuditPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let scope = caller.audit_scope()?;
        let checked = events::check(&filters)?;
        let mut conn = request.state.pool.acquire().await?;
        let rows = events::page(&mut conn, scope, checked, after, AUDIT_PAGE_SIZE + 1).await?;
        let (rows, next_after) = one_page(rows, AUDIT_PAGE_SIZE, |row| row.id);
        let events: Vec<AuditRow> = rows.iter().map(events::EventRecord::listed).collect();
        Ok(AuditPage {
            next_after,
            events,
            actions: events::actions(&mut conn, scope).await?,
            companies: caller
                .snapshot
                .companies
                .iter()
                .map(|c| (c.id, c.name.clone()))
                .collect(),
            vendors: events::vendors(&mut conn, scope).await?,
        })
    })
    .await
}

/// One event with what it changed.
#[server(prefix = "/api", endpoint = "load_audit_event")]
pub async fn load_audit_event(event_id: EventId) -> Result<AuditDetail, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let scope = caller.audit_scope()?;
        let mut conn = request.state.pool.acquire().await?;
        let row = events::one(&mut conn, scope, event_id).await.found()?;
        Ok(AuditDetail {
            event: row.listed(),
            changes: diff::changes(row.before.as_ref(), row.after.as_ref()),
            request_id: row.request_id,
        })
    })
    .await
}
