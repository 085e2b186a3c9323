//! For vendor staff: the customer accounts linked to their vendor, the
//! level of access each customer granted, and the claim data that level
//! opens (Full Access: all of it).

pub mod api;
pub mod components;

use serde::{Deserialize, Serialize};

use crate::{claims::ClaimRow, model::vendor::VendorTier};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub id: i64,
    pub name: String,
    pub vendor_owned: bool,
    /// The level in force now.
    pub tier: VendorTier,
    /// "Full Access until …, then Limited Access".
    pub described: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsOfAccount {
    pub account: String,
    pub claims: Vec<ClaimRow>,
    pub next_after: Option<i64>,
}

pub const ACCOUNT_CLAIMS_PAGE_SIZE: i64 = 50;
