//! The one policy: whether an action is allowed, from a user's effective
//! access, deny by default, without any I/O; and what vendor staff may do
//! inside a linked account they switched into. The UI's decisions are the
//! server's (DTOs carry them); both come from [`can`].
//!
//! Security-sensitive: every server function authorizes through [`can`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    access::{CompanyScope, EffectiveAccess, OrgIndex, UserTarget, effective_access},
    ids::{OrgId, UserId, VendorId},
    org::{Company, OrgKind},
    permission::{Permission, PermissionSet},
    platform::PlatformRole,
    user::User,
    vendor::VendorTier,
};

/// What vendor staff may do inside a linked customer's account after
/// "Switch to account" (seed 003): what the customer's Administrators may,
/// for as long as the customer grants the vendor Full Access at `now`.
/// `None` once the grant is lower (the switch has lapsed), for inactive
/// users, and for anyone but the vendor's own staff.
pub fn switched_access(
    user: &User,
    vendor: &OrgIndex<'_>,
    customer: &OrgIndex<'_>,
    now: DateTime<Utc>,
) -> Option<EffectiveAccess> {
    let own = effective_access(user, vendor, now);
    let customer_org = &customer.snapshot.org;
    if vendor.snapshot.org.kind != OrgKind::Vendor || customer_org.kind != OrgKind::Customer {
        return None;
    }
    let need = Action::VendorReach {
        customer: customer_org.id,
        need: VendorNeed::Administer,
    };
    can(&own, need).ok()?;
    let parent = customer
        .snapshot
        .companies
        .iter()
        .find(|c| c.is_parent())
        .filter(|c| customer.usable_company(c.id).is_some())
        .map(|c| c.id);
    Some(EffectiveAccess {
        org: customer_org.id,
        kind: customer_org.kind,
        administrator: true,
        companies: CompanyScope::All(customer_org.id),
        permissions: PermissionSet::all(),
        default_company: parent,
        vendor_reach: Vec::new(),
        via_vendor: Some(VendorId(vendor.snapshot.org.id.0)),
        ..own
    })
}

