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
    /// Never granted to members, in any company, even if `permissions`
    /// holds it (the EMR Access Restriction).
    pub withheld: PermissionSet,
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

/// An organization's service type (seed 001): which family of role
/// templates it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    RevServe,
    RevEquip,
    SelfService,
}

impl ServiceType {
    pub const ALL: [ServiceType; 3] = [
        ServiceType::RevServe,
        ServiceType::RevEquip,
        ServiceType::SelfService,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ServiceType::RevServe => "revserve",
            ServiceType::RevEquip => "revequip",
            ServiceType::SelfService => "self_service",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceType::RevServe => "RevServe",
            ServiceType::RevEquip => "RevEquip",
            ServiceType::SelfService => "Self-Service",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            ServiceType::RevServe => {
                "The billing team works the claims (RCM service); the practice's staff enter charges and watch the results."
            }
            ServiceType::RevEquip => {
                "As RevServe, for equipment suppliers, with Partner roles for billing staff who work several companies."
            }
            ServiceType::SelfService => {
                "The organization bills for itself; every role is a self-service role and needs the Partner user type."
            }
        }
    }

    /// The family whose templates this service type offers.
    pub fn family(self) -> Family {
        match self {
            ServiceType::RevServe | ServiceType::RevEquip => Family::RevServeRevEquip,
            ServiceType::SelfService => Family::SelfService,
        }
    }
}

/// A family of role templates (seed 001's two tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    RevServeRevEquip,
    SelfService,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::RevServeRevEquip, Family::SelfService];

    pub fn key(self) -> &'static str {
        match self {
            Family::RevServeRevEquip => "revserve_revequip",
            Family::SelfService => "self_service",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::RevServeRevEquip => "RevServe & RevEquip",
            Family::SelfService => "Self-Service",
        }
    }

    /// The family's templates, in the seed's order.
    pub fn templates(self) -> impl Iterator<Item = RoleTemplate> {
        RoleTemplate::ALL
            .into_iter()
            .filter(move |t| t.family() == Some(self))
    }
}

/// The built-in templates a new role starts from: every role seed 001
/// names, in its family, and Standard, this product's own everyday role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleTemplate {
    Standard,
    PracticeAdmin,
    FrontOffice,
    Provider,
    PartnerAdmin,
    PartnerCsrPaymentPoster,
    PartnerPaymentPoster,
    PartnerCsr,
    FrontOfficeBillingEmr,
    SelfServiceAdmin,
    SelfServiceManager,
    SelfServiceFrontOffice,
    SelfServiceArSpecialist,
    SelfServicePaymentPoster,
    SelfServiceArAndPayments,
    SelfServiceClaimsMgmt,
}

impl RoleTemplate {
    pub const ALL: [RoleTemplate; 16] = [
        RoleTemplate::Standard,
        RoleTemplate::PracticeAdmin,
        RoleTemplate::FrontOffice,
        RoleTemplate::Provider,
        RoleTemplate::PartnerAdmin,
        RoleTemplate::PartnerCsrPaymentPoster,
        RoleTemplate::PartnerPaymentPoster,
        RoleTemplate::PartnerCsr,
        RoleTemplate::FrontOfficeBillingEmr,
        RoleTemplate::SelfServiceAdmin,
        RoleTemplate::SelfServiceManager,
        RoleTemplate::SelfServiceFrontOffice,
        RoleTemplate::SelfServiceArSpecialist,
        RoleTemplate::SelfServicePaymentPoster,
        RoleTemplate::SelfServiceArAndPayments,
        RoleTemplate::SelfServiceClaimsMgmt,
    ];

