//! Signing in and out, two-factor sign-in, password links, sign-in
//! throttling and lockouts. Who the caller is, once signed in, is
//! `principal`.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod lockout_api;
pub mod lockout_components;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod reset;
pub mod reset_api;
pub mod reset_page;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod two_factor;
pub mod two_factor_api;
pub mod two_factor_page;

use serde::{Deserialize, Serialize};

/// The signed-in user as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub organization: String,
    pub administrator: bool,
    /// Whether the policy lets the user open the Users page.
    pub sees_users: bool,
    /// May add users: an Administrator, or a holder of Users: add.
    pub adds_users: bool,
    /// Whether the user may see claims where they act.
    pub sees_claims: bool,
    /// Staff of a vendor (their pages are the linked accounts), not of a
    /// customer organization.
    pub vendor_staff: bool,
    /// Staff of the platform (their pages are the console).
    pub platform_staff: bool,
    /// While vendor staff act inside a customer's account (switched in):
    /// their vendor's name; `organization` is then the customer's.
    pub switched_from: Option<String>,
    /// The companies the user may act in, parent first (from the policy).
    pub companies: Vec<CompanyChoice>,
    /// The company the user acts in now; one of `companies`.
    pub acting_company: Option<CompanyChoice>,
}

/// A company as the context switcher offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyChoice {
    pub id: crate::model::ids::CompanyId,
    pub name: String,
}

impl Me {
    /// The names of the companies the user may act in, parent first.
    pub fn company_names(&self) -> Vec<&str> {
        self.companies.iter().map(|c| c.name.as_str()).collect()
    }
}

/// What a password change tells the user before sending them to sign in.
pub const PASSWORD_CHANGED: &str =
    "Your password has been changed and every session signed out. Sign in with the new password.";

/// The one message for every failed sign-in, so it never reveals whether
/// an account exists or is inactive.
pub const SIGN_IN_FAILED: &str = "The email or password is not right, or the account is inactive.";
