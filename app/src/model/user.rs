//! Users: profile, status, account type, user type and assignments.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::ids::{CompanyId, OrgId, RoleId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserStatus {
    Active,
    /// Cannot sign in; has no access at all.
    Inactive,
}

/// Standard users get what their role and assignments give; Administrators
/// get everything in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountType {
    Standard,
    Administrator,
}

/// How many companies a user may act in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserType {
    /// Exactly one company: their home company.
    Customer,
    /// Several companies, starting in their default company after sign-in.
    Partner,
}

macro_rules! keyed_enum {
    ($ty:ty { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            pub fn key(self) -> &'static str {
                match self { $(Self::$variant => $key),+ }
            }
            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use keyed_enum;

keyed_enum!(UserStatus { Active => "active", Inactive => "inactive" });
keyed_enum!(AccountType { Standard => "standard", Administrator => "administrator" });
keyed_enum!(UserType { Customer => "customer", Partner => "partner" });

impl UserType {
    pub fn label(self) -> &'static str {
        match self {
            UserType::Customer => "Customer",
            UserType::Partner => "Partner",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub org: OrgId,
    pub first_name: String,
    pub last_name: String,
    /// Login and notifications.
    pub email: String,
    pub status: UserStatus,
    pub account_type: AccountType,
    pub user_type: UserType,
    /// For a Partner, the context after sign-in; for a Customer-type user,
    /// the one company they act in.
    pub default_company: Option<CompanyId>,
    /// May open support tickets. Granted only by an Administrator and never
    /// implied by being one.
    pub support_user: bool,
    pub role: Option<RoleId>,
    /// Companies picked for this user directly, on top of the role's.
    pub direct_companies: BTreeSet<CompanyId>,
    /// Optimistic-concurrency version of the row.
    pub version: i32,
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }

    pub fn is_admin(&self) -> bool {
        self.account_type == AccountType::Administrator
    }
}
