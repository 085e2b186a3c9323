//! The support pages: the ticket list with the
//! form to open one, and a ticket's page with its claims and comments.
//! Vendor staff reach the list of a linked account at
//! `/support?account=ID`; what they see follows the account's Vendor Access.

use crate::model::ids::{OrgId, TicketId};
use crate::ui::table::{Column, DataTable};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    TicketDetail, TicketsPage,
    api::{
        AskVendorForHelp, CcOnTicket, CommentOnTicket, OpenTicket, SetTicketStatus, list_tickets,
        load_ticket,
    },
};
use crate::{
    error::AppError,
    model::{
        claim::money,
        policy::Denied,
        ticket::{TicketStatus, TicketView},
        validation::Field,
    },
    ui::form::{TextField, any_error, field_errors, form_error, successes},
};

/// The support tickets.
#[component]
pub fn SupportPage() -> impl IntoView {
    let query = use_query_map();
    let args = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("account").and_then(|v| v.parse::<OrgId>().ok()),
                q.get("after").and_then(|v| v.parse::<TicketId>().ok()),
                q.get("view"),
            )
        })
    });
    let tickets = Resource::new(
        move || args.get(),
        |(account, after, view)| list_tickets(account, after, view),
    );
    view! {
        <Title text="Support tickets" />
        <Transition fallback=|| view! { <p class="muted">"Loading tickets…"</p> }>
            {move || Suspend::new(async move {
                match tickets.await {
                    Ok(page) => view! { <TicketList page account=args.get_untracked().0 /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <crate::layout::SignInFirst />
                    }
                    .into_any(),
                    Err(AppError::Forbidden(Denied::SupportUsersOnly)) => view! {
                        <div class="page-head"><h1>"Support tickets"</h1></div>
                        <section class="card">
                            <p>{Denied::SupportUsersOnly.to_string()}</p>
                            <SupportContacts />
                            <p class="muted">
                                "If you need help, ask one of them to open a ticket "
                                "or to make you a Support User."
                            </p>
                        </section>
                        <CcdTickets />
                    }
                    .into_any(),
                    Err(e) => view! {
                        <div class="page-head"><h1>"Support tickets"</h1></div>
                        <p class="error" role="alert">{e.to_string()}</p>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// For a user who does not handle tickets: those they are CC'd on.
#[component]
fn CcdTickets() -> impl IntoView {
    let tickets = Resource::new(|| (), |_| list_tickets(None, None, Some("cc".to_owned())));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let page = tickets.await.ok()?;
                Some(view! {
                    <section class="card" aria-labelledby="ccd-heading">
                        <h2 id="ccd-heading">{TicketView::Ccd.label()}</h2>
                        {if page.tickets.is_empty() {
                            view! { <p class="muted">"You are not CC'd on any ticket."</p> }.into_any()
                        } else {
                            view! { <TicketRows tickets=page.tickets /> }.into_any()
                        }}
                    </section>
                })
            })}
        </Transition>
    }
}

/// The people who open the organization's tickets, by name.
#[component]
fn SupportContacts() -> impl IntoView {
    let contacts = Resource::new(|| (), |_| super::api::support_contacts());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match contacts.await {
                    Ok(people) if people.is_empty() => view! {
                        <p>"Your organization has no active Administrator or Support User; ask the platform's support team."</p>
                    }
                    .into_any(),
                    Ok(people) => view! {
                        <h2 class="section-title">"Your Administrators and Support Users"</h2>
                        <ul class="plain-list" aria-label="Administrators and Support Users">
                            {people.into_iter().map(|p| {
                                let what = match (p.administrator, p.support_user) {
                                    (true, true) => "Administrator, Support User",
                                    (true, false) => "Administrator",
                                    _ => "Support User",
                                };
                                view! { <li><strong>{p.name}</strong>" — "{what}</li> }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TicketList(page: TicketsPage, account: Option<OrgId>) -> impl IntoView {
    let vendor_view = page.vendor_tier.map(|tier| {
        view! {
            <p class="notice">
                {format!("{} gave your vendor {}: ", page.organization, tier.label())}
                {tier.description()}
            </p>
        }
    });
    let view_key = page.view.map(TicketView::key);
    let next = page.next_after.map(|after| {
        let href = match (account, view_key) {
            (Some(a), _) => format!("/support?account={a}&after={after}"),
            (None, Some(v)) => format!("/support?view={v}&after={after}"),
            (None, None) => format!("/support?after={after}"),
        };
        view! { <p><a class="button button-secondary" href=href>"Older tickets"</a></p> }
    });
    let vendor_queue = page.vendor_queue;
    let can_open = vendor_queue || page.handles;
    // Seed 002's ticket views, for those who handle the organization's tickets.
    const VIEWS: &[(&str, &str)] = &[
        ("/support?view=mine", "My Tickets"),
        ("/support?view=team", "Team Tickets"),
        ("/support?view=cc", "CC'd Tickets"),
    ];
    let views = page.handles.then(|| {
        let current = match page.view {
            Some(TicketView::Team) => VIEWS[1].0,
            Some(TicketView::Ccd) => VIEWS[2].0,
            _ => VIEWS[0].0,
        };
        view! { <crate::ui::nav::SectionNav label="Ticket views" links=VIEWS current /> }
    });
    let empty = match page.view {
        Some(TicketView::Mine) => {
            "You have not opened any ticket. Team Tickets shows your organization's."
        }
        Some(TicketView::Ccd) => "You are not CC'd on any ticket.",
        _ => "No tickets to show.",
    };
    view! {
        <div class="page-head">
            <h1>{if vendor_queue { "Vendor Support" } else { "Support tickets" }}</h1>
            <span class="muted">{page.organization.clone()}</span>
        </div>
        {vendor_queue.then(|| view! {
            <p class="muted">"Your vendor's own tickets to the Portcullis platform team. "
            "Tickets of a linked account are on its page under Accounts."</p>
        })}
        {vendor_view}
        {views}
        {if page.tickets.is_empty() {
            view! { <p class="card muted">{empty}</p> }.into_any()
        } else {
            view! { <TicketRows tickets=page.tickets /> }.into_any()
        }}
        {next}
        {can_open.then(|| view! { <NewTicket about_claims=!vendor_queue /> })}
    }
}

#[component]
fn TicketRows(tickets: Vec<super::TicketSummary>) -> impl IntoView {
    view! {
        <DataTable columns=vec!["Ticket".into(), "Status".into(), "Opened by".into(), "Last change".into(), Column::numeric("Comments"), "Vendor help".into()]>
            {tickets.into_iter().map(|t| view! {
                <tr>
                    <th scope="row"><a href=format!("/support/{}", t.id)>{format!("#{} {}", t.id, t.subject)}</a></th>
                    <td>{t.status.label()}</td>
                    <td>{t.opened_by}</td>
                    <td>{t.updated}</td>
                    <td class="numeric">{t.comments}</td>
                    <td>{if t.help_from.is_empty() { "—".to_owned() } else { t.help_from.join(", ") }}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn NewTicket(about_claims: bool) -> impl IntoView {
    let open = ServerAction::<OpenTicket>::new();
    let result = open.value();
    let error_for = field_errors(result);
    let message_error = error_for(Field::Message);
    let pending = open.pending();
    let (typed, set_typed) = signal(String::new());
    view! {
        <section class="card" aria-labelledby="new-ticket-heading">
            <h2 id="new-ticket-heading">"Open a ticket"</h2>
            <ActionForm action=open>
                {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="ticket-subject" name="subject" label="Subject" autocomplete="off" required=true
                    error=error_for(Field::Subject) on_input=Callback::new(move |v| set_typed.set(v)) />
                <crate::help::suggestions::HelpSuggestions typed />
                <div class="field">
                    <label for="ticket-message">"What is the problem?"</label>
                    <textarea id="ticket-message" name="message" rows="5" required=true
                        aria-invalid=move || if message_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="ticket-message-error"></textarea>
                    <p id="ticket-message-error" class="field-error">{move || message_error.get()}</p>
                </div>
                {if about_claims {
                    view! {
                        <TextField id="ticket-claims" name="claims" label="Claims it is about (optional, e.g. NC-0001, NC-0002)"
                            autocomplete="off" error=error_for(Field::Claims) />
                    }
                    .into_any()
                } else {
                    view! { <input type="hidden" name="claims" value="" /> }.into_any()
                }}
                <button type="submit" class="button" disabled=move || pending.get()>"Open ticket"</button>
            </ActionForm>
        </section>
    }
}

/// One support ticket.
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<TicketId>().ok()));
    let comment = ServerAction::<CommentOnTicket>::new();
    let status = ServerAction::<SetTicketStatus>::new();
    let ask = ServerAction::<AskVendorForHelp>::new();
    let cc = ServerAction::<CcOnTicket>::new();
    let reloads = RwSignal::new(0);
    // Which form was sent last, so its answer shows (each action keeps its
    // own last answer); outside the ticket, which is rebuilt on reload.
    let last = RwSignal::new(None::<Sent>);
    let (commented, set, asked, ccd) = (
        successes(comment.value()),
        successes(status.value()),
        successes(ask.value()),
        successes(cc.value()),
    );
    let ticket = Resource::new(
        move || {
            (
                id(),
                commented.get(),
                set.get(),
                asked.get(),
                ccd.get(),
                reloads.get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_ticket(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Support ticket" />
        <Transition fallback=|| view! { <p class="muted">"Loading the ticket…"</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(detail) => view! { <Ticket detail comment status ask cc reloads last /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"Ticket not found"</h1>
                        <p>"There is no such ticket that you can see."</p></section>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <section class="card"><h1>"Support ticket"</h1>
                        <p class="error" role="alert">{e.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Comment,
    Status,
    Ask,
    Cc,
}

#[component]
fn Ticket(
    detail: TicketDetail,
    comment: ServerAction<CommentOnTicket>,
    status: ServerAction<SetTicketStatus>,
    ask: ServerAction<AskVendorForHelp>,
    cc: ServerAction<CcOnTicket>,
    reloads: RwSignal<i32>,
    last: RwSignal<Option<Sent>>,
) -> impl IntoView {
    let query = use_query_map();
    let opened = move || query.with(|q| q.get("opened").is_some());
    let comment_error = field_errors(comment.value())(Field::Comment);
    let comment_failed = form_error(comment.value());
    let done = move || {
        let result = match last.get()? {
            Sent::Comment => comment.value().get(),
            Sent::Status => status.value().get(),
            Sent::Ask => ask.value().get(),
            Sent::Cc => cc.value().get(),
        };
        result.and_then(Result::ok)
    };
    let failed = move || match last.get()? {
        Sent::Status => any_error(status.value())(),
        Sent::Ask => any_error(ask.value())(),
        Sent::Cc => any_error(cc.value())(),
        Sent::Comment => None,
    };
    let back = if detail.as_vendor {
        "/accounts"
    } else if detail.as_platform {
        "/platform/desk"
    } else if detail.as_cc {
        "/support?view=cc"
    } else {
        "/support"
    };
    let as_platform = detail.as_platform;
    let id = detail.id;
    let closed = detail.status == TicketStatus::Closed;
    let staff_tools = (!detail.as_vendor && !detail.as_cc).then(|| {
        let current = detail.status;
        let can_ask = detail.can_ask.clone();
        let cc_choices = detail.cc_choices.clone();
        let cc_form = (!as_platform).then(|| if cc_choices.is_empty() {
            view! { <p class="muted">"Everyone in your organization who could be CC'd is already."</p> }.into_any()
        } else {
            view! {
                <ActionForm action=cc attr:class="inline-form" on:submit=move |_| last.set(Some(Sent::Cc))>
                    <input type="hidden" name="ticket_id" value=id.to_string() />
                    <label for="ticket-cc">"CC a user"</label>
                    <select id="ticket-cc" name="user_id">
                        {cc_choices.into_iter().map(|(user, name)| view! {
                            <option value=user.to_string()>{name}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button-small">"Add to CC"</button>
                </ActionForm>
            }.into_any()
        });
        view! {
            <section class="card" aria-labelledby="ticket-tools-heading">
                <h2 id="ticket-tools-heading">"Handle this ticket"</h2>
                <ActionForm action=status attr:class="inline-form" on:submit=move |_| last.set(Some(Sent::Status))>
                    <input type="hidden" name="ticket_id" value=id.to_string() />
                    <input type="hidden" name="version" value=detail.version />
                    <label for="ticket-status">"Status"</label>
                    <select id="ticket-status" name="status">
                        {TicketStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=s == current>{s.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button-small">"Set status"</button>
                </ActionForm>
                {if can_ask.is_empty() {
                    view! { <p class="muted">"No other vendor can be asked: each linked vendor has been asked already or has No Access, which leaves it out of support issues."</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=ask attr:class="inline-form" on:submit=move |_| last.set(Some(Sent::Ask))>
                            <input type="hidden" name="ticket_id" value=id.to_string() />
                            <label for="ticket-vendor">{if as_platform { "Request the vendor's assistance" } else { "Request vendor help" }}</label>
                            <select id="ticket-vendor" name="vendor_id">
                                {can_ask.into_iter().map(|v| view! {
                                    <option value=v.id.to_string()>{format!("{} ({})", v.name, v.tier.label())}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button button-small">"Ask for help"</button>
                        </ActionForm>
                    }
                    .into_any()
                }}
                {cc_form}
            </section>
        }
    });
    view! {
        <p><a href=back>{if detail.as_vendor {
            "← Manage Accounts"
        } else if as_platform {
            "← Support desk"
        } else if detail.as_cc {
            "← CC'd Tickets"
        } else {
            "← All tickets"
        }}</a></p>
        <div class="page-head">
            <h1>{format!("#{} {}", detail.id, detail.subject)}</h1>
            <span class="badge">{detail.status.label()}</span>
        </div>
        <Show when=opened>
            <p class="success" role="status">"Your ticket has been opened."</p>
        </Show>
        <p class="muted">
            {format!("{} · opened by {} on {}", detail.organization, detail.opened_by, detail.opened)}
            {(!detail.help_from.is_empty()).then(|| format!(" · vendor help requested from {}", detail.help_from.join(", ")))}
            {(!detail.cc.is_empty()).then(|| format!(" · CC: {}", detail.cc.join(", ")))}
        </p>
        <p class="success" role="status">{done}</p>
        {move || failed().map(|m| view! {
            <p class="error" role="alert">{m}" "
                <button type="button" class="button button-secondary button-small"
                    on:click=move |_| reloads.update(|n| *n += 1)>"Reload"</button>
            </p>
        })}
        <section class="card ticket-message">
            <p class="pre-wrap">{detail.message}</p>
        </section>
        {(!detail.claims.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="ticket-claims-heading">
                <h2 id="ticket-claims-heading">"Claims"</h2>
                <DataTable columns=vec!["Claim".into(), "Patient".into(), "Service date".into(), Column::numeric("Amount"), "Status".into()]>
                    {detail.claims.into_iter().map(|c| {
                        let number = match c.link {
                            Some(href) => view! { <a href=href>{c.number.clone()}</a> }.into_any(),
                            None => view! { <span>{c.number.clone()}</span> }.into_any(),
                        };
                        match c.claim {
                            Some(claim) => view! {
                                <tr>
                                    <th scope="row">{number}</th>
                                    <td>{claim.patient}</td>
                                    <td>{claim.service_date}</td>
                                    <td class="numeric">{money(claim.amount_cents)}</td>
                                    <td>{claim.status.label()}</td>
                                </tr>
                            }.into_any(),
                            None => view! {
                                <tr>
                                    <th scope="row">{number}</th>
                                    <td colspan="4" class="muted">{if as_platform {
                                        "Claim data is not shown to the platform's staff."
                                    } else {
                                        "In a company whose claims you cannot see."
                                    }}</td>
                                </tr>
                            }.into_any(),
                        }
                    }).collect_view()}
                </DataTable>
            </section>
        })}
        <section class="card" aria-labelledby="ticket-comments-heading">
            <h2 id="ticket-comments-heading">"Comments"</h2>
            {if detail.comments.is_empty() {
                view! { <p class="muted">"No comments yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="comments">
                        {detail.comments.into_iter().map(|c| view! {
                            <li>
                                <p class="comment-head">
                                    <strong>{c.author}</strong>
                                    {c.vendor.map(|v| view! { " " <span class="badge">{v}</span> })}
                                    " · " <time>{c.at}</time>
                                </p>
                                <p class="pre-wrap">{c.body}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {if closed {
                view! { <p class="muted">"This ticket is closed; reopen it to comment."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=comment on:submit=move |_| last.set(Some(Sent::Comment))>
                        <input type="hidden" name="ticket_id" value=id.to_string() />
                        {move || comment_failed().filter(|_| comment_error.get().is_none())
                            .map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        <div class="field">
                            <label for="ticket-comment">"Add a comment"</label>
                            <textarea id="ticket-comment" name="body" rows="3" required=true
                                aria-invalid=move || if comment_error.get().is_some() { "true" } else { "false" }
                                aria-describedby="ticket-comment-error"></textarea>
                            <p id="ticket-comment-error" class="field-error">{move || comment_error.get()}</p>
                        </div>
                        <button type="submit" class="button">"Add comment"</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
        {staff_tools}
        {as_platform.then(|| view! {
            <crate::platform::desk_page::DeskPanel ticket=id version=detail.version reloads />
        })}
    }
}
