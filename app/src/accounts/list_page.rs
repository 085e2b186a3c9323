//! Manage Accounts: the customer accounts linked to the vendor, with the
//! access each granted.

use crate::model::ids::OrgId;
use crate::ui::table::{DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::linked_accounts;
use crate::ui::url::encode;

/// Manage Accounts.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let args = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("search").unwrap_or_default(),
                q.get("after").and_then(|v| v.parse::<OrgId>().ok()),
            )
        })
    });
    let accounts = Resource::new(
        move || args.get(),
        |(search, after)| linked_accounts(search, after),
    );
    view! {
        <Title text="Manage Accounts" />
        <div class="page-head">
            <h1>"Manage Accounts"</h1>
        </div>
        <p class="muted">
            "The customer accounts linked to your vendor. Each customer decides how far you may reach: "
            "the level below is theirs to change."
        </p>
        <form method="get" action="/accounts" class="inline-form filter-bar">
            <label for="accounts-search">"Search accounts"</label>
            <input id="accounts-search" type="search" name="search" value=move || args.get().0 autocomplete="off" />
            <button type="submit" class="button button-small">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading accounts…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(page) if page.accounts.is_empty() => {
                        // Adding stays offered when nothing is listed yet.
                        let add = page.may_add.then(|| view! {
                            <p>
                                <a class="button" href="/accounts/new">"Add new account"</a>" "
                                <a class="button button-secondary" href="/vendor-links">"Link an existing account"</a>
                            </p>
                        });
                        let search = args.get_untracked().0;
                        let empty = if search.trim().is_empty() {
                            "No customer account is linked to your vendor yet.".to_owned()
                        } else {
                            format!("No linked account matches “{}”.", search.trim())
                        };
                        view! {
                            {add}
                            <p class="card muted">{empty}</p>
                        }
                        .into_any()
                    }
                    Ok(page) => {
                        let add = page.may_add.then(|| view! {
                            <p>
                                <a class="button" href="/accounts/new">"Add new account"</a>" "
                                <a class="button button-secondary" href="/vendor-links">"Link an existing account"</a>
                            </p>
                        });
                        let search = args.get_untracked().0;
                        let next = page.next_after.map(|after| view! {
                            <p><a class="button button-secondary"
                                href=format!("/accounts?search={}&after={after}", encode(&search))>"More accounts"</a></p>
                        });
                        view! {
                            {add}
                            <p class="muted">{format!("{} linked accounts", page.total)}</p>
                            <DataTable columns=columns(["Account", "Vendor Access", "Status", "Plan", "Created by you"])>
                                {page.accounts.into_iter().map(|a| view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/accounts/{}", a.id)>{a.name}</a></th>
                                        <td>{a.described}</td>
                                        <td>{if a.set_up { "Active" } else { "Awaiting setup" }}</td>
                                        <td>{a.plan.label()}</td>
                                        <td>{if a.vendor_owned { "Yes" } else { "No" }}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                            {next}
                        }
                        .into_any()
                    }
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}
