//! Add User: the profile, account and user type, company (a Customer's
//! one, preset to the company the Administrator acts in) or companies (a
//! Partner's, with the default among them) and role of a new user, who is
//! then emailed an invitation to choose a password (seed 001).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    NewUserChoices,
    add_api::{AddUser, new_user_options},
};
use crate::{
    model::{
        ids::CompanyId,
        validation::{Field, ProfileInput},
    },
    ui::form::{ProfileDraft, TextField, form_error, server_field_errors},
};

/// Add User.
#[component]
pub fn AddUserPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| new_user_options());
    view! {
        <Title text="Add user" />
        <p><a href="/users">"← User Management"</a></p>
        <h1>"Add user"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => view! { <AddUserForm options /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn AddUserForm(options: NewUserChoices) -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let result = add.value();
    // The same validation as the server, as the user types.
    let form = ProfileDraft::new(ProfileInput::default(), server_field_errors(result));
    let error_for = move |field: Field| form.error(field);
    let edit = move |apply: fn(&mut ProfileInput, String)| form.edit(apply);
    let pending = add.pending();
    // The Partner's default company, and the companies ticked besides it.
    let default = RwSignal::new(options.acting);
    // The company being acted in starts ticked, as a Customer's starts chosen.
    let picked = RwSignal::new(options.acting.into_iter().collect::<Vec<CompanyId>>());
    view! {
        <section class="card" aria-labelledby="add-user-heading">
            <h2 id="add-user-heading">"New user"</h2>
            <p class="muted">"The new user gets an email with a link to choose a password (valid for seven days)."</p>
            <ActionForm action=add>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="new-first-name" name="first_name" label="First name" autocomplete="off"
                    error=error_for(Field::FirstName) on_input=edit(|d, v| d.first_name = v) />
                <TextField id="new-last-name" name="last_name" label="Last name" autocomplete="off"
                    error=error_for(Field::LastName) on_input=edit(|d, v| d.last_name = v) />
                <TextField id="new-email" name="email" label="Email" kind="email" autocomplete="off"
                    error=error_for(Field::Email) on_input=edit(|d, v| d.email = v) />
                {if options.delegated {
                    // Users: add gives Standard users only, within one's own access.
                    view! {
                        <input type="hidden" name="account_type" value="standard" />
                        <p class="muted">
                            "You add Standard users, with a role and companies you hold yourself: "
                            "Administrators and Support Users are made by an Administrator."
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <Choice id="new-account-type" name="account_type" label="Account type"
                            hint="Administrators have every permission in every company and manage users."
                            error=error_for(Field::AccountType) selected=None
                            choices=vec![("standard".to_owned(), "Standard".to_owned()), ("administrator".to_owned(), "Administrator".to_owned())] />
                    }.into_any()
                }}
                <Choice id="new-user-type" name="user_type" label="User type"
                    hint="A Customer acts in one company; a Partner in the companies you pick below, and may hold a self-service role."
                    error=error_for(Field::UserType) selected=None
                    choices=vec![("partner".to_owned(), "Partner".to_owned()), ("customer".to_owned(), "Customer".to_owned())] />
                <Choice id="new-company" name="company_id" label="Company"
                    hint="A Customer is assigned to this company: the one you are acting in, unless you choose another. For a Partner it is the default company, the one they start in. Administrators may leave it empty."
                    error=error_for(Field::Company) selected=options.acting.map(|id| id.to_string())
                    on_change=Callback::new(move |value: String| default.set(value.parse().ok()))
                    choices=std::iter::once((String::new(), "Choose a company".to_owned()))
                        .chain(options.companies.iter().map(|(id, name)| (id.to_string(), name.clone())))
                        .collect() />
                // Shown for Partners only (by the stylesheet, so also
                // without JavaScript); ignored by the server for Customers.
                <fieldset class="companies partner-only">
                    <legend>"Companies this Partner may act in"</legend>
                    <p class="muted">"Tick each company the user works for. The default company above is always one of them."</p>
                    {options.companies.iter().enumerate().map(|(i, (id, name))| {
                        let id = *id;
                        let is_default = move || default.get() == Some(id);
                        view! {
                            <label class="check">
                                <input type="checkbox" name=format!("companies[{i}]") value=id.to_string()
                                    checked=options.acting == Some(id) prop:checked=move || is_default() || picked.with(|p| p.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|p| { p.retain(|c| *c != id); if on { p.push(id); } });
                                    } />
                                " " {name.clone()}
                                {move || is_default().then(|| view! { <span class="muted">" — default company"</span> })}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <Choice id="new-role" name="role_id" label="Role" hint="Optional: a role gives its permissions and companies."
                    error=error_for(Field::Role) selected=None
                    choices=std::iter::once((String::new(), "No role".to_owned()))
                        .chain(options.roles.iter().filter(|(id, _, _)| options.grantable.contains(id)).map(|(id, name, self_service)| {
                            let label = if *self_service { format!("{name} (self-service: Partners only)") } else { name.clone() };
                            (id.to_string(), label)
                        }))
                        .collect() />
                <button type="submit" class="button" disabled=move || pending.get()>"Add user and send invitation"</button>
            </ActionForm>
        </section>
    }
}

/// A labelled select with a hint and its error.
#[component]
fn Choice(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    error: Signal<Option<String>>,
    choices: Vec<(String, String)>,
    selected: Option<String>,
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                on:change=move |ev| if let Some(on_change) = on_change { on_change.run(event_target_value(&ev)) }>
                {choices.into_iter().map(|(value, text)| {
                    let chosen = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
            <p id=hint_id class="muted">{hint}</p>
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}
