//! The customer's Vendor Access setting (Settings › Account Settings ›
//! Vendor Settings): each linked vendor's level, possibly for a limited
//! time, its history, and the job that ends timed grants.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;
#[cfg(feature = "ssr")]
pub mod expiry;

use serde::{Deserialize, Serialize};

use crate::model::{ids::VendorId, vendor::VendorGrant};

/// One linked vendor as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorSetting {
    pub vendor_id: VendorId,
    pub vendor: String,
    /// The vendor created the account.
    pub vendor_owned: bool,
    /// As stored; the policy reads an expired grant as its `reverts_to`.
    pub grant: VendorGrant,
    /// The grant in words at the moment of reading.
    pub described: String,
    /// Whether the grant is still in its timed phase.
    pub temporary: bool,
    pub version: i32,
    /// Newest first.
    pub history: Vec<HistoryEntry>,
}

/// One change of the setting, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// "2026-11-23 16:05 UTC".
    pub when: String,
    pub who: String,
    /// "All Support → Full Access until …, then Limited Access".
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorSettingsPage {
    pub organization: String,
    pub vendors: Vec<VendorSetting>,
    /// Only the customer's Administrators change the setting.
    pub may_change: bool,
}

pub const VENDOR_CHANGED_ELSEWHERE: &str = "Someone else changed this vendor's access since you opened the page. Reload to see their change, then make yours again.";
pub const NOTHING_TO_REVERT: &str =
    "This access has no time limit (or its time is already up): choose another level instead.";
/// How many changes the history shows.
pub const HISTORY_LENGTH: i64 = 20;
