//! How a caller reads a support ticket: as the customer's own staff, or as
//! a linked vendor's, as far as the customer's Vendor Access allows; and
//! the ticket's claims each may see.

use sqlx::PgConnection;

use super::{
    TicketClaim,
    db::{self, TicketRow},
};
use crate::{
    error::{AppError, Found},
    model::{
        ids::TicketId,
        permission::Permission,
        policy::{Action, VendorNeed},
    },
    principal::Actor,
    principal::Caller,
};

/// How the caller reads a ticket's organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The customer's Administrator or Support User.
    Staff,
    /// Staff of a linked vendor, asked for help on the ticket or not.
    Vendor { help_requested: bool },
    /// The platform's support staff, to whom every ticket is addressed:
    /// they read, comment and set its status, never see its claims.
    Platform,
    /// A user of the organization CC'd on the ticket who does not handle
    /// tickets: reads it (its claims as far as they see claims) and
    /// comments.
    Cc,
}

impl Reader {
    pub fn actor(self, caller: &Caller) -> Actor {
        match self {
            Reader::Staff | Reader::Cc => caller.actor(),
            Reader::Vendor { .. } => caller.vendor_staff_actor(),
            Reader::Platform => caller.platform_actor(),
        }
    }
}

/// The ticket and how the caller may read it; `NotFound` for tickets the
/// caller may not see from another organization (whatever the reason, so
/// a refusal does not confirm the ticket exists), `Forbidden` with the
/// policy's reason for the caller's own organization's.
pub async fn reach(
    conn: &mut PgConnection,
    caller: &Caller,
    ticket_id: TicketId,
    lock: bool,
) -> Result<(TicketRow, Reader), AppError> {
    if lock && !db::lock(conn, ticket_id).await? {
        return Err(AppError::NotFound);
    }
    let row = db::ticket(conn, ticket_id, caller.user.org).await.found()?;
    let org = row.org_id;
    let reader = if caller.access.platform.is_some() {
        caller.check(Action::PlatformConsole)?;
        Reader::Platform
    } else if org == caller.user.org {
        match caller.check(Action::SupportTickets(org)) {
            Ok(()) => Reader::Staff,
            Err(refused) => {
                if !db::is_cc(conn, ticket_id, caller.user.id).await? {
                    return Err(refused);
                }
                caller.check(Action::ReadTicketsCcd(org))?;
                Reader::Cc
            }
        }
    } else {
        let help_requested = row.help_requested;
        caller.vendor_reach_item(org, VendorNeed::Ticket { help_requested })?;
        Reader::Vendor { help_requested }
    };
    Ok((row, reader))
}

/// The ticket locked for a change by the organization's own staff or the
/// platform's.
pub async fn staff_reach(
    conn: &mut PgConnection,
    caller: &Caller,
    ticket_id: TicketId,
) -> Result<(TicketRow, Reader), AppError> {
    let (ticket, reader) = reach(conn, caller, ticket_id, true).await?;
    if let Reader::Vendor { .. } | Reader::Cc = reader {
        // Vendors and those CC'd read and comment; the customer's staff
        // run its tickets.
        caller.check(Action::SupportTickets(ticket.org_id))?;
    }
    Ok((ticket, reader))
}

/// The ticket's claims as the reader may see them: the customer's staff
/// where they hold Claims: view; vendor staff as far as the policy lets
/// them see the claims this ticket references.
pub async fn claims_of(
    conn: &mut PgConnection,
    caller: &Caller,
    ticket: &TicketRow,
    reader: Reader,
) -> Result<Vec<TicketClaim>, AppError> {
    let lines = db::claims_of(conn, ticket.id).await?;
    let vendor_sees = match reader {
        Reader::Staff | Reader::Platform | Reader::Cc => false,
        Reader::Vendor { help_requested } => caller.may(Action::VendorReach {
            customer: ticket.org_id,
            need: VendorNeed::TicketClaims { help_requested },
        }),
    };
    Ok(lines
        .into_iter()
        .map(|line| {
            let staff_sees = matches!(reader, Reader::Staff | Reader::Cc)
                && caller
                    .snapshot
                    .companies
                    .iter()
                    .find(|c| c.id == line.company_id)
                    .is_some_and(|company| {
                        caller.may(Action::Use {
                            company,
                            permission: Permission::ClaimsView,
                        })
                    });
            let id = line.claim.id;
            let number = line.claim.claim_number.clone();
            let row = crate::claims::ClaimRow::from(line.claim);
            TicketClaim {
                number,
                link: staff_sees.then(|| format!("/claims/{id}")),
                claim: (staff_sees || vendor_sees).then_some(row),
            }
        })
        .collect())
}
