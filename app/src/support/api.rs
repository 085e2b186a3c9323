//! Server functions of the support pages.
//!
//! Permissions: the customer's Administrators and Support Users (policy
//! action `SupportTickets`) open, read, comment on and close its tickets
//! and ask vendors for help (`AskVendorForHelp`: never a No Access
//! vendor). Vendor staff read and comment as `VendorReach` allows for the
//! ticket; everything they do or read here is recorded in the customer's
//! audit, labelled with their vendor. Other callers get "not found".

use leptos::prelude::*;

use super::{SupportContact, TicketDetail, TicketsPage};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    db::one_page,
    mail::outbox::{Mail, enqueue},
    model::{
        org::OrgKind,
        permission::Permission,
        policy::{Action, VendorNeed},
        ticket::{
            CC_WHOM_MESSAGE, TicketInput, TicketStatus, TicketView, VIEW_MESSAGE, validate_comment,
            validate_ticket,
        },
        time::minute_utc,
        validation::Field,
    },
    principal::serve,
    support::{
        Comment, TICKET_CHANGED_ELSEWHERE, TICKET_CLOSED, TICKET_STATUS_MESSAGE, TICKETS_PAGE_SIZE,
        TicketSummary, UNKNOWN_CLAIM, VendorChoice, db,
        reader::{Reader, claims_of, reach, staff_reach},
    },
};
use crate::{
    error::AppError,
    model::ids::{OrgId, TicketId, UserId, VendorId},
};
#[cfg(feature = "ssr")]
use chrono::Utc;
#[cfg(feature = "ssr")]
use serde_json::json;

/// The tickets of the caller's organization in the view `view` ("mine",
/// the default: those the caller opened; "team": all; "cc": those the
/// caller is CC'd on), or, for vendor staff, of the linked customer
/// `customer_id` as far as its Vendor Access allows; newest first, after
/// `after` (keyset paging).
///
/// Permissions: My and Team Tickets, `SupportTickets`; CC'd Tickets,
/// `ReadTicketsCcd` (any active user of the customer).
#[server(prefix = "/api", endpoint = "list_tickets")]
pub async fn list_tickets(
    customer_id: Option<OrgId>,
    after: Option<TicketId>,
    view: Option<String>,
) -> Result<TicketsPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let own = caller.user.org;
        let mut shown = None;
        let (org, only, vendor_tier) = match (caller.snapshot.org.kind, customer_id) {
            // One's own organization's, named or not.
            (OrgKind::Customer, id) if id.is_none_or(|id| id == own) => {
                let (only, view) = own_view(&caller, view.as_deref())?;
                shown = Some(view);
                (own, only, None)
            }
            (OrgKind::Vendor, Some(customer)) => {
                let tier = caller
                    .access
                    .vendor_tier(customer)
                    .ok_or(AppError::NotFound)?;
                let reach = |help_requested| Action::VendorReach {
                    customer,
                    need: VendorNeed::Ticket { help_requested },
                };
                if caller.may(reach(false)) {
                    (customer, db::Only::All, Some(tier))
                } else {
                    caller.check(reach(true))?;
                    (customer, db::Only::HelpFrom(VendorId(own.0)), Some(tier))
                }
            }
            // Vendor Support: the vendor's own tickets to the platform.
            (OrgKind::Vendor, None) => {
                caller.check(Action::SupportTickets(own))?;
                (own, db::Only::All, None)
            }
            (OrgKind::Customer, _) => return Err(AppError::NotFound),
            // The platform's staff read tickets on their support desk.
            (OrgKind::Platform, _) => {
                caller.check(Action::SupportTickets(own))?;
                return Err(AppError::NotFound);
            }
        };
        let mut conn = request.state.pool.acquire().await?;
        let rows = db::list(&mut conn, org, only, after, TICKETS_PAGE_SIZE + 1).await?;
        let (rows, next_after) = one_page(rows, TICKETS_PAGE_SIZE, |row| row.id);
        let tickets: Vec<TicketSummary> = rows
            .into_iter()
            .map(|row| TicketSummary {
                id: row.id,
                subject: row.subject,
                status: row.status,
                opened_by: row.opened_by,
                updated: minute_utc(row.updated_at),
                comments: row.comments,
                help_from: row.help_from,
            })
            .collect();
        Ok(TicketsPage {
            vendor_queue: caller.snapshot.org.kind == OrgKind::Vendor && customer_id.is_none(),
            view: shown,
            handles: shown.is_some() && caller.may(Action::SupportTickets(own)),
            organization: crate::org::db::name(&mut conn, org).await?,
            next_after,
            tickets,
            vendor_tier,
        })
    })
    .await
}

