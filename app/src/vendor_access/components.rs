//! The Settings page with its Vendor Settings section: each linked vendor's
//! access level, the form to change it for good or for a while, and the
//! history of changes.

use crate::model::ids::VendorId;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    VendorSetting, VendorSettingsPage,
    api::{RevertVendorAccess, SetVendorAccess, vendor_settings},
};
use crate::{
    model::{
        validation::Field,
        vendor::{GrantLength, VendorTier},
    },
    ui::form::{form_error, server_field_errors, successes},
};

/// Settings › Account Settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let set = ServerAction::<SetVendorAccess>::new();
    let revert = ServerAction::<RevertVendorAccess>::new();
    let reloads = RwSignal::new(0);
    let (changed, ended) = (successes(set.value()), successes(revert.value()));
    let page = Resource::new(
        move || (changed.get(), ended.get(), reloads.get()),
        |_| vendor_settings(),
    );
    // Which vendor's form was sent last, and whether it was "end now", so
    // the message of that action shows beside that vendor.
    let sent_for = RwSignal::new(None::<(VendorId, Sent)>);
    view! {
        <Title text="Settings" />
        <crate::layout::SettingsNav current="/settings" />
        <div class="page-head">
            <h1>"Settings"</h1>
        </div>
        <h2 class="section-title">"Account Settings"</h2>
        <crate::roles::service_type::ServiceTypeCard />
        <Transition fallback=|| view! { <p class="muted">"Loading the settings…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <VendorSettings page set revert sent_for reloads /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Change,
    EndNow,
}

#[component]
fn VendorSettings(
    page: VendorSettingsPage,
    set: ServerAction<SetVendorAccess>,
    revert: ServerAction<RevertVendorAccess>,
    sent_for: RwSignal<Option<(VendorId, Sent)>>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let may_change = page.may_change;
    view! {
        <section class="card" aria-labelledby="vendor-settings-heading">
            <h3 id="vendor-settings-heading">"Vendor Settings"</h3>
            <p class="muted">
                "How far each vendor linked to " {page.organization.clone()}
                " may reach into your account. A change takes effect on the vendor's next request."
            </p>
            <ul class="tier-help">
                {VendorTier::ALL
                    .into_iter()
                    .map(|t| view! { <li><strong>{t.label()}</strong>": " {t.description()}</li> })
                    .collect_view()}
            </ul>
            {(!may_change).then(|| view! {
                <p class="notice">"Only your Administrators can change Vendor Access."</p>
            })}
            {may_change.then(|| view! {
                <p>
                    <a class="button button-secondary" href="/vendor-links">"Link a vendor"</a>
                    " "<span class="muted">"Ask a vendor for a link, answer a vendor's request, or end a link."</span>
                </p>
            })}
            {if page.vendors.is_empty() {
                view! { <p class="muted">"No vendor is linked to your account."</p> }.into_any()
            } else {
                page.vendors
                    .into_iter()
                    .map(|v| view! { <VendorLine v may_change set revert sent_for reloads /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn VendorLine(
    v: VendorSetting,
    may_change: bool,
    set: ServerAction<SetVendorAccess>,
    revert: ServerAction<RevertVendorAccess>,
    sent_for: RwSignal<Option<(VendorId, Sent)>>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let id = v.vendor_id;
    // The line whose form was sent; without JavaScript nothing records it
    // (the answer comes back in the URL), and the answer shows on each line.
    let mine = move || sent_for.get().is_none_or(|(v, _)| v == id);
    let sent = move || sent_for.get().map(|(_, sent)| sent);
    let errors = server_field_errors(set.value());
    let error_for = move |field: Field| {
        move || {
            mine()
                .then(|| errors().and_then(|e| e.get(field).map(str::to_owned)))
                .flatten()
        }
    };
    let set_error = form_error(set.value());
    let revert_error = form_error(revert.value());
    let message = move || {
        if !mine() {
            return None;
        }
        let (result, failed) = match sent() {
            Some(Sent::EndNow) => (revert.value().get(), revert_error()),
            _ => (set.value().get(), set_error()),
        };
        if let Some(Ok(m)) = result {
            return Some(view! { <p class="success" role="status">{m}</p> }.into_any());
        }
        let failed = failed?;
        Some(
            view! {
                <p class="error" role="alert">{failed}" "
                    <button type="button" class="button button-secondary button-small"
                        on:click=move |_| reloads.update(|n| *n += 1)>"Reload"</button>
                </p>
            }
            .into_any(),
        )
    };
    let tier_id = format!("vendor-{id}-tier");
    let length_id = format!("vendor-{id}-length");
    let until_id = format!("vendor-{id}-until");
    let back_id = format!("vendor-{id}-reverts-to");
    let current = v.grant.tier;
    let vendor = v.vendor.clone();
    let version = v.version;
    let form = may_change.then(move || {
        view! {
            <ActionForm action=set attr:class="vendor-form" on:submit=move |_| sent_for.set(Some((id, Sent::Change)))>
                <input type="hidden" name="vendor_id" value=id.to_string() />
                <input type="hidden" name="version" value=version />
                <div class="field">
                    <label for=tier_id.clone()>{format!("Vendor Access for {vendor}")}</label>
                    <select id=tier_id name="tier">
                        {VendorTier::ALL
                            .into_iter()
                            .map(|t| view! { <option value=t.key() selected=t == current>{t.label()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error">{error_for(Field::Tier)}</p>
                </div>
                <div class="field">
                    <label for=length_id.clone()>"For how long"</label>
                    <select id=length_id name="length">
                        {GrantLength::ALL
                            .into_iter()
                            .map(|l| view! { <option value=l.key()>{l.label()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error">{error_for(Field::GrantLength)}</p>
                </div>
                <div class="field">
                    <label for=until_id.clone()>"Until (for “Until a date”)"</label>
                    <input id=until_id type="date" name="until" />
                    <p class="field-error">{error_for(Field::Until)}</p>
                </div>
                <div class="field">
                    <label for=back_id.clone()>"Then back to (for a limited time)"</label>
                    <select id=back_id name="reverts_to">
                        {VendorTier::ALL
                            .into_iter()
                            .take(3)
                            .map(|t| view! { <option value=t.key() selected=t == VendorTier::Limited>{t.label()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error">{error_for(Field::RevertsTo)}</p>
                </div>
                <button type="submit" class="button">"Save"</button>
            </ActionForm>
        }
    });
    let end_now = (may_change && v.temporary).then(|| {
        view! {
            <ActionForm action=revert attr:class="inline-form" on:submit=move |_| sent_for.set(Some((id, Sent::EndNow)))>
                <input type="hidden" name="vendor_id" value=id.to_string() />
                <input type="hidden" name="version" value=v.version />
                <button type="submit" class="button button-secondary">
                    {format!("End now: back to {}", v.grant.reverts_to)}
                </button>
            </ActionForm>
        }
    });
    let history = v.history;
    view! {
        <article class="vendor-setting" aria-labelledby=format!("vendor-{id}-name")>
            <h4 id=format!("vendor-{id}-name")>
                {v.vendor.clone()}
                {v.vendor_owned.then(|| view! { " " <span class="badge">"Created your account"</span> })}
            </h4>
            <p>"Access now: " <strong data-testid="vendor-access-now">{v.described}</strong></p>
            {message}
            {form}
            {end_now}
            <details class="history">
                <summary>{format!("History ({} changes)", history.len())}</summary>
                {if history.is_empty() {
                    view! { <p class="muted">"Not changed since the vendor was linked."</p> }.into_any()
                } else {
                    view! {
                        <ol class="history-list">
                            {history
                                .into_iter()
                                .map(|h| view! { <li><time>{h.when}</time>" · "{h.who}": "{h.what}</li> })
                                .collect_view()}
                        </ol>
                    }
                    .into_any()
                }}
            </details>
        </article>
    }
}
