//! The Payers and facilities page: the acting company's payers and
//! facilities; at the parent company, Administrators also create, edit,
//! delete and copy them down to chosen children.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;

use serde::{Deserialize, Serialize};

use crate::model::{
    catalog::CopyOutcome,
    ids::{CompanyId, EntryId},
};

/// One payer or facility, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub name: String,
    /// The payer code or the city.
    pub detail: String,
    /// The parent's entry this is a copy of, by name, if a copy.
    pub copy_of: Option<String>,
    pub version: i32,
}

/// The page: the acting company's lists, and what the caller may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogView {
    pub company: String,
    pub payers: Vec<Entry>,
    pub facilities: Vec<Entry>,
    /// Whether the caller manages these lists here (an Administrator at the parent).
    pub manage: bool,
    /// The active child companies a copy-down may go to (when `manage`).
    pub children: Vec<(CompanyId, String)>,
}

/// What a copy-down will do (or did) to each chosen child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyPlan {
    pub entry: String,
    pub lines: Vec<(String, CopyOutcome)>,
}

pub const ENTRY_NAME_TAKEN: &str = "This company already has one of that name.";
pub const ENTRY_CHANGED_ELSEWHERE: &str = "Someone else changed this entry since you opened the page. Reload to see their change, then make yours again.";
pub const ENTRY_IN_USE: &str = "Claims use this payer, so it cannot be deleted.";
pub const CHILDREN_MESSAGE: &str = "Choose at least one active child company of your organization.";