/// The view of the organization's own tickets `view` names (My Tickets
/// when none), as the policy allows it to the caller.
#[cfg(feature = "ssr")]
fn own_view(
    caller: &crate::principal::Caller,
    view: Option<&str>,
) -> Result<(db::Only, TicketView), AppError> {
    let view = match view.map(str::trim).filter(|v| !v.is_empty()) {
        None => TicketView::Mine,
        Some(key) => {
            TicketView::from_key(key).ok_or_else(|| AppError::field(Field::View, VIEW_MESSAGE))?
        }
    };
    let org = caller.user.org;
    let only = match view {
        TicketView::Mine => {
            caller.check(Action::SupportTickets(org))?;
            db::Only::OpenedBy(caller.user.id)
        }
        TicketView::Team => {
            caller.check(Action::SupportTickets(org))?;
            db::Only::All
        }
        TicketView::Ccd => {
            caller.check(Action::ReadTicketsCcd(org))?;
            db::Only::CcTo(caller.user.id)
        }
    };
    Ok((only, view))
}

/// Who opens the organization's tickets: its active Administrators and
/// Support Users (at most 50), for a user who may not open one.
///
/// Permissions: any active user of a customer or vendor, of their own
/// organization (`Action::SeeSupportContacts`).
#[server(prefix = "/api", endpoint = "support_contacts")]
pub async fn support_contacts() -> Result<Vec<SupportContact>, AppError> {
    serve(|request| async move {
        let caller = request
            .caller()
            .await?
            .allowed(Action::SeeSupportContacts)?;
        let mut conn = request.state.pool.acquire().await?;
        Ok(db::contacts(&mut conn, caller.user.org, 50).await?)
    })
    .await
}

/// Opens a ticket, possibly about some claims (by number); answers with
/// the ticket's page.
#[server(prefix = "/api", endpoint = "open_ticket")]
pub async fn open_ticket(
    subject: String,
    message: String,
    claims: String,
) -> Result<TicketId, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        caller.check(Action::SupportTickets(caller.user.org))?;
        let ticket = validate_ticket(&TicketInput {
            subject,
            message,
            claims,
        })
        .map_err(AppError::Invalid)?;
        let mut tx = request.state.pool.begin().await?;
        // Claims by number, only in companies where the caller sees claims.
        let visible: Vec<i64> = caller
            .snapshot
            .companies
            .iter()
            .filter(|company| {
                caller.may(Action::Use {
                    company,
                    permission: Permission::ClaimsView,
                })
            })
            .map(|c| c.id.0)
            .collect();
        let found =
            db::claims_numbered(&mut tx, caller.user.org, &visible, &ticket.claim_numbers).await?;
        let missing: Vec<&str> = ticket
            .claim_numbers
            .iter()
            .filter(|n| !found.iter().any(|(_, number)| number == *n))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(AppError::field(
                Field::Claims,
                &format!("{UNKNOWN_CLAIM}{}.", missing.join(", ")),
            ));
        }
        let claim_ids: Vec<i64> = found.iter().map(|(id, _)| id.0).collect();
        let id = db::open(
            &mut tx,
            caller.user.org,
            caller.user.id,
            &ticket.subject,
            &ticket.message,
            &claim_ids,
        )
        .await?;
        let event = Event::new(caller.user.org, "ticket.open", "support_ticket", id)
            .after(json!({ "subject": ticket.subject, "claims": ticket.claim_numbers }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/support/{id}?opened"));
        Ok(id)
    })
    .await
}

