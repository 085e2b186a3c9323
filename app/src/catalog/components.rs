//! The Payers and facilities page.

use crate::model::ids::{CompanyId, EntryId};
use crate::ui::table::{DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    CatalogView, CopyPlan, Entry,
    api::{CopyDown, DeleteEntry, PlanCopy, SaveEntry, list_catalog},
};
use crate::{
    model::catalog::Catalog,
    ui::{confirm::ConfirmSubmit, form::any_error},
};

/// The actions of one list, shared by its rows and forms.
#[derive(Clone, Copy)]
struct ListActions {
    save: ServerAction<SaveEntry>,
    delete: ServerAction<DeleteEntry>,
    plan: ServerAction<PlanCopy>,
    copy: ServerAction<CopyDown>,
}

impl ListActions {
    fn new() -> Self {
        Self {
            save: ServerAction::new(),
            delete: ServerAction::new(),
            plan: ServerAction::new(),
            copy: ServerAction::new(),
        }
    }

    fn version(self) -> usize {
        self.save.version().get() + self.delete.version().get() + self.copy.version().get()
    }
}

/// The Payers and facilities page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let payers = ListActions::new();
    let facilities = ListActions::new();
    let view_data = Resource::new(
        move || (payers.version(), facilities.version()),
        |_| list_catalog(),
    );
    view! {
        <Title text="Payers and facilities" />
        <h1>"Payers and facilities"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(v) => view! { <Lists v payers facilities /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Lists(v: CatalogView, payers: ListActions, facilities: ListActions) -> impl IntoView {
    let intro = if v.manage {
        format!(
            "In {}, the parent company: you keep these lists here and copy entries down to child companies.",
            v.company
        )
    } else {
        format!(
            "In {}. Administrators keep these lists at the parent company and copy them down; a copy says where it comes from.",
            v.company
        )
    };
    view! {
        <p class="muted">{intro}</p>
        <List catalog=Catalog::Payers entries=v.payers.clone() manage=v.manage children=v.children.clone() actions=payers />
        <List catalog=Catalog::Facilities entries=v.facilities manage=v.manage children=v.children actions=facilities />
    }
}

#[component]
fn List(
    catalog: Catalog,
    entries: Vec<Entry>,
    manage: bool,
    children: Vec<(CompanyId, String)>,
    actions: ListActions,
) -> impl IntoView {
    let key = catalog.key();
    let heading = format!("{key}-heading");
    let labelled_by = heading.clone();
    let saved = move || match actions.save.value().get() {
        Some(Ok(m)) => Some(m),
        _ => match actions.delete.value().get() {
            Some(Ok(m)) => Some(m),
            _ => None,
        },
    };
    let save_error = any_error(actions.save.value());
    let delete_error = any_error(actions.delete.value());
    let empty = entries.is_empty();
    let copy_card = (manage && !entries.is_empty() && !children.is_empty())
        .then(|| view! { <CopyDownCard catalog entries=entries.clone() children actions /> });
    view! {
        <section class="card card-wide" aria-labelledby=labelled_by>
            <h2 id=heading>{catalog.title()}</h2>
            <p class="success" role="status">{saved}</p>
            {move || save_error().or_else(delete_error).map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {if empty {
                view! { <p class="muted">{format!("No {} here yet.", catalog.title().to_lowercase())}</p> }.into_any()
            } else {
                let mut headings = columns(["Name", catalog.detail_label(), "Source"]);
                headings.extend(manage.then(|| "Change".into()));
                view! {
                    <DataTable columns=headings>
                        {entries.into_iter().map(|e| view! { <EntryRow catalog e manage actions /> }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
            {manage.then(|| view! { <NewEntry catalog actions /> })}
            {copy_card}
        </section>
    }
}

#[component]
fn EntryRow(catalog: Catalog, e: Entry, manage: bool, actions: ListActions) -> impl IntoView {
    let key = catalog.key();
    let name_id = format!("{key}-{}-name", e.id);
    let detail_id = format!("{key}-{}-detail", e.id);
    let name_label = format!("Name of {}", e.name);
    let detail_label = format!("{} of {}", catalog.detail_label(), e.name);
    let save_label = format!("Save {}", e.name);
    let delete_label = format!("Delete {}", e.name);
    let delete_question = format!("Delete {}? This cannot be undone.", e.name);
    let source = match &e.copy_of {
        Some(name) => format!("Copy of the parent’s “{name}”"),
        None => "Own entry".to_owned(),
    };
    view! {
        <tr>
            <th scope="row">{e.name.clone()}</th>
            <td>{e.detail.clone()}</td>
            <td>{source}</td>
            {manage.then(|| view! {
                <td>
                    <div class="inline-form">
                        <ActionForm action=actions.save attr:class="inline-form">
                            <input type="hidden" name="catalog" value=key />
                            <input type="hidden" name="entry_id" value=e.id.to_string() />
                            <input type="hidden" name="version" value=e.version />
                            <label for=name_id.clone() class="visually-hidden">{name_label}</label>
                            <input id=name_id type="text" name="name" value=e.name.clone() autocomplete="off" />
                            <label for=detail_id.clone() class="visually-hidden">{detail_label}</label>
                            <input id=detail_id type="text" name="detail" value=e.detail.clone() autocomplete="off" size="10" />
                            <button type="submit" class="button button-small" aria-label=save_label>"Save"</button>
                        </ActionForm>
                        <ActionForm action=actions.delete>
                            <input type="hidden" name="catalog" value=key />
                            <input type="hidden" name="entry_id" value=e.id.to_string() />
                            <input type="hidden" name="version" value=e.version />
                            <ConfirmSubmit label="Delete" aria_label=delete_label class="button button-small button-danger"
                                question=delete_question.clone()
                                confirm="Delete" />
                        </ActionForm>
                    </div>
                </td>
            })}
        </tr>
    }
}

#[component]
fn NewEntry(catalog: Catalog, actions: ListActions) -> impl IntoView {
    let key = catalog.key();
    let name_id = format!("new-{key}-name");
    let detail_id = format!("new-{key}-detail");
    view! {
        <ActionForm action=actions.save attr:class="inline-form add-entry">
            <input type="hidden" name="catalog" value=key />
            <input type="hidden" name="entry_id" value="" />
            <input type="hidden" name="version" value="0" />
            <label for=name_id.clone()>{format!("New {}", catalog.singular())}</label>
            <input id=name_id type="text" name="name" autocomplete="off" placeholder="Name" />
            <label for=detail_id.clone()>{catalog.detail_label()}</label>
            <input id=detail_id type="text" name="detail" autocomplete="off" size="10" />
            <button type="submit" class="button button-small">{format!("Add {}", catalog.singular())}</button>
        </ActionForm>
    }
}

/// Copy down: choose an entry and children, preview what each child gets,
/// then confirm exactly that.
#[component]
fn CopyDownCard(
    catalog: Catalog,
    entries: Vec<Entry>,
    children: Vec<(CompanyId, String)>,
    actions: ListActions,
) -> impl IntoView {
    let key = catalog.key();
    let select_id = format!("copy-{key}-entry");
    let plan_error = any_error(actions.plan.value());
    let copy_error = any_error(actions.copy.value());
    // The last preview, and the form values it was made for.
    let planned = move || match (actions.plan.value().get(), actions.plan.input().get()) {
        (Some(Ok(plan)), _) => Some(plan),
        _ => None,
    };
    let planned_input = RwSignal::new(None::<(EntryId, Vec<CompanyId>)>);
    Effect::new(move |_| {
        if let Some(input) = actions.plan.input().get() {
            planned_input.set(Some((
                input.entry_id,
                input.children.clone().unwrap_or_default(),
            )));
        }
    });
    let done = move || match actions.copy.value().get() {
        Some(Ok(plan)) => Some(plan),
        _ => None,
    };
    view! {
        <div class="copy-down">
            <h3>{format!("Copy {} down to child companies", catalog.title().to_lowercase())}</h3>
            <ActionForm action=actions.plan>
                <input type="hidden" name="catalog" value=key />
                <div class="field">
                    <label for=select_id.clone()>{format!("The parent's {}", catalog.singular())}</label>
                    <select id=select_id name="entry_id">
                        {entries.iter().filter(|e| e.copy_of.is_none()).map(|e| view! {
                            <option value=e.id.to_string()>{e.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="companies">
                    <legend>{format!("Copy {} to", catalog.title().to_lowercase())}</legend>
                    {children.iter().enumerate().map(|(i, (id, name))| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("children[{i}]") value=id.to_string() />
                            " " {name.clone()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button-secondary">"Preview"</button>
            </ActionForm>
            {move || plan_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || planned().map(|plan| view! {
                <PlanView plan title="Preview" />
                {planned_input.get().map(|(entry_id, children)| view! {
                    <ActionForm action=actions.copy>
                        <input type="hidden" name="catalog" value=key />
                        <input type="hidden" name="entry_id" value=entry_id.to_string() />
                        {children.iter().enumerate().map(|(i, id)| view! {
                            <input type="hidden" name=format!("children[{i}]") value=id.to_string() />
                        }).collect_view()}
                        <button type="submit" class="button">"Copy to these companies"</button>
                    </ActionForm>
                })}
            })}
            {move || copy_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || done().map(|plan| view! { <div role="status"><PlanView plan title="Copied" /></div> })}
        </div>
    }
}

#[component]
fn PlanView(plan: CopyPlan, title: &'static str) -> impl IntoView {
    view! {
        <div class="copy-plan">
            <p><strong>{format!("{title}: “{}”", plan.entry)}</strong></p>
            <ul aria-label=title>
                {plan.lines.into_iter().map(|(company, outcome)| view! {
                    <li>{format!("{company} {}", outcome.words())}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}
