//! Edit User's Permissions tab: account type, user type, company, role,
//! Support User, and the companies picked for the user, with the ones the
//! policy fixes (an Administrator's, a Customer's, a role's) ticked and
//! locked, saying why.

use crate::model::ids::{CompanyId, UserId};
use leptos::prelude::*;

use super::{
    PermissionsView,
    permissions_api::{UpdateUserPermissions, load_user_permissions},
};
use crate::{
    model::validation::Field,
    ui::form::{field_errors, form_error, saved_message},
};

#[component]
pub fn PermissionsCard(
    user_id: UserId,
    action: ServerAction<UpdateUserPermissions>,
    #[prop(into)] reload: Signal<usize>,
) -> impl IntoView {
    let view_data = Resource::new(
        move || reload.get(),
        move |_| load_user_permissions(user_id),
    );
    view! {
        <section class="card" aria-labelledby="permissions-heading">
            <h2 id="permissions-heading">"Permissions & access"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(v) => view! { <PermissionsForm v action /> }.into_any(),
                        Err(e) => crate::layout::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PermissionsForm(
    v: PermissionsView,
    action: ServerAction<UpdateUserPermissions>,
) -> impl IntoView {
    let result = action.value();
    let error_for = field_errors(result);
    let saved = saved_message(result);
    let pending = action.pending();
    let administrator = RwSignal::new(v.administrator);
    let customer = RwSignal::new(v.customer);
    let role = RwSignal::new(v.role_id);
    let home = RwSignal::new(v.company_id);
    let roles = StoredValue::new(v.roles.clone());
    let role_gives = move |company: CompanyId| {
        roles.with_value(|roles| {
            role.get()
                .and_then(|id| roles.iter().find(|r| r.id == id))
                .filter(|r| r.companies.contains(&company))
                .map(|r| r.name.clone())
        })
    };
    let company_error = error_for(Field::Company);
    let role_error = error_for(Field::Role);
    let editable = v.editable;
    view! {
        <ActionForm action=action>
            {(!editable).then(|| view! {
                <p class="muted">"Only Administrators can change a user's permissions."</p>
            })}
            <fieldset class="bare" disabled=!editable>
            <input type="hidden" name="user_id" value=v.user_id.to_string() />
            <input type="hidden" name="version" value=v.version />
            {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="field">
                <label for="perm-account-type">"Account type"</label>
                <select id="perm-account-type" name="account_type"
                    on:change=move |ev| administrator.set(event_target_value(&ev) == "administrator")>
                    <option value="standard" selected=!v.administrator>"Standard"</option>
                    <option value="administrator" selected=v.administrator>"Administrator"</option>
                </select>
                <AccountTypeGives administrator />
            </div>
            <div class="field">
                <label for="perm-user-type">"User type"</label>
                <select id="perm-user-type" name="user_type"
                    on:change=move |ev| customer.set(event_target_value(&ev) == "customer")>
                    <option value="partner" selected=!v.customer>"Partner"</option>
                    <option value="customer" selected=v.customer>"Customer"</option>
                </select>
            </div>
            <div class="field">
                <label for="perm-company">"Home company (Customer) or default company (Partner)"</label>
                <select id="perm-company" name="company_id" aria-describedby="perm-company-error"
                    on:change=move |ev| home.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=v.company_id.is_none()>"None"</option>
                    {v.companies.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=v.company_id == Some(*id)>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <p id="perm-company-error" class="field-error">{move || company_error.get()}</p>
            </div>
            <div class="field">
                <label for="perm-role">"Role"</label>
                <select id="perm-role" name="role_id" aria-describedby="perm-role-error"
                    on:change=move |ev| role.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=v.role_id.is_none()>"No role"</option>
                    {v.roles.iter().map(|r| view! {
                        <option value=r.id.to_string() selected=v.role_id == Some(r.id)>
                            {if r.self_service { format!("{} (self-service: Partners only)", r.name) } else { r.name.clone() }}
                        </option>
                    }).collect_view()}
                </select>
                <p id="perm-role-error" class="field-error">{move || role_error.get()}</p>
            </div>
            <label class="check">
                <input type="checkbox" name="support_user" value="on" checked=v.support_user />
                " Support User (may open support tickets)"
            </label>
            <fieldset class="companies" aria-describedby="perm-companies-hint">
                <legend>"Billing customer assignments"</legend>
                <p id="perm-companies-hint" class="muted">
                    "Companies this user may act in. A Standard user acts only in the companies assigned here or by their role; an Administrator acts in all of them."
                </p>
                {v.companies.iter().enumerate().map(|(i, (id, name))| {
                    let id = *id;
                    let name = name.clone();
                    let picked = RwSignal::new(v.direct.contains(&id));
                    // Why this box is fixed, if it is.
                    let locked = move || {
                        if administrator.get() {
                            Some("Administrator: every company".to_owned())
                        } else if customer.get() {
                            Some("Customer: only the home company".to_owned())
                        } else {
                            role_gives(id).map(|role| {
                                if picked.get() {
                                    format!("from role {role}, also assigned directly")
                                } else {
                                    format!("from role {role}")
                                }
                            })
                        }
                    };
                    let checked = move || {
                        if administrator.get() {
                            true
                        } else if customer.get() {
                            home.get() == Some(id)
                        } else {
                            role_gives(id).is_some() || picked.get()
                        }
                    };
                    // A company the role gives keeps a box of its own for the
                    // direct pick (same name): the locked one is disabled, so
                    // not submitted, and a save must not drop a pick it was
                    // not told to remove.
                    let also_direct = move || {
                        !administrator.get() && !customer.get() && role_gives(id).is_some()
                    };
                    let also_label = format!("Also assigned directly: {name}");
                    view! {
                        <label class="check">
                            <input type="checkbox" name=format!("companies[{i}]") value=id.to_string()
                                checked=checked() prop:checked=checked disabled=move || locked().is_some()
                                on:change=move |ev| picked.set(event_target_checked(&ev)) />
                            " " {name.clone()}
                            {move || locked().map(|why| view! { <span class="muted">" — " {why}</span> })}
                        </label>
                        {move || also_direct().then(|| view! {
                            <label class="check nested">
                                <input type="checkbox" name=format!("companies[{i}]") value=id.to_string()
                                    aria-label=also_label.clone()
                                    checked=picked.get_untracked() prop:checked=move || picked.get()
                                    on:change=move |ev| picked.set(event_target_checked(&ev)) />
                                " also assigned directly (kept if the role loses it)"
                            </label>
                        })}
                    }
                }).collect_view()}
            </fieldset>
            </fieldset>
            {editable.then(|| view! {
                <button type="submit" class="button" disabled=move || pending.get()>"Save permissions"</button>
                <p class="success" role="status">{saved}</p>
            })}
        </ActionForm>
    }
}

/// What each account type gives (seed 000's lists, in this product's
/// words), the chosen one first and marked, so the choice reads as a
/// comparison.
#[component]
fn AccountTypeGives(administrator: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="gives" id="perm-account-type-gives" aria-live="polite">
            <AccountTypeCard chosen=Signal::derive(move || !administrator.get()) name="Standard"
                summary="Everyday work, only where the user is assigned."
                lines=&[
                    ("Claims", "What the user's role allows (view, edit, refund, post, export), in their assigned companies only."),
                    ("Users", "With Users: view, sees the users who share a company; with Users: manage, also changes their name, email and status."),
                    ("Administration", "None: no roles, companies, vendor access, API keys or audit log."),
                ] />
            <AccountTypeCard chosen=administrator.into() name="Administrator"
                summary="Everything, in every company of the organization."
                lines=&[
                    ("Claims", "Every claim permission (view, edit, refund, post, export) in every company."),
                    ("Users", "Adds, changes and deactivates users, Administrators included, and sets their permissions."),
                    ("Administration", "Roles, companies, vendor access, API keys, sign-in policy and the audit log."),
                ] />
        </div>
    }
}

#[component]
fn AccountTypeCard(
    chosen: Signal<bool>,
    name: &'static str,
    summary: &'static str,
    lines: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! {
        <div class="gives-card" class:chosen=chosen>
            <p>
                <strong>{name}</strong>
                {move || chosen.get().then_some(" (chosen)")}
                ": " {summary}
            </p>
            <ul>
                {lines.iter().map(|&(area, what)| view! { <li><strong>{area}</strong>": " {what}</li> }).collect_view()}
            </ul>
        </div>
    }
}
