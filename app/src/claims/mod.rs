//! Claims of the acting company: a filtered list with CSV export, and a
//! claim's page with the actions its status and the user's permissions allow.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

use crate::model::{
    claim::ClaimStatus,
    ids::{ClaimId, EntryId},
    permission::PermissionSet,
};

/// One claim, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub number: String,
    pub patient: String,
    pub payer: Option<String>,
    /// YYYY-MM-DD.
    pub service_date: String,
    pub amount_cents: i64,
    pub status: ClaimStatus,
    pub version: i32,
}

/// A page of the list, with what the page needs around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsPage {
    pub company: String,
    pub claims: Vec<ClaimRow>,
    pub total: i64,
    pub next_after: Option<ClaimId>,
    /// The company's payers, for the filter.
    pub payers: Vec<(EntryId, String)>,
    /// The caller's permissions in the company (what to offer).
    pub permissions: PermissionSet,
}

/// One claim's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDetail {
    pub claim: ClaimRow,
    pub company: String,
    pub permissions: PermissionSet,
}

pub const CLAIMS_PAGE_SIZE: i64 = 50;
/// The most rows one export holds.
pub const EXPORT_LIMIT: i64 = 10_000;
pub const DATE_MESSAGE: &str = "Enter a date as YYYY-MM-DD.";
pub const DATE_ORDER_MESSAGE: &str = "The end date must not be before the start date.";
pub const AMOUNT_ORDER_MESSAGE: &str = "The highest amount must not be below the lowest.";
pub const CLAIM_STATUS_MESSAGE: &str = "Choose one of the listed statuses.";
pub const PATIENT_MESSAGE: &str = "Enter the patient's name (at most 200 characters).";
pub const CLAIM_CHANGED_ELSEWHERE: &str =
    "Someone else changed this claim since you opened it. Reload to see their change.";
