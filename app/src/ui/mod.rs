//! Small UI building blocks shared by the pages.

pub mod confirm;
pub mod form;
pub mod lazy;
pub mod password;
pub mod unsaved;
pub mod url;

use leptos::prelude::*;

use crate::error::AppError;

/// What a page shows for an error: a visitor whose session has ended is
/// sent to sign in (and brought back), anything else is said in an alert.
pub fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <crate::auth::components::SignInFirst /> }.into_any(),
        error => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
    }
}
