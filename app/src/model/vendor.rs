//! Vendors' reach into customer accounts: the four tiers, grants that may
//! expire back to a lower tier, and the links between vendor and customer.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ids::{OrgId, VendorId},
    user::keyed_enum,
    validation::{Field, FieldErrors},
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

    /// A grant as stored: its tier, and for a timed one, when it ends and
    /// what it falls back to (a stored grant without an end has none).
    pub fn stored(
        tier: VendorTier,
        expires_at: Option<DateTime<Utc>>,
        reverts_to: Option<VendorTier>,
    ) -> Self {
        Self {
            tier,
            expires_at,
            reverts_to: reverts_to.unwrap_or(tier),
        }
    }

    /// The tier in force at `now`.
    pub fn tier_at(&self, now: DateTime<Utc>) -> VendorTier {
        match self.expires_at {
            Some(end) if now >= end => self.reverts_to,
            _ => self.tier,
        }
    }

    /// In words, as it stands at `now`: "Full Access until 2026-11-24
    /// 16:05 UTC, then Limited Access", or just "All Support".
    pub fn describe(&self, now: DateTime<Utc>) -> String {
        match self.expires_at {
            Some(end) if now < end => format!(
                "{} until {}, then {}",
                self.tier,
                super::time::minute_utc(end),
                self.reverts_to
            ),
            _ => self.tier_at(now).to_string(),
        }
    }

    /// Whether the grant is still in its temporary phase at `now`.
    pub fn is_temporary_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|end| now < end)
    }
}

/// How long a change of the Vendor Access setting lasts, as the form
/// offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantLength {
    UntilChanged,
    OneHour,
    OneDay,
    SevenDays,
    /// Through the end of this day (UTC).
    UntilDate,
}

keyed_enum!(GrantLength { UntilChanged => "until_changed", OneHour => "1h", OneDay => "24h", SevenDays => "7d", UntilDate => "date" });

impl GrantLength {
    pub const ALL: [GrantLength; 5] = [
        GrantLength::UntilChanged,
        GrantLength::OneHour,
        GrantLength::OneDay,
        GrantLength::SevenDays,
        GrantLength::UntilDate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GrantLength::UntilChanged => "Until I change it",
            GrantLength::OneHour => "For 1 hour",
            GrantLength::OneDay => "For 24 hours",
            GrantLength::SevenDays => "For 7 days",
            GrantLength::UntilDate => "Until a date",
        }
    }
}

/// The Vendor Access form as sent: keys and text, "" where not chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequest {
    pub tier: String,
    pub length: String,
    /// YYYY-MM-DD, for [`GrantLength::UntilDate`].
    pub until: String,
    pub reverts_to: String,
}

pub const TIER_MESSAGE: &str = "Choose one of the four access levels.";
pub const LENGTH_MESSAGE: &str = "Choose how long this access lasts.";
pub const UNTIL_MESSAGE: &str = "Enter a date from today up to a year ahead, as YYYY-MM-DD.";
pub const REVERTS_TO_MESSAGE: &str = "Choose a lower level to return to when the time is up.";
pub const NOTHING_TO_REVERT_MESSAGE: &str =
    "No Access is the lowest level: it cannot be granted for a limited time.";
/// The furthest ahead an "until a date" grant may end.
const LONGEST_GRANT_DAYS: i64 = 366;

/// Checks a change of the Vendor Access setting made at `now` and returns
/// the grant it asks for. A temporary grant needs a lower level to return
/// to and an end in the future.
pub fn validate_grant(
    request: &GrantRequest,
    now: DateTime<Utc>,
) -> Result<VendorGrant, FieldErrors> {
    let mut errors = FieldErrors::default();
    let tier = VendorTier::from_key(request.tier.trim());
    errors.check(Field::Tier, tier.is_some(), TIER_MESSAGE);
    let length = GrantLength::from_key(request.length.trim());
    errors.check(Field::GrantLength, length.is_some(), LENGTH_MESSAGE);
    let (Some(tier), Some(length)) = (tier, length) else {
        return Err(errors);
    };
    let expires_at = match length {
        GrantLength::UntilChanged => return Ok(VendorGrant::permanent(tier)),
        GrantLength::OneHour => now + Duration::hours(1),
        GrantLength::OneDay => now + Duration::hours(24),
        GrantLength::SevenDays => now + Duration::days(7),
        GrantLength::UntilDate => {
            let today = now.date_naive();
            let day = NaiveDate::parse_from_str(request.until.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| *d >= today && (*d - today).num_days() <= LONGEST_GRANT_DAYS);
            let end = day
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc());
            errors.check(Field::Until, end.is_some(), UNTIL_MESSAGE);
            match end {
                Some(end) => end,
                None => return Err(errors),
            }
        }
    };
    if tier == VendorTier::NoAccess {
        errors.check(Field::GrantLength, false, NOTHING_TO_REVERT_MESSAGE);
        return Err(errors);
    }
    let reverts_to = VendorTier::from_key(request.reverts_to.trim()).filter(|r| *r < tier);
    errors.check(Field::RevertsTo, reverts_to.is_some(), REVERTS_TO_MESSAGE);
    match reverts_to {
        Some(reverts_to) if errors.is_empty() => Ok(VendorGrant {
            tier,
            expires_at: Some(expires_at),
            reverts_to,
        }),
        _ => Err(errors),
    }
}

/// When the vendor and the customer's Administrators are told that a
/// temporary grant is about to end: an hour before, or a quarter of the
/// grant's length before for grants shorter than four hours.
pub fn expiry_notice_at(granted_at: DateTime<Utc>, expires_at: DateTime<Utc>) -> DateTime<Utc> {
    let lead = ((expires_at - granted_at) / 4).min(Duration::hours(1));
    expires_at - lead.max(Duration::zero())
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
