//! Claims: their statuses, what may be done to a claim in each, and the
//! permission each action needs. Pure, shared by the page (to show) and
//! the server (to allow).

use serde::{Deserialize, Serialize};

use super::permission::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimStatus {
    Draft,
    Submitted,
    Paid,
    Denied,
    Refunded,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 5] = [
        ClaimStatus::Draft,
        ClaimStatus::Submitted,
        ClaimStatus::Paid,
        ClaimStatus::Denied,
        ClaimStatus::Refunded,
    ];

    /// The stable name the database stores.
    pub fn key(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Denied => "denied",
            ClaimStatus::Refunded => "refunded",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "Draft",
            ClaimStatus::Submitted => "Submitted",
            ClaimStatus::Paid => "Paid",
            ClaimStatus::Denied => "Denied",
            ClaimStatus::Refunded => "Refunded",
        }
    }
}

/// What one can do to a single claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimAction {
    /// Change the patient, service date or amount.
    Edit,
    /// Record the payer's payment: the claim is paid.
    PostPayment,
    /// Return a payment: the claim is refunded.
    Refund,
    /// Remove a claim that was never sent.
    Delete,
}

impl ClaimAction {
    pub const ALL: [ClaimAction; 4] = [
        ClaimAction::Edit,
        ClaimAction::PostPayment,
        ClaimAction::Refund,
        ClaimAction::Delete,
    ];

    /// The permission the action needs in the acting company.
    pub fn permission(self) -> Permission {
        match self {
            ClaimAction::Edit => Permission::ClaimsEdit,
            // Payment posters post payments (seed 001); Claims: post sends claims.
            ClaimAction::PostPayment => Permission::PaymentsPost,
            ClaimAction::Refund => Permission::ClaimsRefund,
            ClaimAction::Delete => Permission::ClaimsDelete,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimAction::Edit => "Save changes",
            ClaimAction::PostPayment => "Post payment",
            ClaimAction::Refund => "Refund",
            ClaimAction::Delete => "Delete claim",
        }
    }

    /// The status the claim has afterwards (`None`: unchanged or deleted).
    pub fn leads_to(self) -> Option<ClaimStatus> {
        match self {
            ClaimAction::PostPayment => Some(ClaimStatus::Paid),
            ClaimAction::Refund => Some(ClaimStatus::Refunded),
            ClaimAction::Edit | ClaimAction::Delete => None,
        }
    }

    /// Whether the action makes sense for a claim in `status`, or why not.
    pub fn fits(self, status: ClaimStatus) -> Result<(), &'static str> {
        use ClaimStatus::*;
        match (self, status) {
            (ClaimAction::Edit, Draft | Denied) => Ok(()),
            (ClaimAction::Edit, _) => Err("Only draft and denied claims can be changed."),
            (ClaimAction::PostPayment, Submitted | Denied) => Ok(()),
            (ClaimAction::PostPayment, _) => {
                Err("Payments are posted to submitted or denied claims.")
            }
            (ClaimAction::Refund, Paid) => Ok(()),
            (ClaimAction::Refund, _) => Err("Only paid claims can be refunded."),
            (ClaimAction::Delete, Draft) => Ok(()),
            (ClaimAction::Delete, _) => Err("Only draft claims, never sent, can be deleted."),
        }
    }
}

/// Dollars and cents for people: 12500 → "$125.00".
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let dollars = super::number::grouped(cents / 100);
    format!("{sign}${dollars}.{:02}", cents % 100)
}

pub const AMOUNT_MESSAGE: &str = "Enter an amount in dollars, such as 125.00 (at most 1,000,000).";

/// Parses "125", "125.5", "1,250.00" or "$125.00" into cents.
pub fn parse_money(text: &str) -> Result<i64, &'static str> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let valid = !whole.is_empty()
        && whole.len() <= 7
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.len() <= 2
        && fraction.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return Err(AMOUNT_MESSAGE);
    }
    let cents = whole.parse::<i64>().map_err(|_| AMOUNT_MESSAGE)? * 100
        + format!("{fraction:0<2}")
            .parse::<i64>()
            .map_err(|_| AMOUNT_MESSAGE)?;
    if cents > 100_000_000 {
        return Err(AMOUNT_MESSAGE);
    }
    Ok(cents)
}

#[cfg(test)]
#[path = "claim_tests.rs"]
mod tests;
