//! The platform console: the staff who run Portcullis for every customer
//! and vendor see and run the organizations (`orgs_api`, `orgs_page`), their
//! own staff (`staff_api`, `staff_page`), the support desk of every organization's
//! tickets (`desk_api`, `desk_page`), the Administrator changes made only in
//! pairs (`changes_api`) and the vendor links both sides consented to
//! (`links_api`, `links_page`).

pub mod changes_api;
pub mod desk_api;
pub mod desk_page;
pub mod links_api;
pub mod links_page;
pub mod orgs_api;
pub mod orgs_page;
pub mod staff_api;
pub mod staff_page;

#[cfg(feature = "ssr")]
mod db;

use serde::{Deserialize, Serialize};

use crate::model::{
    ids::{ChangeId, LinkRequestId, OrgId, TicketId, UserId},
    org::OrgKind,
    platform::{ChangeKind, ChangeStatus, LinkRequestStatus, PlatformRole},
    ticket::TicketStatus,
    vendor::VendorTier,
};

/// One organization as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub suspended: bool,
    /// Active Administrators, and how many of them use two-factor sign-in.
    pub administrators: i64,
    pub administrators_with_two_factor: i64,
    /// The vendors a customer is linked to, or a vendor's customers.
    pub linked: Vec<String>,
    pub open_tickets: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgsPage {
    pub organizations: Vec<OrgSummary>,
    pub next_after: Option<OrgId>,
    pub total: i64,
    /// The caller may create, rename and suspend organizations.
    pub may_run: bool,
}

/// A user of an organization as the console shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub administrator: bool,
    pub support_user: bool,
    pub two_factor: bool,
}

/// One organization's page in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDetail {
    pub summary: OrgSummary,
    /// Its optimistic-concurrency version (the policy's access version).
    pub version: i64,
    /// Its Administrators first, then the rest, by name (at most 200).
    pub members: Vec<MemberRow>,
    pub may_run: bool,
}

/// A member of the platform's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: PlatformRole,
    pub active: bool,
    pub two_factor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPage {
    pub platform: String,
    pub staff: Vec<StaffRow>,
    pub may_run: bool,
}

/// A ticket in the support desk's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskTicket {
    pub id: TicketId,
    pub organization: String,
    pub kind: OrgKind,
    pub subject: String,
    pub status: TicketStatus,
    pub opened_by: String,
    pub assignee: Option<String>,
    /// "2026-11-23 16:05 UTC".
    pub updated: String,
    /// Whole days since it was opened.
    pub age_days: i64,
}

/// A member of staff a ticket can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskPage {
    pub tickets: Vec<DeskTicket>,
    pub next_after: Option<TicketId>,
    pub agents: Vec<Agent>,
    pub me: UserId,
}

/// What the support desk shows of a ticket beside what its organization
/// sees: who has it, the changes proposed on it, and what can be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskView {
    pub org: OrgId,
    pub kind: OrgKind,
    pub suspended: bool,
    pub assignee: Option<UserId>,
    pub agents: Vec<Agent>,
    /// For a customer's ticket: its users a change may name.
    pub members: Vec<MemberRow>,
    pub changes: Vec<ChangeRow>,
    /// The caller may approve changes (a Platform Administrator).
    pub may_approve: bool,
    pub me: UserId,
}

/// An Administrator change proposed on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub id: ChangeId,
    pub kind: ChangeKind,
    pub target: String,
    pub reason: String,
    pub proposed_by: String,
    pub proposed_by_id: UserId,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub at: String,
}

/// A request to link a customer to a vendor, as either side or the
/// platform sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequestRow {
    pub id: LinkRequestId,
    pub customer: String,
    pub customer_id: OrgId,
    pub vendor: String,
    pub vendor_id: OrgId,
    /// Which side asked: "customer" or "vendor".
    pub asked_by: OrgKind,
    pub customer_consented: bool,
    pub vendor_consented: bool,
    /// The highest Vendor Access the customer agreed to.
    pub max_tier: Option<VendorTier>,
    pub status: LinkRequestStatus,
    pub version: i32,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequestsPage {
    pub requests: Vec<LinkRequestRow>,
    /// Who reads it: the platform (completes), or one side (consents).
    pub as_platform: bool,
    /// The reader is the customer's side (its consent names a tier).
    pub customer_side: bool,
    /// For one side: the organizations on the other side it may name.
    pub others: Vec<(OrgId, String)>,
    /// For one side: its current links, which it may end.
    pub linked: Vec<(OrgId, String)>,
}

pub const ORGS_PAGE_SIZE: i64 = 50;
pub const DESK_PAGE_SIZE: i64 = 50;
pub const ORG_CHANGED_ELSEWHERE: &str =
    "Someone changed this organization since you opened it. Reload to see their change.";
pub const ORG_NAME_TAKEN: &str = "An organization of that name exists already.";
pub const EMAIL_TAKEN: &str = "Someone already signs in with that email.";
pub const KIND_MESSAGE: &str = "Choose Customer or Vendor.";
pub const ROLE_MESSAGE: &str = "Choose Platform Administrator or Support Agent.";
pub const LINK_CHANGED_ELSEWHERE: &str =
    "This request changed since you opened it. Reload to see where it stands.";
