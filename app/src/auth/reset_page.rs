//! "Forgot your password?" and "Choose a new password" (from a reset or an
//! invitation link).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::reset_api::{PasswordLink, RequestPasswordReset, ResetPassword, check_password_link};
use crate::{
    error::AppError,
    model::validation::Field,
    ui::{
        form::{TextField, field_errors, form_error, saved_message, server_field_errors},
        password::NewPasswordFields,
    },
};

/// The forgot-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let result = request.value();
    let error = field_errors(result)(Field::Email);
    let pending = request.pending();
    let sent = saved_message(result);
    view! {
        <Title text="Forgot your password?" />
        <section class="card auth-card" aria-labelledby="forgot-heading">
            <h1 id="forgot-heading">"Forgot your password?"</h1>
            <p class="muted">"Enter the email address you sign in with. We will send it a link to choose a new password."</p>
            <ActionForm action=request>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="forgot-email" name="email" label="Email" kind="email" autocomplete="username"
                    required=true error />
                <button type="submit" class="button" disabled=move || pending.get()>"Send the link"</button>
            </ActionForm>
            <p class="success" role="status">{sent}</p>
            <p><a href="/sign-in">"Back to sign in"</a></p>
        </section>
    }
}

/// The choose-a-password page.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let link = Resource::new(token, check_password_link);
    view! {
        <Title text="Choose a new password" />
        <Transition fallback=|| view! { <p class="muted">"Checking your link…"</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(link) => view! { <ChoosePassword link token=token() /> }.into_any(),
                    Err(e @ AppError::Conflict(_)) => view! {
                        <section class="card auth-card">
                            <h1>"This link no longer works"</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/forgot-password">"Ask for a new link"</a></p>
                        </section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ChoosePassword(link: PasswordLink, token: String) -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let result = reset.value();
    let errors = server_field_errors(result);
    let pending = reset.pending();
    let heading = if link.invitation {
        "Welcome! Choose your password"
    } else {
        "Choose a new password"
    };
    view! {
        <section class="card auth-card" aria-labelledby="choose-heading">
            <h1 id="choose-heading">{heading}</h1>
            <p class="muted">"For " <strong>{link.email.clone()}</strong> ". At least 10 characters; a few unrelated words make a good one."</p>
            <ActionForm action=reset>
                <input type="hidden" name="token" value=token />
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <NewPasswordFields new_id="reset-new-password" confirm_id="reset-confirm-password"
                    email=link.email.clone() server_errors=Signal::derive(errors) />
                <button type="submit" class="button" disabled=move || pending.get()>"Set the password"</button>
            </ActionForm>
        </section>
    }
}
