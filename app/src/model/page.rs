//! The pages of the product and what each needs, for navigation and for the
//! permissions-by-page matrix (generated from these types, never by hand).

use serde::{Deserialize, Serialize};

use super::{
    permission::{Permission, PermissionSet},
    role::{Family, RoleTemplate},
};

/// A page a role's members may open: the billing platform's (seed 001's
/// "Role Permissions by Page") and this console's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    Patients,
    ActiveCharges,
    DelayedCharges,
    ChargeEntry,
    PlatformClaims,
    Payments,
    PaymentPosting,
    UnassignedPayments,
    ZeroPays,
    Worklists,
    Denials,
    Insurances,
    ReferringPhysicians,
    ProductivityReport,
    ExceptionReport,
    PaymentBalancingReport,
    AgingReport,
    BalanceReports,
    CompanyConstants,
    PlatformUsers,
    Start,
    Claims,
    Users,
    AddUser,
    Roles,
    Companies,
    PayersAndFacilities,
    Settings,
    SupportTickets,
    AuditLog,
}

/// Where a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Site {
    /// The billing platform this console manages access to.
    Platform,
    /// This console (Portcullis).
    Console,
}

impl Site {
    pub fn label(self) -> &'static str {
        match self {
            Site::Platform => "Billing platform",
            Site::Console => "This console",
        }
    }
}

/// What a page asks of the user who opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageNeed {
    /// Any signed-in user.
    SignedIn,
    /// This permission in the acting company.
    Permission(Permission),
    /// An Administrator of the organization.
    Administrator,
    /// An Administrator or a Support User.
    SupportUser,
}

impl Page {
    pub const ALL: [Page; 30] = [
        Page::Patients,
        Page::ActiveCharges,
        Page::DelayedCharges,
        Page::ChargeEntry,
        Page::PlatformClaims,
        Page::Payments,
        Page::PaymentPosting,
        Page::UnassignedPayments,
        Page::ZeroPays,
        Page::Worklists,
        Page::Denials,
        Page::Insurances,
        Page::ReferringPhysicians,
        Page::ProductivityReport,
        Page::ExceptionReport,
        Page::PaymentBalancingReport,
        Page::AgingReport,
        Page::BalanceReports,
        Page::CompanyConstants,
        Page::PlatformUsers,
        Page::Start,
        Page::Claims,
        Page::Users,
        Page::AddUser,
        Page::Roles,
        Page::Companies,
        Page::PayersAndFacilities,
        Page::Settings,
        Page::SupportTickets,
        Page::AuditLog,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Page::Patients => "Patients",
            Page::ActiveCharges => "Charges – active",
            Page::DelayedCharges => "Charges – delayed",
            Page::ChargeEntry => "Charge entry",
            Page::PlatformClaims => "Claims",
            Page::Payments => "Payments",
            Page::PaymentPosting => "Payment posting",
            Page::UnassignedPayments => "Unassigned payments",
            Page::ZeroPays => "Zero pays and open balances",
            Page::Worklists => "Claim worklists and A/R follow-up",
            Page::Denials => "Denial management",
            Page::Insurances => "Insurances",
            Page::ReferringPhysicians => "Referring physicians",
            Page::ProductivityReport => "Productivity report",
            Page::ExceptionReport => "Exception report",
            Page::PaymentBalancingReport => "Payment balancing report",
            Page::AgingReport => "Aging report",
            Page::BalanceReports => "Balance reports",
            Page::CompanyConstants => "Company constants",
            Page::PlatformUsers => "Users",
            Page::Start => "Start page",
            Page::Claims => "Claims",
            Page::Users => "Users (User Management)",
            Page::AddUser => "Add user",
            Page::Roles => "Roles",
            Page::Companies => "Companies",
            Page::PayersAndFacilities => "Payers and facilities",
            Page::Settings => "Settings (Vendor Settings)",
            Page::SupportTickets => "Support tickets",
            Page::AuditLog => "Audit log",
        }
    }

    pub fn site(self) -> Site {
        match self {
            Page::Patients
            | Page::ActiveCharges
            | Page::DelayedCharges
            | Page::ChargeEntry
            | Page::PlatformClaims
            | Page::Payments
            | Page::PaymentPosting
            | Page::UnassignedPayments
            | Page::ZeroPays
            | Page::Worklists
            | Page::Denials
            | Page::Insurances
            | Page::ReferringPhysicians
            | Page::ProductivityReport
            | Page::ExceptionReport
            | Page::PaymentBalancingReport
            | Page::AgingReport
            | Page::BalanceReports
            | Page::CompanyConstants
            | Page::PlatformUsers => Site::Platform,
            _ => Site::Console,
        }
    }

    pub fn need(self) -> PageNeed {
        match self {
            Page::Patients => PageNeed::Permission(Permission::PatientsView),
            Page::ActiveCharges => PageNeed::Permission(Permission::ChargesView),
            Page::DelayedCharges => PageNeed::Permission(Permission::ChargesDelayed),
            Page::ChargeEntry => PageNeed::Permission(Permission::ChargesEdit),
            Page::PlatformClaims => PageNeed::Permission(Permission::ClaimsView),
            Page::Payments => PageNeed::Permission(Permission::PaymentsView),
            Page::PaymentPosting => PageNeed::Permission(Permission::PaymentsPost),
            Page::UnassignedPayments => PageNeed::Permission(Permission::PaymentsUnassigned),
            Page::ZeroPays => PageNeed::Permission(Permission::PaymentsZeroPays),
            Page::Worklists => PageNeed::Permission(Permission::ArFollowUp),
            Page::Denials => PageNeed::Permission(Permission::ArDenials),
            Page::Insurances => PageNeed::Permission(Permission::InsurancesView),
            Page::ReferringPhysicians => PageNeed::Permission(Permission::PhysiciansView),
            Page::ProductivityReport => PageNeed::Permission(Permission::ReportsProductivity),
            Page::ExceptionReport => PageNeed::Permission(Permission::ReportsException),
            Page::PaymentBalancingReport => {
                PageNeed::Permission(Permission::ReportsPaymentBalancing)
            }
            Page::AgingReport => PageNeed::Permission(Permission::ReportsAging),
            Page::BalanceReports => PageNeed::Permission(Permission::ReportsBalance),
            Page::CompanyConstants => PageNeed::Permission(Permission::ConstantsView),
            Page::PlatformUsers => PageNeed::Permission(Permission::UsersView),
            Page::Start => PageNeed::SignedIn,
            Page::Claims => PageNeed::Permission(Permission::ClaimsView),
            Page::Users => PageNeed::Permission(Permission::UsersView),
            Page::AddUser => PageNeed::Permission(Permission::UsersAdd),
            Page::Roles => PageNeed::Administrator,
            Page::Companies => PageNeed::Administrator,
            Page::PayersAndFacilities => PageNeed::SignedIn,
            Page::Settings => PageNeed::SignedIn,
            Page::SupportTickets => PageNeed::SupportUser,
            Page::AuditLog => PageNeed::Administrator,
        }
    }
}

