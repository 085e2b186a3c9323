//! Delegated user administration (seed 001: Practice Admin and Self
//! Service Admin "add users"): a Standard user whose role gives Users: add
//! may add users and set their access, but never beyond their own. Pure:
//! the policy's `Action::GrantAccess` answers with [`check`].

use std::collections::BTreeSet;

use super::{
    access::{CompanyScope, EffectiveAccess},
    ids::{CompanyId, OrgId},
    permission::Permission,
    policy::Denied,
    role::Role,
};

/// The access a user is to have: a new user's, or a user's after a
/// change (with `before`, what they have now).
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub org: OrgId,
    pub administrator: bool,
    pub support_user: bool,
    /// The role, of the organization, if any.
    pub role: Option<&'a Role>,
    /// The companies picked for the user (a Customer's home company too).
    pub companies: &'a BTreeSet<CompanyId>,
    /// For a change: the user as they are.
    pub before: Option<&'a Grant<'a>>,
}

/// Whether `access` may give `grant`. An Administrator may (making or
/// changing an Administrator is `Action::ManageAdministrators` besides); a
/// holder of Users: add only a Standard, non-Support user whose role and
/// companies are within their own permissions and companies — and only
/// change a user who is within them already.
pub fn check(access: &EffectiveAccess, grant: &Grant<'_>) -> Result<(), Denied> {
    if access.org != grant.org || access.platform.is_some() {
        return Err(Denied::AdministratorsOnly);
    }
    if access.administrator {
        return Ok(());
    }
    if !access.permissions.grants(Permission::UsersAdd) {
        return Err(Denied::MissingPermission(Permission::UsersAdd));
    }
    if let Some(before) = grant.before {
        within(access, before).map_err(|refused| match refused {
            Denied::DelegatedStandardOnly | Denied::DelegatedNoSupportUser => refused,
            _ => Denied::DelegatedAboveYou,
        })?;
    }
    within(access, grant)
}

/// Whether `grant` gives nothing `access` does not hold itself.
fn within(access: &EffectiveAccess, grant: &Grant<'_>) -> Result<(), Denied> {
    if grant.administrator {
        return Err(Denied::DelegatedStandardOnly);
    }
    if grant.support_user {
        return Err(Denied::DelegatedNoSupportUser);
    }
    let mine: &BTreeSet<CompanyId> = match &access.companies {
        CompanyScope::Listed(mine) => mine,
        // Only Administrators act everywhere, and they returned above.
        CompanyScope::All(_) => return Ok(()),
    };
    if let Some(role) = grant.role {
        if role.org != grant.org {
            return Err(Denied::AdministratorsOnly);
        }
        if let Some(beyond) = role
            .permissions
            .without(role.withheld)
            .iter()
            .find(|p| !access.permissions.grants(*p))
        {
            return Err(Denied::DelegatedBeyondPermission(beyond));
        }
        if !role.companies.is_subset(mine) {
            return Err(Denied::DelegatedBeyondCompanies);
        }
    }
    if !grant.companies.is_subset(mine) {
        return Err(Denied::DelegatedBeyondCompanies);
    }
    Ok(())
}

#[cfg(test)]
#[path = "delegation_tests.rs"]
mod tests;
