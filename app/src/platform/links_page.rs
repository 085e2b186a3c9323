//! Vendor links by consent, at
//! `/vendor-links` for a customer's or a vendor's Administrators (ask,
//! consent, decline, end a link) and at `/platform/links` for the
//! platform's staff (complete a consented link, or decline it).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    LinkRequestRow, LinkRequestsPage,
    links_api::{
        CompleteVendorLink, ConsentToLink, DeclineLink, RequestVendorLink, UnlinkVendor,
        vendor_link_requests,
    },
    orgs_page::ConsoleNav,
};
use crate::{
    layout::error_view,
    model::{org::OrgKind, platform::LinkRequestStatus, vendor::VendorTier},
    ui::{
        form::{any_error, saved_message, successes},
        table::{Column, DataTable},
    },
};

/// Every action of the page, so one answer line serves them all.
#[derive(Clone, Copy)]
struct Actions {
    ask: ServerAction<RequestVendorLink>,
    consent: ServerAction<ConsentToLink>,
    decline: ServerAction<DeclineLink>,
    complete: ServerAction<CompleteVendorLink>,
    unlink: ServerAction<UnlinkVendor>,
}

/// Vendor links: requests, consents and the platform's completion.
#[component]
pub fn LinksPage() -> impl IntoView {
    let actions = Actions {
        ask: ServerAction::new(),
        consent: ServerAction::new(),
        decline: ServerAction::new(),
        complete: ServerAction::new(),
        unlink: ServerAction::new(),
    };
    let changes = (
        successes(actions.ask.value()),
        successes(actions.consent.value()),
        successes(actions.decline.value()),
        successes(actions.complete.value()),
        successes(actions.unlink.value()),
    );
    let page = Resource::new(
        move || {
            (
                changes.0.get(),
                changes.1.get(),
                changes.2.get(),
                changes.3.get(),
                changes.4.get(),
            )
        },
        |_| vendor_link_requests(),
    );
    let said = move || {
        saved_message(actions.ask.value())()
            .or_else(saved_message(actions.consent.value()))
            .or_else(saved_message(actions.decline.value()))
            .or_else(saved_message(actions.complete.value()))
            .or_else(saved_message(actions.unlink.value()))
    };
    let failed = move || {
        any_error(actions.ask.value())()
            .or_else(any_error(actions.consent.value()))
            .or_else(any_error(actions.decline.value()))
            .or_else(any_error(actions.complete.value()))
            .or_else(any_error(actions.unlink.value()))
    };
    view! {
        <Title text="Vendor links" />
        <Transition fallback=|| view! { <p class="muted">"Loading vendor links…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Links page actions /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <p class="success" role="status">{said}</p>
        {move || failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
    }
}

#[component]
fn Links(page: LinkRequestsPage, actions: Actions) -> impl IntoView {
    let as_platform = page.as_platform;
    let customer_side = page.customer_side;
    let pending: Vec<LinkRequestRow> = page
        .requests
        .iter()
        .filter(|r| r.status == LinkRequestStatus::Pending)
        .cloned()
        .collect();
    let past: Vec<LinkRequestRow> = page
        .requests
        .into_iter()
        .filter(|r| r.status != LinkRequestStatus::Pending)
        .collect();
    let intro = if as_platform {
        "Links both sides consented to wait for you: verify them (a call to each side's Administrator), then complete the link at a starting Vendor Access no higher than the customer agreed to."
    } else {
        "A customer and a vendor are linked when both sides' Administrators consent and the platform's support team verifies it. Either side may end a link at any time."
    };
    view! {
        {as_platform.then(|| view! { <ConsoleNav current="/platform/links" /> })}
        <div class="page-head"><h1>"Vendor links"</h1></div>
        <p class="muted">{intro}</p>
        <section class="card" aria-labelledby="pending-links-heading">
            <h2 id="pending-links-heading">"Pending requests"</h2>
            {if pending.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=vec!["Customer".into(), "Vendor".into(), "Consents".into(), "Highest access agreed".into(), "Asked".into(), Column::hidden("Actions")]>
                        {pending.into_iter().map(|r| view! { <PendingLine row=r as_platform customer_side actions /> }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
        {(!as_platform).then(|| view! { <Ask page_others=page.others.clone() customer_side actions /> })}
        {(!as_platform && !page.linked.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="linked-heading">
                <h2 id="linked-heading">"Linked now"</h2>
                <ul class="plain-list">
                    {page.linked.clone().into_iter().map(|(id, name)| view! {
                        <li>
                            <ActionForm action=actions.unlink attr:class="inline-form">
                                <input type="hidden" name="other" value=id.to_string() />
                                <span>{name.clone()}</span>" "
                                <button type="submit" class="button button-secondary button-small"
                                    aria-label=format!("End link with {name}")>"End link"</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!past.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="past-links-heading">
                <h2 id="past-links-heading">"Earlier requests"</h2>
                <DataTable columns=vec!["Customer".into(), "Vendor".into(), "Outcome".into(), "Asked".into()]>
                    {past.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.customer}</th>
                            <td>{r.vendor}</td>
                            <td>{r.status.label()}</td>
                            <td>{r.at}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            </section>
        })}
    }
}

#[component]
fn PendingLine(
    row: LinkRequestRow,
    as_platform: bool,
    customer_side: bool,
    actions: Actions,
) -> impl IntoView {
    let consents = match (row.customer_consented, row.vendor_consented) {
        (true, true) => "Both sides",
        (true, false) => "Customer; the vendor's is awaited",
        (false, true) => "Vendor; the customer's is awaited",
        (false, false) => "None",
    };
    let both = row.customer_consented && row.vendor_consented;
    let (id, version) = (row.id, row.version);
    let agreed = row.max_tier;
    // Which side the reader is: the side that has not consented yet may.
    let tools = if as_platform {
        view! {
            {both.then(|| view! {
                <ActionForm action=actions.complete attr:class="inline-form">
                    <input type="hidden" name="request_id" value=id.to_string() />
                    <input type="hidden" name="version" value=version />
                    <label for=format!("complete-tier-{id}")>"Start at"</label>
                    <select id=format!("complete-tier-{id}") name="tier">
                        {VendorTier::ALL.into_iter().filter(|t| Some(*t) <= agreed).map(|t| view! {
                            <option value=t.key() selected=Some(t) == agreed>{t.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button-small">"Complete link"</button>
                </ActionForm>
            })}
            <ActionForm action=actions.decline attr:class="inline-form">
                <input type="hidden" name="request_id" value=id.to_string() />
                <input type="hidden" name="version" value=version />
                <button type="submit" class="button button-secondary button-small">"Decline"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        let mine_awaited = if customer_side {
            !row.customer_consented
        } else {
            !row.vendor_consented
        };
        view! {
            {mine_awaited.then(|| view! { <ConsentForm id version customer_side actions /> })}
            <ActionForm action=actions.decline attr:class="inline-form">
                <input type="hidden" name="request_id" value=id.to_string() />
                <input type="hidden" name="version" value=version />
                <button type="submit" class="button button-secondary button-small">"Decline or withdraw"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <tr>
            <th scope="row">{row.customer}</th>
            <td>{row.vendor}</td>
            <td>{consents}</td>
            <td>{row.max_tier.map_or("—", VendorTier::label)}</td>
            <td>{format!("by the {} · {}", if row.asked_by == OrgKind::Customer { "customer" } else { "vendor" }, row.at)}</td>
            <td>{tools}</td>
        </tr>
    }
}

/// The reader's side's consent; a customer's names the highest access.
#[component]
fn ConsentForm(
    id: crate::model::ids::LinkRequestId,
    version: i32,
    customer_side: bool,
    actions: Actions,
) -> impl IntoView {
    view! {
        <ActionForm action=actions.consent attr:class="inline-form">
            <input type="hidden" name="request_id" value=id.to_string() />
            <input type="hidden" name="version" value=version />
            {if customer_side {
                view! {
                    <label for=format!("consent-tier-{id}")>"Highest access"</label>
                    <select id=format!("consent-tier-{id}") name="max_tier">
                        {VendorTier::ALL.into_iter().map(|t| view! {
                            <option value=t.key() selected=t == VendorTier::Limited>{t.label()}</option>
                        }).collect_view()}
                    </select>
                }
                .into_any()
            } else {
                view! { <input type="hidden" name="max_tier" value="" /> }.into_any()
            }}
            <button type="submit" class="button button-small">"Consent"</button>
        </ActionForm>
    }
}

#[component]
fn Ask(
    page_others: Vec<(crate::model::ids::OrgId, String)>,
    customer_side: bool,
    actions: Actions,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="ask-link-heading">
            <h2 id="ask-link-heading">"Ask for a link"</h2>
            {if page_others.is_empty() {
                view! { <p class="muted">"There is no one else to link with."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=actions.ask>
                        <div class="field">
                            <label for="link-other">"Link with"</label>
                            <select id="link-other" name="other">
                                {page_others.into_iter().map(|(id, name)| view! {
                                    <option value=id.to_string()>{name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {if customer_side {
                            view! {
                                <div class="field">
                                    <label for="link-tier">"Highest Vendor Access you agree to"</label>
                                    <select id="link-tier" name="max_tier">
                                        {VendorTier::ALL.into_iter().map(|t| view! {
                                            <option value=t.key() selected=t == VendorTier::Limited>{t.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            }
                            .into_any()
                        } else {
                            view! { <input type="hidden" name="max_tier" value="" /> }.into_any()
                        }}
                        <button type="submit" class="button">"Ask for the link"</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
    }
}
