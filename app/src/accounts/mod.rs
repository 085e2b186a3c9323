//! The vendor console (seed 003), for vendor staff: Manage Accounts (the
//! customer accounts linked to their vendor and the level each granted),
//! Edit Account (settings, password links, Switch to account — all with
//! Full Access only), and the claim data the level opens.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

use crate::{
    claims::ClaimRow,
    model::{
        account::{AccountSettings, ServicePlan},
        vendor::VendorTier,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub id: i64,
    pub name: String,
    pub vendor_owned: bool,
    /// The level in force now.
    pub tier: VendorTier,
    /// "Full Access until …, then Limited Access".
    pub described: String,
    pub plan: ServicePlan,
    /// Whether an Administrator of the account has chosen a password yet.
    pub set_up: bool,
}

/// A page of Manage Accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub accounts: Vec<LinkedAccount>,
    /// Matching accounts in all.
    pub total: i64,
    pub next_after: Option<i64>,
    /// The vendor's Administrators add new accounts.
    pub may_add: bool,
}

/// A user of the account, for "send a password link".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUser {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// Edit Account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub account: LinkedAccount,
    pub settings: AccountSettings,
    pub version: i32,
    /// Full Access: settings, password links and Switch to account.
    pub may_administer: bool,
    /// The account's active users (with Full Access only).
    pub users: Vec<AccountUser>,
    /// The caller has two-factor sign-in, which switching in needs.
    pub second_factor: bool,
    /// The account's API keys, newest first (with Full Access only).
    pub api_keys: Vec<crate::api_keys::ApiKeyRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsOfAccount {
    pub account: String,
    pub claims: Vec<ClaimRow>,
    pub next_after: Option<i64>,
}

pub const ACCOUNT_CLAIMS_PAGE_SIZE: i64 = 50;
pub const ACCOUNTS_PAGE_SIZE: i64 = 25;
pub const ACCOUNT_SAVED: &str = "The account settings have been saved.";
pub const ACCOUNT_CHANGED_ELSEWHERE: &str = "Someone else changed this account since you opened it. Reload to see their change, then make yours again.";
pub const FULL_ACCESS_NOT_AVAILABLE: &str = "Full Access Not Available";
pub const SWITCH_NEEDS_TWO_FACTOR: &str = "Set up two-factor sign-in on your profile first: acting as an account's Administrator needs it.";
pub const ACCOUNT_NAME_TAKEN: &str = "An account with this name already exists.";
pub const EMAIL_TAKEN: &str = "This email is already in use.";
