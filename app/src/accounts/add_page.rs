//! Add new account: the account, its settings, its first Administrator
//! and its service plan.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{AddAccount, account_offer},
    offer::AccountOffer,
};
use crate::{
    model::{account::ServicePlan, validation::Field},
    ui::form::{TextField, field_errors, form_error},
};

/// Add new account.
#[component]
pub fn NewAccountPage() -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let result = add.value();
    let error_for = field_errors(result);
    let kinds_error = error_for(Field::ClaimKinds);
    let plan_error = error_for(Field::Plan);
    let failed = form_error(result);
    let pending = add.pending();
    let offer = Resource::new(|| (), |_| account_offer());
    let boxes = [
        (
            "transmit_approval_required",
            "Transmit Approval Required",
            false,
        ),
        ("professional_claims", "Professional claims", true),
        ("institutional_claims", "Institutional claims", false),
        ("dental_claims", "Dental claims", false),
    ];
    view! {
        <Title text="Add new account" />
        <p><a href="/accounts">"← Manage Accounts"</a></p>
        <div class="page-head">
            <h1>"Add new account"</h1>
        </div>
        <ActionForm action=add attr:class="stack">
            {move || failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <section class="card" aria-labelledby="new-account-practice">
                <h2 id="new-account-practice">"1. The practice"</h2>
                <TextField id="new-account-name" name="name" label="Account or practice name" autocomplete="organization"
                    required=true error=error_for(Field::CompanyName) />
                <fieldset class="checks">
                    <legend>"Account settings"</legend>
                    {boxes.into_iter().map(|(name, label, checked)| {
                        let input_id = format!("new-account-{name}");
                        view! {
                            <div class="check">
                                <input id=input_id.clone() type="checkbox" name=format!("settings[{name}]") checked=checked />
                                <label for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="field-error" role="alert">{move || kinds_error.get()}</p>
            </section>
            <section class="card" aria-labelledby="new-account-contact">
                <h2 id="new-account-contact">"2. Primary admin contact"</h2>
                <p class="muted">"The account-setup email goes to this address; the contact becomes the account's first Administrator."</p>
                <TextField id="new-account-first" name="contact[first_name]" label="First name" autocomplete="given-name"
                    required=true error=error_for(Field::FirstName) />
                <TextField id="new-account-last" name="contact[last_name]" label="Last name" autocomplete="family-name"
                    required=true error=error_for(Field::LastName) />
                <TextField id="new-account-email" name="contact[email]" label="Contact email" kind="email" autocomplete="email"
                    required=true error=error_for(Field::Email) />
                <TextField id="new-account-phone" name="contact[phone]" label="Contact phone" kind="tel" autocomplete="tel"
                    required=true error=error_for(Field::Phone) />
            </section>
            <section class="card" aria-labelledby="new-account-plan">
                <h2 id="new-account-plan">"3. Service plan"</h2>
                <Transition fallback=|| view! { <p class="muted">"Loading the plans…"</p> }>
                    {move || Suspend::new(async move {
                        match offer.await {
                            Ok(offer) => view! { <PlanChoice offer plan_error /> }.into_any(),
                            Err(e) => crate::layout::error_view(e),
                        }
                    })}
                </Transition>
                <button type="submit" class="button" disabled=move || pending.get()>"Add account and invite the contact"</button>
            </section>
        </ActionForm>
    }
}

/// The plans with their pricing details (seed 003), Standard chosen, and
/// the onboarding documentation the invitation links to as well.
#[component]
fn PlanChoice(offer: AccountOffer, plan_error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <fieldset class="plans" aria-describedby="new-account-plan-error">
            <legend>"Plan and pricing details"</legend>
            {offer.plans.into_iter().map(|p| {
                let input_id = format!("new-account-plan-{}", p.plan.key());
                view! {
                    <div class="plan">
                        <input id=input_id.clone() type="radio" name="plan" value=p.plan.key()
                            checked=p.plan == ServicePlan::Standard />
                        <label for=input_id>
                            <strong>{p.plan.label()}</strong>" — "{p.price}
                            <span class="muted plan-details">{p.details}</span>
                        </label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <p id="new-account-plan-error" class="field-error">{move || plan_error.get()}</p>
        <p class="onboarding">
            "Onboarding documentation, to pass on to the account's new users: "
            <a href=offer.onboarding_url.clone() target="_blank" rel="noopener">
                {offer.onboarding_url.clone()}<span class="visually-hidden">" (opens in a new tab)"</span>
            </a>
            ". The invitation to the first Administrator links to it too."
        </p>
    }
}
