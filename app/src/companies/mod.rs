//! The Companies page: an Administrator's parent company and its children,
//! created, renamed, deactivated and reactivated.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;

use serde::{Deserialize, Serialize};

/// One company of the organization, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRow {
    pub id: crate::model::ids::CompanyId,
    pub name: String,
    pub parent: bool,
    pub active: bool,
    pub version: i32,
    /// Standard users picked for it directly or by role, and Customers at home.
    pub members: i64,
}

pub const COMPANY_SAVED: &str = "The company has been saved.";
pub const COMPANY_NAME_TAKEN: &str = "Another company of your organization already has this name.";
pub const COMPANY_CHANGED_ELSEWHERE: &str = "Someone else changed this company since you opened the page. Reload to see their change, then make yours again.";
pub const PARENT_STAYS_ACTIVE: &str =
    "The parent company stays active: it is where Administrators manage payers and facilities.";
pub const COMPANY_STATUS_MESSAGE: &str = "Choose Active or Inactive.";
