//! The audit log: every change, append-only (a database trigger refuses
//! UPDATE, DELETE and TRUNCATE); the Audit log page reads it.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod diff;
#[cfg(feature = "ssr")]
mod events;
#[cfg(feature = "ssr")]
pub use events::Scope;
#[cfg(feature = "ssr")]
pub mod export;

use serde::{Deserialize, Serialize};

use crate::model::ids::{CompanyId, EventId, VendorId};

/// One event as the Audit log lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: EventId,
    /// "2026-11-23 16:05 UTC".
    pub when: String,
    pub actor: String,
    /// Set when vendor staff acted: the vendor's name (or the platform's,
    /// when `by_platform`).
    pub vendor: Option<String>,
    /// The platform's staff acted (from the console or the support desk).
    pub by_platform: bool,
    /// The organization whose log holds it (for a vendor reading its
    /// staff's events in customers' logs).
    pub organization: Option<String>,
    pub action: String,
    /// "user 12", "vendor_link 3".
    pub target: String,
    pub company: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditRow>,
    pub next_after: Option<EventId>,
    /// The actions that occur in this log, for the filter.
    pub actions: Vec<String>,
    /// The organization's companies and the vendors that acted in the
    /// log, (id, name), for the filters.
    pub companies: Vec<(CompanyId, String)>,
    pub vendors: Vec<(VendorId, String)>,
}

/// One field that an event changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditDetail {
    pub event: AuditRow,
    pub changes: Vec<Change>,
    pub request_id: Option<String>,
}

/// The Audit log's filters as its form sends them: "" for none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilters {
    /// Part of the actor's name or email.
    pub actor: String,
    /// An action key, e.g. `user.update`.
    pub action: String,
    /// A user id the event is about.
    pub user: String,
    /// The acting company's id.
    pub company: String,
    /// The vendor's organization id.
    pub vendor: String,
    /// YYYY-MM-DD, both ends included.
    pub from: String,
    pub to: String,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;
