//! A customer account as its vendor manages it (seed 003): its settings
//! and its service plan.

use serde::{Deserialize, Serialize};

use super::{
    org::validate_company_name,
    user::keyed_enum,
    validation::{Field, FieldErrors, ProfileInput, validate_profile},
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

pub const PHONE_MESSAGE: &str = "Enter a phone number of 7 to 15 digits (at most 30 characters); +, spaces, dashes, dots and brackets are fine.";
pub const PLAN_MESSAGE: &str = "Choose a service plan.";

/// Add new account (seed 003), as the wizard sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountInput {
    /// The account (practice) name: the organization and its parent company.
    pub name: String,
    pub settings: AccountSettings,
    /// The primary admin contact, invited as the first Administrator.
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub plan: String,
}

/// A checked new account: trimmed, the email lower-cased, the phone as typed
/// (trimmed) since people read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewAccount {
    pub name: String,
    pub settings: AccountSettings,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub plan: ServicePlan,
}

/// As stored (the column's limit).
pub const MAX_PHONE_CHARS: usize = 30;

/// E.164 allows at most 15 digits; 7 covers short local numbers.
pub fn is_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')');
    let body = phone.strip_prefix('+').unwrap_or(phone);
    (7..=15).contains(&digits)
        && phone.chars().count() <= MAX_PHONE_CHARS
        && body.chars().all(allowed)
}

/// Every field of the wizard at once, each error on its field.
pub fn validate_new_account(input: &NewAccountInput) -> Result<ValidNewAccount, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = validate_company_name(&input.name)
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    let contact = validate_profile(&ProfileInput {
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        email: input.email.clone(),
    })
    .map_err(|e| errors.0.extend(e.0))
    .ok();
    let phone = input.phone.trim();
    errors.check(Field::Phone, is_phone(phone), PHONE_MESSAGE);
    let plan = ServicePlan::from_key(input.plan.trim());
    errors.check(Field::Plan, plan.is_some(), PLAN_MESSAGE);
    let settings = input
        .settings
        .validate()
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    match (name, contact, plan, settings) {
        (Some(name), Some(contact), Some(plan), Some(settings)) if errors.is_empty() => {
            Ok(ValidNewAccount {
                name,
                settings,
                first_name: contact.first_name,
                last_name: contact.last_name,
                email: contact.email,
                phone: phone.to_owned(),
                plan,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
#[path = "account_tests.rs"]
mod tests;
