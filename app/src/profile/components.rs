//! The own-profile page: the profile form and the password form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{ChangePassword, UpdateProfile, load_profile};
use crate::auth::two_factor_api::two_factor_status;
use crate::{
    model::validation::{Field, ProfileInput},
    ui::{
        form::{ProfileDraft, TextField, field_errors, form_error, server_field_errors},
        password::NewPasswordFields,
    },
};

/// The own-profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let profile = Resource::new(move || save.version().get(), |_| load_profile());
    view! {
        <Title text="Your profile" />
        <h1>"Your profile"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading your profile…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => {
                        let email = p.email.clone();
                        view! {
                        <div class="stack">
                            <ProfileForm profile=p save />
                            <PasswordForm email=email />
                            <TwoFactorSummary />
                        </div>
                        }
                        .into_any()
                    }
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProfileForm(profile: super::Profile, save: ServerAction<UpdateProfile>) -> impl IntoView {
    let result = save.value();
    // The same validation as the server, as the user types.
    let form = ProfileDraft::new(
        ProfileInput {
            first_name: profile.first_name.clone(),
            last_name: profile.last_name.clone(),
            email: profile.email.clone(),
        },
        server_field_errors(result),
    );
    let error_for = move |field: Field| form.error(field);
    let edit = move |apply: fn(&mut ProfileInput, String)| form.edit(apply);
    let saved = move || {
        matches!(result.get(), Some(Ok(_)))
            .then(|| result.get().and_then(Result::ok))
            .flatten()
    };
    let pending = save.pending();

    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            <ActionForm action=save>
                <input type="hidden" name="version" value=profile.version />
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="profile-first-name" name="first_name" label="First name" autocomplete="given-name"
                    value=profile.first_name error=error_for(Field::FirstName)
                    on_input=edit(|d, v| d.first_name = v) />
                <TextField id="profile-last-name" name="last_name" label="Last name" autocomplete="family-name"
                    value=profile.last_name error=error_for(Field::LastName)
                    on_input=edit(|d, v| d.last_name = v) />
                <TextField id="profile-email" name="email" label="Email" kind="email" autocomplete="email"
                    value=profile.email error=error_for(Field::Email)
                    on_input=edit(|d, v| d.email = v) />
                <button type="submit" class="button" disabled=move || pending.get()>"Save profile"</button>
                <p class="success" role="status">{saved}</p>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordForm(email: String) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let result = change.value();
    let error_for = field_errors(result);
    let pending = change.pending();
    // Every session ends with the change: go and sign in again.
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            navigate("/sign-in?password-changed", Default::default());
        }
    });

    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <p class="warning" role="note" id="password-change-warning">
                "Changing your password signs you out at once, here and on every other device. Sign in again with the new password."
            </p>
            <ActionForm action=change>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="current-password" name="current_password" label="Current password" kind="password"
                    autocomplete="current-password" error=error_for(Field::CurrentPassword) />
                <NewPasswordFields new_id="new-password" confirm_id="confirm-password" email
                    server_errors=Signal::derive(server_field_errors(result)) />
                <button type="submit" class="button" disabled=move || pending.get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}

/// Whether two-factor sign-in is on, with the way to set it up or manage it.
#[component]
fn TwoFactorSummary() -> impl IntoView {
    let status = Resource::new(|| (), |_| two_factor_status());
    view! {
        <section class="card" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) if s.enrolled => view! {
                            <p>{format!("On: every sign-in asks for a code from your authenticator app. {} of 10 recovery codes left.", s.recovery_codes_left)}</p>
                            <a href="/two-factor">"Manage two-factor sign-in"</a>
                        }
                        .into_any(),
                        Ok(_) => view! {
                            <p>"Off: your password alone signs you in. A code from your phone at each sign-in keeps a stolen password from being enough."</p>
                            <a class="button" href="/two-factor">"Set up two-factor sign-in"</a>
                        }
                        .into_any(),
                        Err(e) => crate::layout::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
