//! The vendor console (seed 003), for vendor staff: Manage Accounts (the
//! customer accounts linked to their vendor and the level each granted),
//! Edit Account (settings, password links, Switch to account — all with
//! Full Access only), and the claim data the level opens.

pub mod add_page;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod edit_page;
pub mod list_page;
pub mod offer;
pub mod switch_api;

use serde::{Deserialize, Serialize};

use crate::{
    claims::ClaimRow,
    model::{
        account::{AccountSettings, ServicePlan},
        ids::{ClaimId, OrgId, UserId},
        vendor::VendorTier,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub id: OrgId,
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
    pub next_after: Option<OrgId>,
    /// The vendor's Administrators add new accounts.
    pub may_add: bool,
}

/// A user of the account, for "send a password link".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUser {
    pub id: UserId,
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
    pub next_after: Option<ClaimId>,
}

/// The settings' checkboxes as a form sends them (`settings[dental_claims]=on`;
/// an unticked box is not sent at all).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub transmit_approval_required: Option<String>,
    pub professional_claims: Option<String>,
    pub institutional_claims: Option<String>,
    pub dental_claims: Option<String>,
}

impl SettingsForm {
    pub fn checked(&self) -> AccountSettings {
        AccountSettings {
            transmit_approval_required: self.transmit_approval_required.is_some(),
            professional_claims: self.professional_claims.is_some(),
            institutional_claims: self.institutional_claims.is_some(),
            dental_claims: self.dental_claims.is_some(),
        }
    }
}

/// The primary admin contact (`contact[first_name]=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

pub const ACCOUNT_CLAIMS_PAGE_SIZE: i64 = 50;
pub const ACCOUNTS_PAGE_SIZE: i64 = 25;
pub const ACCOUNT_SAVED: &str = "The account settings have been saved.";
pub const ACCOUNT_CHANGED_ELSEWHERE: &str = "Someone else changed this account since you opened it. Reload to see their change, then make yours again.";
pub const FULL_ACCESS_NOT_AVAILABLE: &str = "Full Access Not Available";
pub const SWITCH_NEEDS_TWO_FACTOR: &str = "Set up two-factor sign-in on your profile first: acting as an account's Administrator needs it.";
pub const ACCOUNT_NAME_TAKEN: &str = "An account with this name already exists.";
pub const EMAIL_TAKEN: &str = "This email is already in use.";
