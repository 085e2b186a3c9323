//! Server functions of the Vendor Settings page.
//!
//! Permissions: any active user of a customer organization reads the
//! setting; only its own Administrators (policy action
//! `ChangeVendorAccess`: not vendor staff switched in) change it.
//! A vendor not linked to the caller's organization is "not found".

use leptos::prelude::*;

use super::VendorSettingsPage;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    model::{
        policy::Action,
        time::minute_utc,
        vendor::{GrantRequest, VendorGrant, expiry_notice_at, validate_grant},
    },
    principal::Caller,
    principal::serve,
    vendor_access::{
        HISTORY_LENGTH, HistoryEntry, NOTHING_TO_REVERT, VENDOR_CHANGED_ELSEWHERE, VendorSetting,
        db::{self, LinkRow, grant_from_json, grant_json},
    },
};
use crate::{error::AppError, model::ids::VendorId};
#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
#[cfg(feature = "ssr")]
use sqlx::PgConnection;
#[cfg(feature = "ssr")]
use std::collections::HashMap;

/// The vendors linked to the caller's organization, with their access.
#[server(prefix = "/api", endpoint = "vendor_settings")]
pub async fn vendor_settings() -> Result<VendorSettingsPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::SeeVendorSettings)?;
        let now = Utc::now();
        let mut conn = request.state.pool.acquire().await?;
        let rows = db::links(&mut conn, caller.user.org).await?;
        let mut history = history(&mut conn, &caller).await?;
        let vendors = rows
            .into_iter()
            .map(|row| {
                let grant = row.grant();
                VendorSetting {
                    history: history.remove(&row.vendor_id).unwrap_or_default(),
                    vendor_id: row.vendor_id,
                    vendor: row.vendor,
                    vendor_owned: row.vendor_owned,
                    described: grant.describe(now),
                    temporary: grant.is_temporary_at(now),
                    grant,
                    version: row.version,
                }
            })
            .collect();
        Ok(VendorSettingsPage {
            organization: caller.snapshot.org.name.clone(),
            may_change: caller.may(Action::ChangeVendorAccess(caller.user.org)),
            vendors,
        })
    })
    .await
}

/// Sets a vendor's access level, until changed or for a limited time.
/// Lowered below Full Access, the vendor's staff switched into the
/// account are out at once.
#[server(prefix = "/api", endpoint = "set_vendor_access")]
pub async fn set_vendor_access(
    vendor_id: VendorId,
    version: i32,
    tier: String,
    length: String,
    until: String,
    reverts_to: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::SeeVendorSettings)?;
        caller.check(Action::ChangeVendorAccess(caller.user.org))?;
        let now = Utc::now();
        let wanted = GrantRequest {
            tier,
            length,
            until,
            reverts_to,
        };
        let grant = validate_grant(&wanted, now).map_err(AppError::Invalid)?;
        let mut tx = request.state.pool.begin().await?;
        let row = locked(&mut tx, &caller, vendor_id, version).await?;
        let message = store(&mut tx, &caller, &row, grant, "vendor_access.change", now).await?;
        tx.commit().await?;
        Ok(message)
    })
    .await
}

/// Ends a timed grant now: the vendor returns to the level it was to
/// return to.
#[server(prefix = "/api", endpoint = "revert_vendor_access")]
pub async fn revert_vendor_access(vendor_id: VendorId, version: i32) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::SeeVendorSettings)?;
        caller.check(Action::ChangeVendorAccess(caller.user.org))?;
        let now = Utc::now();
        let mut tx = request.state.pool.begin().await?;
        let row = locked(&mut tx, &caller, vendor_id, version).await?;
        let current = row.grant();
        if !current.is_temporary_at(now) {
            return Err(AppError::Conflict(NOTHING_TO_REVERT.to_owned()));
        }
        let grant = VendorGrant::permanent(current.reverts_to);
        let message = store(&mut tx, &caller, &row, grant, "vendor_access.revert", now).await?;
        tx.commit().await?;
        Ok(message)
    })
    .await
}

/// The last changes of every vendor's setting, newest first, by vendor.
#[cfg(feature = "ssr")]
async fn history(
    conn: &mut PgConnection,
    caller: &Caller,
) -> Result<HashMap<VendorId, Vec<HistoryEntry>>, AppError> {
    let rows = db::history(conn, caller.user.org, HISTORY_LENGTH).await?;
    let mut by_vendor: HashMap<VendorId, Vec<HistoryEntry>> = HashMap::new();
    for row in rows {
        let at: DateTime<Utc> = row.occurred_at;
        // Described as of the moment of the change, so the words stay true
        // later ("until …" even once it has ended).
        let words = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(grant_from_json)
                .map(|g| g.describe(at))
                .unwrap_or_else(|| "—".to_owned())
        };
        let how = match row.action.as_str() {
            "vendor_access.revert" => " (ended early)",
            "vendor_access.expire" => " (time limit reached)",
            _ => "",
        };
        let Ok(vendor) = row.target_id.parse() else {
            continue;
        };
        by_vendor
            .entry(VendorId(vendor))
            .or_default()
            .push(HistoryEntry {
                when: minute_utc(at),
                who: row.actor_label,
                what: format!("{} → {}{how}", words(&row.before), words(&row.after)),
            });
    }
    Ok(by_vendor)
}

/// The link, locked, if nobody changed it since `version`.
#[cfg(feature = "ssr")]
async fn locked(
    tx: &mut PgConnection,
    caller: &Caller,
    vendor: VendorId,
    version: i32,
) -> Result<LinkRow, AppError> {
    if !db::lock_link(tx, caller.user.org, vendor).await? {
        return Err(AppError::NotFound);
    }
    let row = db::links(tx, caller.user.org)
        .await?
        .into_iter()
        .find(|link| link.vendor_id == vendor)
        .ok_or(AppError::NotFound)?;
    if row.version != version {
        return Err(AppError::Conflict(VENDOR_CHANGED_ELSEWHERE.to_owned()));
    }
    Ok(row)
}

/// Stores `grant`, ends the switches it no longer allows, records the
/// change and returns the page's message.
#[cfg(feature = "ssr")]
async fn store(
    tx: &mut PgConnection,
    caller: &Caller,
    row: &LinkRow,
    grant: VendorGrant,
    action: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let before = row.grant();
    let notice = grant.expires_at.map(|end| expiry_notice_at(now, end));
    let customer = caller.user.org;
    db::store(tx, customer, row.vendor_id, &grant, notice, now).await?;
    let event = Event {
        org: Some(customer),
        action,
        target_type: "vendor_link",
        target_id: Some(row.vendor_id.to_string()),
        before: Some(grant_json(&before)),
        after: Some(grant_json(&grant)),
    };
    let actor = caller.actor();
    record(tx, &actor, event).await?;
    db::lapse_switches(tx, row.vendor_id, customer, grant.tier_at(now), &actor).await?;
    Ok(format!("{} now has {}.", row.vendor, grant.describe(now)))
}
