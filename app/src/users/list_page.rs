//! The Users page: search, filters, sorting, keyset paging and bulk
//! actions.

use crate::model::{
    ids::{CompanyId, RoleId, UserId},
    number::grouped,
};
use crate::ui::table::{Column, DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use super::{
    COUNT_LIMIT, NewUserChoices, UserSort, UserSummary, UsersPage, add_api::new_user_options,
    api::list_users, bulk_api::BulkUpdateUsers,
};
use crate::{
    auth::components::AuthContext,
    ui::{
        confirm::ConfirmSubmit,
        form::{form_error, server_field_errors},
    },
};

use crate::ui::url::encode;

/// The list's search and filters, as the address holds them (so a search
/// can be bookmarked, and works without JavaScript).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filters {
    search: String,
    status: String,
    account_type: String,
    role: Option<RoleId>,
    company: Option<CompanyId>,
    sort: UserSort,
    after: Option<UserId>,
}

impl Filters {
    fn href(&self, after: Option<UserId>) -> String {
        let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        let mut href = format!(
            "/users?q={}&status={}&type={}&role={}&company={}",
            encode(&self.search),
            encode(&self.status),
            encode(&self.account_type),
            id(self.role.map(i64::from)),
            id(self.company.map(i64::from))
        );
        if self.sort != UserSort::default() {
            href.push_str(&format!("&sort={}", self.sort.key()));
        }
        if let Some(after) = after {
            href.push_str(&format!("&after={after}"));
        }
        href
    }

    fn is_filtered(&self) -> bool {
        !(self.search.is_empty()
            && self.status.is_empty()
            && self.account_type.is_empty()
            && self.role.is_none()
            && self.company.is_none())
    }
}

