//! Support tickets. A customer's Administrators and Support Users open and
//! handle them; a linked vendor sees them as far as the customer's Vendor
//! Access allows (seed 003): tickets it was asked to help on from Limited
//! Access, every ticket from All Support.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
mod reader;

use serde::{Deserialize, Serialize};

use crate::{
    claims::ClaimRow,
    model::{
        ids::{TicketId, UserId, VendorId},
        ticket::{TicketStatus, TicketView},
        vendor::VendorTier,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub opened_by: String,
    /// "2026-11-23 16:05 UTC".
    pub updated: String,
    pub comments: i64,
    /// Vendors asked for help, by name.
    pub help_from: Vec<String>,
}

/// Someone who can open tickets for the organization: an Administrator, a
/// Support User, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportContact {
    pub name: String,
    pub administrator: bool,
    pub support_user: bool,
}

/// A linked vendor, as a ticket's "ask for help" offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorChoice {
    pub id: VendorId,
    pub name: String,
    pub tier: VendorTier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketsPage {
    /// The customer organization the tickets belong to.
    pub organization: String,
    pub tickets: Vec<TicketSummary>,
    pub next_after: Option<TicketId>,
    /// For vendor staff: the level the customer granted and what it shows.
    pub vendor_tier: Option<VendorTier>,
    /// Vendor Support: a vendor's own tickets to the platform team.
    pub vendor_queue: bool,
    /// For the organization's own users: the view shown.
    pub view: Option<TicketView>,
    /// The reader handles the organization's tickets (opens them, sees
    /// Team Tickets), rather than only reading those they are CC'd on.
    pub handles: bool,
}

/// A claim a ticket is about: in full where the reader may see it, else
/// only its number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaim {
    pub number: String,
    pub claim: Option<ClaimRow>,
    /// For the customer's staff: the claim's page, where they may open it.
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    /// Set for another organization's staff: "Vendor: Claimwise",
    /// "Platform: Portcullis".
    pub vendor: Option<String>,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub id: TicketId,
    pub organization: String,
    pub subject: String,
    pub message: String,
    pub status: TicketStatus,
    pub version: i32,
    pub opened_by: String,
    pub opened: String,
    pub claims: Vec<TicketClaim>,
    pub comments: Vec<Comment>,
    pub help_from: Vec<String>,
    /// The reader is vendor staff (reads and comments only).
    pub as_vendor: bool,
    /// The reader is the platform's support staff (the support desk).
    pub as_platform: bool,
    /// For the customer's staff: linked vendors that can be asked for
    /// help (not those with No Access) and have not been yet.
    pub can_ask: Vec<VendorChoice>,
    /// The users CC'd on the ticket, by name.
    pub cc: Vec<String>,
    /// For the customer's staff: the users who may yet be CC'd.
    pub cc_choices: Vec<(UserId, String)>,
    /// The reader reads it as a user CC'd on it (comments only).
    pub as_cc: bool,
}

pub const TICKETS_PAGE_SIZE: i64 = 50;
pub const TICKET_CHANGED_ELSEWHERE: &str =
    "Someone else changed this ticket since you opened it. Reload to see their change.";
pub const TICKET_CLOSED: &str = "This ticket is closed. Reopen it to add a comment.";
pub const TICKET_STATUS_MESSAGE: &str = "Choose Open, Waiting for reply or Closed.";
pub const UNKNOWN_CLAIM: &str = "There is no such claim in the companies you see: ";