/// One ticket with its claims, comments and the vendors it may go to.
#[server(prefix = "/api", endpoint = "load_ticket")]
pub async fn load_ticket(ticket_id: TicketId) -> Result<TicketDetail, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut conn = request.state.pool.acquire().await?;
        let (ticket, reader) = reach(&mut conn, &caller, ticket_id, false).await?;
        let claims = claims_of(&mut conn, &caller, &ticket, reader).await?;
        let comments = db::comments(&mut conn, ticket.id).await?;
        let vendors = db::linked_vendors(&mut conn, ticket.id, ticket.org_id).await?;
        let org = ticket.org_id;
        let links = links_of(&request, &caller, org).await?;
        let help_from = vendors
            .iter()
            .filter(|(.., asked)| *asked)
            .map(|(_, name, _)| name.clone())
            .collect();
        let can_ask = match reader {
            Reader::Staff | Reader::Platform => vendors
                .iter()
                .filter(|(.., asked)| !asked)
                .filter_map(|(id, name, _)| {
                    // The tier in force now, as the policy computes it.
                    let tier = links
                        .iter()
                        .find(|l| l.vendor == *id && l.customer == org)
                        .map(|l| l.grant.tier_at(Utc::now()))?;
                    caller
                        .may(ask_action(reader, org, tier))
                        .then(|| VendorChoice {
                            id: *id,
                            name: name.clone(),
                            tier,
                        })
                })
                .collect(),
            Reader::Vendor { .. } | Reader::Cc => Vec::new(),
        };
        let cc = db::cc_names(&mut conn, ticket.id).await?;
        let cc_choices = match reader {
            Reader::Staff => db::cc_choices(&mut conn, ticket.id, org, 500).await?,
            _ => Vec::new(),
        };
        if let Reader::Vendor { .. } = reader {
            // Vendor staff reading a customer's ticket: the customer's log says so.
            let event = Event::new(org, "ticket.vendor_view", "support_ticket", ticket.id);
            record(&mut conn, &reader.actor(&caller), event).await?;
        }
        Ok(TicketDetail {
            id: ticket.id,
            organization: ticket.organization,
            subject: ticket.subject,
            message: ticket.message,
            status: ticket.status,
            version: ticket.version,
            opened_by: ticket.opened_by,
            opened: minute_utc(ticket.created_at),
            claims,
            comments: comments
                .into_iter()
                .map(|c| Comment {
                    author: c.author_label,
                    vendor: c.vendor,
                    body: c.body,
                    at: minute_utc(c.created_at),
                })
                .collect(),
            help_from,
            as_vendor: matches!(reader, Reader::Vendor { .. }),
            as_platform: reader == Reader::Platform,
            as_cc: reader == Reader::Cc,
            can_ask,
            cc,
            cc_choices,
        })
    })
    .await
}

/// Adds a comment to an open ticket.
#[server(prefix = "/api", endpoint = "comment_on_ticket")]
pub async fn comment_on_ticket(ticket_id: TicketId, body: String) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut tx = request.state.pool.begin().await?;
        let (ticket, reader) = reach(&mut tx, &caller, ticket_id, true).await?;
        let body = validate_comment(&body).map_err(AppError::Invalid)?;
        if ticket.status == TicketStatus::Closed {
            return Err(AppError::Conflict(TICKET_CLOSED.to_owned()));
        }
        // Vendor staff, reading as such or switched into the account, and
        // the platform's staff: their comment names their organization.
        let vendor = match reader {
            Reader::Staff => caller.vendor.as_ref().map(|v| v.id),
            Reader::Cc => None,
            Reader::Vendor { .. } | Reader::Platform => Some(caller.user.org),
        };
        let comment = db::NewComment {
            ticket: ticket.id,
            org: ticket.org_id,
            author: caller.user.id,
            author_label: &caller.user.full_name(),
            vendor,
            body: &body,
        };
        db::comment(&mut tx, &comment).await?;
        let event = Event::new(ticket.org_id, "ticket.comment", "support_ticket", ticket.id)
            .after(json!({ "comment": body }));
        record(&mut tx, &reader.actor(&caller), event).await?;
        tx.commit().await?;
        Ok("Your comment has been added.".to_owned())
    })
    .await
}

/// `status`: "open", "waiting" or "closed".
#[server(prefix = "/api", endpoint = "set_ticket_status")]
pub async fn set_ticket_status(
    ticket_id: TicketId,
    version: i32,
    status: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut tx = request.state.pool.begin().await?;
        let (ticket, reader) = staff_reach(&mut tx, &caller, ticket_id).await?;
        let new = TicketStatus::from_key(status.trim())
            .ok_or_else(|| AppError::field(Field::Status, TICKET_STATUS_MESSAGE))?;
        if ticket.version != version {
            return Err(AppError::Conflict(TICKET_CHANGED_ELSEWHERE.to_owned()));
        }
        let old = ticket.status;
        if old == new {
            return Ok(format!(
                "The ticket is already {}.",
                new.label().to_lowercase()
            ));
        }
        db::set_status(&mut tx, ticket.id, new).await?;
        let event = Event::new(ticket.org_id, "ticket.status", "support_ticket", ticket.id)
            .before(json!({ "status": old.key() }))
            .after(json!({ "status": new.key() }));
        record(&mut tx, &reader.actor(&caller), event).await?;
        tx.commit().await?;
        Ok(format!("The ticket is now {}.", new.label().to_lowercase()))
    })
    .await
}

