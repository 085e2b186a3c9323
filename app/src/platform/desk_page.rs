//! The support desk: every organization's
//! tickets in one queue with its filters; and on a ticket's page, what the
//! desk adds (`DeskPanel`): its assignee, and the Administrator changes
//! proposed on it with their approvals.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    DeskPage as Desk, DeskView,
    changes_api::{DecideChange, ProposeChange},
    desk_api::{AssignTicket, load_desk_view, support_desk},
    orgs_page::ConsoleNav,
};
use crate::{
    layout::error_view,
    model::{
        ids::TicketId,
        platform::{ChangeKind, ChangeStatus},
        ticket::TicketStatus,
        validation::Field,
    },
    ui::{
        form::{any_error, field_errors, saved_message, successes},
        table::{Column, DataTable},
    },
};

type Filters = (String, String, String, String, Option<TicketId>);

/// The support desk.
#[component]
pub fn DeskPage() -> impl IntoView {
    let query = use_query_map();
    let args = Memo::new(move |_| {
        query.with(|q| {
            let get = |key: &str| q.get(key).unwrap_or_default();
            (
                get("organization"),
                get("status"),
                get("age"),
                get("assignee"),
                q.get("after").and_then(|v| v.parse::<TicketId>().ok()),
            )
        })
    });
    let page = Resource::new(
        move || args.get(),
        |(organization, status, age, assignee, after)| {
            support_desk(organization, status, age, assignee, after)
        },
    );
    view! {
        <Title text="Support desk" />
        <ConsoleNav current="/platform/desk" />
        <div class="page-head"><h1>"Support desk"</h1></div>
        <p class="muted">"Tickets that customers and vendors address to the platform, newest first."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading tickets…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Queue page args=args.get_untracked() /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Queue(page: Desk, args: Filters) -> impl IntoView {
    let (organization, status, age, assignee, _) = args.clone();
    let option = |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let statuses = std::iter::once(("".to_owned(), "Any status".to_owned()))
        .chain(
            TicketStatus::ALL
                .into_iter()
                .map(|s| (s.key().to_owned(), s.label().to_owned())),
        )
        .map(|(v, l)| option(v, l, &status))
        .collect_view();
    let ages = [
        ("", "Any age"),
        ("1", "Older than a day"),
        ("7", "Older than a week"),
        ("30", "Older than 30 days"),
    ]
    .into_iter()
    .map(|(v, l)| option(v.to_owned(), l.to_owned(), &age))
    .collect_view();
    let assignees = [("", "Anyone or nobody"), ("me", "Me"), ("none", "Nobody")]
        .into_iter()
        .map(|(v, l)| (v.to_owned(), l.to_owned()))
        .chain(
            page.agents
                .iter()
                .map(|a| (a.id.to_string(), a.name.clone())),
        )
        .map(|(v, l)| option(v, l, &assignee))
        .collect_view();
    let next = page.next_after.map(|after| {
        let (o, s, a, w, _) = &args;
        let href = format!(
            "/platform/desk?organization={}&status={s}&age={a}&assignee={w}&after={after}",
            crate::ui::url::encode(o)
        );
        view! { <p><a class="button button-secondary" href=href>"Older tickets"</a></p> }
    });
    view! {
        <form method="get" action="/platform/desk" class="filters" role="search">
            <div class="field">
                <label for="desk-organization">"Organization"</label>
                <input id="desk-organization" name="organization" type="search" value=organization />
            </div>
            <div class="field">
                <label for="desk-status">"Status"</label>
                <select id="desk-status" name="status">{statuses}</select>
            </div>
            <div class="field">
                <label for="desk-age">"Age"</label>
                <select id="desk-age" name="age">{ages}</select>
            </div>
            <div class="field">
                <label for="desk-assignee">"Assigned to"</label>
                <select id="desk-assignee" name="assignee">{assignees}</select>
            </div>
            <button type="submit" class="button button-secondary">"Filter"</button>
        </form>
        {if page.tickets.is_empty() {
            view! { <p class="card muted">"No ticket matches."</p> }.into_any()
        } else {
            view! {
                <DataTable columns=vec![
                    "Ticket".into(), "Organization".into(), "Status".into(), "Opened by".into(),
                    "Assigned to".into(), Column::numeric("Age (days)"), "Last change".into(),
                ]>
                    {page.tickets.into_iter().map(|t| view! {
                        <tr>
                            <th scope="row"><a href=format!("/support/{}", t.id)>{format!("#{} {}", t.id, t.subject)}</a></th>
                            <td>{format!("{} ({})", t.organization, t.kind.label())}</td>
                            <td>{t.status.label()}</td>
                            <td>{t.opened_by}</td>
                            <td>{t.assignee.unwrap_or_else(|| "—".to_owned())}</td>
                            <td class="numeric">{t.age_days}</td>
                            <td>{t.updated}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
        {next}
    }
}

/// What the desk adds to a ticket's page for the platform's staff.
#[component]
pub fn DeskPanel(ticket: TicketId, version: i32, reloads: RwSignal<i32>) -> impl IntoView {
    let assign = ServerAction::<AssignTicket>::new();
    let propose = ServerAction::<ProposeChange>::new();
    let decide = ServerAction::<DecideChange>::new();
    let (assigned, proposed, decided) = (
        successes(assign.value()),
        successes(propose.value()),
        successes(decide.value()),
    );
    Effect::new(move |_| {
        if assigned.get() > 0 {
            reloads.update(|n| *n += 1);
        }
    });
    let view_of = Resource::new(
        move || (proposed.get(), decided.get()),
        move |_| load_desk_view(ticket),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the desk…"</p> }>
            {move || Suspend::new(async move {
                match view_of.await {
                    Ok(desk) => view! { <Panel desk ticket version assign propose decide /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Panel(
    desk: DeskView,
    ticket: TicketId,
    version: i32,
    assign: ServerAction<AssignTicket>,
    propose: ServerAction<ProposeChange>,
    decide: ServerAction<DecideChange>,
) -> impl IntoView {
    let assigned = saved_message(assign.value());
    let assign_failed = any_error(assign.value());
    let proposed = saved_message(propose.value());
    let propose_errors = field_errors(propose.value());
    let propose_failed = any_error(propose.value());
    let decided = saved_message(decide.value());
    let decide_failed = any_error(decide.value());
    let current = desk.assignee;
    let changes = desk.changes.clone();
    let may_approve = desk.may_approve;
    let me = desk.me;
    let members = desk.members.clone();
    view! {
        <section class="card" aria-labelledby="desk-assign-heading">
            <h2 id="desk-assign-heading">"Support desk"</h2>
            <ActionForm action=assign attr:class="inline-form">
                <input type="hidden" name="ticket_id" value=ticket.to_string() />
                <input type="hidden" name="version" value=version />
                <label for="desk-assign">"Assigned to"</label>
                <select id="desk-assign" name="assignee">
                    <option value="" selected=current.is_none()>"Nobody"</option>
                    {desk.agents.into_iter().map(|a| view! {
                        <option value=a.id.to_string() selected=current == Some(a.id)>{a.name}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-small">"Assign"</button>
            </ActionForm>
            <p class="success" role="status">{assigned}</p>
            {move || assign_failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        </section>
        {(!members.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="desk-change-heading">
                <h2 id="desk-change-heading">"Administrator changes"</h2>
                <p class="muted">"Asked for by a current Administrator on this ticket (or, when none is active, after a verification you record below). A second Platform Administrator approves before anything changes."</p>
                {(!changes.is_empty()).then(|| view! {
                    <DataTable columns=vec!["Change".into(), "User".into(), "Reason".into(), "Proposed by".into(), "Status".into(), Column::hidden("Decide")]>
                        {changes.into_iter().map(|c| {
                            let decidable = may_approve && c.status == ChangeStatus::Pending && c.proposed_by_id != me;
                            let status = match (c.status, c.decided_by.clone()) {
                                (ChangeStatus::Pending, _) => "Waiting for approval".to_owned(),
                                (ChangeStatus::Applied, by) => format!("Approved by {}", by.unwrap_or_default()),
                                (ChangeStatus::Rejected, by) => format!("Rejected by {}", by.unwrap_or_default()),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{c.kind.label()}</th>
                                    <td>{c.target}</td>
                                    <td>{c.reason}</td>
                                    <td>{format!("{} · {}", c.proposed_by, c.at)}</td>
                                    <td>{status}</td>
                                    <td>{decidable.then(|| view! {
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="change_id" value=c.id.to_string() />
                                            <input type="hidden" name="approve" value="true" />
                                            <button type="submit" class="button button-small">"Approve"</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="change_id" value=c.id.to_string() />
                                            <input type="hidden" name="approve" value="false" />
                                            <button type="submit" class="button button-secondary button-small">"Reject"</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                })}
                <p class="success" role="status">{decided}</p>
                {move || decide_failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <ActionForm action=propose>
                    <input type="hidden" name="ticket_id" value=ticket.to_string() />
                    <div class="field">
                        <label for="change-kind">"Change"</label>
                        <select id="change-kind" name="change">
                            {ChangeKind::ALL.into_iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="change-user">"User"</label>
                        <select id="change-user" name="user_id">
                            {members.into_iter().map(|m| {
                                let what = match (m.administrator, m.active) {
                                    (true, true) => "Administrator",
                                    (true, false) => "Administrator, inactive",
                                    (false, true) => "Standard",
                                    (false, false) => "Standard, inactive",
                                };
                                view! { <option value=m.id.to_string()>{format!("{} <{}> ({what})", m.name, m.email)}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-error">{move || propose_errors(Field::User).get()}</p>
                    </div>
                    <div class="field">
                        <label for="change-reason">"What was verified, and how"</label>
                        <textarea id="change-reason" name="reason" rows="2" required=true
                            aria-describedby="change-reason-error"></textarea>
                        <p id="change-reason-error" class="field-error">{move || propose_errors(Field::Reason).get()}</p>
                    </div>
                    <button type="submit" class="button">"Propose change"</button>
                </ActionForm>
                <p class="success" role="status">{proposed}</p>
                {move || propose_failed().filter(|_| propose_errors(Field::User).get().is_none() && propose_errors(Field::Reason).get().is_none())
                    .map(|m| view! { <p class="error" role="alert">{m}</p> })}
            </section>
        })}
    }
}
