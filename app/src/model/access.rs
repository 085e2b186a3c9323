//! The one policy: what a user may do, computed from the organization's
//! snapshot and the time, without any I/O. The UI calls it to decide what to
//! show, the server to decide what to allow; both get the same answer.
//!
//! Security-sensitive: every server function authorizes through [`can`].

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ids::{CompanyId, OrgId, RoleId, UserId, VendorId},
    org::{Company, OrgKind, Organization},
    permission::{Permission, PermissionSet},
    role::Role,
    user::{User, UserType},
    vendor::{VendorLink, VendorTier},
};

/// Everything the policy needs to know about one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSnapshot {
    pub org: Organization,
    /// Parent company first.
    pub companies: Vec<Company>,
    pub roles: Vec<Role>,
    /// Links where this organization is the vendor or the customer.
    pub vendor_links: Vec<VendorLink>,
}

/// An [`OrgSnapshot`] with lookup tables, built once per request.
#[derive(Debug, Clone)]
pub struct OrgIndex<'a> {
    pub snapshot: &'a OrgSnapshot,
    companies: HashMap<CompanyId, &'a Company>,
    roles: HashMap<RoleId, &'a Role>,
}

impl<'a> OrgIndex<'a> {
    pub fn new(snapshot: &'a OrgSnapshot) -> Self {
        Self {
            snapshot,
            companies: snapshot.companies.iter().map(|c| (c.id, c)).collect(),
            roles: snapshot.roles.iter().map(|r| (r.id, r)).collect(),
        }
    }

    pub fn company(&self, id: CompanyId) -> Option<&'a Company> {
        self.companies.get(&id).copied()
    }

    pub fn role(&self, id: RoleId) -> Option<&'a Role> {
        self.roles.get(&id).copied()
    }

    /// A company of this organization that one may act in.
    fn usable_company(&self, id: CompanyId) -> Option<&'a Company> {
        self.company(id)
            .filter(|c| c.active && c.org == self.snapshot.org.id)
    }
}

/// Which companies a user may act in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompanyScope {
    /// Every active company of the organization (Administrators).
    All(OrgId),
    /// Exactly these (each active and of the user's organization).
    Listed(BTreeSet<CompanyId>),
}

/// The result of the policy for one user at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveAccess {
    pub user: UserId,
    pub org: OrgId,
    /// What kind of organization `org` is: a customer's consoles differ
    /// from a vendor's.
    pub kind: OrgKind,
    pub active: bool,
    pub administrator: bool,
    pub support_user: bool,
    pub companies: CompanyScope,
    /// The same permissions hold in every company of `companies`.
    pub permissions: PermissionSet,
    /// Where the user starts after sign-in; one of `companies`.
    pub default_company: Option<CompanyId>,
    /// For vendor staff: each linked customer and the tier in force now.
    pub vendor_reach: Vec<(OrgId, VendorTier)>,
    /// Set when vendor staff act inside a customer's account (switched in):
    /// `org` is then the customer's, and this names the vendor.
    pub via_vendor: Option<VendorId>,
}

impl EffectiveAccess {
    /// Nothing at all: inactive users, users of another organization.
    fn nothing(user: &User, kind: OrgKind) -> Self {
        Self {
            user: user.id,
            org: user.org,
            kind,
            active: false,
            administrator: false,
            support_user: false,
            companies: CompanyScope::Listed(BTreeSet::new()),
            permissions: PermissionSet::EMPTY,
            default_company: None,
            vendor_reach: Vec::new(),
            via_vendor: None,
        }
    }

    pub fn may_act_in(&self, company: &Company) -> bool {
        self.active
            && company.active
            && company.org == self.org
            && match &self.companies {
                CompanyScope::All(org) => *org == company.org,
                CompanyScope::Listed(ids) => ids.contains(&company.id),
            }
    }

    /// The companies the user may act in, parent first, then by name.
    pub fn company_list<'a>(&self, index: &OrgIndex<'a>) -> Vec<&'a Company> {
        let mut list: Vec<&Company> = index
            .snapshot
            .companies
            .iter()
            .filter(|c| self.may_act_in(c))
            .collect();
        list.sort_by(|a, b| {
            b.is_parent()
                .cmp(&a.is_parent())
                .then_with(|| a.name.cmp(&b.name))
        });
        list
    }

    /// The company a request acts in: the one the session chose, while the
    /// user may still act there, else the user's default company. `None`
    /// for users with no company at all.
    pub fn acting_company(
        &self,
        index: &OrgIndex<'_>,
        chosen: Option<CompanyId>,
    ) -> Option<CompanyId> {
        chosen
            .filter(|id| index.company(*id).is_some_and(|c| self.may_act_in(c)))
            .or(self.default_company)
    }

    pub fn vendor_tier(&self, customer: OrgId) -> Option<VendorTier> {
        self.vendor_reach
            .iter()
            .find(|(org, _)| *org == customer)
            .map(|(_, tier)| *tier)
    }
}

