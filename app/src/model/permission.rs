//! Permissions as typed (area, action) pairs, and compact sets of them.

use serde::{Deserialize, Serialize};

/// The areas of the billing platform a permission belongs to, in the order
/// the role editor and the matrix show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Area {
    Patients,
    Charges,
    Claims,
    Payments,
    Receivables,
    Insurances,
    Physicians,
    Reports,
    Constants,
    Users,
    Administration,
}

impl Area {
    pub const ALL: [Area; 11] = [
        Area::Patients,
        Area::Charges,
        Area::Claims,
        Area::Payments,
        Area::Receivables,
        Area::Insurances,
        Area::Physicians,
        Area::Reports,
        Area::Constants,
        Area::Users,
        Area::Administration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Area::Patients => "Patients",
            Area::Charges => "Charges",
            Area::Claims => "Claims",
            Area::Payments => "Payments",
            Area::Receivables => "A/R",
            Area::Insurances => "Insurances",
            Area::Physicians => "Referring physicians",
            Area::Reports => "Reports",
            Area::Constants => "Company constants",
            Area::Users => "Users",
            Area::Administration => "Administration",
        }
    }

    /// The first part of its permissions' keys (`ar.follow_up`).
    pub fn key(self) -> &'static str {
        match self {
            Area::Patients => "patients",
            Area::Charges => "charges",
            Area::Claims => "claims",
            Area::Payments => "payments",
            Area::Receivables => "ar",
            Area::Insurances => "insurances",
            Area::Physicians => "physicians",
            Area::Reports => "reports",
            Area::Constants => "constants",
            Area::Users => "users",
            Area::Administration => "administration",
        }
    }
}

/// One permission: a page or function of the billing platform (seed 001's
/// role descriptions name them). The order here is the order of the bits
/// in [`PermissionSet`] and of the checkboxes in the UI; the stable `key`
/// is what the database stores, so reordering is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Permission {
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
    ClaimsDelete,
    PaymentsView,
    PaymentsPost,
    PaymentsUnassigned,
    PaymentsZeroPays,
    ArFollowUp,
    ArDenials,
    InsurancesView,
    PhysiciansView,
    ReportsProductivity,
    ReportsException,
    ReportsPaymentBalancing,
    ReportsAging,
    ReportsBalance,
    ConstantsView,
    ConstantsEdit,
    UsersView,
    UsersManage,
    UsersAdd,
    AdministrationFull,
}

impl Permission {
    pub const ALL: [Permission; 30] = [
        Permission::PatientsView,
        Permission::PatientsEdit,
        Permission::ChargesView,
        Permission::ChargesDelayed,
        Permission::ChargesEdit,
        Permission::ClaimsView,
        Permission::ClaimsEdit,
        Permission::ClaimsRefund,
        Permission::ClaimsPost,
        Permission::ClaimsExport,
        Permission::ClaimsDelete,
        Permission::PaymentsView,
        Permission::PaymentsPost,
        Permission::PaymentsUnassigned,
        Permission::PaymentsZeroPays,
        Permission::ArFollowUp,
        Permission::ArDenials,
        Permission::InsurancesView,
        Permission::PhysiciansView,
        Permission::ReportsProductivity,
        Permission::ReportsException,
        Permission::ReportsPaymentBalancing,
        Permission::ReportsAging,
        Permission::ReportsBalance,
        Permission::ConstantsView,
        Permission::ConstantsEdit,
        Permission::UsersView,
        Permission::UsersManage,
        Permission::UsersAdd,
        Permission::AdministrationFull,
    ];

    /// Every report, for what "reporting" gives.
    pub const REPORTS: [Permission; 5] = [
        Permission::ReportsProductivity,
        Permission::ReportsException,
        Permission::ReportsPaymentBalancing,
        Permission::ReportsAging,
        Permission::ReportsBalance,
    ];

    pub fn area(self) -> Area {
        use Permission::*;
        match self {
            PatientsView | PatientsEdit => Area::Patients,
            ChargesView | ChargesDelayed | ChargesEdit => Area::Charges,
            ClaimsView | ClaimsEdit | ClaimsRefund | ClaimsPost | ClaimsExport | ClaimsDelete => {
                Area::Claims
            }
            PaymentsView | PaymentsPost | PaymentsUnassigned | PaymentsZeroPays => Area::Payments,
            ArFollowUp | ArDenials => Area::Receivables,
            InsurancesView => Area::Insurances,
            PhysiciansView => Area::Physicians,
            ReportsProductivity
            | ReportsException
            | ReportsPaymentBalancing
            | ReportsAging
            | ReportsBalance => Area::Reports,
            ConstantsView | ConstantsEdit => Area::Constants,
            UsersView | UsersManage | UsersAdd => Area::Users,
            AdministrationFull => Area::Administration,
        }
    }

