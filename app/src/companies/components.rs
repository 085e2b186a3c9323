//! The Companies page.

use crate::model::ids::CompanyId;
use crate::ui::table::{DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    CompanyRow,
    api::{CreateCompany, UpdateCompany, list_companies},
};
use crate::{
    error::AppError,
    model::validation::Field,
    ui::form::{TextField, field_errors, form_error},
};

/// The Companies page.
#[component]
pub fn CompaniesPage() -> impl IntoView {
    let create = ServerAction::<CreateCompany>::new();
    let update = ServerAction::<UpdateCompany>::new();
    let reloads = RwSignal::new(0);
    let companies = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                reloads.get(),
            )
        },
        |_| list_companies(),
    );
    // Which row was saved last, so its message shows beside it.
    let saved_row = RwSignal::new(None::<CompanyId>);
    view! {
        <Title text="Companies" />
        <div class="page-head">
            <h1>"Companies"</h1>
        </div>
        <p class="muted">
            "Your parent company and its children. Users act in one company at a time; "
            "nobody acts in an inactive company, and its data is kept."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading companies…"</p> }>
            {move || Suspend::new(async move {
                match companies.await {
                    Ok(rows) => view! {
                        <DataTable columns=columns(["Company", "Kind", "Standard users", "Name and status"])>
                            {rows.into_iter().map(|c| view! { <CompanyLine c update saved_row reloads /> }).collect_view()}
                        </DataTable>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
        <NewCompany create />
    }
}

#[component]
fn CompanyLine(
    c: CompanyRow,
    update: ServerAction<UpdateCompany>,
    saved_row: RwSignal<Option<CompanyId>>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let id = c.id;
    let mine = move || saved_row.get() == Some(id);
    let result = update.value();
    let message = move || {
        if !mine() {
            return None;
        }
        match result.get() {
            Some(Ok(m)) => {
                Some(view! { <span class="success" role="status">{m}</span> }.into_any())
            }
            Some(Err(AppError::Invalid(errors))) => {
                let text = errors.0.values().cloned().collect::<Vec<_>>().join(" ");
                Some(view! { <span class="error" role="alert">{text}</span> }.into_any())
            }
            Some(Err(AppError::Conflict(m))) => Some(
                view! {
                    <span class="error" role="alert">{m}" "
                        <button type="button" class="button button-secondary button-small"
                            on:click=move |_| reloads.update(|n| *n += 1)>"Reload"</button>
                    </span>
                }
                .into_any(),
            ),
            Some(Err(e)) => {
                Some(view! { <span class="error" role="alert">{e.to_string()}</span> }.into_any())
            }
            None => None,
        }
    };
    let name_id = format!("company-{id}-name");
    let status_id = format!("company-{id}-status");
    view! {
        <tr>
            <th scope="row">
                {c.name.clone()}
                {(!c.active).then(|| view! { " " <span class="badge badge-warning">"Inactive"</span> })}
            </th>
            <td>{if c.parent { "Parent" } else { "Child" }}</td>
            <td>{c.members}</td>
            <td>
                <ActionForm action=update attr:class="inline-form" on:submit=move |_| saved_row.set(Some(id))>
                    <input type="hidden" name="company_id" value=id.to_string() />
                    <input type="hidden" name="version" value=c.version />
                    <label for=name_id.clone() class="visually-hidden">{format!("Name of {}", c.name)}</label>
                    <input id=name_id type="text" name="name" value=c.name.clone() autocomplete="off" />
                    <label for=status_id.clone() class="visually-hidden">{format!("Status of {}", c.name)}</label>
                    <select id=status_id name="status" disabled=c.parent>
                        <option value="active" selected=c.active>"Active"</option>
                        <option value="inactive" selected=!c.active>"Inactive"</option>
                    </select>
                    // A disabled select is not sent: the parent always stays active.
                    {c.parent.then(|| view! { <input type="hidden" name="status" value="active" /> })}
                    <button type="submit" class="button button-small" aria-label=format!("Save {}", c.name)>"Save"</button>
                    {message}
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn NewCompany(create: ServerAction<CreateCompany>) -> impl IntoView {
    let result = create.value();
    let name_error = field_errors(result)(Field::CompanyName);
    let added = move || match result.get() {
        Some(Ok(m)) => Some(m),
        _ => None,
    };
    let pending = create.pending();
    view! {
        <section class="card" aria-labelledby="new-company-heading">
            <h2 id="new-company-heading">"Add a child company"</h2>
            <ActionForm action=create>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="new-company-name" name="name" label="Name" autocomplete="off" error=name_error />
                <button type="submit" class="button" disabled=move || pending.get()>"Add company"</button>
                <p class="success" role="status">{added}</p>
            </ActionForm>
        </section>
    }
}
