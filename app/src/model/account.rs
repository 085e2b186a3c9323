//! A customer account as its vendor manages it (seed 003): its settings
//! and its service plan.

use serde::{Deserialize, Serialize};

use super::{
    user::keyed_enum,
    validation::{Field, FieldErrors},
};

/// Seed 003's account settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountSettings {
    /// Claims wait for the account's approval before they are transmitted.
    pub transmit_approval_required: bool,
    pub professional_claims: bool,
    pub institutional_claims: bool,
    pub dental_claims: bool,
}

pub const NO_CLAIM_KIND_MESSAGE: &str =
    "Enable at least one kind of claim: Professional, Institutional or Dental.";

impl AccountSettings {
    /// An account must accept some kind of claim, or it could bill nothing.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.check(
            Field::ClaimKinds,
            self.professional_claims || self.institutional_claims || self.dental_claims,
            NO_CLAIM_KIND_MESSAGE,
        );
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServicePlan {
    Starter,
    Standard,
    Enterprise,
}

keyed_enum!(ServicePlan { Starter => "starter", Standard => "standard", Enterprise => "enterprise" });

impl ServicePlan {
    pub const ALL: [ServicePlan; 3] = [
        ServicePlan::Starter,
        ServicePlan::Standard,
        ServicePlan::Enterprise,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServicePlan::Starter => "Starter",
            ServicePlan::Standard => "Standard",
            ServicePlan::Enterprise => "Enterprise",
        }
    }
}

#[cfg(test)]
#[path = "account_tests.rs"]
mod tests;
