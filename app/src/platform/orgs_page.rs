//! The console's Organizations pages: the
//! list with its search, a new organization, and one organization with
//! its Administrators, rename, suspend, and a ticket opened for it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    OrgDetail, OrgSummary, OrgsPage,
    desk_api::OpenTicketFor,
    orgs_api::{
        CreateOrganization, RenameOrganization, SetOrganizationSuspended, load_organization,
        platform_organizations,
    },
};
use crate::{
    error::AppError,
    layout::error_view,
    model::{ids::OrgId, org::OrgKind, validation::Field},
    ui::{
        form::{TextField, any_error, field_errors, form_error, saved_message, successes},
        table::{Column, DataTable},
    },
};

/// The console's own navigation, on each of its pages.
#[component]
pub fn ConsoleNav(current: &'static str) -> impl IntoView {
    view! {
        <crate::ui::nav::SectionNav label="Platform console" current links=&[
            ("/platform", "Organizations"),
            ("/platform/desk", "Support desk"),
            ("/platform/links", "Vendor links"),
            ("/platform/staff", "Staff"),
        ] />
    }
}

/// Every customer and vendor organization.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let query = use_query_map();
    let args = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("search").unwrap_or_default(),
                q.get("kind").unwrap_or_default(),
                q.get("after").and_then(|v| v.parse::<OrgId>().ok()),
            )
        })
    });
    let page = Resource::new(
        move || args.get(),
        |(search, kind, after)| platform_organizations(search, kind, after),
    );
    view! {
        <Title text="Organizations" />
        <ConsoleNav current="/platform" />
        <div class="page-head">
            <h1>"Organizations"</h1>
            <a class="button" href="/platform/organizations/new">"Add organization"</a>
        </div>
        <form method="get" action="/platform" class="filters" role="search">
            <div class="field">
                <label for="org-search">"Name contains"</label>
                <input id="org-search" name="search" type="search" prop:value=move || args.get().0 />
            </div>
            <div class="field">
                <label for="org-kind">"Kind"</label>
                <select id="org-kind" name="kind">
                    {[("", "Customers and vendors"), ("customer", "Customers"), ("vendor", "Vendors")]
                        .into_iter()
                        .map(|(key, label)| view! {
                            <option value=key selected=move || args.get().1 == key>{label}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-secondary">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading organizations…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <OrgList page args=args.get_untracked() /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrgList(page: OrgsPage, args: (String, String, Option<OrgId>)) -> impl IntoView {
    let (search, kind, _) = args;
    let next = page.next_after.map(|after| {
        let href = format!(
            "/platform?search={}&kind={}&after={after}",
            crate::ui::url::encode(&search),
            crate::ui::url::encode(&kind)
        );
        view! { <p><a class="button button-secondary" href=href>"Next page"</a></p> }
    });
    view! {
        <p class="muted">{format!("{} organizations", page.total)}</p>
        {if page.organizations.is_empty() {
            view! { <p class="card muted">"No organization matches."</p> }.into_any()
        } else {
            view! {
                <DataTable columns=vec![
                    "Organization".into(), "Kind".into(), "Status".into(),
                    Column::numeric("Administrators"), "Two-factor".into(),
                    "Linked".into(), Column::numeric("Open tickets"),
                ]>
                    {page.organizations.into_iter().map(|o| view! { <OrgLine org=o /> }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
        {next}
    }
}

#[component]
fn OrgLine(org: OrgSummary) -> impl IntoView {
    let two_factor = if org.administrators == 0 {
        "—".to_owned()
    } else {
        format!(
            "{} of {}",
            org.administrators_with_two_factor, org.administrators
        )
    };
    view! {
        <tr>
            <th scope="row"><a href=format!("/platform/organizations/{}", org.id)>{org.name}</a></th>
            <td>{org.kind.label()}</td>
            <td>{if org.suspended { "Suspended" } else { "Active" }}</td>
            <td class="numeric">{org.administrators}</td>
            <td>{two_factor}</td>
            <td>{if org.linked.is_empty() { "—".to_owned() } else { org.linked.join(", ") }}</td>
            <td class="numeric">{org.open_tickets}</td>
        </tr>
    }
}

/// A new customer or vendor organization.
#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let create = ServerAction::<CreateOrganization>::new();
    let result = create.value();
    let error_for = field_errors(result);
    let kind_error = error_for(Field::Kind);
    let pending = create.pending();
    view! {
        <Title text="Add organization" />
        <ConsoleNav current="" />
        <p><a href="/platform">"← Organizations"</a></p>
        <div class="page-head"><h1>"Add organization"</h1></div>
        <section class="card">
            <ActionForm action=create>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <fieldset class="field">
                    <legend>"Kind"</legend>
                    <label class="choice">
                        <input type="radio" name="kind" value="customer" checked=true />
                        " Customer: a billing practice, with its parent company"
                    </label>
                    <label class="choice">
                        <input type="radio" name="kind" value="vendor" />
                        " Vendor: a billing service or software vendor"
                    </label>
                    <p class="field-error">{move || kind_error.get()}</p>
                </fieldset>
                <TextField id="org-name" name="name" label="Organization name" autocomplete="organization"
                    required=true error=error_for(Field::OrganizationName) />
                <h2 class="form-section">"Its first Administrator"</h2>
                <p class="muted">"They get an invitation by mail to choose a password, then set up two-factor sign-in."</p>
                <TextField id="org-first-name" name="first_name" label="First name" autocomplete="off"
                    required=true error=error_for(Field::FirstName) />
                <TextField id="org-last-name" name="last_name" label="Last name" autocomplete="off"
                    required=true error=error_for(Field::LastName) />
                <TextField id="org-email" name="email" label="Email" kind="email" autocomplete="off"
                    required=true error=error_for(Field::Email) />
                <button type="submit" class="button" disabled=move || pending.get()>"Add organization"</button>
            </ActionForm>
        </section>
    }
}

/// One organization.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<OrgId>().ok()));
    let rename = ServerAction::<RenameOrganization>::new();
    let suspend = ServerAction::<SetOrganizationSuspended>::new();
    let (renamed, suspended) = (successes(rename.value()), successes(suspend.value()));
    let detail = Resource::new(
        move || (id(), renamed.get(), suspended.get()),
        |(id, ..)| async move {
            match id {
                Some(id) => load_organization(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Organization" />
        <ConsoleNav current="" />
        <p><a href="/platform">"← Organizations"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the organization…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Organization detail rename suspend /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Organization(
    detail: OrgDetail,
    rename: ServerAction<RenameOrganization>,
    suspend: ServerAction<SetOrganizationSuspended>,
) -> impl IntoView {
    let query = use_query_map();
    let created = move || query.with(|q| q.get("created").is_some());
    let org = detail.summary.clone();
    let (id, version) = (org.id, detail.version);
    let rename_error = field_errors(rename.value())(Field::OrganizationName);
    let renamed = saved_message(rename.value());
    let rename_failed = any_error(rename.value());
    let suspended_said = saved_message(suspend.value());
    let suspend_failed = any_error(suspend.value());
    let run = detail.may_run.then(|| {
        let name = org.name.clone();
        let (label, to) = if org.suspended {
            ("Reactivate organization", "false")
        } else {
            ("Suspend organization", "true")
        };
        view! {
            <section class="card" aria-labelledby="org-run-heading">
                <h2 id="org-run-heading">"Name and status"</h2>
                <ActionForm action=rename attr:class="inline-form">
                    <input type="hidden" name="org_id" value=id.to_string() />
                    <input type="hidden" name="version" value=version.to_string() />
                    <TextField id="org-rename" name="name" label="Name" value=name required=true error=rename_error />
                    <button type="submit" class="button button-small">"Rename"</button>
                </ActionForm>
                <p class="success" role="status">{renamed}</p>
                {move || rename_failed().filter(|_| rename_error.get().is_none())
                    .map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <ActionForm action=suspend>
                    <input type="hidden" name="org_id" value=id.to_string() />
                    <input type="hidden" name="version" value=version.to_string() />
                    <input type="hidden" name="suspended" value=to />
                    <p class="muted">{if org.suspended {
                        "Suspended: none of its users can sign in. Nothing was deleted."
                    } else {
                        "Suspending keeps everything, but none of its users can sign in until it is reactivated."
                    }}</p>
                    <button type="submit" class="button button-secondary">{label}</button>
                </ActionForm>
                <p class="success" role="status">{suspended_said}</p>
                {move || suspend_failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            </section>
        }
    });
    view! {
        <div class="page-head">
            <h1>{org.name.clone()}</h1>
            <span class="badge">{org.kind.label()}</span>
            <span class="badge">{if org.suspended { "Suspended" } else { "Active" }}</span>
        </div>
        <Show when=created>
            <p class="success" role="status">"The organization was added and its first Administrator invited by mail."</p>
        </Show>
        <p class="muted">
            {format!("{} open tickets · ", org.open_tickets)}
            {match org.kind {
                OrgKind::Vendor => "Linked customers: ",
                _ => "Linked vendors: ",
            }}
            {if org.linked.is_empty() { "none".to_owned() } else { org.linked.join(", ") }}
        </p>
        {run}
        <section class="card" aria-labelledby="org-members-heading">
            <h2 id="org-members-heading">"Users"</h2>
            {if detail.members.is_empty() {
                view! { <p class="muted">"No users."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=vec!["Name".into(), "Email".into(), "Account".into(), "Status".into(), "Two-factor".into()]>
                        {detail.members.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row">{m.name}</th>
                                <td>{m.email}</td>
                                <td>{match (m.administrator, m.support_user) {
                                    (true, true) => "Administrator, Support User",
                                    (true, false) => "Administrator",
                                    (false, true) => "Standard, Support User",
                                    (false, false) => "Standard",
                                }}</td>
                                <td>{if m.active { "Active" } else { "Inactive" }}</td>
                                <td>{if m.two_factor { "Set up" } else { "Not set up" }}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
        <TicketFor org=id />
    }
}

/// Opens a ticket for the organization, as the platform.
#[component]
fn TicketFor(org: OrgId) -> impl IntoView {
    let open = ServerAction::<OpenTicketFor>::new();
    let result = open.value();
    let error_for = field_errors(result);
    let message_error = error_for(Field::Message);
    view! {
        <section class="card" aria-labelledby="ticket-for-heading">
            <h2 id="ticket-for-heading">"Open a ticket for this organization"</h2>
            <p class="muted">"After a call, or to record a verification: its Administrators and Support Users see it on their Support page."</p>
            <ActionForm action=open>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <input type="hidden" name="org_id" value=org.to_string() />
                <TextField id="ticket-for-subject" name="subject" label="Subject" autocomplete="off" required=true
                    error=error_for(Field::Subject) />
                <div class="field">
                    <label for="ticket-for-message">"Message"</label>
                    <textarea id="ticket-for-message" name="message" rows="4" required=true
                        aria-invalid=move || if message_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="ticket-for-message-error"></textarea>
                    <p id="ticket-for-message-error" class="field-error">{move || message_error.get()}</p>
                </div>
                <button type="submit" class="button">"Open ticket"</button>
            </ActionForm>
        </section>
    }
}
