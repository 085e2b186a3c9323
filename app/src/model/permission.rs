//! Permissions as typed (area, action) pairs, and compact sets of them.

use serde::{Deserialize, Serialize};

/// The areas of the product a permission belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Area {
    Claims,
    Payments,
    Reports,
    Users,
    Administration,
}

impl Area {
    pub const ALL: [Area; 5] = [
        Area::Claims,
        Area::Payments,
        Area::Reports,
        Area::Users,
        Area::Administration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Area::Claims => "Claims",
            Area::Payments => "Payments",
            Area::Reports => "Reports",
            Area::Users => "Users",
            Area::Administration => "Administration",
        }
    }
}

/// One permission. The order here is the order of the bits in
/// [`PermissionSet`] and of the checkboxes in the UI; the stable `key` is
/// what the database stores, so reordering is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Permission {
    ClaimsView,
    ClaimsEdit,
    ClaimsRefund,
    ClaimsPost,
    ClaimsExport,
    ClaimsDelete,
    PaymentsView,
    PaymentsPost,
    ReportsView,
    UsersView,
    UsersManage,
    AdministrationFull,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ClaimsView,
        Permission::ClaimsEdit,
        Permission::ClaimsRefund,
        Permission::ClaimsPost,
        Permission::ClaimsExport,
        Permission::ClaimsDelete,
        Permission::PaymentsView,
        Permission::PaymentsPost,
        Permission::ReportsView,
        Permission::UsersView,
        Permission::UsersManage,
        Permission::AdministrationFull,
    ];

    pub fn area(self) -> Area {
        use Permission::*;
        match self {
            ClaimsView | ClaimsEdit | ClaimsRefund | ClaimsPost | ClaimsExport | ClaimsDelete => {
                Area::Claims
            }
            PaymentsView | PaymentsPost => Area::Payments,
            ReportsView => Area::Reports,
            UsersView | UsersManage => Area::Users,
            AdministrationFull => Area::Administration,
        }
    }

    /// The action within its area, as shown beside the area ("Claims: view").
    pub fn action(self) -> &'static str {
        use Permission::*;
        match self {
            ClaimsView | PaymentsView | ReportsView | UsersView => "view",
            ClaimsEdit => "edit",
            ClaimsRefund => "refund",
            ClaimsPost | PaymentsPost => "post",
            ClaimsExport => "export",
            ClaimsDelete => "delete",
            UsersManage => "manage",
            AdministrationFull => "full",
        }
    }

    /// The stable name stored in the database, e.g. `claims.view`.
    pub fn key(self) -> &'static str {
        use Permission::*;
        match self {
            ClaimsView => "claims.view",
            ClaimsEdit => "claims.edit",
            ClaimsRefund => "claims.refund",
            ClaimsPost => "claims.post",
            ClaimsExport => "claims.export",
            ClaimsDelete => "claims.delete",
            PaymentsView => "payments.view",
            PaymentsPost => "payments.post",
            ReportsView => "reports.view",
            UsersView => "users.view",
            UsersManage => "users.manage",
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
            ClaimsView => "See claims and their status in the companies the user may act in.",
            ClaimsEdit => "Change claim details before they are sent.",
            ClaimsRefund => "Record refunds against claims.",
            ClaimsPost => "Post claims to payers.",
            ClaimsExport => "Export claim lists to CSV.",
            ClaimsDelete => "Delete claims that were never sent.",
            PaymentsView => "See payments and balancing reports.",
            PaymentsPost => "Post payments and work zero pays and open balances.",
            ReportsView => "Open productivity, aging and other reports.",
            UsersView => "See the users who share a company with you, and their access.",
            UsersManage => {
                "Also change the name, email and status of Standard users who share a company."
            }
            AdministrationFull => "Change the organization's settings.",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
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
pub struct PermissionSet(u32);

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
        self.contains(permission)
            || (permission == Permission::UsersView && self.contains(Permission::UsersManage))
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
