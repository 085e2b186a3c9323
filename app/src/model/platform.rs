//! The platform's side: its staff's roles, the changes to a customer's
//! Administrators they make only in pairs (seed 002), and the requests
//! that link a customer to a vendor with both sides' consent (seed 003).

use serde::{Deserialize, Serialize};

use super::{
    user::{AccountType, keyed_enum},
    validation::{Field, FieldErrors, is_hidden},
};

/// What a member of the platform's staff is: its Administrators run the
/// platform (organizations, staff, approvals); Support Agents work the
/// support desk. Stored as the user's account type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlatformRole {
    Administrator,
    SupportAgent,
}

impl PlatformRole {
    pub fn of(account_type: AccountType) -> Self {
        match account_type {
            AccountType::Administrator => PlatformRole::Administrator,
            AccountType::Standard => PlatformRole::SupportAgent,
        }
    }

    pub fn account_type(self) -> AccountType {
        match self {
            PlatformRole::Administrator => AccountType::Administrator,
            PlatformRole::SupportAgent => AccountType::Standard,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlatformRole::Administrator => "Platform Administrator",
            PlatformRole::SupportAgent => "Support Agent",
        }
    }
}

keyed_enum!(PlatformRole { Administrator => "administrator", SupportAgent => "support_agent" });

/// A change to a customer's Administrators that its own Administrators ask
/// the platform for by ticket (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Make a user a Site Administrator.
    MakeAdministrator,
    /// Make a user a Support User (who may open tickets).
    MakeSupportUser,
    /// Reactivate an inactive Administrator (the web's break-glass).
    ReactivateAdministrator,
}

keyed_enum!(ChangeKind {
    MakeAdministrator => "make_administrator",
    MakeSupportUser => "make_support_user",
    ReactivateAdministrator => "reactivate_administrator",
});

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [
        ChangeKind::MakeAdministrator,
        ChangeKind::MakeSupportUser,
        ChangeKind::ReactivateAdministrator,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::MakeAdministrator => "Make Site Administrator",
            ChangeKind::MakeSupportUser => "Make Support User",
            ChangeKind::ReactivateAdministrator => "Reactivate Administrator",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeStatus {
    /// Waiting for a second platform Administrator.
    Pending,
    Applied,
    Rejected,
}

keyed_enum!(ChangeStatus { Pending => "pending", Applied => "applied", Rejected => "rejected" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkRequestStatus {
    /// Waiting for the other side's consent or for the platform.
    Pending,
    /// The platform linked them.
    Completed,
    /// The other side or the platform said no.
    Declined,
    /// The side that asked took it back.
    Withdrawn,
}

keyed_enum!(LinkRequestStatus {
    Pending => "pending",
    Completed => "completed",
    Declined => "declined",
    Withdrawn => "withdrawn",
});

impl LinkRequestStatus {
    pub fn label(self) -> &'static str {
        match self {
            LinkRequestStatus::Pending => "Pending",
            LinkRequestStatus::Completed => "Linked",
            LinkRequestStatus::Declined => "Declined",
            LinkRequestStatus::Withdrawn => "Withdrawn",
        }
    }
}

pub const MAX_REASON_CHARS: usize = 500;
pub const REASON_MESSAGE: &str =
    "Say what was verified and how, in at most 500 characters (kept in the customer's audit log).";

/// The reason recorded with a two-person change: trimmed, something
/// visible, at most 500 characters, no control or invisible characters.
pub fn validate_reason(reason: &str) -> Result<String, FieldErrors> {
    let reason = reason.trim();
    let mut errors = FieldErrors::default();
    errors.check(
        Field::Reason,
        !reason.is_empty()
            && reason.chars().count() <= MAX_REASON_CHARS
            && !reason.chars().any(|c| c.is_control() || is_hidden(c)),
        REASON_MESSAGE,
    );
    if errors.is_empty() {
        Ok(reason.to_owned())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[path = "platform_tests.rs"]
mod tests;
