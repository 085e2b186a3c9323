//! Server functions of the Vendor Settings page.
//!
//! Permissions: any active user of a customer organization reads the
//! setting; only its own Administrators (policy action
//! `ChangeVendorAccess`: not vendor staff switched in) change it.
//! A vendor not linked to the caller's organization is "not found".

use leptos::prelude::*;

use super::VendorSettingsPage;
use crate::error::AppError;

/// The vendors linked to the caller's organization, with their access.
#[server(prefix = "/api", endpoint = "vendor_settings")]
pub async fn vendor_settings() -> Result<VendorSettingsPage, AppError> {
    ssr::settings().await.map_err(AppError::respond)
}

/// Sets a vendor's access level, until changed or for a limited time.
#[server(prefix = "/api", endpoint = "set_vendor_access")]
pub async fn set_vendor_access(
    vendor_id: i64,
    version: i32,
    tier: String,
    length: String,
    until: String,
    reverts_to: String,
) -> Result<String, AppError> {
    let request = crate::model::vendor::GrantRequest {
        tier,
        length,
        until,
        reverts_to,
    };
    ssr::set(vendor_id, version, request)
        .await
        .map_err(AppError::respond)
}

/// Ends a timed grant now: the vendor returns to the level it was to
/// return to.
#[server(prefix = "/api", endpoint = "revert_vendor_access")]
pub async fn revert_vendor_access(vendor_id: i64, version: i32) -> Result<String, AppError> {
    ssr::revert(vendor_id, version)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use serde_json::{Value, json};
    use sqlx::PgConnection;

    use super::super::{
        HISTORY_LENGTH, HistoryEntry, NOTHING_TO_REVERT, VENDOR_CHANGED_ELSEWHERE, VendorSetting,
        VendorSettingsPage,
    };
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::AppError,
        model::{
            access::Action,
            time::minute_utc,
            vendor::{GrantRequest, VendorGrant, VendorTier, expiry_notice_at, validate_grant},
        },
        state::AppState,
    };

    #[derive(sqlx::FromRow)]
    struct LinkRow {
        vendor_id: i64,
        vendor: String,
        vendor_owned: bool,
        tier: VendorTier,
        expires_at: Option<DateTime<Utc>>,
        reverts_to: Option<VendorTier>,
        version: i32,
    }

    impl LinkRow {
        fn grant(&self) -> VendorGrant {
            VendorGrant {
                tier: self.tier,
                expires_at: self.expires_at,
                reverts_to: self.reverts_to.unwrap_or(self.tier),
            }
        }
    }

    const LINK_COLUMNS: &str =
        "l.vendor_id, o.name AS vendor, l.vendor_owned, l.tier, l.expires_at,
                                l.reverts_to, l.version";

    /// What the audit log keeps of a grant, and reads back for the history.
    pub(crate) fn grant_json(grant: &VendorGrant) -> Value {
        json!({
            "tier": grant.tier.key(),
            "expires_at": grant.expires_at,
            "reverts_to": grant.expires_at.map(|_| grant.reverts_to.key()),
        })
    }

    fn grant_from_json(value: &Value) -> Option<VendorGrant> {
        let tier = VendorTier::from_key(value.get("tier")?.as_str()?)?;
        let expires_at = value
            .get("expires_at")
            .and_then(|v| serde_json::from_value::<Option<DateTime<Utc>>>(v.clone()).ok())
            .flatten();
        let reverts_to = value
            .get("reverts_to")
            .and_then(Value::as_str)
            .and_then(VendorTier::from_key)
            .unwrap_or(tier);
        Some(VendorGrant {
            tier,
            expires_at,
            reverts_to,
        })
    }

    #[derive(sqlx::FromRow)]
    struct HistoryRow {
        target_id: String,
        occurred_at: DateTime<Utc>,
        actor_label: String,
        action: String,
        before: Option<Value>,
        after: Option<Value>,
    }

    /// The last changes of every vendor's setting, newest first, by vendor.
    async fn history(
        conn: &mut PgConnection,
        customer: i64,
    ) -> Result<HashMap<i64, Vec<HistoryEntry>>, AppError> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT target_id, occurred_at, actor_label, action, before, after FROM (
                 SELECT *, row_number() OVER (PARTITION BY target_id ORDER BY id DESC) AS n
                 FROM audit_events WHERE org_id = $1 AND target_type = 'vendor_link') e
             WHERE n <= $2 ORDER BY id DESC",
        )
        .bind(customer)
        .bind(HISTORY_LENGTH)
        .fetch_all(conn)
        .await?;
        let mut by_vendor: HashMap<i64, Vec<HistoryEntry>> = HashMap::new();
        for HistoryRow {
            target_id: vendor,
            occurred_at: at,
            actor_label: who,
            action,
            before,
            after,
        } in rows
        {
            // Described as of the moment of the change, so the words stay
            // true later ("until …" even once it has ended).
            let words = |v: &Option<Value>| {
                v.as_ref()
                    .and_then(grant_from_json)
                    .map(|g| g.describe(at))
                    .unwrap_or_else(|| "—".to_owned())
            };
            let how = match action.as_str() {
                "vendor_access.revert" => " (ended early)",
                "vendor_access.expire" => " (time limit reached)",
                _ => "",
            };
            let Ok(vendor) = vendor.parse() else { continue };
            by_vendor.entry(vendor).or_default().push(HistoryEntry {
                when: minute_utc(at),
                who,
                what: format!("{} → {}{how}", words(&before), words(&after)),
            });
        }
        Ok(by_vendor)
    }

    pub async fn settings() -> Result<VendorSettingsPage, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeVendorSettings)?;
        let now = Utc::now();
        let mut conn = state.pool.acquire().await?;
        let rows: Vec<LinkRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS} FROM vendor_links l JOIN organizations o ON o.id = l.vendor_id
             WHERE l.customer_id = $1 ORDER BY lower(o.name)"
        ))
        .bind(caller.user.org.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut history = history(&mut conn, caller.user.org.0).await?;
        let mut vendors = Vec::with_capacity(rows.len());
        for row in rows {
            let grant = row.grant();
            vendors.push(VendorSetting {
                history: history.remove(&row.vendor_id).unwrap_or_default(),
                vendor_id: row.vendor_id,
                vendor: row.vendor,
                vendor_owned: row.vendor_owned,
                described: grant.describe(now),
                temporary: grant.is_temporary_at(now),
                grant,
                version: row.version,
            });
        }
        Ok(VendorSettingsPage {
            organization: caller.snapshot.org.name.clone(),
            may_change: caller.may(Action::ChangeVendorAccess(caller.user.org)),
            vendors,
        })
    }

    /// The link, locked, if nobody changed it since `version`.
    async fn locked(
        tx: &mut PgConnection,
        customer: i64,
        vendor: i64,
        version: i32,
    ) -> Result<LinkRow, AppError> {
        let row: Option<LinkRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS} FROM vendor_links l JOIN organizations o ON o.id = l.vendor_id
             WHERE l.customer_id = $1 AND l.vendor_id = $2 FOR UPDATE OF l"
        ))
        .bind(customer)
        .bind(vendor)
        .fetch_optional(tx)
        .await?;
        let row = row.ok_or(AppError::NotFound)?;
        if row.version != version {
            return Err(AppError::Conflict(VENDOR_CHANGED_ELSEWHERE.to_owned()));
        }
        Ok(row)
    }

    /// Stores `grant`, records the change and returns the page's message.
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
        sqlx::query(
            "UPDATE vendor_links SET tier = $3, expires_at = $4, reverts_to = $5, expiry_notice_at = $6,
                                     version = version + 1, updated_at = $7
             WHERE customer_id = $1 AND vendor_id = $2",
        )
        .bind(caller.user.org.0)
        .bind(row.vendor_id)
        .bind(grant.tier.key())
        .bind(grant.expires_at)
        .bind(grant.expires_at.map(|_| grant.reverts_to.key()))
        .bind(notice)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            org: Some(caller.user.org),
            action,
            target_type: "vendor_link",
            target_id: Some(row.vendor_id.to_string()),
            before: Some(grant_json(&before)),
            after: Some(grant_json(&grant)),
        };
        record(tx, &caller.actor(), event).await?;
        Ok(format!("{} now has {}.", row.vendor, grant.describe(now)))
    }

    pub async fn set(vendor: i64, version: i32, request: GrantRequest) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeVendorSettings)?;
        caller.check(Action::ChangeVendorAccess(caller.user.org))?;
        let now = Utc::now();
        let grant = validate_grant(&request, now).map_err(AppError::Invalid)?;
        let mut tx = state.pool.begin().await?;
        let row = locked(&mut tx, caller.user.org.0, vendor, version).await?;
        let message = store(&mut tx, &caller, &row, grant, "vendor_access.change", now).await?;
        tx.commit().await?;
        Ok(message)
    }

    pub async fn revert(vendor: i64, version: i32) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeVendorSettings)?;
        caller.check(Action::ChangeVendorAccess(caller.user.org))?;
        let now = Utc::now();
        let mut tx = state.pool.begin().await?;
        let row = locked(&mut tx, caller.user.org.0, vendor, version).await?;
        let current = row.grant();
        if !current.is_temporary_at(now) {
            return Err(AppError::Conflict(NOTHING_TO_REVERT.to_owned()));
        }
        let grant = VendorGrant::permanent(current.reverts_to);
        let message = store(&mut tx, &caller, &row, grant, "vendor_access.revert", now).await?;
        tx.commit().await?;
        Ok(message)
    }
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::grant_json;
