//! Edit User: the Profile and the Permissions tabs (seed 000), the Why
//! panel on the second.

use crate::model::ids::UserId;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    EditableUser,
    api::{UpdateUserProfile, load_user},
};
use crate::{
    auth::lockout_api::UnlockSignIn,
    error::AppError,
    model::validation::{Field, ProfileInput},
    ui::{
        form::{ProfileDraft, TextField, form_error, saved_message, server_field_errors},
        tabs::{Tab, TabList, TabPanel, selected},
    },
};

/// Edit User's tabs, as seed 000 names them.
const TABS: &[Tab] = &[
    Tab {
        key: "profile",
        label: "Profile",
    },
    Tab {
        key: "permissions",
        label: "Permissions",
    },
];

/// Edit User.
#[component]
pub fn EditUserPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<UserId>().ok()));
    let save = ServerAction::<UpdateUserProfile>::new();
    let unlock = ServerAction::<UnlockSignIn>::new();
    let permissions = ServerAction::<super::permissions_api::UpdateUserPermissions>::new();
    let reloads = RwSignal::new(0);
    let user = Resource::new(
        move || {
            (
                id(),
                save.version().get(),
                unlock.version().get(),
                permissions.version().get(),
                reloads.get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_user(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Edit user" />
        <p><a href="/users">"← User Management"</a></p>
        <Show when=move || query.with(|q| q.get("invited").is_some())>
            <p class="notice" role="status">"The user has been added. An invitation to choose a password is on its way to their email; if the mail server does not take it, your start page lists it under Undelivered mail."</p>
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading the user…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(u) => view! { <EditUser u save unlock permissions reloads /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"User not found"</h1>
                        <p>"There is no such user in your organization."</p></section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditUser(
    u: EditableUser,
    save: ServerAction<UpdateUserProfile>,
    unlock: ServerAction<UnlockSignIn>,
    permissions: ServerAction<super::permissions_api::UpdateUserPermissions>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let query = use_query_map();
    let tab = Signal::derive(move || query.with(|q| selected(TABS, q.get("tab").as_deref())));
    let result = save.value();
    // The same validation as the server, as the user types.
    let form = ProfileDraft::new(
        ProfileInput {
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
        },
        server_field_errors(result),
    );
    let error_for = move |field: Field| form.error(field);
    let edit = move |apply: fn(&mut ProfileInput, String)| form.edit(apply);
    let saved = saved_message(result);
    let conflict = move || matches!(result.get(), Some(Err(AppError::Conflict(_))));
    let pending = save.pending();
    let name = format!("{} {}", u.first_name, u.last_name);
    let status_error = error_for(Field::Status);
    let may_edit = u.may_edit;
    // Typed but not saved: leaving the page asks first.
    let dirty = RwSignal::new(false);
    let saved_any = move || {
        matches!(result.get(), Some(Ok(_))) || matches!(permissions.value().get(), Some(Ok(_)))
    };
    Effect::new(move |_| {
        if saved_any() {
            dirty.set(false);
        }
    });
    crate::ui::unsaved::guard_unsaved(dirty.into());
    view! {
        <h1>{name}</h1>
        <p class="muted">
            {if u.administrator { "Administrator" } else { "Standard user" }}
            " · two-factor sign-in "
            {if u.two_factor { "on" } else { "off" }}
        </p>
        {u.locked_until.clone().filter(|_| u.administer).map(|until| view! {
            <div class="warning" role="note">
                <span>{format!("Locked out of signing in until {until} after repeated failed sign-ins.")}</span>
                <ActionForm action=unlock>
                    <input type="hidden" name="user_id" value=u.id.to_string() />
                    <button type="submit" class="button">"Unlock"</button>
                </ActionForm>
            </div>
        })}
        <TabList label="Edit user" tabs=TABS path=format!("/users/{}", u.id) current=tab />
        // Both panels stay mounted: what was typed on one survives a switch.
        <div class="edit-user" on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true)>
        <TabPanel key="profile" current=tab>
        <section class="card" aria-labelledby="profile-tab-heading">
            <h2 id="profile-tab-heading">"User information"</h2>
            <ActionForm action=save>
                {(!may_edit).then(|| view! {
                    <p class="muted">{if u.administrator {
                        "Only Administrators can change an Administrator."
                    } else {
                        "You can see this user; changing them needs the permission Users: manage."
                    }}</p>
                })}
                <fieldset class="bare" disabled=!may_edit>
                <input type="hidden" name="user_id" value=u.id.to_string() />
                <input type="hidden" name="version" value=u.version />
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <Show when=conflict>
                    <button type="button" class="button button-secondary" on:click=move |_| reloads.update(|n| *n += 1)>
                        "Reload the user"
                    </button>
                </Show>
                <TextField id="user-first-name" name="first_name" label="First name" autocomplete="off"
                    value=u.first_name.clone() error=error_for(Field::FirstName) on_input=edit(|d, v| d.first_name = v) />
                <TextField id="user-last-name" name="last_name" label="Last name" autocomplete="off"
                    value=u.last_name.clone() error=error_for(Field::LastName) on_input=edit(|d, v| d.last_name = v) />
                <TextField id="user-email" name="email" label="Email" kind="email" autocomplete="off"
                    value=u.email.clone() error=error_for(Field::Email) on_input=edit(|d, v| d.email = v) />
                <div class="field">
                    <label for="user-status">"Status"</label>
                    <select id="user-status" name="status" aria-describedby="user-status-hint user-status-error">
                        <option value="active" selected=u.active>"Active"</option>
                        <option value="inactive" selected=!u.active>"Inactive"</option>
                    </select>
                    <p id="user-status-hint" class="muted">"Inactive users cannot sign in; making a user inactive signs them out everywhere at once."</p>
                    <p id="user-status-error" class="field-error">{move || status_error.get()}</p>
                </div>
                </fieldset>
                {may_edit.then(|| view! {
                    <button type="submit" class="button" disabled=move || pending.get()>"Save profile"</button>
                    <p class="success" role="status">{saved}</p>
                })}
            </ActionForm>
        </section>
        </TabPanel>
        <TabPanel key="permissions" current=tab>
        <super::permissions_tab::PermissionsCard
            user_id=u.id
            action=permissions
            reload=Signal::derive(move || save.version().get() + permissions.version().get() + reloads.get() as usize)
        />
        <super::why_panel::WhyPanel
            user_id=u.id
            reload=Signal::derive(move || save.version().get() + permissions.version().get())
        />
        </TabPanel>
        </div>
    }
}
