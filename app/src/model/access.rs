//! Effective access: what the policy knows of a user at one moment,
//! computed from the organization's snapshot and the time, without any
//! I/O. The verdict on an action is `policy::can`.
//!
//! Security-sensitive: every server function authorizes from it.

use std::{
    borrow::Cow,
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ids::{CompanyId, OrgId, RoleId, UserId, VendorId},
    org::{Company, OrgKind, Organization},
    permission::PermissionSet,
    platform::PlatformRole,
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
    /// The lookup tables of a snapshot that many requests share, built once
    /// ([`OrgSnapshot::indexed`]); without them each [`OrgIndex`] builds
    /// its own.
    #[serde(skip)]
    pub lookup: KeptLookup,
}

impl OrgSnapshot {
    /// The snapshot with its lookup tables built, for sharing between
    /// requests unchanged (the server's snapshot cache): at 10,000
    /// companies, building them is most of a request's authorization.
    pub fn indexed(mut self) -> Self {
        self.lookup = KeptLookup(Some(Arc::new(Lookup::of(&self))));
        self
    }
}

/// Positions of the companies and roles by id.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    companies: HashMap<CompanyId, usize>,
    roles: HashMap<RoleId, usize>,
}

impl Lookup {
    fn of(snapshot: &OrgSnapshot) -> Self {
        Self {
            companies: (snapshot.companies.iter().enumerate())
                .map(|(at, c)| (c.id, at))
                .collect(),
            roles: (snapshot.roles.iter().enumerate())
                .map(|(at, r)| (r.id, at))
                .collect(),
        }
    }
}

/// Lookup tables derived from the snapshot they sit in: not part of what
/// the snapshot says, so any two compare equal.
#[derive(Debug, Clone, Default)]
pub struct KeptLookup(Option<Arc<Lookup>>);

impl PartialEq for KeptLookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for KeptLookup {}

/// An [`OrgSnapshot`] with lookup tables: the snapshot's own when it has
/// them, else built for this use.
#[derive(Debug, Clone)]
pub struct OrgIndex<'a> {
    pub snapshot: &'a OrgSnapshot,
    lookup: Cow<'a, Lookup>,
}

impl<'a> OrgIndex<'a> {
    pub fn new(snapshot: &'a OrgSnapshot) -> Self {
        let lookup = match &snapshot.lookup.0 {
            Some(kept) => Cow::Borrowed(kept.as_ref()),
            None => Cow::Owned(Lookup::of(snapshot)),
        };
        Self { snapshot, lookup }
    }

    pub fn company(&self, id: CompanyId) -> Option<&'a Company> {
        let at = *self.lookup.companies.get(&id)?;
        // The id check guards against tables kept past a change.
        self.snapshot.companies.get(at).filter(|c| c.id == id)
    }

    pub fn role(&self, id: RoleId) -> Option<&'a Role> {
        let at = *self.lookup.roles.get(&id)?;
        self.snapshot.roles.get(at).filter(|r| r.id == id)
    }

    /// A company of this organization that one may act in.
    pub(crate) fn usable_company(&self, id: CompanyId) -> Option<&'a Company> {
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
    /// For the platform's own staff: what they are there. They have no
    /// company, no permission and no vendor reach: what they do in other
    /// organizations goes through the platform's own actions.
    pub platform: Option<PlatformRole>,
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
            platform: None,
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
/// each linked customer at the tier in force at `now`; the platform's
/// staff are what their platform role makes them. Nobody of a suspended
/// organization has anything.
pub fn effective_access(user: &User, index: &OrgIndex<'_>, now: DateTime<Utc>) -> EffectiveAccess {
    let kind = index.snapshot.org.kind;
    if !user.is_active() || user.org != index.snapshot.org.id || index.snapshot.org.suspended {
        return EffectiveAccess::nothing(user, kind);
    }
    let mut access = EffectiveAccess::nothing(user, kind);
    access.active = true;
    access.support_user = user.support_user;

    if kind == OrgKind::Platform {
        access.administrator = user.is_admin();
        access.platform = Some(PlatformRole::of(user.account_type));
        return access;
    }

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
    // What the role withholds is withheld even if the role also holds it.
    access.permissions = role.map_or(PermissionSet::EMPTY, |r| r.permissions.without(r.withheld));
    let companies = listed_companies(user, index);
    access.default_company = user
        .default_company
        .filter(|id| companies.contains(id))
        .or_else(|| companies.iter().next().copied());
    access.companies = CompanyScope::Listed(companies);
    access
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
    pub(crate) fn shares_a_company_with(&self, target: &UserTarget) -> bool {
        match (&self.companies, &target.companies) {
            (CompanyScope::All(_), _) => true,
            (CompanyScope::Listed(mine), CompanyScope::All(_)) => !mine.is_empty(),
            (CompanyScope::Listed(mine), CompanyScope::Listed(theirs)) => !mine.is_disjoint(theirs),
        }
    }
}