    /// The stable name stored in the database.
    pub fn key(self) -> &'static str {
        use RoleTemplate::*;
        match self {
            Standard => "standard",
            PracticeAdmin => "practice_admin",
            FrontOffice => "front_office",
            Provider => "provider",
            PartnerAdmin => "partner_admin",
            PartnerCsrPaymentPoster => "partner_csr_payment_poster",
            PartnerPaymentPoster => "partner_payment_poster",
            PartnerCsr => "partner_csr",
            FrontOfficeBillingEmr => "front_office_billing_emr",
            SelfServiceAdmin => "self_service_admin",
            SelfServiceManager => "self_service_manager",
            SelfServiceFrontOffice => "self_service_front_office",
            SelfServiceArSpecialist => "self_service_ar_specialist",
            SelfServicePaymentPoster => "self_service_payment_poster",
            SelfServiceArAndPayments => "self_service_ar_and_payments",
            SelfServiceClaimsMgmt => "self_service_claims_mgmt",
        }
    }

    pub fn name(self) -> &'static str {
        use RoleTemplate::*;
        match self {
            Standard => "Standard",
            PracticeAdmin => "Practice Admin",
            FrontOffice => "Front Office",
            Provider => "Provider",
            PartnerAdmin => "Partner Admin",
            PartnerCsrPaymentPoster => "Partner CSR and Payment Poster",
            PartnerPaymentPoster => "Partner Payment Poster",
            PartnerCsr => "Partner Customer Service Representative",
            FrontOfficeBillingEmr => "Front Office Billing – EMR Access Restriction",
            SelfServiceAdmin => "Self-Service Admin",
            SelfServiceManager => "Self-Service Manager",
            SelfServiceFrontOffice => "Self-Service Front Office",
            SelfServiceArSpecialist => "Self-Service AR Specialist",
            SelfServicePaymentPoster => "Self-Service Payment Poster",
            SelfServiceArAndPayments => "Self-Service AR and Payments",
            SelfServiceClaimsMgmt => "Self-Service Claims Management",
        }
    }

    /// What the role is for, in this product's words (seed 001 describes
    /// each; `role_tests.rs` checks each description against the
    /// permissions).
    pub fn description(self) -> &'static str {
        use RoleTemplate::*;
        match self {
            Standard => "Everyday claim work in the assigned companies; can look up users.",
            PracticeAdmin => {
                "Every page a member practice with RCM service needs: patients, active and delayed charges, payments, insurances, every report, company constants to read, and adding users (never beyond its own access)."
            }
            FrontOffice => {
                "Finds and views patients, adds and edits charges, matches unassigned payments, reads the productivity and exception reports, and looks up insurances and referring physicians."
            }
            Provider => {
                "Like Front Office, but sees charges only through each patient: no charge lists and no charge entry."
            }
            PartnerAdmin => {
                "Every page and function in each company, across the whole billing cycle, including creating users (never beyond its own access)."
            }
            PartnerCsrPaymentPoster => {
                "Payment posting and accounts receivable: patient records, adding and viewing charges, posting payments, working zero pays and open balances, and the payment balancing and aging reports."
            }
            PartnerPaymentPoster => {
                "Patient records, adding and viewing charges, posting payments, and the payment balancing report."
            }
            PartnerCsr => {
                "Billing, payment posting and accounts receivable, with the reports that go with them."
            }
            FrontOfficeBillingEmr => {
                "Front Office with billing, but never the payment balancing report, in any company: the restriction holds whatever the role is later given."
            }
            SelfServiceAdmin => {
                "Everything in the application, including changing every company constant and creating users (never beyond its own access)."
            }
            SelfServiceManager => {
                "Every claim, payment and A/R page, and a read-only look at the admin pages (company constants, users)."
            }
            SelfServiceFrontOffice => {
                "Views patients, adds and edits charges, matches unassigned payments, and reads reports, the balance reports included."
            }
            SelfServiceArSpecialist => {
                "The claim worklists and A/R follow-up, with patients, charges, some claim and payment functions, and reports."
            }
            SelfServicePaymentPoster => {
                "Every payment posting function, with the payment balancing and activity (productivity) reports."
            }
            SelfServiceArAndPayments => {
                "Every payment posting and A/R function, with their reports."
            }
            SelfServiceClaimsMgmt => {
                "Charges, billing and A/R: claims, balances, denial management and the key reports; can also change company constants."
            }
        }
    }

    /// Seed 001's family, or none for this product's own Standard.
    pub fn family(self) -> Option<Family> {
        use RoleTemplate::*;
        match self {
            Standard => None,
            PracticeAdmin
            | FrontOffice
            | Provider
            | PartnerAdmin
            | PartnerCsrPaymentPoster
            | PartnerPaymentPoster
            | PartnerCsr
            | FrontOfficeBillingEmr => Some(Family::RevServeRevEquip),
            SelfServiceAdmin
            | SelfServiceManager
            | SelfServiceFrontOffice
            | SelfServiceArSpecialist
            | SelfServicePaymentPoster
            | SelfServiceArAndPayments
            | SelfServiceClaimsMgmt => Some(Family::SelfService),
        }
    }

    /// The service types the template applies to (seed 001's last column).
    pub fn service_types(self) -> &'static [ServiceType] {
        use RoleTemplate::*;
        use ServiceType as S;
        match self {
            Standard => &[S::RevServe, S::RevEquip, S::SelfService],
            PracticeAdmin | FrontOffice | Provider | FrontOfficeBillingEmr => {
                &[S::RevServe, S::RevEquip]
            }
            PartnerAdmin | PartnerCsrPaymentPoster | PartnerPaymentPoster | PartnerCsr => {
                &[S::RevEquip]
            }
            _ => &[S::SelfService],
        }
    }

    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        use RoleTemplate::*;
        const FRONT_OFFICE: &[Permission] = &[
            PatientsView,
            ChargesView,
            ChargesEdit,
            ClaimsView,
            ClaimsEdit,
            PaymentsView,
            PaymentsUnassigned,
            InsurancesView,
            PhysiciansView,
            ReportsProductivity,
            ReportsException,
        ];
        const AR_SPECIALIST: &[Permission] = &[
            PatientsView,
            ChargesView,
            ClaimsView,
            ClaimsEdit,
            ClaimsPost,
            PaymentsView,
            ArFollowUp,
            ArDenials,
            InsurancesView,
            ReportsProductivity,
            ReportsAging,
            ReportsBalance,
        ];
        const PAYMENT_POSTER: &[Permission] = &[
            PatientsView,
            ClaimsView,
            PaymentsView,
            PaymentsPost,
            PaymentsUnassigned,
            PaymentsZeroPays,
            ReportsPaymentBalancing,
            ReportsProductivity,
        ];
        let list: &[Permission] = match self {
            Standard => &[
                ClaimsView,
                ClaimsEdit,
                ClaimsRefund,
                ClaimsPost,
                ClaimsExport,
                UsersView,
            ],
            PracticeAdmin => &[
                PatientsView,
                PatientsEdit,
                ChargesView,
                ChargesDelayed,
                ChargesEdit,
                ClaimsView,
                ClaimsEdit,
                ClaimsRefund,
                ClaimsPost,
                ClaimsExport,
                PaymentsView,
                PaymentsPost,
                PaymentsUnassigned,
                InsurancesView,
                PhysiciansView,
                ReportsProductivity,
                ReportsException,
                ReportsPaymentBalancing,
                ReportsAging,
                ReportsBalance,
                ConstantsView,
                UsersView,
                UsersManage,
                UsersAdd,
            ],
            FrontOffice => FRONT_OFFICE,
            Provider => &[
                PatientsView,
                ClaimsView,
                PaymentsUnassigned,
                InsurancesView,
                PhysiciansView,
                ReportsProductivity,
                ReportsException,
            ],
            PartnerAdmin | SelfServiceAdmin => {
                return PermissionSet::all().without([AdministrationFull].into_iter().collect());
            }
            PartnerCsrPaymentPoster => &[
                PatientsView,
                PatientsEdit,
                ChargesView,
                ChargesEdit,
                ClaimsView,
                PaymentsView,
                PaymentsPost,
                PaymentsZeroPays,
                ArFollowUp,
                ReportsPaymentBalancing,
                ReportsAging,
            ],
            PartnerPaymentPoster => &[
                PatientsView,
                PatientsEdit,
                ChargesView,
                ChargesEdit,
                ClaimsView,
                PaymentsView,
                PaymentsPost,
                ReportsPaymentBalancing,
            ],
            PartnerCsr => &[
                PatientsView,
                PatientsEdit,
                ChargesView,
                ChargesEdit,
                ClaimsView,
                ClaimsEdit,
                ClaimsPost,
                PaymentsView,
                PaymentsPost,
                PaymentsZeroPays,
                ArFollowUp,
                ArDenials,
                ReportsPaymentBalancing,
                ReportsAging,
                ReportsBalance,
            ],
            FrontOfficeBillingEmr => {
                let billing = [ClaimsPost, ReportsAging, ReportsBalance];
                return FRONT_OFFICE.iter().chain(&billing).copied().collect();
            }
            SelfServiceManager => {
                return PermissionSet::all().without(
                    [
                        PatientsEdit,
                        ChargesEdit,
                        ClaimsDelete,
                        ConstantsEdit,
                        UsersManage,
                        UsersAdd,
                        AdministrationFull,
                    ]
                    .into_iter()
                    .collect(),
                );
            }
            SelfServiceFrontOffice => &[
                PatientsView,
                ChargesView,
                ChargesEdit,
                ClaimsView,
                PaymentsView,
                PaymentsUnassigned,
                ReportsProductivity,
                ReportsException,
                ReportsBalance,
            ],
            SelfServiceArSpecialist => AR_SPECIALIST,
            SelfServicePaymentPoster => PAYMENT_POSTER,
            SelfServiceArAndPayments => {
                return AR_SPECIALIST
                    .iter()
                    .chain(PAYMENT_POSTER)
                    .copied()
                    .collect();
            }
            SelfServiceClaimsMgmt => &[
                PatientsView,
                ChargesView,
                ChargesDelayed,
                ChargesEdit,
                ClaimsView,
                ClaimsEdit,
                ClaimsPost,
                ClaimsExport,
                PaymentsView,
                PaymentsZeroPays,
                ArFollowUp,
                ArDenials,
                ReportsProductivity,
                ReportsAging,
                ReportsBalance,
                ConstantsView,
                ConstantsEdit,
            ],
        };
        list.iter().copied().collect()
    }

    /// What the role withholds from its members in every company, whatever
    /// it is later given (seed 001's EMR Access Restriction).
    pub fn withheld(self) -> PermissionSet {
        match self {
            RoleTemplate::FrontOfficeBillingEmr => {
                [Permission::ReportsPaymentBalancing].into_iter().collect()
            }
            _ => PermissionSet::EMPTY,
        }
    }

    /// Self-service roles require the Partner user type.
    pub fn self_service(self) -> bool {
        self.family() == Some(Family::SelfService)
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }
}

#[cfg(test)]
#[path = "role_tests.rs"]
mod tests;
