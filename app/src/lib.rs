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
    Lazy, ParamSegment, SsrMode, StaticSegment,
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
                <HydrationScripts options />
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
                    <Route path=StaticSegment("") view={Lazy::<home::HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=StaticSegment("profile")
                        view={Lazy::<profile::components::ProfileRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("sign-in")
                        view={Lazy::<auth::components::SignInRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("forgot-password")
                        view={Lazy::<auth::reset_page::ForgotPasswordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("reset-password")
                        view={Lazy::<auth::reset_page::ResetPasswordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("dev"), StaticSegment("mailbox"))
                        view={Lazy::<mail::components::MailboxRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("users")
                        view={Lazy::<users::list_page::UsersRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("users"), StaticSegment("new"))
                        view={Lazy::<users::add_page::AddUserRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("users"), ParamSegment("id"))
                        view={Lazy::<users::edit_page::EditUserRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("roles")
                        view={Lazy::<roles::components::RolesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("roles"), ParamSegment("id"))
                        view={Lazy::<roles::components::EditRoleRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("claims")
                        view={Lazy::<claims::components::ClaimsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("claims"), ParamSegment("id"))
                        view={Lazy::<claims::components::ClaimRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("payers-and-facilities")
                        view={Lazy::<catalog::components::CatalogRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("companies")
                        view={Lazy::<companies::components::CompaniesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("permissions-by-page")
                        view={Lazy::<roles::matrix::MatrixRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("audit")
                        view={Lazy::<audit::components::AuditRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("audit"), ParamSegment("id"))
                        view={Lazy::<audit::components::AuditEventRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("settings")
                        view={Lazy::<vendor_access::components::SettingsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("support")
                        view={Lazy::<support::components::SupportRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("support"), ParamSegment("id"))
                        view={Lazy::<support::components::TicketRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("help")
                        view={Lazy::<help::pages::HelpRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("help"), ParamSegment("slug"))
                        view={Lazy::<help::pages::HelpArticleRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("accounts")
                        view={Lazy::<accounts::list_page::AccountsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("accounts"), StaticSegment("new"))
                        view={Lazy::<accounts::add_page::NewAccountRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("accounts"), ParamSegment("id"))
                        view={Lazy::<accounts::edit_page::AccountRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("platform")
                        view={Lazy::<platform::orgs_page::OrganizationsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("organizations"), StaticSegment("new"))
                        view={Lazy::<platform::orgs_page::NewOrganizationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("organizations"), ParamSegment("id"))
                        view={Lazy::<platform::orgs_page::OrganizationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("desk"))
                        view={Lazy::<platform::desk_page::DeskRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("staff"))
                        view={Lazy::<platform::staff_page::StaffRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("platform"), StaticSegment("links"))
                        view={Lazy::<platform::links_page::LinksRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("vendor-links")
                        view={Lazy::<platform::links_page::LinksRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("two-factor")
                        view={Lazy::<auth::two_factor_page::TwoFactorRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </layout::Frame>
        </Router>
    }
}
