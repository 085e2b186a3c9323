//! Add User: the profile, account and user type, company and role of a new
//! user, who is then emailed an invitation to choose a password.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    NewUserChoices,
    add_api::{AddUser, new_user_options},
};
use crate::{
    model::validation::{Field, ProfileInput},
    ui::form::{ProfileDraft, TextField, form_error, server_field_errors},
};

crate::ui::lazy::lazy_page!(
    /// Add User.
    AddUserRoute => AddUserPage
);

#[component]
pub fn AddUserPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| new_user_options());
    view! {
        <Title text="Add user" />
        <p><a href="/users">"← All users"</a></p>
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
                <Choice id="new-account-type" name="account_type" label="Account type"
                    hint="Administrators have every permission in every company and manage users."
                    error=error_for(Field::AccountType)
                    choices=vec![("standard".to_owned(), "Standard".to_owned()), ("administrator".to_owned(), "Administrator".to_owned())] />
                <Choice id="new-user-type" name="user_type" label="User type"
                    hint="A Customer acts in exactly one company; a Partner may act in several."
                    error=error_for(Field::UserType)
                    choices=vec![("partner".to_owned(), "Partner".to_owned()), ("customer".to_owned(), "Customer".to_owned())] />
                <Choice id="new-company" name="company_id" label="Company"
                    hint="The Customer's one company, or the Partner's default company. Administrators may leave it empty."
                    error=error_for(Field::Company)
                    choices=std::iter::once((String::new(), "Choose a company".to_owned()))
                        .chain(options.companies.iter().map(|(id, name)| (id.to_string(), name.clone())))
                        .collect() />
                <Choice id="new-role" name="role_id" label="Role" hint="Optional: a role gives its permissions and companies."
                    error=error_for(Field::Role)
                    choices=std::iter::once((String::new(), "No role".to_owned()))
                        .chain(options.roles.iter().map(|(id, name, self_service)| {
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
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }>
                {choices.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
            </select>
            <p id=hint_id class="muted">{hint}</p>
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}