/// The Users page.
#[component]
pub fn UsersListPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| Filters {
            search: q.get("q").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            account_type: q.get("type").unwrap_or_default(),
            role: q.get("role").and_then(|r| r.parse().ok()),
            company: q.get("company").and_then(|c| c.parse().ok()),
            // An unknown order in a hand-edited address falls back to name order.
            sort: q
                .get("sort")
                .and_then(|s| UserSort::from_key(&s))
                .unwrap_or_default(),
            after: q.get("after").and_then(|a| a.parse().ok()),
        })
    });
    let auth = expect_context::<AuthContext>();
    let bulk = ServerAction::<BulkUpdateUsers>::new();
    let page = Resource::new(
        move || (filters.get(), bulk.version().get()),
        |(f, _)| {
            list_users(
                f.search,
                f.status,
                f.account_type,
                f.after,
                f.role,
                f.company,
                f.sort.key().to_owned(),
            )
        },
    );
    // Roles and companies for the bulk actions.
    let choices = Resource::new(|| (), |_| new_user_options());
    view! {
        <Title text="Users" />
        <crate::layout::SettingsNav current="/users" />
        <div class="page-head">
            <h1>"Users"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let adds = matches!(auth.me.await, Ok(Some(me)) if me.adds_users);
                    adds.then(|| view! { <a class="button" href="/users/new">"Add user"</a> })
                })}
            </Transition>
        </div>
        <Form method="GET" action="/users" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="users-search">"Search"</label>
                <input id="users-search" name="q" type="search" placeholder="Name or email"
                    prop:value=move || filters.get().search />
            </div>
            <div class="field">
                <label for="users-status">"Status"</label>
                <select id="users-status" name="status">
                    <FilterOption value="" label="Any status" current=Signal::derive(move || filters.get().status) />
                    <FilterOption value="active" label="Active" current=Signal::derive(move || filters.get().status) />
                    <FilterOption value="inactive" label="Inactive" current=Signal::derive(move || filters.get().status) />
                </select>
            </div>
            <div class="field">
                <label for="users-type">"Account type"</label>
                <select id="users-type" name="type">
                    <FilterOption value="" label="Any account type" current=Signal::derive(move || filters.get().account_type) />
                    <FilterOption value="standard" label="Standard" current=Signal::derive(move || filters.get().account_type) />
                    <FilterOption value="administrator" label="Administrator" current=Signal::derive(move || filters.get().account_type) />
                </select>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let choices = choices.await.unwrap_or(NewUserChoices { companies: vec![], roles: vec![], acting: None, delegated: false, grantable: vec![] });
                    let current = filters.get_untracked();
                    view! {
                        <div class="field">
                            <label for="users-role">"Role"</label>
                            <select id="users-role" name="role">
                                <option value="" selected=current.role.is_none()>"Any role"</option>
                                {choices.roles.into_iter().map(|(id, name, _)| view! {
                                    <option value=id.to_string() selected=current.role == Some(id)>{name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="users-company">"Can act in"</label>
                            <select id="users-company" name="company">
                                <option value="" selected=current.company.is_none()>"Any company"</option>
                                {choices.companies.into_iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=current.company == Some(id)>{name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Transition>
            <div class="field">
                <label for="users-sort">"Sort by"</label>
                <select id="users-sort" name="sort">
                    {UserSort::ALL.into_iter().map(|sort| view! {
                        <option value=sort.key() selected=move || filters.get().sort == sort>{sort.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Search"</button>
        </Form>
        <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let choices = choices.await.ok();
                        view! { <UsersTable page filters=filters.get_untracked() bulk choices /> }.into_any()
                    }
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn FilterOption(
    value: &'static str,
    label: &'static str,
    current: Signal<String>,
) -> impl IntoView {
    view! { <option value=value selected=move || current.get() == value>{label}</option> }
}

#[component]
fn UsersTable(
    page: UsersPage,
    filters: Filters,
    bulk: ServerAction<BulkUpdateUsers>,
    choices: Option<NewUserChoices>,
) -> impl IntoView {
    let result = bulk.value();
    let summary = move || match result.get() {
        Some(Ok(summary)) => Some(summary),
        _ => None,
    };
    let bulk_error = move || {
        server_field_errors(result)()
            .and_then(|e| e.0.values().next().cloned())
            .or_else(form_error(result))
    };
    let choices = choices.unwrap_or(NewUserChoices {
        acting: None,
        delegated: false,
        grantable: vec![],
        companies: vec![],
        roles: vec![],
    });
    let count = match (page.more, page.total) {
        (true, _) => format!("More than {} users", grouped(COUNT_LIMIT.unsigned_abs())),
        (false, 1) => "1 user".to_owned(),
        (false, n) => format!("{} users", grouped(n.unsigned_abs())),
    };
    let administer = page.administer;
    // Only Administrators can act on it.
    let lonely_admin = administer && page.active_administrators < 2;
    let next = page.next_after.map(|after| filters.href(Some(after)));
    let first = filters.after.map(|_| filters.href(None));
    let filtered = filters.is_filtered();
    view! {
        <Show when=move || lonely_admin>
            <p class="warning" role="note">
                "Your organization has fewer than two active Administrators. Make a second user an Administrator, so that someone can always manage users."
            </p>
        </Show>
        <p id="users-count" class="muted" role="status">{count}</p>
        {if page.users.is_empty() {
            view! {
                <section class="card">
                    <p>{if filtered { "No user matches this search." } else { "There are no users yet." }}</p>
                    {filtered.then(|| view! { <a href="/users">"Show all users"</a> })}
                </section>
            }
            .into_any()
        } else if administer {
            view! {
                <ActionForm action=bulk>
                <div class="bulk-bar" role="group" aria-label="Bulk actions">
                    <label for="bulk-action">"With the picked users"</label>
                    <select id="bulk-action" name="action">
                        <option value="deactivate">"Deactivate"</option>
                        <option value="activate">"Activate"</option>
                        <option value="assign_role">"Assign the role…"</option>
                        <option value="add_company">"Add the company…"</option>
                    </select>
                    <label for="bulk-role" class="visually-hidden">"Role"</label>
                    <select id="bulk-role" name="role_id">
                        <option value="">"Role: none"</option>
                        {choices.roles.iter().map(|(id, name, _)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <label for="bulk-company" class="visually-hidden">"Company"</label>
                    <select id="bulk-company" name="company_id">
                        <option value="">"Company: choose"</option>
                        {choices.companies.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    // A change to many users at once: asked first.
                    <ConfirmSubmit label="Apply" class="button"
                        question="Apply this to every picked user? Deactivated users are signed out at once."
                        confirm="Apply to the picked users" />
                </div>
                {move || bulk_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <p class="success" role="status">{summary}</p>
                <UsersTableBody users=page.users pickable=true sort=filters.sort />
                </ActionForm>
            }
            .into_any()
        } else {
            view! { <UsersTableBody users=page.users pickable=false sort=filters.sort /> }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"First page"</a> })}
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    }
}

/// The table of users; `pickable` adds a checkbox per row for bulk actions.
#[component]
fn UsersTableBody(users: Vec<UserSummary>, pickable: bool, sort: UserSort) -> impl IntoView {
    // Tells screen readers which column the rows are ordered by.
    let name_sort = match sort {
        UserSort::Name => Some("ascending"),
        UserSort::NameDescending => Some("descending"),
        _ => None,
    };
    let email_sort = (sort == UserSort::Email).then_some("ascending");
    let mut headings: Vec<Column> = pickable
        .then(|| Column::hidden("Pick"))
        .into_iter()
        .collect();
    headings.push(Column::new("Name").sorted(name_sort));
    headings.push(Column::new("Email").sorted(email_sort));
    headings.extend(columns([
        "Status",
        "Account type",
        "User type",
        "Role",
        "Two-factor",
    ]));
    view! {
        <DataTable columns=headings>
            {users.into_iter().enumerate().map(|(i, u)| view! { <UserRow u index=i pickable /> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn UserRow(u: UserSummary, index: usize, pickable: bool) -> impl IntoView {
    let two_factor = match (u.two_factor, u.administrator) {
        (true, _) => view! { <span>"On"</span> }.into_any(),
        (false, true) => view! { <span class="badge badge-warning">"Not set up"</span> }.into_any(),
        (false, false) => view! { <span class="muted">"Off"</span> }.into_any(),
    };
    view! {
        <tr>
            {pickable.then(|| view! {
                <td>
                    <input type="checkbox" name=format!("users[{index}]") value=u.id.to_string()
                        aria-label=format!("Pick {}", u.name) />
                </td>
            })}
            <td><a href=format!("/users/{}", u.id)>{u.name}</a></td>
            <td>{u.email}</td>
            <td>{if u.active { "Active" } else { "Inactive" }}</td>
            <td>{if u.administrator { "Administrator" } else { "Standard" }}</td>
            <td>{u.user_type.label()}</td>
            <td>{u.role.unwrap_or_else(|| "—".to_owned())}</td>
            <td>{two_factor}</td>
        </tr>
    }
}
