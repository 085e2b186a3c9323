//! The signed-in user's own profile: name, email and password.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;

use serde::{Deserialize, Serialize};

/// The profile form's content, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub version: i32,
}

pub const CURRENT_PASSWORD_WRONG: &str = "The current password is not right.";
pub use crate::model::validation::PASSWORDS_DIFFER;
pub const EMAIL_TAKEN: &str = "This email is already in use.";
pub const PROFILE_CHANGED_ELSEWHERE: &str = "Your profile was changed elsewhere since you opened this page. Reload it to see the changes, then try again.";
