//! The sign-in page and the signed-in user's menu in the header.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    Me,
    api::{SignIn, SignOut, who_am_i},
};
use crate::{
    error::AppError,
    model::validation::Field,
    ui::form::{TextField, field_errors, form_error},
};

/// Shown on the sign-in page after a password was set from a link.
pub const PASSWORD_SET: &str = "Your new password is set. Sign in with it.";

/// The sign-in and sign-out actions and the caller's identity, shared by the
/// header and the pages; the identity reloads after either action.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub me: Resource<Result<Option<Me>, AppError>>,
}

pub fn provide_auth() {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let me = Resource::new(
        move || (sign_in.version().get(), sign_out.version().get()),
        |_| who_am_i(),
    );
    provide_context(AuthContext {
        sign_in,
        sign_out,
        me,
    });
}

/// The header's right side: who is signed in, and the way out (or in).
#[component]
pub fn UserMenu(me: Option<Me>) -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    match me {
        Some(me) => view! {
            <div class="user-menu">
                {me.sees_claims.then(|| view! { <a class="header-link" href="/claims">"Claims"</a> })}
                {me.sees_users.then(|| view! { <a class="header-link" href="/users">"Users"</a> })}
                {(!me.companies.is_empty()).then(|| view! {
                    <a class="header-link" href="/payers-and-facilities">"Payers & facilities"</a>
                })}
                {(me.administrator && !me.platform_staff).then(|| view! {
                    <a class="header-link" href="/roles">"Roles"</a>
                    <a class="header-link" href="/companies">"Companies"</a>
                })}
                {me.administrator.then(|| view! {
                    <a class="header-link" href="/audit">"Audit log"</a>
                })}
                {if me.platform_staff {
                    view! {
                        <a class="header-link" href="/platform">"Organizations"</a>
                        <a class="header-link" href="/platform/desk">"Support desk"</a>
                        <a class="header-link" href="/platform/links">"Vendor links"</a>
                        <a class="header-link" href="/platform/staff">"Staff"</a>
                    }
                    .into_any()
                } else if me.vendor_staff {
                    view! {
                        <a class="header-link" href="/accounts">"Accounts"</a>
                        <a class="header-link" href="/support">"Vendor Support"</a>
                    }
                    .into_any()
                } else {
                    view! {
                        <a class="header-link" href="/support">"Support"</a>
                        <a class="header-link" href="/settings">"Settings"</a>
                    }
                    .into_any()
                }}
                <a class="header-link" href="/help">"Help"</a>
                <a class="user-name header-link" href="/profile" title="Your profile">{me.name}</a>
                <span class="user-org">{me.organization}</span>
                <ActionForm action=auth.sign_out>
                    <button type="submit" class="button button-quiet">"Sign out"</button>
                </ActionForm>
            </div>
        }
        .into_any(),
        None => view! { <a class="header-link" href="/sign-in">"Sign in"</a> }.into_any(),
    }
}

/// The sign-in page (a plain form: it works before the app's code arrives).
#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    // Without JavaScript a refused sign-in comes back with its error in the
    // URL, which only code inside the routes can read (this shared action
    // is made before them): taken here.
    let from_url = use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == <SignIn as leptos::server_fn::ServerFn>::PATH)
        .map(|error| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(error.err())
        });
    let value = auth.sign_in.value();
    let result = Signal::derive(move || value.get().or_else(|| from_url.clone().map(Err)));
    let form_error = form_error(result);
    let error_for = field_errors(result);
    let pending = auth.sign_in.pending();

    let query = leptos_router::hooks::use_query_map();
    let password_changed = move || query.with(|q| q.get("password-changed").is_some());
    let password_reset = move || query.with(|q| q.get("password-reset").is_some());

    view! {
        <Title text="Sign in" />
        <section class="card auth-card" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">"Sign in"</h1>
            <Show when=password_changed>
                <p class="notice" role="status">{super::PASSWORD_CHANGED}</p>
            </Show>
            <Show when=password_reset>
                <p class="notice" role="status">{PASSWORD_SET}</p>
            </Show>
            <p class="muted">"Use the email address your Administrator invited."</p>
            <ActionForm action=auth.sign_in>
                {move || form_error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                // Where to go once signed in (checked by the server).
                <input type="hidden" name="next" value=move || query.with(|q| q.get("next").unwrap_or_default()) />
                <TextField id="sign-in-email" name="email" label="Email" kind="email" autocomplete="username" required=true
                    error=error_for(Field::Email) />
                <TextField id="sign-in-password" name="password" label="Password" kind="password"
                    autocomplete="current-password" required=true error=error_for(Field::Password) />
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p><a href="/forgot-password">"Forgot your password?"</a></p>
        </section>
    }
}
