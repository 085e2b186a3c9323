//! Roles ("user groups"): a permission set plus the companies members inherit.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{
    ids::{CompanyId, OrgId, RoleId},
    permission::{Permission, PermissionSet},
    validation::{Field, FieldErrors, is_hidden},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub org: OrgId,
    pub name: String,
    pub description: String,
    pub permissions: PermissionSet,
    /// Companies every member inherits; an Administrator may add more to a
    /// member but never remove one of these.
    pub companies: BTreeSet<CompanyId>,
    /// Self-service roles require the Partner user type.
    pub self_service: bool,
    pub version: i32,
}

/// A role's name and description as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoleInput {
    pub name: String,
    pub description: String,
}

pub const MAX_ROLE_NAME_CHARS: usize = 100;
pub const MAX_ROLE_DESCRIPTION_CHARS: usize = 500;
pub const ROLE_NAME_MESSAGE: &str =
    "Give the role a name of at most 100 characters, with no control or invisible characters.";
pub const ROLE_DESCRIPTION_MESSAGE: &str =
    "Keep the description to at most 500 characters, with no control or invisible characters.";

/// Trims both; the name must have a visible character, and neither may
/// hold control characters (they would break the CSV and the audit view).
pub fn validate_role(input: &RoleInput) -> Result<RoleInput, FieldErrors> {
    let name = input.name.trim();
    let description = input.description.trim();
    let mut errors = FieldErrors::default();
    errors.check(
        Field::RoleName,
        !name.is_empty()
            && name.chars().count() <= MAX_ROLE_NAME_CHARS
            && !name.chars().any(is_hidden),
        ROLE_NAME_MESSAGE,
    );
    errors.check(
        Field::Description,
        description.chars().count() <= MAX_ROLE_DESCRIPTION_CHARS
            && !description.chars().any(|c| is_hidden(c) && c != '\n'),
        ROLE_DESCRIPTION_MESSAGE,
    );
    if errors.is_empty() {
        Ok(RoleInput {
            name: name.to_owned(),
            description: description.to_owned(),
        })
    } else {
        Err(errors)
    }
}

/// The built-in templates a new role starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleTemplate {
    Standard,
    PracticeAdmin,
    FrontOffice,
    Provider,
    PaymentPoster,
    ArSpecialist,
    SelfServiceManager,
}

impl RoleTemplate {
    pub const ALL: [RoleTemplate; 7] = [
        RoleTemplate::Standard,
        RoleTemplate::PracticeAdmin,
        RoleTemplate::FrontOffice,
        RoleTemplate::Provider,
        RoleTemplate::PaymentPoster,
        RoleTemplate::ArSpecialist,
        RoleTemplate::SelfServiceManager,
    ];

    /// The stable name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            RoleTemplate::Standard => "standard",
            RoleTemplate::PracticeAdmin => "practice_admin",
            RoleTemplate::FrontOffice => "front_office",
            RoleTemplate::Provider => "provider",
            RoleTemplate::PaymentPoster => "payment_poster",
            RoleTemplate::ArSpecialist => "ar_specialist",
            RoleTemplate::SelfServiceManager => "self_service_manager",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RoleTemplate::Standard => "Standard",
            RoleTemplate::PracticeAdmin => "Practice Admin",
            RoleTemplate::FrontOffice => "Front Office",
            RoleTemplate::Provider => "Provider",
            RoleTemplate::PaymentPoster => "Payment Poster",
            RoleTemplate::ArSpecialist => "AR Specialist",
            RoleTemplate::SelfServiceManager => "Self-Service Manager",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            RoleTemplate::Standard => {
                "Everyday claim work in the assigned companies; can look up users."
            }
            RoleTemplate::PracticeAdmin => {
                "Everything a practice needs day to day, including adding users and reports."
            }
            RoleTemplate::FrontOffice => {
                "Enters and edits charges, sees payments and front-office reports."
            }
            RoleTemplate::Provider => "Looks up claims for their own patients and reads reports.",
            RoleTemplate::PaymentPoster => "Posts payments and reviews balancing reports.",
            RoleTemplate::ArSpecialist => {
                "Works claim follow-up and accounts receivable, with reports."
            }
            RoleTemplate::SelfServiceManager => {
                "Self-service: all claim, payment and A/R work, and can look up users."
            }
        }
    }

    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        let list: &[Permission] = match self {
            RoleTemplate::Standard => &[
                ClaimsView,
                ClaimsEdit,
                ClaimsRefund,
                ClaimsPost,
                ClaimsExport,
                UsersView,
            ],
            RoleTemplate::PracticeAdmin => &[
                ClaimsView,
                ClaimsEdit,
                ClaimsRefund,
                ClaimsPost,
                ClaimsExport,
                PaymentsView,
                PaymentsPost,
                ReportsView,
                UsersView,
                UsersManage,
            ],
            RoleTemplate::FrontOffice => &[ClaimsView, ClaimsEdit, PaymentsView, ReportsView],
            RoleTemplate::Provider => &[ClaimsView, ReportsView],
            RoleTemplate::PaymentPoster => &[ClaimsView, PaymentsView, PaymentsPost, ReportsView],
            RoleTemplate::ArSpecialist => &[
                ClaimsView,
                ClaimsEdit,
                ClaimsPost,
                PaymentsView,
                ReportsView,
            ],
            RoleTemplate::SelfServiceManager => &[
                ClaimsView,
                ClaimsEdit,
                ClaimsRefund,
                ClaimsPost,
                ClaimsExport,
                PaymentsView,
                PaymentsPost,
                ReportsView,
                UsersView,
            ],
        };
        list.iter().copied().collect()
    }

    pub fn self_service(self) -> bool {
        matches!(self, RoleTemplate::SelfServiceManager)
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }
}

#[cfg(test)]
#[path = "role_tests.rs"]
mod tests;