/// Marks the ticket for a linked vendor's help and tells the vendor.
#[server(prefix = "/api", endpoint = "ask_vendor_for_help")]
pub async fn ask_vendor_for_help(
    ticket_id: TicketId,
    vendor_id: VendorId,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut tx = request.state.pool.begin().await?;
        let (ticket, reader) = staff_reach(&mut tx, &caller, ticket_id).await?;
        let org = ticket.org_id;
        let links = links_of(&request, &caller, org).await?;
        let link = links
            .iter()
            .find(|l| l.vendor == vendor_id && l.customer == org)
            .ok_or_else(|| AppError::field(Field::Vendor, "Choose one of your linked vendors."))?;
        let tier = link.grant.tier_at(Utc::now());
        caller.check(ask_action(reader, org, tier))?;
        let added = db::ask_vendor(&mut tx, ticket.id, org, vendor_id, caller.user.id).await?;
        let vendor = crate::org::db::name(&mut tx, vendor_id.org()).await?;
        if !added {
            return Ok(format!("{vendor} has already been asked to help."));
        }
        let event = Event::new(org, "ticket.ask_vendor", "support_ticket", ticket.id)
            .after(json!({ "vendor_id": vendor_id, "vendor": vendor }));
        record(&mut tx, &reader.actor(&caller), event).await?;
        let subject = format!(
            "{} asks for your help: {}",
            ticket.organization, ticket.subject
        );
        let url = format!("{}/support/{}", request.state.mail.public_url, ticket.id);
        for to in &db::administrator_emails(&mut tx, vendor_id.org()).await? {
            let mail = Mail {
                org: Some(vendor_id.org()),
                to,
                subject: &subject,
                body: format!(
                    "{} of {} asked {vendor} for help on support ticket #{} of {}: {}\n\nOpen it: {url}\n",
                    caller.user.full_name(),
                    caller.snapshot.org.name,
                    ticket.id,
                    ticket.organization,
                    ticket.subject
                ),
                kind: crate::mail::MailKind::Notice,
            };
            enqueue(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(format!("{vendor} has been asked to help with this ticket."))
    })
    .await
}

/// CCs a user of the ticket's organization on it: they see it in their
/// CC'd Tickets, may comment, and are told by email.
///
/// Permissions: the organization's own Administrators and Support Users
/// (`SupportTickets`); the user CC'd is any active user of it.
#[server(prefix = "/api", endpoint = "cc_on_ticket")]
pub async fn cc_on_ticket(ticket_id: TicketId, user_id: UserId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut tx = request.state.pool.begin().await?;
        let (ticket, reader) = staff_reach(&mut tx, &caller, ticket_id).await?;
        if reader != Reader::Staff {
            // The platform's staff answer tickets; the customer chooses who follows them.
            caller.check(Action::SupportTickets(ticket.org_id))?;
        }
        let org = ticket.org_id;
        let (name, email) = db::active_member(&mut tx, org, user_id)
            .await?
            .ok_or_else(|| AppError::field(Field::Cc, CC_WHOM_MESSAGE))?;
        if !db::add_cc(&mut tx, ticket.id, org, user_id, caller.user.id).await? {
            return Ok(format!("{name} is already CC'd on this ticket."));
        }
        let event = Event::new(org, "ticket.cc", "support_ticket", ticket.id)
            .after(json!({ "user_id": user_id, "name": name }));
        record(&mut tx, &reader.actor(&caller), event).await?;
        let url = format!("{}/support/{}", request.state.mail.public_url, ticket.id);
        let mail = Mail {
            org: Some(org),
            to: &email,
            subject: &format!("CC: support ticket #{} {}", ticket.id, ticket.subject),
            body: format!(
                "{} CC'd you on support ticket #{} of {}: {}\n\nYou can read it and comment on it: {url}\n",
                caller.user.full_name(),
                ticket.id,
                ticket.organization,
                ticket.subject
            ),
            kind: crate::mail::MailKind::Notice,
        };
        enqueue(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(format!("{name} is now CC'd on this ticket, and has been told by email."))
    })
    .await
}

/// How the policy calls asking a vendor for help, by who asks: the
/// organization's own staff, or the platform's.
#[cfg(feature = "ssr")]
fn ask_action(
    reader: Reader,
    org: OrgId,
    tier: crate::model::vendor::VendorTier,
) -> Action<'static> {
    match reader {
        Reader::Platform => Action::RequestVendorAssistance { tier },
        _ => Action::AskVendorForHelp { org, tier },
    }
}

/// The vendor links of the ticket's organization `org`: the caller's own,
/// or for the platform's staff the organization's, as the policy holds them.
#[cfg(feature = "ssr")]
async fn links_of(
    request: &crate::principal::Request,
    caller: &crate::principal::Caller,
    org: OrgId,
) -> Result<Vec<crate::model::vendor::VendorLink>, AppError> {
    use crate::error::Found;
    if org == caller.user.org {
        return Ok(caller.snapshot.vendor_links.clone());
    }
    let mut conn = request.state.pool.acquire().await?;
    let snapshot = crate::org::cache::snapshot(&request.state.snapshots, &mut conn, org)
        .await
        .found()?;
    Ok(snapshot.vendor_links.clone())
}
