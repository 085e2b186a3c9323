//! The two-factor page: set up an authenticator app, enter a code at
//! sign-in, or (once set up) get new recovery codes.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    components::AuthContext,
    two_factor_api::{
        ConfirmTwoFactor, NewRecoveryCodes, TwoFactorState, VerifyTwoFactor, begin_two_factor,
        two_factor_status,
    },
};
use crate::{
    error::AppError,
    model::validation::Field,
    ui::form::{TextField, field_errors, form_error},
};

/// The two-factor page.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| two_factor_status());
    view! {
        <Title text="Two-factor sign-in" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) if status.due && status.enrolled => view! { <VerifyForm /> }.into_any(),
                    Ok(status) if !status.enrolled => view! { <Enrol required=status.required /> }.into_any(),
                    Ok(status) => view! { <Manage status /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

/// The code field every form here shares.
#[component]
fn CodeField(label: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <TextField id="two-factor-code" name="code" label=label autocomplete="one-time-code"
            required=true error=error />
    }
}

/// Reloads the header's identity once an action succeeded.
fn refresh_identity_on_success<T, S>(result: S)
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    let auth = expect_context::<AuthContext>();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            auth.me.refetch();
        }
    });
}

#[component]
fn VerifyForm() -> impl IntoView {
    let verify = ServerAction::<VerifyTwoFactor>::new();
    let result = verify.value();
    refresh_identity_on_success(result);
    let error = field_errors(result)(Field::Code);
    let pending = verify.pending();
    view! {
        <section class="card auth-card" aria-labelledby="verify-heading">
            <h1 id="verify-heading">"Two-factor sign-in"</h1>
            <p class="muted">"Open your authenticator app and enter the 6-digit code it shows for Portcullis. Lost your phone? Enter one of your recovery codes instead."</p>
            <ActionForm action=verify>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <CodeField label="Authentication code" error />
                <button type="submit" class="button" disabled=move || pending.get()>"Verify"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Enrol(required: bool) -> impl IntoView {
    let enrolment = Resource::new(|| (), |_| begin_two_factor());
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let result = confirm.value();
    refresh_identity_on_success(result);
    let error = field_errors(result)(Field::Code);
    let pending = confirm.pending();
    let codes = move || match result.get() {
        Some(Ok(codes)) => Some(codes),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">"Set up two-factor sign-in"</h1>
            <Show when=move || required && codes().is_none()>
                <p class="notice">"Administrators must use two-factor sign-in. Set it up to continue."</p>
            </Show>
            <Show
                when=move || codes().is_some()
                fallback=move || view! {
                    <ol class="steps">
                        <li>"Install an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password)."</li>
                        <li>"Scan this QR code with it, or type the key below."</li>
                        <li>"Enter the 6-digit code the app then shows."</li>
                    </ol>
                    <Suspense fallback=|| view! { <p class="muted">"Preparing your key…"</p> }>
                        {move || Suspend::new(async move {
                            match enrolment.await {
                                Ok(e) => view! {
                                    <div class="totp-setup">
                                        <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=e.qr_svg></div>
                                        <p>"Key: "<code class="totp-secret" data-testid="totp-secret">{e.secret}</code></p>
                                    </div>
                                }
                                .into_any(),
                                Err(e) => crate::layout::error_view(e),
                            }
                        })}
                    </Suspense>
                    <ActionForm action=confirm>
                        {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        <CodeField label="Code from the app" error />
                        <button type="submit" class="button" disabled=move || pending.get()>"Turn on two-factor sign-in"</button>
                    </ActionForm>
                }
            >
                <RecoveryCodes codes=codes().unwrap_or_default() />
                <a class="button" href="/">"Continue"</a>
            </Show>
        </section>
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <p class="success" role="status">"Two-factor sign-in is on."</p>
        <h2>"Your recovery codes"</h2>
        <p>"Each code signs you in once if you lose your phone. Write them down or print them now: they are not shown again."</p>
        <ul class="recovery-codes" aria-label="Recovery codes">
            {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn Manage(status: TwoFactorState) -> impl IntoView {
    let left = status.recovery_codes_left;
    let renew = ServerAction::<NewRecoveryCodes>::new();
    let result = renew.value();
    let codes = move || match result.get() {
        Some(Ok(codes)) => Some(codes),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="manage-heading">
            <h1 id="manage-heading">"Two-factor sign-in"</h1>
            <p>"Two-factor sign-in is on: every sign-in asks for a code from your authenticator app."</p>
            <Show
                when=move || codes().is_some()
                fallback=move || view! {
                    <p>{format!("{left} of 10 recovery codes left.")}</p>
                    {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <ActionForm action=renew>
                        <button type="submit" class="button button-secondary">"Get new recovery codes"</button>
                    </ActionForm>
                }
            >
                <RecoveryCodes codes=codes().unwrap_or_default() />
            </Show>
        </section>
    }
}
