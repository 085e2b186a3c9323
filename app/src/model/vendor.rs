//! Vendors' reach into customer accounts: the four tiers, grants that may
//! expire back to a lower tier, and the links between vendor and customer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ids::{OrgId, VendorId},
    user::keyed_enum,
};

/// How far a vendor may reach into a customer's account, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VendorTier {
    /// No claim data, no support tickets, left out of support issues.
    NoAccess,
    /// As No Access, except tickets where the vendor's help was requested.
    Limited,
    /// Every support ticket and the claim data tied to them.
    AllSupport,
    /// All claim data and administrative access to the account.
    Full,
}

keyed_enum!(VendorTier { NoAccess => "no_access", Limited => "limited", AllSupport => "all_support", Full => "full" });

impl VendorTier {
    pub const ALL: [VendorTier; 4] = [
        VendorTier::NoAccess,
        VendorTier::Limited,
        VendorTier::AllSupport,
        VendorTier::Full,
    ];

    pub fn label(self) -> &'static str {
        match self {
            VendorTier::NoAccess => "No Access",
            VendorTier::Limited => "Limited Access",
            VendorTier::AllSupport => "All Support",
            VendorTier::Full => "Full Access",
        }
    }

    /// One line for the Vendor Access dropdown.
    pub fn description(self) -> &'static str {
        match self {
            VendorTier::NoAccess => "The vendor sees no claim data and no support tickets.",
            VendorTier::Limited => {
                "The vendor sees only support tickets where its help was requested."
            }
            VendorTier::AllSupport => {
                "The vendor sees every support ticket and the claims tied to them."
            }
            VendorTier::Full => "The vendor sees all claim data and may administer the account.",
        }
    }
}

impl std::fmt::Display for VendorTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What a customer granted a vendor, possibly only until a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorGrant {
    pub tier: VendorTier,
    /// From this instant on the grant counts as `reverts_to`, whether or not
    /// the background job has written the revert yet.
    pub expires_at: Option<DateTime<Utc>>,
    pub reverts_to: VendorTier,
}

impl VendorGrant {
    /// A grant with no end.
    pub fn permanent(tier: VendorTier) -> Self {
        Self {
            tier,
            expires_at: None,
            reverts_to: tier,
        }
    }

    /// The tier in force at `now`.
    pub fn tier_at(&self, now: DateTime<Utc>) -> VendorTier {
        match self.expires_at {
            Some(end) if now >= end => self.reverts_to,
            _ => self.tier,
        }
    }

    /// Whether the grant is still in its temporary phase at `now`.
    pub fn is_temporary_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|end| now < end)
    }
}

/// A vendor linked to a customer organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorLink {
    pub vendor: VendorId,
    pub customer: OrgId,
    /// The vendor created the account (Full Access by default).
    pub vendor_owned: bool,
    pub grant: VendorGrant,
}

#[cfg(test)]
#[path = "vendor_tests.rs"]
mod tests;
