//! Portcullis' shared crate: the page shell, routes, components and server
//! functions. Compiled twice: with `ssr` into the server, with `hydrate` into
//! the browser bundle. Server-only code sits behind `#[cfg(feature = "ssr")]`.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod claims;
pub mod companies;
pub mod context;
#[cfg(feature = "ssr")]
pub mod csp;
pub mod error;
pub mod help;
mod home;
mod hydration;
pub mod layout;
pub mod mail;
pub mod model;
pub mod org;
pub mod platform;
pub mod profile;
pub mod roles;
pub mod system;
pub mod ui;
pub mod users;
pub mod vendor_access;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod principal;
#[cfg(feature = "ssr")]
pub mod request_id;
#[cfg(feature = "ssr")]
pub mod state;
pub mod support;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::set_for_page();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                // The stylesheet's name carries its content hash when the
                // site was built with one (scripts/build-site.sh).
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <hydration::HydrationScript options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: every route of the console.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::components::provide_auth();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Portcullis".to_owned() } else { format!("{page} · Portcullis") }
        } />
        <Router>
            <layout::Frame>
                <Routes fallback=layout::NotFound>
                    // Async: the server sends each page once all its data is
                    // loaded, so every page is complete without JavaScript.
                    <Route path=StaticSegment("") view=home::HomePage ssr=SsrMode::Async />
                    <Route
                        path=StaticSegment("profile")
                        view=profile::components::ProfilePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("sign-in")
                        view=auth::components::SignInPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("forgot-password")
                        view=auth::reset_page::ForgotPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("reset-password")
                        view=auth::reset_page::ResetPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("dev"), StaticSegment("mailbox"))
                        view=mail::components::MailboxPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("users")
                        view=users::list_page::UsersListPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("users"), StaticSegment("new"))
                        view=users::add_page::AddUserPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("users"), ParamSegment("id"))
                        view=users::edit_page::EditUserPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("roles")
                        view=roles::components::RolesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("roles"), ParamSegment("id"))
                        view=roles::components::EditRolePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("claims")
                        view=claims::components::ClaimsListPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("claims"), ParamSegment("id"))
                        view=claims::components::ClaimPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("payers-and-facilities")
                        view=catalog::components::CatalogPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("companies")
                        view=companies::components::CompaniesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("permissions-by-page")
                        view=roles::matrix::MatrixPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("audit")
                        view=audit::components::AuditPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("audit"), ParamSegment("id"))
                        view=audit::components::AuditEventPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("settings")
                        view=vendor_access::components::SettingsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("support")
                        view=support::components::SupportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("support"), ParamSegment("id"))
                        view=support::components::TicketPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("help")
                        view=help::pages::HelpPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("help"), ParamSegment("slug"))
                        view=help::pages::HelpArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("accounts")
                        view=accounts::list_page::AccountsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("accounts"), StaticSegment("new"))
                        view=accounts::add_page::NewAccountPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("accounts"), ParamSegment("id"))
                        view=accounts::edit_page::AccountPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("platform")
                        view=platform::orgs_page::OrganizationsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("organizations"), StaticSegment("new"))
                        view=platform::orgs_page::NewOrganizationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("organizations"), ParamSegment("id"))
                        view=platform::orgs_page::OrganizationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("desk"))
                        view=platform::desk_page::DeskPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("staff"))
                        view=platform::staff_page::StaffPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("links"))
                        view=platform::links_page::LinksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("vendor-links")
                        view=platform::links_page::LinksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("two-factor")
                        view=auth::two_factor_page::TwoFactorPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </layout::Frame>
        </Router>
    }
}
