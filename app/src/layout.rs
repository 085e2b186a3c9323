//! The frame every page shares: skip link, header, main area and footer;
//! and what a page shows for an error (a signed-out visitor is sent to sign
//! in). Kept here, above `ui` and `auth`, so neither imports the other.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

use crate::auth::{
    Me,
    components::{AuthContext, UserMenu},
};

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        // One suspense for everything that depends on who is signed in: two
        // reading the same resource hydrated in a racy order (the page then
        // failed to hydrate now and then).
        <Transition fallback=|| view! { <Header me=None /> }>
            {move || Suspend::new(async move {
                let me = auth.me.await.ok().flatten();
                let banner = me.as_ref().and_then(|me| {
                    let vendor = me.switched_from.clone()?;
                    Some(view! { <SwitchedBanner account=me.organization.clone() vendor /> })
                });
                let context = me
                    .clone()
                    .filter(|me| !me.companies.is_empty())
                    .map(|me| view! { <crate::context::components::ContextBar me /> });
                view! {
                    <Header me />
                    {banner}
                    {context}
                }
            })}
        </Transition>
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
        <footer class="app-footer">
            <span>{concat!("Portcullis ", env!("CARGO_PKG_VERSION"))}</span>
            <span>"Who may act where, with which permissions, and how far vendors may reach."</span>
        </footer>
    }
}

/// The top bar: the product's name, and the signed-in user's menu.
#[component]
fn Header(me: Option<Me>) -> impl IntoView {
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"▥"</span>
                <span class="brand-name">"Portcullis"</span>
            </a>
            <span class="brand-tagline">"Access management"</span>
            <div class="header-end">
                <UserMenu me />
            </div>
        </header>
    }
}

/// On every page while vendor staff act inside a customer's account: whose
/// account, as which vendor, and the way back. A plain form: returning
/// changes the whole page's context, so the browser loads the next page.
#[component]
fn SwitchedBanner(account: String, vendor: String) -> impl IntoView {
    view! {
        <div class="switch-banner" role="region" aria-label="Vendor access">
            <p>
                "You are in the account of " <strong>{account}</strong> " as "
                <strong>{vendor.clone()}</strong>
                ". What you do here is recorded in its audit log."
            </p>
            <form method="post" action="/api/return_to_vendor">
                <button type="submit" class="button button-small">{format!("Return to {vendor}")}</button>
            </form>
        </div>
    }
}

/// Settings' tabs (seed 000: Settings › User Management), above the
/// Settings page and the Users page for a customer's users. Vendor and
/// platform staff reach their Users page from the header alone.
#[component]
pub fn SettingsNav(current: &'static str) -> impl IntoView {
    const ACCOUNT: (&str, &str) = ("/settings", "Account Settings");
    const USERS: (&str, &str) = ("/users", "User Management");
    let auth = expect_context::<AuthContext>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let me = auth.me.await.ok().flatten()?;
                let links: &'static [(&str, &str)] = match me.vendor_staff || me.platform_staff {
                    true => return None,
                    false if me.sees_users => &[ACCOUNT, USERS],
                    false => &[ACCOUNT],
                };
                Some(view! { <crate::ui::nav::SectionNav label="Settings" links current /> })
            })}
        </Transition>
    }
}

/// Shown for any path no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. "<a href="/">"Go to the start page"</a>"."</p>
        </section>
    }
}

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
