//! Small UI building blocks shared by the pages.

pub mod choice;
pub mod common_passwords;
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
        AppError::Unauthorized => view! { <SignInFirst /> }.into_any(),
        error => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
    }
}

/// For a signed-out visitor of a page that needs a session: off to sign in,
/// and back to this very page afterwards (a redirect from the server, a
/// navigation in the browser). The link is for the moment in between.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let search = search.trim_start_matches('?');
    let mut here = location.pathname.get_untracked();
    if !search.is_empty() {
        here = format!("{here}?{search}");
    }
    let path = format!("/sign-in?next={}", crate::ui::url::encode(&here));
    view! {
        <leptos_router::components::Redirect path=path.clone() />
        <p class="card"><a href=path>"Sign in"</a>" to continue."</p>
    }
}
