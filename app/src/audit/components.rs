//! The Audit log page and an event's page.
//! The filters are a GET form, so a filtered view is a bookmarkable address.

use crate::model::ids::EventId;
use crate::ui::table::{DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AuditFilters, AuditRow,
    api::{list_audit, load_audit_event},
};
use crate::{error::AppError, ui::url::encode};

fn href(f: &AuditFilters, after: EventId) -> String {
    format!(
        "/audit?actor={}&action={}&user={}&company={}&vendor={}&from={}&to={}&after={after}",
        encode(&f.actor),
        encode(&f.action),
        encode(&f.user),
        encode(&f.company),
        encode(&f.vendor),
        encode(&f.from),
        encode(&f.to)
    )
}

/// The Audit log.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let args = Memo::new(move |_| {
        query.with(|q| {
            let get = |k| q.get(k).unwrap_or_default();
            (
                AuditFilters {
                    actor: get("actor"),
                    action: get("action"),
                    user: get("user"),
                    company: get("company"),
                    vendor: get("vendor"),
                    from: get("from"),
                    to: get("to"),
                },
                q.get("after").and_then(|a| a.parse::<EventId>().ok()),
            )
        })
    });
    let page = Resource::new(
        move || args.get(),
        |(filters, after)| list_audit(filters, after),
    );
    let field = move |get: fn(&AuditFilters) -> &String| move || get(&args.get().0).clone();
    view! {
        <Title text="Audit log" />
        <div class="page-head">
            <h1>"Audit log"</h1>
        </div>
        <p class="muted">"Every change, who made it, where, and as which vendor or for the platform. Nothing here can be edited or deleted."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading the log…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let filters = args.get_untracked().0;
                        let chosen = filters.action.clone();
                        let download = format!(
                            "/audit.csv?actor={}&action={}&user={}&company={}&vendor={}&from={}&to={}",
                            encode(&filters.actor),
                            encode(&filters.action),
                            encode(&filters.user),
                            encode(&filters.company),
                            encode(&filters.vendor),
                            encode(&filters.from),
                            encode(&filters.to)
                        );
                        let next = page.next_after.map(|after| view! {
                            <p><a class="button button-secondary" href=href(&filters, after)>"Older events"</a></p>
                        });
                        view! {
                            <form method="get" action="/audit" class="filter-bar inline-form" aria-label="Filter the log">
                                <label for="audit-actor">"Who"</label>
                                <input id="audit-actor" type="search" name="actor" value=field(|f| &f.actor) autocomplete="off" />
                                <label for="audit-action">"Action"</label>
                                <select id="audit-action" name="action">
                                    <option value="">"Any"</option>
                                    {page.actions.into_iter().map(|a| {
                                        let selected = a == chosen;
                                        let value = a.clone();
                                        view! { <option value=value selected=selected>{a}</option> }
                                    }).collect_view()}
                                </select>
                                <label for="audit-user">"User id"</label>
                                <input id="audit-user" type="text" inputmode="numeric" name="user" size="6" value=field(|f| &f.user) />
                                <label for="audit-company">"Company"</label>
                                <select id="audit-company" name="company">
                                    <option value="">"Any"</option>
                                    {page.companies.into_iter().map(|(id, name)| {
                                        let selected = id.to_string() == filters.company;
                                        view! { <option value=id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                                <label for="audit-vendor">"Vendor"</label>
                                <select id="audit-vendor" name="vendor">
                                    <option value="">"Any"</option>
                                    {page.vendors.into_iter().map(|(id, name)| {
                                        let selected = id.to_string() == filters.vendor;
                                        view! { <option value=id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                                <label for="audit-from">"From"</label>
                                <input id="audit-from" type="date" name="from" value=field(|f| &f.from) />
                                <label for="audit-to">"To"</label>
                                <input id="audit-to" type="date" name="to" value=field(|f| &f.to) />
                                <button type="submit" class="button button-small">"Filter"</button>
                            </form>
                            <p>
                                <a class="button button-secondary" href=download rel="external" download="audit-log.csv">
                                    "Download these events as CSV"
                                </a>
                            </p>
                            {if page.events.is_empty() {
                                view! { <p class="card muted">"No event matches."</p> }.into_any()
                            } else {
                                view! { <AuditTable events=page.events /> }.into_any()
                            }}
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

#[component]
fn AuditTable(events: Vec<AuditRow>) -> impl IntoView {
    view! {
        <DataTable columns=columns(["When", "Who", "Action", "About", "Where"])>
            {events.into_iter().map(|e| view! {
                <tr>
                    <td><a href=format!("/audit/{}", e.id)>{e.when}</a></td>
                    <td>
                        {e.actor}
                        {e.vendor.map(|v| {
                            let side = if e.by_platform { "Platform" } else { "Vendor" };
                            view! { " " <span class="badge">{format!("{side}: {v}")}</span> }
                        })}
                    </td>
                    <td><code>{e.action}</code></td>
                    <td>{e.target}</td>
                    <td>{e.company.or(e.organization).unwrap_or_else(|| "—".to_owned())}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// One audit event.
#[component]
pub fn AuditEventPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<EventId>().ok()));
    let event = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_audit_event(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Audit event" />
        <p><a href="/audit">"← Audit log"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the event…"</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(detail) => {
                        let e = detail.event;
                        view! {
                            <div class="page-head">
                                <h1><code>{e.action.clone()}</code></h1>
                            </div>
                            <dl class="facts">
                                <dt>"When"</dt><dd>{e.when}</dd>
                                <dt>"Who"</dt><dd>{e.actor}{e.vendor.map(|v| {
                                    let side = if e.by_platform { "platform" } else { "vendor" };
                                    format!(" ({side} {v})")
                                })}</dd>
                                <dt>"About"</dt><dd>{e.target}</dd>
                                <dt>"Where"</dt><dd>{e.company.or(e.organization).unwrap_or_else(|| "—".to_owned())}</dd>
                                <dt>"Request"</dt><dd>{detail.request_id.unwrap_or_else(|| "—".to_owned())}</dd>
                            </dl>
                            <section class="card" aria-labelledby="changes-heading">
                                <h2 id="changes-heading">"What changed"</h2>
                                {if detail.changes.is_empty() {
                                    view! { <p class="muted">"No field values were recorded for this event."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="data-table">
                                            <thead><tr>
                                                <th scope="col">"Field"</th>
                                                <th scope="col">"Before"</th>
                                                <th scope="col">"After"</th>
                                            </tr></thead>
                                            <tbody>
                                                {detail.changes.into_iter().map(|c| view! {
                                                    <tr>
                                                        <th scope="row">{c.field}</th>
                                                        <td class="wraps"><del>{c.before.unwrap_or_default()}</del></td>
                                                        <td class="wraps"><ins>{c.after.unwrap_or_default()}</ins></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }
                                    .into_any()
                                }}
                            </section>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"Event not found"</h1>
                        <p>"There is no such event in the logs you may read."</p></section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}
