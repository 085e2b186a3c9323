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
