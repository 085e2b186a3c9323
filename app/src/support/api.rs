//! Server functions of the support pages.
//!
//! Permissions: the customer's Administrators and Support Users (policy
//! action `SupportTickets`) open, read, comment on and close its tickets
//! and ask vendors for help (`AskVendorForHelp`: never a No Access
//! vendor). Vendor staff read and comment as `VendorReach` allows for the
//! ticket; everything they do or read here is recorded in the customer's
//! audit, labelled with their vendor. Other callers get "not found".

use leptos::prelude::*;

use super::{TicketDetail, TicketsPage};
use crate::error::AppError;

/// The tickets of the caller's organization, or, for vendor staff, of the
/// linked customer `customer_id` as far as its Vendor Access allows;
/// newest first, after `after` (keyset paging).
#[server(prefix = "/api", endpoint = "list_tickets")]
pub async fn list_tickets(
    customer_id: Option<i64>,
    after: Option<i64>,
) -> Result<TicketsPage, AppError> {
    ssr::list(customer_id, after)
        .await
        .map_err(AppError::respond)
}

/// Opens a ticket, possibly about some claims (by number); answers with
/// the ticket's page.
#[server(prefix = "/api", endpoint = "open_ticket")]
pub async fn open_ticket(
    subject: String,
    message: String,
    claims: String,
) -> Result<i64, AppError> {
    let input = crate::model::ticket::TicketInput {
        subject,
        message,
        claims,
    };
    ssr::open(input).await.map_err(AppError::respond)
}

#[server(prefix = "/api", endpoint = "load_ticket")]
pub async fn load_ticket(ticket_id: i64) -> Result<TicketDetail, AppError> {
    ssr::load(ticket_id).await.map_err(AppError::respond)
}

#[server(prefix = "/api", endpoint = "comment_on_ticket")]
pub async fn comment_on_ticket(ticket_id: i64, body: String) -> Result<String, AppError> {
    ssr::comment(ticket_id, body)
        .await
        .map_err(AppError::respond)
}

/// `status`: "open", "waiting" or "closed".
#[server(prefix = "/api", endpoint = "set_ticket_status")]
pub async fn set_ticket_status(
    ticket_id: i64,
    version: i32,
    status: String,
) -> Result<String, AppError> {
    ssr::set_status(ticket_id, version, status)
        .await
        .map_err(AppError::respond)
}

