//! "Why can this user see this?": the provenance of every company and
//! permission the policy grants, for the panel on Edit User. It follows the
//! same rules as [`effective_access`](super::access::effective_access); a
//! property test checks that the two always agree.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    access::{OrgIndex, effective_access},
    ids::{CompanyId, OrgId, RoleId},
    permission::Permission,
    user::{User, UserType},
    vendor::VendorTier,
};

/// Where one grant comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// The user is an Administrator of the organization.
    Administrator,
    /// The user's role gives it.
    Role { id: RoleId, name: String },
    /// An Administrator picked this company for the user.
    Direct,
    /// The one company of a Customer-type user.
    HomeCompany,
    /// A customer's Vendor Access setting.
    VendorGrant {
        tier: VendorTier,
        until: Option<DateTime<Utc>>,
        then: VendorTier,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Administrator => f.write_str("Administrator"),
            Reason::Role { name, .. } => write!(f, "role \u{201c}{name}\u{201d}"),
            Reason::Direct => f.write_str("direct assignment"),
            Reason::HomeCompany => f.write_str("home company (Customer user type)"),
            Reason::VendorGrant {
                tier,
                until: Some(until),
                then,
            } => {
                write!(
                    f,
                    "vendor grant \u{201c}{tier}\u{201d} until {} UTC, then {then}",
                    until.format("%Y-%m-%d %H:%M")
                )
            }
            Reason::VendorGrant {
                tier, until: None, ..
            } => write!(f, "vendor grant \u{201c}{tier}\u{201d}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionWhy {
    pub permission: Permission,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyWhy {
    pub company: CompanyId,
    pub company_name: String,
    /// Why the user may act in the company at all.
    pub access: Vec<Reason>,
    /// Each permission held there, and why.
    pub permissions: Vec<PermissionWhy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorWhy {
    pub customer: OrgId,
    pub tier: VendorTier,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Explanation {
    /// Set when the user has nothing because they are inactive.
    pub inactive: bool,
    pub companies: Vec<CompanyWhy>,
    pub vendor: Vec<VendorWhy>,
}

/// The provenance of everything `effective_access` grants `user` at `now`.
pub fn explain(user: &User, index: &OrgIndex<'_>, now: DateTime<Utc>) -> Explanation {
    let access = effective_access(user, index, now);
    let mut explanation = Explanation {
        inactive: !user.is_active(),
        ..Explanation::default()
    };
    if !access.active {
        return explanation;
    }

    let role = user
        .role
        .and_then(|id| index.role(id))
        .filter(|r| r.org == user.org);
    let role_reason = role.map(|r| Reason::Role {
        id: r.id,
        name: r.name.clone(),
    });

    for company in access.company_list(index) {
        let mut reasons = Vec::new();
        if access.administrator {
            reasons.push(Reason::Administrator);
        } else if user.user_type == UserType::Customer {
            reasons.push(Reason::HomeCompany);
        } else {
            if let (Some(role), Some(reason)) = (role, &role_reason)
                && role.companies.contains(&company.id)
            {
                reasons.push(reason.clone());
            }
            if user.direct_companies.contains(&company.id) {
                reasons.push(Reason::Direct);
            }
        }
        let permission_reason = if access.administrator {
            Some(Reason::Administrator)
        } else {
            role_reason.clone()
        };
        let permissions = access
            .permissions
            .iter()
            .map(|permission| PermissionWhy {
                permission,
                reasons: permission_reason.clone().into_iter().collect(),
            })
            .collect();
        explanation.companies.push(CompanyWhy {
            company: company.id,
            company_name: company.name.clone(),
            access: reasons,
            permissions,
        });
    }

    for (customer, tier) in &access.vendor_reach {
        let link = index
            .snapshot
            .vendor_links
            .iter()
            .find(|l| l.vendor.org() == user.org && l.customer == *customer);
        if let Some(link) = link {
            let reason = Reason::VendorGrant {
                tier: *tier,
                until: link
                    .grant
                    .expires_at
                    .filter(|_| link.grant.is_temporary_at(now)),
                then: link.grant.reverts_to,
            };
            explanation.vendor.push(VendorWhy {
                customer: *customer,
                tier: *tier,
                reason,
            });
        }
    }
    explanation
}
