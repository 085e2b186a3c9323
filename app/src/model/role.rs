//! Roles ("user groups"): a permission set plus the companies members inherit.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{
    ids::{CompanyId, OrgId, RoleId},
    permission::{Permission, PermissionSet},
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
}