/// Marks the ticket for a linked vendor's help and tells the vendor.
#[server(prefix = "/api", endpoint = "ask_vendor_for_help")]
pub async fn ask_vendor_for_help(ticket_id: i64, vendor_id: i64) -> Result<String, AppError> {
    ssr::ask_vendor(ticket_id, vendor_id)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};
    use serde_json::json;
    use sqlx::PgConnection;

    use super::super::{
        Comment, TICKET_CHANGED_ELSEWHERE, TICKET_CLOSED, TICKET_STATUS_MESSAGE, TICKETS_PAGE_SIZE,
        TicketClaim, TicketDetail, TicketSummary, TicketsPage, UNKNOWN_CLAIM, VendorChoice,
    };
    use crate::{
        audit::db::{Actor, Event, record},
        auth::gate::Caller,
        claims::db::{COLUMNS, ClaimRecord},
        error::AppError,
        mail::outbox::{Mail, enqueue},
        model::{
            access::{Action, VendorNeed},
            ids::OrgId,
            org::OrgKind,
            permission::Permission,
            ticket::{TicketInput, TicketStatus, validate_comment, validate_ticket},
            time::minute_utc,
            validation::Field,
            vendor::VendorTier,
        },
        state::AppState,
    };

    /// How the caller reads a ticket's organization.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Reader {
        /// The customer's Administrator or Support User.
        Staff,
        /// Staff of a linked vendor, asked for help on the ticket or not.
        Vendor { help_requested: bool },
    }

    impl Reader {
        fn actor(self, caller: &Caller) -> Actor {
            match self {
                Reader::Staff => caller.actor(),
                Reader::Vendor { .. } => caller.vendor_staff_actor(),
            }
        }
    }

    fn status(key: &str) -> Result<TicketStatus, AppError> {
        TicketStatus::from_key(key)
            .ok_or_else(|| AppError::internal(format!("ticket status {key:?}")))
    }

    #[derive(sqlx::FromRow)]
    struct TicketRow {
        id: i64,
        org_id: i64,
        organization: String,
        subject: String,
        message: String,
        status: String,
        version: i32,
        opened_by: String,
        created_at: DateTime<Utc>,
        help_requested: bool,
    }

    /// The ticket and how the caller may read it; `NotFound` for tickets
    /// the caller may not see from another organization (whatever the
    /// reason, so a refusal does not confirm the ticket exists), `Forbidden`
    /// with the policy's reason for the caller's own organization's.
    async fn reach(
        conn: &mut PgConnection,
        caller: &Caller,
        ticket_id: i64,
        lock: bool,
    ) -> Result<(TicketRow, Reader), AppError> {
        let row: Option<TicketRow> = sqlx::query_as(&format!(
            "SELECT t.id, t.org_id, o.name AS organization, t.subject, t.message, t.status, t.version,
                    u.first_name || ' ' || u.last_name AS opened_by, t.created_at,
                    EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                            WHERE h.ticket_id = t.id AND h.vendor_id = $2) AS help_requested
             FROM support_tickets t JOIN organizations o ON o.id = t.org_id
             JOIN users u ON u.id = t.opened_by
             WHERE t.id = $1 {}",
            if lock { "FOR UPDATE OF t" } else { "" }
        ))
        .bind(ticket_id)
        .bind(caller.user.org.0)
        .fetch_optional(&mut *conn)
        .await?;
        let row = row.ok_or(AppError::NotFound)?;
        let org = OrgId(row.org_id);
        let reader = if org == caller.user.org {
            caller.check(Action::SupportTickets(org))?;
            Reader::Staff
        } else {
            let help_requested = row.help_requested;
            caller.vendor_reach_item(org, VendorNeed::Ticket { help_requested })?;
            Reader::Vendor { help_requested }
        };
        Ok((row, reader))
    }

    #[derive(sqlx::FromRow)]
    struct SummaryRow {
        id: i64,
        subject: String,
        status: String,
        opened_by: String,
        updated_at: DateTime<Utc>,
        comments: i64,
        help_from: Vec<String>,
    }

    pub async fn list(customer: Option<i64>, after: Option<i64>) -> Result<TicketsPage, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let (org, only_help_from, vendor_tier) = match (caller.snapshot.org.kind, customer) {
            (OrgKind::Customer, None) => {
                caller.check(Action::SupportTickets(caller.user.org))?;
                (caller.user.org, None, None)
            }
            (OrgKind::Customer, Some(id)) if id == caller.user.org.0 => {
                caller.check(Action::SupportTickets(caller.user.org))?;
                (caller.user.org, None, None)
            }
            (OrgKind::Vendor, Some(id)) => {
                let customer = OrgId(id);
                let tier = caller
                    .access
                    .vendor_tier(customer)
                    .ok_or(AppError::NotFound)?;
                let reach = |help_requested| Action::VendorReach {
                    customer,
                    need: VendorNeed::Ticket { help_requested },
                };
                if caller.may(reach(false)) {
                    (customer, None, Some(tier))
                } else {
                    caller.check(reach(true))?;
                    (customer, Some(caller.user.org.0), Some(tier))
                }
            }
            // Vendor Support: the vendor's own tickets to the platform.
            (OrgKind::Vendor, None) => {
                caller.check(Action::SupportTickets(caller.user.org))?;
                (caller.user.org, None, None)
            }
            (OrgKind::Customer, Some(_)) => return Err(AppError::NotFound),
        };
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT t.id, t.subject, t.status, u.first_name || ' ' || u.last_name AS opened_by,
                    t.updated_at,
                    (SELECT count(*) FROM support_ticket_comments c WHERE c.ticket_id = t.id) AS comments,
                    ARRAY(SELECT v.name FROM support_ticket_vendor_help h
                          JOIN organizations v ON v.id = h.vendor_id
                          WHERE h.ticket_id = t.id ORDER BY v.name) AS help_from
             FROM support_tickets t JOIN users u ON u.id = t.opened_by
             WHERE t.org_id = $1
               AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                                                  WHERE h.ticket_id = t.id AND h.vendor_id = $2))
               AND ($3::bigint IS NULL OR t.id < $3)
             ORDER BY t.id DESC LIMIT $4",
        )
        .bind(org.0)
        .bind(only_help_from)
        .bind(after)
        .bind(TICKETS_PAGE_SIZE + 1)
        .fetch_all(&state.pool)
        .await?;
        let more = rows.len() as i64 > TICKETS_PAGE_SIZE;
        let mut tickets = Vec::with_capacity(rows.len());
        for row in rows.into_iter().take(TICKETS_PAGE_SIZE as usize) {
            tickets.push(TicketSummary {
                status: status(&row.status)?,
                updated: minute_utc(row.updated_at),
                id: row.id,
                subject: row.subject,
                opened_by: row.opened_by,
                comments: row.comments,
                help_from: row.help_from,
            });
        }
        let organization: String =
            sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
                .bind(org.0)
                .fetch_one(&state.pool)
                .await?;
        Ok(TicketsPage {
            vendor_queue: caller.snapshot.org.kind == OrgKind::Vendor && customer.is_none(),
            organization,
            next_after: if more {
                tickets.last().map(|t| t.id)
            } else {
                None
            },
            tickets,
            vendor_tier,
        })
    }

    pub async fn open(input: TicketInput) -> Result<i64, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        caller.check(Action::SupportTickets(caller.user.org))?;
        let ticket = validate_ticket(&input).map_err(AppError::Invalid)?;
        let mut tx = state.pool.begin().await?;
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
        let found: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, claim_number FROM claims
             WHERE org_id = $1 AND company_id = ANY($2) AND claim_number = ANY($3) ORDER BY id",
        )
        .bind(caller.user.org.0)
        .bind(&visible)
        .bind(&ticket.claim_numbers)
        .fetch_all(&mut *tx)
        .await?;
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO support_tickets (org_id, subject, message, opened_by) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(caller.user.org.0)
        .bind(&ticket.subject)
        .bind(&ticket.message)
        .bind(caller.user.id.0)
        .fetch_one(&mut *tx)
        .await?;
        let claim_ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
        sqlx::query(
            "INSERT INTO support_ticket_claims (ticket_id, claim_id, org_id)
             SELECT $1, unnest($2::bigint[]), $3",
        )
        .bind(id)
        .bind(&claim_ids)
        .bind(caller.user.org.0)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            org: Some(caller.user.org),
            action: "ticket.open",
            target_type: "support_ticket",
            target_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "subject": ticket.subject, "claims": ticket.claim_numbers })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/support/{id}?opened"));
        Ok(id)
    }

    #[derive(sqlx::FromRow)]
    struct ClaimLine {
        company_id: i64,
        #[sqlx(flatten)]
        claim: ClaimRecord,
    }

    /// The ticket's claims as the reader may see them: the customer's
    /// staff where they hold Claims: view; vendor staff as far as the
    /// policy lets them see the claims this ticket references.
    async fn claims_of(
        conn: &mut PgConnection,
        caller: &Caller,
        ticket: &TicketRow,
        reader: Reader,
    ) -> Result<Vec<TicketClaim>, AppError> {
        let lines: Vec<ClaimLine> = sqlx::query_as(&format!(
            "SELECT c.company_id, {COLUMNS}
             FROM support_ticket_claims tc JOIN claims c ON c.id = tc.claim_id
             LEFT JOIN payers p ON p.id = c.payer_id
             WHERE tc.ticket_id = $1 ORDER BY c.claim_number, c.id"
        ))
        .bind(ticket.id)
        .fetch_all(conn)
        .await?;
        let vendor_sees = match reader {
            Reader::Staff => false,
            Reader::Vendor { help_requested } => caller.may(Action::VendorReach {
                customer: OrgId(ticket.org_id),
                need: VendorNeed::TicketClaims { help_requested },
            }),
        };
        let mut claims = Vec::with_capacity(lines.len());
        for line in lines {
            let staff_sees = reader == Reader::Staff
                && caller
                    .snapshot
                    .companies
                    .iter()
                    .find(|c| c.id.0 == line.company_id)
                    .is_some_and(|company| {
                        caller.may(Action::Use {
                            company,
                            permission: Permission::ClaimsView,
                        })
                    });
            let sees = staff_sees || vendor_sees;
            let id = line.claim.id;
            let number = line.claim.claim_number.clone();
            let row = crate::claims::ClaimRow::from(line.claim);
            claims.push(TicketClaim {
                number,
                link: staff_sees.then(|| format!("/claims/{id}")),
                claim: sees.then_some(row),
            });
        }
        Ok(claims)
    }

    pub async fn load(ticket_id: i64) -> Result<TicketDetail, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut conn = state.pool.acquire().await?;
        let (ticket, reader) = reach(&mut conn, &caller, ticket_id, false).await?;
        let claims = claims_of(&mut conn, &caller, &ticket, reader).await?;
        let comments: Vec<(String, Option<String>, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT c.author_label, v.name, c.body, c.created_at FROM support_ticket_comments c
             LEFT JOIN organizations v ON v.id = c.vendor_id
             WHERE c.ticket_id = $1 ORDER BY c.id",
        )
        .bind(ticket.id)
        .fetch_all(&mut *conn)
        .await?;
        let vendors: Vec<(i64, String, bool)> = sqlx::query_as(
            "SELECT v.id, v.name, EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                                          WHERE h.ticket_id = $1 AND h.vendor_id = v.id)
             FROM vendor_links l JOIN organizations v ON v.id = l.vendor_id
             WHERE l.customer_id = $2 ORDER BY v.name",
        )
        .bind(ticket.id)
        .bind(ticket.org_id)
        .fetch_all(&mut *conn)
        .await?;
        let org = OrgId(ticket.org_id);
        let help_from = vendors
            .iter()
            .filter(|v| v.2)
            .map(|v| v.1.clone())
            .collect();
        let can_ask = match reader {
            Reader::Staff => vendors
                .iter()
                .filter(|(_, _, asked)| !asked)
                .filter_map(|(id, name, _)| {
                    // The tier in force now, as the policy computes it.
                    let tier = caller
                        .snapshot
                        .vendor_links
                        .iter()
                        .find(|l| l.vendor.0 == *id && l.customer == org)
                        .map(|l| l.grant.tier_at(Utc::now()))?;
                    caller
                        .may(Action::AskVendorForHelp { org, tier })
                        .then(|| VendorChoice {
                            id: *id,
                            name: name.clone(),
                            tier,
                        })
                })
                .collect(),
            Reader::Vendor { .. } => Vec::new(),
        };
        if let Reader::Vendor { .. } = reader {
            // Vendor staff reading a customer's ticket: the customer's log says so.
            let event = Event {
                org: Some(org),
                action: "ticket.vendor_view",
                target_type: "support_ticket",
                target_id: Some(ticket.id.to_string()),
                before: None,
                after: None,
            };
            record(&mut conn, &reader.actor(&caller), event).await?;
        }
        Ok(TicketDetail {
            id: ticket.id,
            organization: ticket.organization,
            subject: ticket.subject,
            message: ticket.message,
            status: status(&ticket.status)?,
            version: ticket.version,
            opened_by: ticket.opened_by,
            opened: minute_utc(ticket.created_at),
            claims,
            comments: comments
                .into_iter()
                .map(|(author, vendor, body, at)| Comment {
                    author,
                    vendor,
                    body,
                    at: minute_utc(at),
                })
                .collect(),
            help_from,
            as_vendor: reader != Reader::Staff,
            can_ask,
        })
    }

    pub async fn comment(ticket_id: i64, body: String) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut tx = state.pool.begin().await?;
        let (ticket, reader) = reach(&mut tx, &caller, ticket_id, true).await?;
        let body = validate_comment(&body).map_err(AppError::Invalid)?;
        if status(&ticket.status)? == TicketStatus::Closed {
            return Err(AppError::Conflict(TICKET_CLOSED.to_owned()));
        }
        // Vendor staff, reading as such or switched into the account.
        let vendor = match reader {
            Reader::Staff => caller.vendor.as_ref().map(|v| v.id.0),
            Reader::Vendor { .. } => Some(caller.user.org.0),
        };
        sqlx::query(
            "INSERT INTO support_ticket_comments (ticket_id, org_id, author_id, author_label, vendor_id, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(ticket.id)
        .bind(ticket.org_id)
        .bind(caller.user.id.0)
        .bind(caller.user.full_name())
        .bind(vendor)
        .bind(&body)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE support_tickets SET updated_at = now() WHERE id = $1")
            .bind(ticket.id)
            .execute(&mut *tx)
            .await?;
        let event = Event {
            org: Some(OrgId(ticket.org_id)),
            action: "ticket.comment",
            target_type: "support_ticket",
            target_id: Some(ticket.id.to_string()),
            before: None,
            after: Some(json!({ "comment": body })),
        };
        record(&mut tx, &reader.actor(&caller), event).await?;
        tx.commit().await?;
        Ok("Your comment has been added.".to_owned())
    }

    /// The ticket locked for a change by the customer's own staff.
    async fn staff_reach(
        conn: &mut PgConnection,
        caller: &Caller,
        ticket_id: i64,
    ) -> Result<TicketRow, AppError> {
        let (ticket, reader) = reach(conn, caller, ticket_id, true).await?;
        if reader != Reader::Staff {
            // Vendors read and comment; the customer runs its tickets.
            caller.check(Action::SupportTickets(OrgId(ticket.org_id)))?;
        }
        Ok(ticket)
    }

    pub async fn set_status(ticket_id: i64, version: i32, key: String) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut tx = state.pool.begin().await?;
        let ticket = staff_reach(&mut tx, &caller, ticket_id).await?;
        let new = TicketStatus::from_key(key.trim())
            .ok_or_else(|| AppError::field(Field::Status, TICKET_STATUS_MESSAGE))?;
        if ticket.version != version {
            return Err(AppError::Conflict(TICKET_CHANGED_ELSEWHERE.to_owned()));
        }
        let old = status(&ticket.status)?;
        if old == new {
            return Ok(format!(
                "The ticket is already {}.",
                new.label().to_lowercase()
            ));
        }
        sqlx::query(
            "UPDATE support_tickets SET status = $2, version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(ticket.id)
        .bind(new.key())
        .execute(&mut *tx)
        .await?;
        let event = Event {
            org: Some(OrgId(ticket.org_id)),
            action: "ticket.status",
            target_type: "support_ticket",
            target_id: Some(ticket.id.to_string()),
            before: Some(json!({ "status": old.key() })),
            after: Some(json!({ "status": new.key() })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(format!("The ticket is now {}.", new.label().to_lowercase()))
    }

    pub async fn ask_vendor(ticket_id: i64, vendor_id: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut tx = state.pool.begin().await?;
        let ticket = staff_reach(&mut tx, &caller, ticket_id).await?;
        let org = OrgId(ticket.org_id);
        let link = caller
            .snapshot
            .vendor_links
            .iter()
            .find(|l| l.vendor.0 == vendor_id && l.customer == org)
            .ok_or_else(|| AppError::field(Field::Vendor, "Choose one of your linked vendors."))?;
        let tier: VendorTier = link.grant.tier_at(Utc::now());
        caller.check(Action::AskVendorForHelp { org, tier })?;
        let added = sqlx::query(
            "INSERT INTO support_ticket_vendor_help (ticket_id, org_id, vendor_id, requested_by)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(ticket.id)
        .bind(org.0)
        .bind(vendor_id)
        .bind(caller.user.id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let vendor: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(vendor_id)
            .fetch_one(&mut *tx)
            .await?;
        if added == 0 {
            return Ok(format!("{vendor} has already been asked to help."));
        }
        let event = Event {
            org: Some(org),
            action: "ticket.ask_vendor",
            target_type: "support_ticket",
            target_id: Some(ticket.id.to_string()),
            before: None,
            after: Some(json!({ "vendor_id": vendor_id, "vendor": vendor })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        let admins: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM users WHERE org_id = $1 AND account_type = 'administrator'
             AND status = 'active' ORDER BY id",
        )
        .bind(vendor_id)
        .fetch_all(&mut *tx)
        .await?;
        let subject = format!(
            "{} asks for your help: {}",
            ticket.organization, ticket.subject
        );
        let url = format!("{}/support/{}", state.mail.public_url, ticket.id);
        for to in &admins {
            let mail = Mail {
                org: Some(OrgId(vendor_id)),
                to,
                subject: &subject,
                body: format!(
                    "{} of {} asked {vendor} for help on support ticket #{}: {}\n\nOpen it: {url}\n",
                    caller.user.full_name(),
                    ticket.organization,
                    ticket.id,
                    ticket.subject
                ),
                kind: crate::mail::MailKind::Notice,
            };
            enqueue(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(format!("{vendor} has been asked to help with this ticket."))
    }
}
