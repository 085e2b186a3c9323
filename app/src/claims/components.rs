//! The Claims list and a claim's page. What is offered follows the model:
//! an action shows only with its permission and when it fits the claim's
//! status; the server checks both again.

use crate::model::ids::ClaimId;
use crate::ui::table::{Column, DataTable};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ClaimDetail, ClaimRow, ClaimsPage,
    api::{ActOnClaim, ClaimFilters, EditClaim, ExportClaims, list_claims, load_claim},
};
use crate::{
    error::AppError,
    model::{
        claim::{ClaimAction, ClaimStatus, money},
        permission::Permission,
        validation::Field,
    },
    ui::form::{TextField, any_error, field_errors, form_error},
};

use crate::ui::url::{csv_download, encode};

fn href(f: &ClaimFilters, after: Option<ClaimId>) -> String {
    let mut href = format!(
        "/claims?status={}&payer={}&from={}&to={}&min={}&max={}",
        encode(&f.status),
        encode(&f.payer),
        encode(&f.from),
        encode(&f.to),
        encode(&f.min),
        encode(&f.max)
    );
    if let Some(after) = after {
        href.push_str(&format!("&after={after}"));
    }
    href
}

/// The Claims list.
#[component]
pub fn ClaimsListPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            (
                ClaimFilters {
                    status: q.get("status").unwrap_or_default(),
                    payer: q.get("payer").unwrap_or_default(),
                    from: q.get("from").unwrap_or_default(),
                    to: q.get("to").unwrap_or_default(),
                    min: q.get("min").unwrap_or_default(),
                    max: q.get("max").unwrap_or_default(),
                },
                q.get("after").and_then(|a| a.parse::<ClaimId>().ok()),
            )
        })
    });
    let page = Resource::new(move || filters.get(), |(f, after)| list_claims(f, after));
    view! {
        <Title text="Claims" />
        <h1>"Claims"</h1>
        <Show when=move || query.with(|q| q.get("deleted").is_some())>
            <p class="notice" role="status">"The claim has been deleted."</p>
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading claims…"</p> }>
            {move || Suspend::new(async move {
                let (f, after) = filters.get_untracked();
                match page.await {
                    Ok(page) => view! { <ClaimsList page f after /> }.into_any(),
                    Err(AppError::Invalid(errors)) => view! {
                        <p class="error" role="alert">{errors.0.values().cloned().collect::<Vec<_>>().join(" ")}</p>
                        <a href="/claims">"Show all claims"</a>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClaimsList(page: ClaimsPage, f: ClaimFilters, after: Option<ClaimId>) -> impl IntoView {
    let export = ServerAction::<ExportClaims>::new();
    let export_error = any_error(export.value());
    let download = move || match export.value().get() {
        Some(Ok(csv)) => Some(csv_download(&csv)),
        _ => None,
    };
    let can_export = page.permissions.contains(Permission::ClaimsExport);
    let count = match page.total {
        1 => "1 claim".to_owned(),
        n => format!("{n} claims"),
    };
    let next = page.next_after.map(|id| href(&f, Some(id)));
    let first = after.map(|_| href(&f, None));
    let export_filters = f.clone();
    view! {
        <p class="muted">{format!("In {}.", page.company)}</p>
        <form method="GET" action="/claims" class="filters" role="search">
            <div class="field">
                <label for="claims-status">"Status"</label>
                <select id="claims-status" name="status">
                    <option value="" selected=f.status.is_empty()>"Any status"</option>
                    {ClaimStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=f.status == s.key()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="claims-payer">"Payer"</label>
                <select id="claims-payer" name="payer">
                    <option value="" selected=f.payer.is_empty()>"Any payer"</option>
                    {page.payers.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=f.payer == id.to_string()>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="claims-from">"Service from"</label>
                <input id="claims-from" name="from" type="date" value=f.from.clone() />
            </div>
            <div class="field">
                <label for="claims-to">"Service to"</label>
                <input id="claims-to" name="to" type="date" value=f.to.clone() />
            </div>
            <div class="field">
                <label for="claims-min">"Amount from ($)"</label>
                <input id="claims-min" name="min" inputmode="decimal" size="8" value=f.min.clone() />
            </div>
            <div class="field">
                <label for="claims-max">"Amount to ($)"</label>
                <input id="claims-max" name="max" inputmode="decimal" size="8" value=f.max.clone() />
            </div>
            <button type="submit" class="button">"Filter"</button>
        </form>
        <div class="list-head">
            <p id="claims-count" class="muted" role="status">{count}</p>
            {can_export.then(|| view! {
                <button type="button" class="button button-secondary button-small"
                    on:click=move |_| { export.dispatch(ExportClaims { filters: export_filters.clone() }); }>
                    "Export to CSV"
                </button>
                {move || download().map(|url| view! {
                    <a class="button button-small" href=url download="claims.csv">"Download claims.csv"</a>
                })}
                {move || export_error().map(|m| view! { <span class="error" role="alert">{m}</span> })}
            })}
        </div>
        {if page.claims.is_empty() {
            view! { <section class="card"><p>"No claim matches these filters."</p></section> }.into_any()
        } else {
            view! {
                <DataTable columns=vec!["Claim".into(), "Patient".into(), "Payer".into(), "Service date".into(), Column::numeric("Amount"), "Status".into()]>
                    {page.claims.into_iter().map(|c| view! { <ClaimLine c /> }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"First page"</a> })}
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    }
}

#[component]
fn ClaimLine(c: ClaimRow) -> impl IntoView {
    view! {
        <tr>
            <th scope="row"><a href=format!("/claims/{}", c.id)>{c.number}</a></th>
            <td>{c.patient}</td>
            <td>{c.payer.unwrap_or_else(|| "—".to_owned())}</td>
            <td>{c.service_date}</td>
            <td class="numeric">{money(c.amount_cents)}</td>
            <td>{c.status.label()}</td>
        </tr>
    }
}

/// One claim.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<ClaimId>().ok()));
    let edit = ServerAction::<EditClaim>::new();
    let act = ServerAction::<ActOnClaim>::new();
    let claim = Resource::new(
        move || (id(), edit.version().get(), act.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => load_claim(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Claim" />
        <p><a href="/claims">"← All claims"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the claim…"</p> }>
            {move || Suspend::new(async move {
                match claim.await {
                    Ok(detail) => view! { <Claim detail edit act /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"Claim not found"</h1>
                        <p>"There is no such claim in the company you act in."</p></section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Claim(
    detail: ClaimDetail,
    edit: ServerAction<EditClaim>,
    act: ServerAction<ActOnClaim>,
) -> impl IntoView {
    let c = detail.claim;
    let may = |action: ClaimAction| {
        detail.permissions.contains(action.permission()) && action.fits(c.status).is_ok()
    };
    let edit_result = edit.value();
    let error_for = field_errors(edit_result);
    let message = move || match (act.value().get(), edit_result.get()) {
        (Some(Ok(m)), _) | (_, Some(Ok(m))) => Some(m),
        _ => None,
    };
    let act_error = any_error(act.value());
    let buttons: Vec<ClaimAction> = [
        ClaimAction::PostPayment,
        ClaimAction::Refund,
        ClaimAction::Delete,
    ]
    .into_iter()
    .filter(|a| may(*a))
    .collect();
    let editable = may(ClaimAction::Edit);
    let amount = format!("{}.{:02}", c.amount_cents / 100, c.amount_cents % 100);
    view! {
        <h1>{format!("Claim {}", c.number)}</h1>
        <p class="muted">{format!("In {}.", detail.company)}</p>
        <p class="success" role="status">{message}</p>
        {move || act_error().or_else(form_error(edit_result)).map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <section class="card" aria-labelledby="claim-heading">
            <h2 id="claim-heading">"Details"</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd>{c.status.label()}</dd>
                <dt>"Patient"</dt><dd>{c.patient.clone()}</dd>
                <dt>"Payer"</dt><dd>{c.payer.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Service date"</dt><dd>{c.service_date.clone()}</dd>
                <dt>"Amount"</dt><dd>{money(c.amount_cents)}</dd>
            </dl>
            {(!buttons.is_empty()).then(|| view! {
                <div class="claim-actions" role="group" aria-label="Claim actions">
                    {buttons.into_iter().map(|a| {
                        let key = match a {
                            ClaimAction::PostPayment => "post_payment",
                            ClaimAction::Refund => "refund",
                            _ => "delete",
                        };
                        let class = if a == ClaimAction::Delete { "button button-danger" } else { "button" };
                        view! {
                            <ActionForm action=act>
                                <input type="hidden" name="claim_id" value=c.id.to_string() />
                                <input type="hidden" name="version" value=c.version />
                                <input type="hidden" name="action" value=key />
                                <button type="submit" class=class>{a.label()}</button>
                            </ActionForm>
                        }
                    }).collect_view()}
                </div>
            })}
        </section>
        {editable.then(|| view! {
            <section class="card" aria-labelledby="claim-edit-heading">
                <h2 id="claim-edit-heading">"Change the claim"</h2>
                <ActionForm action=edit>
                    <input type="hidden" name="claim_id" value=c.id.to_string() />
                    <input type="hidden" name="version" value=c.version />
                    <TextField id="claim-patient" name="patient" label="Patient" autocomplete="off"
                        value=c.patient.clone() error=error_for(Field::Patient) />
                    <TextField id="claim-date" name="service_date" label="Service date" kind="date"
                        value=c.service_date.clone() error=error_for(Field::ServiceDate) />
                    <TextField id="claim-amount" name="amount" label="Amount ($)" autocomplete="off"
                        value=amount.clone() error=error_for(Field::Amount) />
                    <button type="submit" class="button">{ClaimAction::Edit.label()}</button>
                </ActionForm>
            </section>
        })}
    }
}
