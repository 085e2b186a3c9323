//! Signing in and out, sessions, and who the caller is.

pub mod api;
pub mod common_passwords;
pub mod components;
#[cfg(feature = "ssr")]
pub mod gate;
pub mod lockout_api;
pub mod lockout_components;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod reset;
pub mod reset_api;
pub mod reset_page;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod two_factor;
pub mod two_factor_api;
pub mod two_factor_page;

use serde::{Deserialize, Serialize};

/// `next` if it is a page of this site to return to after signing in: a
/// path starting with a single '/', with no backslash or control character
/// (which browsers may read as another host), not the sign-in page itself,
/// and of a sane length. Anything else is ignored, so a link can never send
/// a user who signs in to another site.
pub fn same_site_path(next: &str) -> Option<&str> {
    let fits = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048
        && next != "/sign-in"
        && !next.starts_with("/sign-in?");
    fits.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        for kept in [
            "/",
            "/users",
            "/users/7?tab=permissions",
            "/claims?status=denied&after=3",
        ] {
            assert_eq!(same_site_path(kept), Some(kept));
        }
        for refused in [
            "",
            "users",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\tevil",
            "/\nLocation: x",
            "javascript:alert(1)",
            "/sign-in",
            "/sign-in?next=/users",
        ] {
            assert_eq!(same_site_path(refused), None, "{refused:?}");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(3000))), None);
    }
}

/// The signed-in user as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub organization: String,
    pub administrator: bool,
    /// Whether the policy lets the user open the Users page.
    pub sees_users: bool,
    /// Whether the user may see claims where they act.
    pub sees_claims: bool,
    /// Staff of a vendor (their pages are the linked accounts), not of a
    /// customer organization.
    pub vendor_staff: bool,
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
    pub id: i64,
    pub name: String,
}

impl Me {
    /// The names of the companies the user may act in, parent first.
    pub fn company_names(&self) -> Vec<&str> {
        self.companies.iter().map(|c| c.name.as_str()).collect()
    }
}

/// The one message for every failed sign-in, so it never reveals whether
/// an account exists or is inactive.
pub const SIGN_IN_FAILED: &str = "The email or password is not right, or the account is inactive.";