impl PageNeed {
    /// What the matrix says a page needs, e.g. "Claims: view".
    pub fn label(self) -> String {
        match self {
            PageNeed::SignedIn => "Signed in".to_owned(),
            PageNeed::Permission(p) => p.to_string(),
            PageNeed::Administrator => "Administrator".to_owned(),
            PageNeed::SupportUser => "Administrator or Support User".to_owned(),
        }
    }
}

/// Whether the members of a role may open a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opens {
    Yes,
    No,
    /// Only the members marked Support User.
    SupportUsersOnly,
    /// Never: the role withholds what the page needs (EMR Access
    /// Restriction), whatever else it holds.
    Withheld,
}

impl Opens {
    pub fn label(self) -> &'static str {
        match self {
            Opens::Yes => "yes",
            Opens::No => "no",
            Opens::SupportUsersOnly => "Support Users only",
            Opens::Withheld => "withheld",
        }
    }
}

/// What a role gives on pages: what it holds, less what it withholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub permissions: PermissionSet,
    pub withheld: PermissionSet,
}

/// Whether a Standard member of a role may open `page` (an Administrator
/// opens every page).
pub fn opens(page: Page, role: RoleGrant) -> Opens {
    match page.need() {
        PageNeed::SignedIn => Opens::Yes,
        PageNeed::Permission(p) if role.withheld.contains(p) => Opens::Withheld,
        PageNeed::Permission(p) if role.permissions.grants(p) => Opens::Yes,
        PageNeed::Permission(_) | PageNeed::Administrator => Opens::No,
        PageNeed::SupportUser => Opens::SupportUsersOnly,
    }
}

/// The permissions-by-page matrix: one row per page, one column for
/// Administrators and one per role; generated, never maintained by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMatrix {
    /// What the columns are: a family of templates, or the organization's
    /// own roles.
    pub title: String,
    /// Role names, in column order (after the Administrator column).
    pub roles: Vec<String>,
    pub rows: Vec<PageRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub page: String,
    /// "Billing platform" or "This console".
    pub site: String,
    pub needs: String,
    /// One per role, in the order of [`PageMatrix::roles`].
    pub cells: Vec<Opens>,
}

impl PageMatrix {
    pub fn new<'a>(title: &str, roles: impl IntoIterator<Item = (&'a str, RoleGrant)>) -> Self {
        let roles: Vec<(&str, RoleGrant)> = roles.into_iter().collect();
        PageMatrix {
            title: title.to_owned(),
            roles: roles.iter().map(|(name, _)| (*name).to_owned()).collect(),
            rows: Page::ALL
                .into_iter()
                .map(|page| PageRow {
                    page: page.title().to_owned(),
                    site: page.site().label().to_owned(),
                    needs: page.need().label(),
                    cells: roles.iter().map(|(_, grant)| opens(page, *grant)).collect(),
                })
                .collect(),
        }
    }

    /// The matrix of a family's templates.
    pub fn of_family(family: Family) -> Self {
        let templates: Vec<RoleTemplate> = family.templates().collect();
        PageMatrix::new(
            family.label(),
            templates.iter().map(|t| {
                let grant = RoleGrant {
                    permissions: t.permissions(),
                    withheld: t.withheld(),
                };
                (t.name(), grant)
            }),
        )
    }

    /// The header row: the fixed columns, then one per role.
    pub fn header(&self) -> Vec<&str> {
        ["Page", "Where", "Needs", "Administrator"]
            .into_iter()
            .chain(self.roles.iter().map(String::as_str))
            .collect()
    }

    /// Each page's row as text, in the header's order.
    pub fn lines(&self) -> impl Iterator<Item = Vec<&str>> {
        self.rows.iter().map(|row| {
            [row.page.as_str(), &row.site, &row.needs, Opens::Yes.label()]
                .into_iter()
                .chain(row.cells.iter().map(|c| c.label()))
                .collect()
        })
    }

    /// RFC 4180 CSV: a header row, then one row per page.
    pub fn to_csv(&self) -> String {
        let mut csv = super::csv::line(self.header());
        for line in self.lines() {
            csv += &super::csv::line(line);
        }
        csv
    }
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