/// What a server function is about to do, with the thing it acts on.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Use a permission in a company (view claims in company 7, …).
    Use {
        company: &'a Company,
        permission: Permission,
    },
    /// Make a company the acting context.
    EnterCompany(&'a Company),
    /// Organization-wide administration: users' account types, roles,
    /// companies, the Vendor Access setting, support-user grants, payers and
    /// facilities at the parent company.
    Administer(OrgId),
    /// Make someone an Administrator, change an Administrator's account or
    /// status: only the organization's own Administrators — vendor staff
    /// switched in could otherwise plant an Administrator of their own
    /// that outlives the grant, or lock the customer's out.
    ManageAdministrators(OrgId),
    /// Change the organization's Vendor Access setting: only its own
    /// Administrators — never vendor staff switched in, who would otherwise
    /// raise or extend their own grant.
    ChangeVendorAccess(OrgId),
    /// Read the organization's audit log (Administrators; a vendor's
    /// Administrators also read their staff's events in customers' logs).
    SeeAudit(OrgId),
    /// Open the Users page of the organization. Administrators see every
    /// user; holders of Users: view or Users: manage see those who share
    /// one of their companies (see [`Action::SeeUser`]).
    SeeUsers(OrgId),
    /// See one user's profile and access.
    SeeUser(&'a UserTarget),
    /// Change one user's name, email and status: Administrators anyone of
    /// their organization; holders of Users: manage a Standard user who
    /// shares one of their companies. Account types, roles, companies and
    /// the Support User flag stay with [`Action::Administer`].
    ManageUser(&'a UserTarget),
    /// Create, edit, delete and copy down payers and facilities: only an
    /// Administrator acting in the parent company (seed 004: this keeps
    /// duplicates out, whatever permissions roles give).
    ManageCatalog(&'a Company),
    /// Open, read, comment on and close the organization's support
    /// tickets: Administrators and Support Users (seed 002).
    SupportTickets(OrgId),
    /// Ask a linked vendor for help on a ticket: as [`Action::SupportTickets`],
    /// and the vendor must not be set to No Access, which leaves it out of
    /// support issues.
    AskVendorForHelp { org: OrgId, tier: VendorTier },
    /// A vendor's reach into a linked customer's account.
    VendorReach { customer: OrgId, need: VendorNeed },
    /// Add users to the organization, or change a user's role and
    /// companies: its Administrators, and Standard users whose role gives
    /// Users: add (seed 001's Practice Admin, Partner Admin, Self-Service
    /// Admin), who then give only what [`Action::GrantAccess`] allows.
    AddUsers(OrgId),
    /// Give a user (new, or changed) this access: see
    /// [`super::delegation::check`].
    GrantAccess(&'a super::delegation::Grant<'a>),
    /// See who the organization's Administrators and Support Users are
    /// (the people who open tickets, seed 002): any active user of a
    /// customer or vendor, of their own organization only (not vendor
    /// staff switched in, who would learn a customer's staff).
    SeeSupportContacts(OrgId),
    /// Read the organization's tickets one is CC'd on, and comment on
    /// them (seed 002): any active user of a customer, of their own
    /// organization, whether or not they handle tickets; not vendor staff
    /// switched in (who handle its tickets as its Administrators do).
    ReadTicketsCcd(OrgId),
    /// Read and search the Help Center: any active user of any kind
    /// (customer, vendor or platform staff, switched in or not), as the
    /// member of their own organization.
    ReadHelp(OrgId),
    /// Open the organization's Vendor Settings: any active user of a
    /// customer organization (vendors have none of their own); changing
    /// them is [`Action::ChangeVendorAccess`].
    SeeVendorSettings(OrgId),
    /// Open the vendor console (Manage Accounts, the vendor's API keys):
    /// the vendor's own active staff, not while switched into a customer's
    /// account; what they may do in each account is [`Action::VendorReach`].
    SeeLinkedAccounts(OrgId),
    /// Ask for, consent to, decline or end a link between a customer and a
    /// vendor: the organization's own Administrators (never vendor staff
    /// switched in, who would otherwise link their own vendor).
    ConsentToVendorLink(OrgId),
    /// The platform console: every organization's list and status, the
    /// support desk (tickets of every organization, without their claims),
    /// completing consented vendor links, proposing Administrator changes:
    /// any of the platform's staff.
    PlatformConsole,
    /// Create, rename, suspend and reactivate organizations; add platform
    /// staff: Platform Administrators.
    RunPlatform,
    /// Ask a customer's linked vendor to help on one of its tickets (seed
    /// 003: under Limited Access the vendor then sees that ticket): the
    /// platform's staff, never of a vendor with No Access.
    RequestVendorAssistance { tier: VendorTier },
    /// Approve (or reject) an Administrator change another staff member
    /// proposed: a Platform Administrator who did not propose it.
    ApproveChange { proposed_by: UserId },
}

/// What a vendor wants to see or do in a customer's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VendorNeed {
    /// Read and comment on a support ticket; `help_requested` when the
    /// customer asked this vendor for help on it.
    Ticket { help_requested: bool },
    /// Read the claims a support ticket references: whoever sees the
    /// ticket sees them.
    TicketClaims { help_requested: bool },
    /// Read any claim data of the account.
    Claims,
    /// Switch into the account, edit its settings, reset passwords, API keys.
    Administer,
}

impl VendorNeed {
    /// The lowest tier that allows this (seed 003's four levels).
    pub fn tier(self) -> VendorTier {
        match self {
            VendorNeed::Ticket {
                help_requested: true,
            }
            | VendorNeed::TicketClaims {
                help_requested: true,
            } => VendorTier::Limited,
            VendorNeed::Ticket {
                help_requested: false,
            }
            | VendorNeed::TicketClaims {
                help_requested: false,
            } => VendorTier::AllSupport,
            VendorNeed::Claims | VendorNeed::Administer => VendorTier::Full,
        }
    }
}

/// Why the policy said no, in words fit for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Denied {
    #[error("Your account is inactive.")]
    Inactive,
    #[error("You do not have access to this company.")]
    NotInCompany,
    #[error("This needs the permission {0}.")]
    MissingPermission(Permission),
    #[error("Only Administrators can do this.")]
    AdministratorsOnly,
    #[error("This user is not in any of your companies.")]
    UserOutOfReach,
    #[error("Payers and facilities are managed by Administrators, in the parent company.")]
    ParentAdministratorsOnly,
    #[error("Only Administrators and Support Users can open support tickets.")]
    SupportUsersOnly,
    #[error("This vendor has No Access, which leaves it out of support issues.")]
    VendorLeftOut,
    #[error("Only the account's own Administrators can do this (not a vendor switched in).")]
    OwnAdministratorsOnly,
    #[error("This vendor is not linked to that account.")]
    NotLinked,
    #[error("The account grants {have}; this needs {need}.")]
    VendorTierTooLow { have: VendorTier, need: VendorTier },
    #[error(
        "The account lowered your Vendor Access, so you are back in your own account; nothing was done."
    )]
    SwitchLapsed,
    #[error("Only the platform's staff can do this.")]
    PlatformStaffOnly,
    #[error("Only Platform Administrators can do this.")]
    PlatformAdministratorsOnly,
    #[error(
        "You can add and change Standard users only: making or changing an Administrator needs an Administrator."
    )]
    DelegatedStandardOnly,
    #[error("Only Administrators can make someone a Support User, or change a Support User.")]
    DelegatedNoSupportUser,
    #[error("You cannot give {0}: you do not hold it yourself.")]
    DelegatedBeyondPermission(Permission),
    #[error("You cannot give access to a company you may not act in yourself.")]
    DelegatedBeyondCompanies,
    #[error("This user has access you do not have: only an Administrator can change them.")]
    DelegatedAboveYou,
    #[error("Another Platform Administrator must approve a change you proposed.")]
    SecondPersonRequired,
    #[error("This is another organization's.")]
    NotInOrganization,
}

