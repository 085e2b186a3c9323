//! The vendor's linked-accounts pages (lazily loaded WASM chunks): the
//! accounts with the access each customer granted, and one account's
//! support tickets and claims as far as that access reaches.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    LinkedAccount,
    api::{account_claims, linked_accounts},
};
use crate::{
    error::AppError,
    model::{access::VendorNeed, claim::money, vendor::VendorTier},
};

crate::ui::lazy::lazy_page!(
    /// The linked accounts.
    AccountsRoute => AccountsPage
);

crate::ui::lazy::lazy_page!(
    /// One linked account.
    AccountRoute => AccountPage
);

#[component]
pub fn AccountsPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |_| linked_accounts());
    view! {
        <Title text="Linked accounts" />
        <div class="page-head">
            <h1>"Linked accounts"</h1>
        </div>
        <p class="muted">
            "The customer accounts linked to your vendor. Each customer decides how far you may reach: "
            "the level below is theirs to change."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading accounts…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) if list.is_empty() => view! { <p class="card muted">"No account is linked to your vendor yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="data-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Account"</th>
                                        <th scope="col">"Vendor Access"</th>
                                        <th scope="col">"Created by you"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/accounts/{}", a.id)>{a.name}</a></th>
                                            <td>{a.described}</td>
                                            <td>{if a.vendor_owned { "Yes" } else { "No" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p class="card"><a href="/sign-in">"Sign in"</a>" to see your linked accounts."</p>
                    }
                    .into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let accounts = Resource::new(|| (), |_| linked_accounts());
    view! {
        <Title text="Linked account" />
        <p><a href="/accounts">"← Linked accounts"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the account…"</p> }>
            {move || Suspend::new(async move {
                let wanted = id();
                match accounts.await {
                    Ok(list) => match list.into_iter().find(|a| Some(a.id) == wanted) {
                        Some(account) => view! { <Account account /> }.into_any(),
                        None => view! {
                            <section class="card"><h1>"Account not found"</h1>
                            <p>"No such account is linked to your vendor."</p></section>
                        }
                        .into_any(),
                    },
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Account(account: LinkedAccount) -> impl IntoView {
    let tier = account.tier;
    let reaches = |need: VendorNeed| tier >= need.tier();
    let sees_tickets = reaches(VendorNeed::Ticket {
        help_requested: true,
    });
    let tickets = if sees_tickets {
        let reach = if reaches(VendorNeed::Ticket {
            help_requested: false,
        }) {
            "You see every support ticket of the account, and the claims they reference."
        } else {
            "You see the support tickets where the account asked for your help, and the claims they reference."
        };
        view! {
            <p>{reach}</p>
            <p><a class="button button-secondary" href=format!("/support?account={}", account.id)>"Support tickets"</a></p>
        }
        .into_any()
    } else {
        view! { <p class="muted">"No Access: you see none of this account's tickets or claims."</p> }.into_any()
    };
    let claims =
        reaches(VendorNeed::Claims).then(|| view! { <AccountClaims customer=account.id /> });
    view! {
        <div class="page-head">
            <h1>{account.name.clone()}</h1>
            <span class="badge">{tier.label()}</span>
        </div>
        <section class="card">
            <p>"Vendor Access: " <strong>{account.described}</strong></p>
            <p class="muted">{tier.description()}</p>
            {tickets}
            {(tier < VendorTier::Full).then(|| view! {
                <p class="muted">"All claim data needs Full Access, which only the account's Administrators can grant."</p>
            })}
        </section>
        {claims}
    }
}

#[component]
fn AccountClaims(customer: i64) -> impl IntoView {
    let query = use_query_map();
    let after =
        Memo::new(move |_| query.with(|q| q.get("after").and_then(|v| v.parse::<i64>().ok())));
    let page = Resource::new(
        move || after.get(),
        move |after| account_claims(customer, after),
    );
    view! {
        <section class="card" aria-labelledby="account-claims-heading">
            <h2 id="account-claims-heading">"Claims"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading claims…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.claims.is_empty() => {
                            view! { <p class="muted">"This account has no claims yet."</p> }.into_any()
                        }
                        Ok(page) => {
                            let next = page.next_after.map(|a| view! {
                                <p><a class="button button-secondary" href=format!("/accounts/{customer}?after={a}")>"Older claims"</a></p>
                            });
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Claim"</th>
                                                <th scope="col">"Patient"</th>
                                                <th scope="col">"Service date"</th>
                                                <th scope="col" class="numeric">"Amount"</th>
                                                <th scope="col">"Status"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.claims.into_iter().map(|c| view! {
                                                <tr>
                                                    <th scope="row">{c.number}</th>
                                                    <td>{c.patient}</td>
                                                    <td>{c.service_date}</td>
                                                    <td class="numeric">{money(c.amount_cents)}</td>
                                                    <td>{c.status.label()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {next}
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
