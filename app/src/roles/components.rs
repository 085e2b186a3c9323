//! The Roles page and the role editor.

use crate::model::ids::RoleId;
use crate::ui::table::{DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    RoleEditor, RoleSummary, RolesOverview,
    api::{CreateRole, DeleteRole, UpdateRole, list_roles, load_role},
};
use crate::{
    error::AppError,
    model::{
        permission::{Area, Permission},
        role::{Family, RoleTemplate},
        validation::Field,
    },
    ui::{
        confirm::ConfirmSubmit,
        form::{TextField, field_errors, form_error, saved_message},
    },
};

/// The Roles page.
#[component]
pub fn RolesPage() -> impl IntoView {
    let query = use_query_map();
    let overview = Resource::new(|| (), |_| list_roles());
    view! {
        <Title text="Roles" />
        <div class="page-head">
            <h1>"Roles"</h1>
            <a class="button button-secondary" href="/permissions-by-page">"Permissions by page"</a>
        </div>
        <Show when=move || query.with(|q| q.get("deleted").is_some())>
            <p class="notice" role="status">"The role has been deleted."</p>
        </Show>
        <p class="muted">
            "A role gives its members a set of permissions and, optionally, companies they may act in. "
            "Changes apply to every member on their next click."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading roles…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <RolesList overview /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn RolesList(overview: RolesOverview) -> impl IntoView {
    let create = ServerAction::<CreateRole>::new();
    let result = create.value();
    let error_for = field_errors(result);
    let pending = create.pending();
    let template_error = error_for(Field::Template);
    let templates = StoredValue::new(overview.templates.clone());
    let chosen = RwSignal::new(String::new());
    let template_hint = move || {
        let key = chosen.get();
        templates.with_value(|t| {
            t.iter()
                .find(|c| c.template.key() == key)
                .map(|c| c.template.description().to_owned())
                .unwrap_or_else(|| {
                    "No permissions to begin with: tick the ones the role needs.".to_owned()
                })
        })
    };
    view! {
        {if overview.roles.is_empty() {
            view! { <p class="card">"There are no roles yet: create the first one below."</p> }.into_any()
        } else {
            view! {
                <DataTable columns=columns(["Role", "Description", "Permissions", "Companies", "Members"])>
                    {overview.roles.into_iter().map(|r| view! { <RoleRow r /> }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
        <section class="card" aria-labelledby="new-role-heading">
            <h2 id="new-role-heading">"Create a role"</h2>
            <ActionForm action=create>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="new-role-name" name="name" label="Name" autocomplete="off"
                    error=error_for(Field::RoleName) />
                <TextField id="new-role-description" name="description" label="Description (optional)"
                    autocomplete="off" error=error_for(Field::Description) />
                <div class="field">
                    <label for="new-role-template">"Start from"</label>
                    <select id="new-role-template" name="template"
                        aria-describedby="new-role-template-hint new-role-template-error"
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"Scratch (no permissions)"</option>
                        // The service type's family, then this product's own.
                        {[Some(overview.service_type.family()), None].into_iter().map(|family| {
                            let label = family.map_or("General", Family::label);
                            let offered: Vec<RoleTemplate> = overview.templates.iter()
                                .filter(|c| c.offered && c.template.family() == family)
                                .map(|c| c.template)
                                .collect();
                            view! {
                                <optgroup label=label>
                                    {offered.into_iter().map(|t| view! {
                                        <option value=t.key()>{format!("Template: {}", t.name())}</option>
                                    }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()}
                    </select>
                    <p id="new-role-template-hint" class="muted">{template_hint}</p>
                    <p class="muted">
                        {format!("Your service type is {}: its templates are offered. ", overview.service_type.label())}
                        <a href="/settings">"Change it in Settings"</a>" · "
                        <a href="/permissions-by-page">"What each template opens"</a>
                    </p>
                    <p id="new-role-template-error" class="field-error">{move || template_error.get()}</p>
                </div>
                <button type="submit" class="button" disabled=move || pending.get()>"Create role"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RoleRow(r: RoleSummary) -> impl IntoView {
    let members = match r.members {
        0 => "none".to_owned(),
        n => n.to_string(),
    };
    view! {
        <tr>
            <td>
                <a href=format!("/roles/{}", r.id)>{r.name}</a>
                {r.self_service.then(|| view! { " " <span class="badge">"Self-service"</span> })}
            </td>
            <td class="wraps">{r.description}</td>
            <td>{r.permissions.len()}</td>
            <td>{if r.companies == 0 { "—".to_owned() } else { r.companies.to_string() }}</td>
            <td>
                {if r.members == 0 {
                    view! { <span class="muted">{members}</span> }.into_any()
                } else {
                    view! { <a href=format!("/users?role={}", r.id)>{members}</a> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// The role editor.
#[component]
pub fn EditRolePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<RoleId>().ok()));
    let save = ServerAction::<UpdateRole>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let reloads = RwSignal::new(0);
    let role = Resource::new(
        move || (id(), save.version().get(), reloads.get()),
        |(id, ..)| async move {
            match id {
                Some(id) => load_role(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Edit role" />
        <p><a href="/roles">"← All roles"</a></p>
        <Show when=move || query.with(|q| q.get("created").is_some())>
            <p class="notice" role="status">"The role has been created. Choose its permissions and companies."</p>
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading the role…"</p> }>
            {move || Suspend::new(async move {
                match role.await {
                    Ok(r) => view! { <EditRole r save delete reloads /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"Role not found"</h1>
                        <p>"There is no such role in your organization."</p></section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditRole(
    r: RoleEditor,
    save: ServerAction<UpdateRole>,
    delete: ServerAction<DeleteRole>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let result = save.value();
    let error_for = field_errors(result);
    let saved = saved_message(result);
    let conflict = move || matches!(result.get(), Some(Err(AppError::Conflict(_))));
    let pending = save.pending();
    let self_service_error = error_for(Field::SelfService);
    let company_error = error_for(Field::Company);
    let members = match r.members {
        0 => "No one has this role yet.".to_owned(),
        1 => "1 user has this role.".to_owned(),
        n => format!("{n} users have this role."),
    };
    let mut permission_index = 0;
    let delete_card = view! { <DeleteRoleCard r=r.clone() delete /> };
    view! {
        <h1>{r.name.clone()}</h1>
        <p class="muted">
            {members} " "
            {(r.members > 0).then(|| view! { <a href=format!("/users?role={}", r.id)>"See them"</a> })}
        </p>
        <section class="card" aria-labelledby="role-edit-heading">
            <h2 id="role-edit-heading">"Role"</h2>
            <ActionForm action=save>
                <input type="hidden" name="role_id" value=r.id.to_string() />
                <input type="hidden" name="version" value=r.version />
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <Show when=conflict>
                    <button type="button" class="button button-secondary" on:click=move |_| reloads.update(|n| *n += 1)>
                        "Reload the role"
                    </button>
                </Show>
                <TextField id="role-name" name="name" label="Name" autocomplete="off"
                    value=r.name.clone() error=error_for(Field::RoleName) />
                <TextField id="role-description" name="description" label="Description" autocomplete="off"
                    value=r.description.clone() error=error_for(Field::Description) />
                <label class="check">
                    <input type="checkbox" name="self_service" value="on" checked=r.self_service
                        aria-describedby="role-self-service-error" />
                    " Self-service role (only Partner-type users may have it)"
                </label>
                <p id="role-self-service-error" class="field-error">{move || self_service_error.get()}</p>
                <h3>"Permissions"</h3>
                {(!r.withheld.is_empty()).then(|| {
                    let names = r.withheld.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
                    view! {
                        <p class="notice" role="note">
                            {format!("This role withholds {names} from its members in every company (an access restriction), whatever is ticked below.")}
                        </p>
                    }
                })}
                <div class="permission-areas">
                    {Area::ALL.into_iter().map(|area| {
                        let boxes = Permission::ALL.into_iter().filter(|p| p.area() == area).map(|p| {
                            let index = permission_index;
                            permission_index += 1;
                            let hint = format!("perm-{}-hint", p.key().replace('.', "-"));
                            let withheld = r.withheld.contains(p);
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("permissions[{index}]") value=p.key()
                                        checked=r.permissions.contains(p) aria-describedby=hint.clone() />
                                    <span>
                                        <span class="permission-name">{p.to_string()}</span>
                                        <span id=hint class="muted permission-unlocks">
                                            {p.unlocks()}
                                            {withheld.then_some(" Withheld by this role: its members never get it, in any company, even if ticked.")}
                                        </span>
                                    </span>
                                </label>
                            }
                        }).collect_view();
                        view! {
                            <fieldset class="companies">
                                <legend>{area.label()}</legend>
                                {boxes}
                            </fieldset>
                        }
                    }).collect_view()}
                </div>
                <fieldset class="companies" aria-describedby="role-companies-hint role-companies-error">
                    <legend>"Companies members inherit"</legend>
                    <p id="role-companies-hint" class="muted">
                        "Members may act in these and cannot lose them while they have the role; "
                        "Administrators can add more companies to a member on their Edit User page. "
                        "Customer-type members act only in their home company."
                    </p>
                    {r.all_companies.iter().enumerate().map(|(i, (id, name))| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("companies[{i}]") value=id.to_string()
                                checked=r.companies.contains(id) />
                            " " {name.clone()}
                        </label>
                    }).collect_view()}
                    <p id="role-companies-error" class="field-error">{move || company_error.get()}</p>
                </fieldset>
                <button type="submit" class="button" disabled=move || pending.get()>"Save role"</button>
                <p class="success" role="status">{saved}</p>
            </ActionForm>
        </section>
        {delete_card}
    }
}

#[component]
fn DeleteRoleCard(r: RoleEditor, delete: ServerAction<DeleteRole>) -> impl IntoView {
    let result = delete.value();
    let move_error = field_errors(result)(Field::MoveTo);
    let pending = delete.pending();
    view! {
        <section class="card" aria-labelledby="role-delete-heading">
            <h2 id="role-delete-heading">"Delete the role"</h2>
            <ActionForm action=delete>
                <input type="hidden" name="role_id" value=r.id.to_string() />
                <input type="hidden" name="version" value=r.version />
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                {if r.members == 0 {
                    view! {
                        <input type="hidden" name="move_to" value="" />
                        <p class="muted">"No one has this role, so it can be deleted."</p>
                    }
                    .into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="role-move-to">"Move its members to"</label>
                            <select id="role-move-to" name="move_to" aria-describedby="role-move-to-error">
                                <option value="">"Choose a role"</option>
                                {r.other_roles.iter().map(|(id, name)| view! {
                                    <option value=id.to_string()>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <p id="role-move-to-error" class="field-error">{move || move_error.get()}</p>
                        </div>
                    }
                    .into_any()
                }}
                <ConfirmSubmit label="Delete role" disabled=pending
                    question=format!("Delete the role “{}”? This cannot be undone.", r.name)
                    confirm="Delete role" />
            </ActionForm>
        </section>
    }
}