/// The policy gate: deny by default, allow only what a rule grants.
pub fn can(access: &EffectiveAccess, action: Action<'_>) -> Result<(), Denied> {
    if !access.active {
        return Err(Denied::Inactive);
    }
    match action {
        Action::Use {
            company,
            permission,
        } => {
            if !access.may_act_in(company) {
                Err(Denied::NotInCompany)
            } else if !access.permissions.contains(permission) {
                Err(Denied::MissingPermission(permission))
            } else {
                Ok(())
            }
        }
        Action::EnterCompany(company) => {
            if access.may_act_in(company) {
                Ok(())
            } else {
                Err(Denied::NotInCompany)
            }
        }
        // The platform's staff administer no organization of their own
        // this way: their console has its own actions.
        Action::Administer(org) => {
            if access.administrator && access.org == org && access.platform.is_none() {
                Ok(())
            } else {
                Err(Denied::AdministratorsOnly)
            }
        }
        Action::SeeAudit(org) => match access.platform {
            Some(_) if access.org == org => can(access, Action::RunPlatform),
            _ => can(access, Action::Administer(org)),
        },
        Action::ManageAdministrators(org) | Action::ChangeVendorAccess(org) => {
            can(access, Action::Administer(org))?;
            if access.via_vendor.is_none() {
                Ok(())
            } else {
                Err(Denied::OwnAdministratorsOnly)
            }
        }
        Action::SeeUsers(org) => {
            if access.org != org || access.platform.is_some() {
                Err(Denied::AdministratorsOnly)
            } else if access.administrator || access.permissions.grants(Permission::UsersView) {
                Ok(())
            } else {
                Err(Denied::MissingPermission(Permission::UsersView))
            }
        }
        Action::SeeUser(target) => {
            can(access, Action::SeeUsers(target.org))?;
            if access.administrator || access.shares_a_company_with(target) {
                Ok(())
            } else {
                Err(Denied::UserOutOfReach)
            }
        }
        Action::ManageUser(target) => {
            if access.org != target.org {
                Err(Denied::AdministratorsOnly)
            } else if target.administrator && access.via_vendor.is_some() {
                Err(Denied::OwnAdministratorsOnly)
            } else if access.administrator {
                Ok(())
            } else if !access.permissions.grants(Permission::UsersManage) {
                Err(Denied::MissingPermission(Permission::UsersManage))
            } else if target.administrator {
                Err(Denied::AdministratorsOnly)
            } else if access.shares_a_company_with(target) {
                Ok(())
            } else {
                Err(Denied::UserOutOfReach)
            }
        }
        Action::ManageCatalog(company) => {
            if !access.may_act_in(company) {
                Err(Denied::NotInCompany)
            } else if access.administrator && company.is_parent() {
                Ok(())
            } else {
                Err(Denied::ParentAdministratorsOnly)
            }
        }
        Action::SupportTickets(org) => {
            if access.org == org
                && access.platform.is_none()
                && (access.administrator || access.support_user)
            {
                Ok(())
            } else {
                Err(Denied::SupportUsersOnly)
            }
        }
        Action::AskVendorForHelp { org, tier } => {
            can(access, Action::SupportTickets(org))?;
            if tier > VendorTier::NoAccess {
                Ok(())
            } else {
                Err(Denied::VendorLeftOut)
            }
        }
        Action::AddUsers(org) => {
            if access.org != org || access.platform.is_some() {
                Err(Denied::AdministratorsOnly)
            } else if access.administrator || access.permissions.grants(Permission::UsersAdd) {
                Ok(())
            } else {
                Err(Denied::AdministratorsOnly)
            }
        }
        Action::GrantAccess(grant) => super::delegation::check(access, grant),
        Action::SeeSupportContacts(org) => {
            let kind_has = matches!(access.kind, OrgKind::Customer | OrgKind::Vendor);
            if !kind_has || access.org != org {
                Err(Denied::SupportUsersOnly)
            } else if access.via_vendor.is_some() {
                Err(Denied::OwnAdministratorsOnly)
            } else {
                Ok(())
            }
        }
        Action::ReadTicketsCcd(org) => {
            if access.kind != OrgKind::Customer || access.org != org {
                Err(Denied::SupportUsersOnly)
            } else if access.via_vendor.is_some() {
                Err(Denied::OwnAdministratorsOnly)
            } else {
                Ok(())
            }
        }
        Action::ReadHelp(org) => {
            if access.org == org {
                Ok(())
            } else {
                Err(Denied::NotInOrganization)
            }
        }
        Action::SeeVendorSettings(org) => {
            if access.kind == OrgKind::Customer && access.org == org {
                Ok(())
            } else {
                Err(Denied::AdministratorsOnly)
            }
        }
        Action::SeeLinkedAccounts(org) => {
            if access.kind == OrgKind::Vendor && access.org == org {
                Ok(())
            } else {
                Err(Denied::NotLinked)
            }
        }
        Action::ConsentToVendorLink(org) => {
            let kind_links = matches!(access.kind, OrgKind::Customer | OrgKind::Vendor);
            if !kind_links || !access.administrator || access.org != org {
                Err(Denied::AdministratorsOnly)
            } else if access.via_vendor.is_some() {
                Err(Denied::OwnAdministratorsOnly)
            } else {
                Ok(())
            }
        }
        Action::PlatformConsole => match access.platform {
            Some(_) => Ok(()),
            None => Err(Denied::PlatformStaffOnly),
        },
        Action::RunPlatform => match access.platform {
            Some(PlatformRole::Administrator) => Ok(()),
            Some(PlatformRole::SupportAgent) => Err(Denied::PlatformAdministratorsOnly),
            None => Err(Denied::PlatformStaffOnly),
        },
        Action::RequestVendorAssistance { tier } => {
            can(access, Action::PlatformConsole)?;
            if tier > VendorTier::NoAccess {
                Ok(())
            } else {
                Err(Denied::VendorLeftOut)
            }
        }
        Action::ApproveChange { proposed_by } => {
            can(access, Action::RunPlatform)?;
            if proposed_by == access.user {
                Err(Denied::SecondPersonRequired)
            } else {
                Ok(())
            }
        }
        Action::VendorReach { customer, need } => {
            let have = access.vendor_tier(customer).ok_or(Denied::NotLinked)?;
            let need_tier = need.tier();
            if have >= need_tier {
                Ok(())
            } else {
                Err(Denied::VendorTierTooLow {
                    have,
                    need: need_tier,
                })
            }
        }
    }
}