/// Computes what `user` may do in their organization at `now`.
///
/// Rules (SPEC "The model"): an inactive user has nothing; an Administrator
/// has every permission in every active company of the organization; a
/// Customer-type user acts only in their home company; a Partner acts in the
/// companies of their role plus those picked for them; vendor staff reach
/// each linked customer at the tier in force at `now`.
pub fn effective_access(user: &User, index: &OrgIndex<'_>, now: DateTime<Utc>) -> EffectiveAccess {
    let kind = index.snapshot.org.kind;
    if !user.is_active() || user.org != index.snapshot.org.id {
        return EffectiveAccess::nothing(user, kind);
    }
    let mut access = EffectiveAccess::nothing(user, kind);
    access.active = true;
    access.support_user = user.support_user;

    if index.snapshot.org.kind == OrgKind::Vendor {
        access.administrator = user.is_admin();
        access.vendor_reach = index
            .snapshot
            .vendor_links
            .iter()
            .filter(|link| link.vendor.org() == user.org)
            .map(|link| (link.customer, link.grant.tier_at(now)))
            .collect();
        return access;
    }

    if user.is_admin() {
        access.administrator = true;
        access.companies = CompanyScope::All(user.org);
        access.permissions = PermissionSet::all();
        access.default_company = user
            .default_company
            .filter(|id| index.usable_company(*id).is_some())
            .or_else(|| {
                let parent = index.snapshot.companies.iter().find(|c| c.is_parent());
                parent
                    .filter(|c| index.usable_company(c.id).is_some())
                    .map(|c| c.id)
            });
        return access;
    }

    let role = user
        .role
        .and_then(|id| index.role(id))
        .filter(|r| r.org == user.org);
    access.permissions = role.map_or(PermissionSet::EMPTY, |r| r.permissions);
    let companies = listed_companies(user, index);
    access.default_company = user
        .default_company
        .filter(|id| companies.contains(id))
        .or_else(|| companies.iter().next().copied());
    access.companies = CompanyScope::Listed(companies);
    access
}

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

/// The companies a non-Administrator's account places them in, whatever its
/// status: a Customer's home company; a Partner's role companies plus those
/// picked for them. Only active companies of their organization count.
fn listed_companies(user: &User, index: &OrgIndex<'_>) -> BTreeSet<CompanyId> {
    let role = user
        .role
        .and_then(|id| index.role(id))
        .filter(|r| r.org == user.org);
    let companies: BTreeSet<CompanyId> = match user.user_type {
        UserType::Customer => user.default_company.into_iter().collect(),
        UserType::Partner => role
            .map(|r| &r.companies)
            .into_iter()
            .flatten()
            .chain(user.direct_companies.iter())
            .copied()
            .collect(),
    };
    companies
        .into_iter()
        .filter(|id| index.usable_company(*id).is_some())
        .collect()
}

/// A user someone wants to see or change on the Users page, as the policy
/// needs to know them. Status plays no part, so that a deactivated user
/// stays in sight of whoever may reactivate them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTarget {
    pub org: OrgId,
    pub administrator: bool,
    pub companies: CompanyScope,
}

impl UserTarget {
    pub fn of(user: &User, index: &OrgIndex<'_>) -> Self {
        Self {
            org: user.org,
            administrator: user.is_admin(),
            companies: if user.is_admin() {
                CompanyScope::All(user.org)
            } else {
                CompanyScope::Listed(listed_companies(user, index))
            },
        }
    }
}

impl EffectiveAccess {
    /// Whether `target` may act in at least one company this user may act in.
    fn shares_a_company_with(&self, target: &UserTarget) -> bool {
        match (&self.companies, &target.companies) {
            (CompanyScope::All(_), _) => true,
            (CompanyScope::Listed(mine), CompanyScope::All(_)) => !mine.is_empty(),
            (CompanyScope::Listed(mine), CompanyScope::Listed(theirs)) => !mine.is_disjoint(theirs),
        }
    }
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
    /// Open the organization's Vendor Settings: any active user of a
    /// customer organization (vendors have none of their own); changing
    /// them is [`Action::ChangeVendorAccess`].
    SeeVendorSettings(OrgId),
    /// Open the vendor console (Manage Accounts, the vendor's API keys):
    /// the vendor's own active staff, not while switched into a customer's
    /// account; what they may do in each account is [`Action::VendorReach`].
    SeeLinkedAccounts(OrgId),
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
        Action::Administer(org) => {
            if access.administrator && access.org == org {
                Ok(())
            } else {
                Err(Denied::AdministratorsOnly)
            }
        }
        Action::SeeAudit(org) => can(access, Action::Administer(org)),
        Action::ManageAdministrators(org) | Action::ChangeVendorAccess(org) => {
            can(access, Action::Administer(org))?;
            if access.via_vendor.is_none() {
                Ok(())
            } else {
                Err(Denied::OwnAdministratorsOnly)
            }
        }
        Action::SeeUsers(org) => {
            if access.org != org {
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
            } else if !access.permissions.contains(Permission::UsersManage) {
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
            if access.org == org && (access.administrator || access.support_user) {
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