    /// The action within its area, as shown beside the area ("Claims: view").
    pub fn action(self) -> &'static str {
        use Permission::*;
        match self {
            PatientsView | ClaimsView | PaymentsView | InsurancesView | PhysiciansView
            | ConstantsView | UsersView => "view",
            PatientsEdit | ClaimsEdit | ConstantsEdit => "edit",
            ChargesView => "view active",
            ChargesDelayed => "view delayed",
            ChargesEdit => "add and edit",
            ClaimsRefund => "refund",
            ClaimsPost | PaymentsPost => "post",
            ClaimsExport => "export",
            ClaimsDelete => "delete",
            PaymentsUnassigned => "manage unassigned",
            PaymentsZeroPays => "work zero pays and open balances",
            ArFollowUp => "follow-up and worklists",
            ArDenials => "denial management",
            ReportsProductivity => "productivity",
            ReportsException => "exception",
            ReportsPaymentBalancing => "payment balancing",
            ReportsAging => "aging",
            ReportsBalance => "balances",
            UsersManage => "manage",
            UsersAdd => "add and set access",
            AdministrationFull => "full",
        }
    }

    /// The stable name stored in the database, e.g. `claims.view`.
    pub fn key(self) -> &'static str {
        use Permission::*;
        match self {
            PatientsView => "patients.view",
            PatientsEdit => "patients.edit",
            ChargesView => "charges.view",
            ChargesDelayed => "charges.delayed",
            ChargesEdit => "charges.edit",
            ClaimsView => "claims.view",
            ClaimsEdit => "claims.edit",
            ClaimsRefund => "claims.refund",
            ClaimsPost => "claims.post",
            ClaimsExport => "claims.export",
            ClaimsDelete => "claims.delete",
            PaymentsView => "payments.view",
            PaymentsPost => "payments.post",
            PaymentsUnassigned => "payments.unassigned",
            PaymentsZeroPays => "payments.zero_pays",
            ArFollowUp => "ar.follow_up",
            ArDenials => "ar.denials",
            InsurancesView => "insurances.view",
            PhysiciansView => "physicians.view",
            ReportsProductivity => "reports.productivity",
            ReportsException => "reports.exception",
            ReportsPaymentBalancing => "reports.payment_balancing",
            ReportsAging => "reports.aging",
            ReportsBalance => "reports.balance",
            ConstantsView => "constants.view",
            ConstantsEdit => "constants.edit",
            UsersView => "users.view",
            UsersManage => "users.manage",
            UsersAdd => "users.add",
            AdministrationFull => "administration.full",
        }
    }

    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.key() == key)
    }

    /// What holding the permission unlocks, for the role editor.
    pub fn unlocks(self) -> &'static str {
        use Permission::*;
        match self {
            PatientsView => "Search for patients and see their records and charges.",
            PatientsEdit => "Add patients and change their records.",
            ChargesView => "See the list of active charges.",
            ChargesDelayed => "See charges held back from billing (delayed charges).",
            ChargesEdit => "Enter new charges and correct them before they are billed.",
            ClaimsView => "See claims and their status in the companies the user may act in.",
            ClaimsEdit => "Change claim details before they are sent.",
            ClaimsRefund => "Record refunds against claims.",
            ClaimsPost => "Post claims to payers.",
            ClaimsExport => "Export claim lists to CSV.",
            ClaimsDelete => "Delete claims that were never sent.",
            PaymentsView => "See payments as they arrive.",
            PaymentsPost => "Post payments to claims.",
            PaymentsUnassigned => "Match payments that arrived without a patient or claim.",
            PaymentsZeroPays => "Work zero-pay remittances and open balances.",
            ArFollowUp => "Work the claim worklists and follow up on unpaid claims.",
            ArDenials => "Work denied claims: appeal, correct and resubmit.",
            InsurancesView => "Look up insurances and their plans.",
            PhysiciansView => "Look up referring physicians.",
            ReportsProductivity => "Open the productivity report.",
            ReportsException => "Open the exception report.",
            ReportsPaymentBalancing => "Open the payment balancing report.",
            ReportsAging => "Open the aging report.",
            ReportsBalance => "Open the balance reports (open and patient balances).",
            ConstantsView => "See the company constants (fee schedules, defaults).",
            ConstantsEdit => "Also change the company constants.",
            UsersView => "See the users who share a company with you, and their access.",
            UsersManage => {
                "Also change the name, email and status of Standard users who share a company."
            }
            UsersAdd => {
                "Also add users and set their role and companies, never beyond your own: no Administrators, no Support Users, no permission or company you do not hold."
            }
            AdministrationFull => "Change the organization's settings.",
        }
    }
    fn bit(self) -> u64 {
        1 << (self as u64)
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.area().label(), self.action())
    }
}

/// A set of permissions in one machine word: checks are a mask and a compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(into = "Vec<Permission>", from = "Vec<Permission>")]
pub struct PermissionSet(u64);

impl PermissionSet {
    pub const EMPTY: PermissionSet = PermissionSet(0);

    pub fn all() -> PermissionSet {
        Permission::ALL.into_iter().collect()
    }

    pub fn contains(self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    pub fn insert(&mut self, permission: Permission) {
        self.0 |= permission.bit();
    }

    pub fn remove(&mut self, permission: Permission) {
        self.0 &= !permission.bit();
    }

    pub fn union(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set grants `permission`, directly or through a stronger
    /// one of its area (Users: manage includes seeing users).
    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        let stronger: &[Permission] = match permission {
            UsersView => &[UsersManage, UsersAdd],
            UsersManage => &[UsersAdd],
            ConstantsView => &[ConstantsEdit],
            PatientsView => &[PatientsEdit],
            _ => &[],
        };
        self.contains(permission) || stronger.iter().any(|p| self.contains(*p))
    }

    /// The permissions of `self` that `other` does not hold.
    pub fn without(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 & !other.0)
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        let mut set = PermissionSet::EMPTY;
        for permission in iter {
            set.insert(permission);
        }
        set
    }
}

impl From<Vec<Permission>> for PermissionSet {
    fn from(list: Vec<Permission>) -> Self {
        list.into_iter().collect()
    }
}

impl From<PermissionSet> for Vec<Permission> {
    fn from(set: PermissionSet) -> Self {
        set.iter().collect()
    }
}

#[cfg(test)]
#[path = "permission_tests.rs"]
mod tests;
