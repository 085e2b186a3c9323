//! The console's Staff page: the platform's
//! own people, and for its Administrators the form to invite another.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    StaffPage as Staff,
    orgs_page::ConsoleNav,
    staff_api::{AddPlatformStaff, platform_staff},
};
use crate::{
    layout::error_view,
    model::{platform::PlatformRole, validation::Field},
    ui::{
        form::{TextField, field_errors, form_error, saved_message, successes},
        table::DataTable,
    },
};

/// The platform's staff.
#[component]
pub fn StaffPage() -> impl IntoView {
    let add = ServerAction::<AddPlatformStaff>::new();
    let added = successes(add.value());
    let staff = Resource::new(move || added.get(), |_| platform_staff());
    view! {
        <Title text="Platform staff" />
        <ConsoleNav current="/platform/staff" />
        <div class="page-head"><h1>"Staff"</h1></div>
        <Transition fallback=|| view! { <p class="muted">"Loading the staff…"</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok(page) => view! { <StaffList page add /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn StaffList(page: Staff, add: ServerAction<AddPlatformStaff>) -> impl IntoView {
    let result = add.value();
    let error_for = field_errors(result);
    let role_error = error_for(Field::PlatformRole);
    let said = saved_message(result);
    view! {
        <p class="muted">{format!(
            "The people of {}. Platform Administrators run organizations, staff and approvals; \
             Support Agents work the support desk. Everyone must use two-factor sign-in.",
            page.platform
        )}</p>
        <DataTable columns=vec!["Name".into(), "Email".into(), "Role".into(), "Status".into(), "Two-factor".into()]>
            {page.staff.into_iter().map(|m| view! {
                <tr>
                    <th scope="row">{m.name}</th>
                    <td>{m.email}</td>
                    <td>{m.role.label()}</td>
                    <td>{if m.active { "Active" } else { "Inactive" }}</td>
                    <td>{if m.two_factor { "Set up" } else { "Not yet" }}</td>
                </tr>
            }).collect_view()}
        </DataTable>
        {page.may_run.then(|| view! {
            <section class="card" aria-labelledby="add-staff-heading">
                <h2 id="add-staff-heading">"Add a member of staff"</h2>
                <ActionForm action=add>
                    {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <TextField id="staff-first-name" name="first_name" label="First name" autocomplete="off"
                        required=true error=error_for(Field::FirstName) />
                    <TextField id="staff-last-name" name="last_name" label="Last name" autocomplete="off"
                        required=true error=error_for(Field::LastName) />
                    <TextField id="staff-email" name="email" label="Email" kind="email" autocomplete="off"
                        required=true error=error_for(Field::Email) />
                    <div class="field">
                        <label for="staff-role">"Role"</label>
                        <select id="staff-role" name="role">
                            {[PlatformRole::SupportAgent, PlatformRole::Administrator].into_iter().map(|r| view! {
                                <option value=r.key()>{r.label()}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error">{move || role_error.get()}</p>
                    </div>
                    <button type="submit" class="button">"Invite"</button>
                    <p class="success" role="status">{said}</p>
                </ActionForm>
            </section>
        })}
    }
}
