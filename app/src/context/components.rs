//! The context switcher: a bar under the header on every signed-in page,
//! showing the company the user acts in and letting them choose another of
//! the companies the policy gives them.

use leptos::prelude::*;

use super::api::SwitchCompany;
use crate::auth::{CompanyChoice, Me};

/// From this many companies on, a filter box helps find one.
const FILTER_FROM: usize = 8;

/// Shown to users with at least one company.
#[component]
pub fn ContextBar(me: Me) -> impl IntoView {
    let switch = ServerAction::<SwitchCompany>::new();
    // Everything on the page belongs to the old company: load it afresh.
    Effect::new(move |_| {
        if let Some(Ok(_)) = switch.value().get() {
            let _ = window().location().reload();
        }
    });
    let error = move || match switch.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let acting = me.acting_company.clone();
    let acting_id = acting.as_ref().map(|c| c.id);
    let filter = RwSignal::new(String::new());
    let long = me.companies.len() >= FILTER_FROM;
    let shown = move |c: &CompanyChoice| {
        let wanted = filter.get().to_lowercase();
        wanted.is_empty() || c.name.to_lowercase().contains(wanted.trim())
    };
    view! {
        <nav class="context-bar" aria-label="Where you act">
            {if me.companies.len() == 1 {
                // One company (a Customer-type user, say): nothing to choose.
                view! {
                    <p class="context-single">
                        "Acting in " <strong>{me.companies[0].name.clone()}</strong>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <ActionForm action=switch attr:class="context-form">
                        <label for="context-company">"Acting in"</label>
                        {long.then(|| view! {
                            <input type="search" class="context-filter" placeholder="Filter companies"
                                aria-label="Filter companies" aria-controls="context-company"
                                on:input=move |ev| filter.set(event_target_value(&ev)) />
                        })}
                        <select id="context-company" name="company_id">
                            {me.companies.iter().map(|c| {
                                let c = c.clone();
                                let id = c.id;
                                view! {
                                    <option value=id.to_string() selected=Some(id) == acting_id
                                        hidden=move || !shown(&c) && Some(id) != acting_id>
                                        {c.name.clone()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button-small" disabled=move || switch.pending().get()>
                            "Switch"
                        </button>
                        {move || error().map(|m| view! { <span class="error" role="alert">{m}</span> })}
                    </ActionForm>
                }
                .into_any()
            }}
        </nav>
    }
}
