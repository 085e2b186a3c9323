//! The pages of the product and what each needs, for navigation and for the
//! permissions-by-page matrix (generated from these types, never by hand).

use serde::{Deserialize, Serialize};

use super::permission::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    Dashboard,
    Claims,
    Payments,
    Reports,
    Users,
    Roles,
    Companies,
    PayersAndFacilities,
    VendorSettings,
    SupportTickets,
    AuditLog,
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
    pub const ALL: [Page; 11] = [
        Page::Dashboard,
        Page::Claims,
        Page::Payments,
        Page::Reports,
        Page::Users,
        Page::Roles,
        Page::Companies,
        Page::PayersAndFacilities,
        Page::VendorSettings,
        Page::SupportTickets,
        Page::AuditLog,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Page::Dashboard => "Dashboard",
            Page::Claims => "Claims",
            Page::Payments => "Payments",
            Page::Reports => "Reports",
            Page::Users => "Users",
            Page::Roles => "Roles",
            Page::Companies => "Companies",
            Page::PayersAndFacilities => "Payers and facilities",
            Page::VendorSettings => "Vendor settings",
            Page::SupportTickets => "Support tickets",
            Page::AuditLog => "Audit log",
        }
    }

    pub fn need(self) -> PageNeed {
        match self {
            Page::Dashboard | Page::PayersAndFacilities => PageNeed::SignedIn,
            Page::Claims => PageNeed::Permission(Permission::ClaimsView),
            Page::Payments => PageNeed::Permission(Permission::PaymentsView),
            Page::Reports => PageNeed::Permission(Permission::ReportsView),
            Page::Users => PageNeed::Permission(Permission::UsersView),
            Page::Roles | Page::Companies | Page::VendorSettings | Page::AuditLog => {
                PageNeed::Administrator
            }
            Page::SupportTickets => PageNeed::SupportUser,
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
}

impl Opens {
    pub fn label(self) -> &'static str {
        match self {
            Opens::Yes => "yes",
            Opens::No => "no",
            Opens::SupportUsersOnly => "Support Users only",
        }
    }
}

/// Whether a Standard member holding `permissions` may open `page` (an
/// Administrator opens every page).
pub fn opens(page: Page, permissions: super::permission::PermissionSet) -> Opens {
    match page.need() {
        PageNeed::SignedIn => Opens::Yes,
        PageNeed::Permission(p) if permissions.grants(p) => Opens::Yes,
        PageNeed::Permission(_) | PageNeed::Administrator => Opens::No,
        PageNeed::SupportUser => Opens::SupportUsersOnly,
    }
}

/// The permissions-by-page matrix: one row per page, one column for
/// Administrators and one per role; generated, never maintained by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMatrix {
    /// Role names, in column order (after the Administrator column).
    pub roles: Vec<String>,
    pub rows: Vec<PageRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub page: String,
    pub needs: String,
    /// One per role, in the order of [`PageMatrix::roles`].
    pub cells: Vec<Opens>,
}

impl PageMatrix {
    pub fn new<'a>(
        roles: impl IntoIterator<Item = (&'a str, super::permission::PermissionSet)>,
    ) -> Self {
        let roles: Vec<(&str, super::permission::PermissionSet)> = roles.into_iter().collect();
        PageMatrix {
            roles: roles.iter().map(|(name, _)| (*name).to_owned()).collect(),
            rows: Page::ALL
                .into_iter()
                .map(|page| PageRow {
                    page: page.title().to_owned(),
                    needs: page.need().label(),
                    cells: roles.iter().map(|(_, set)| opens(page, *set)).collect(),
                })
                .collect(),
        }
    }

    /// RFC 4180 CSV: a header row, then one row per page.
    pub fn to_csv(&self) -> String {
        let header = ["Page", "Needs", "Administrator"]
            .into_iter()
            .chain(self.roles.iter().map(String::as_str));
        let mut csv = super::csv::line(header);
        for row in &self.rows {
            let fixed = [row.page.as_str(), &row.needs, Opens::Yes.label()];
            csv += &super::csv::line(fixed.into_iter().chain(row.cells.iter().map(|c| c.label())));
        }
        csv
    }
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
