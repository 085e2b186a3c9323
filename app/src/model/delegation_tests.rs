//! Delegated user administration: a table of what a holder of Users: add
//! may and may not give, then the property that whatever the policy lets
//! them give leaves the user with no more than they hold themself.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::model::{
    access::{OrgIndex, OrgSnapshot, effective_access},
    ids::{RoleId, UserId},
    org::{Company, OrgKind, Organization},
    permission::PermissionSet,
    policy::{Action, can},
    role::RoleTemplate,
    user::{AccountType, User, UserStatus, UserType},
};

const ORG: OrgId = OrgId(1);
const OTHER: OrgId = OrgId(2);
const PARENT: CompanyId = CompanyId(10);
const NORTH: CompanyId = CompanyId(11);
const SOUTH: CompanyId = CompanyId(12);
const EAST: CompanyId = CompanyId(13);
/// The delegated administrator's own role: Practice Admin, in North and
/// South.
const PRACTICE: RoleId = RoleId(1);
const FRONT: RoleId = RoleId(2);
const PARTNER_ADMIN: RoleId = RoleId(3);
const EAST_FRONT: RoleId = RoleId(4);
const FOREIGN: RoleId = RoleId(5);

fn role(id: RoleId, org: OrgId, template: RoleTemplate, companies: &[CompanyId]) -> Role {
    Role {
        id,
        org,
        name: template.name().into(),
        description: String::new(),
        permissions: template.permissions(),
        withheld: template.withheld(),
        companies: companies.iter().copied().collect(),
        self_service: template.self_service(),
        version: 1,
    }
}

fn org() -> OrgSnapshot {
    let company = |id, parent| Company {
        id,
        org: ORG,
        name: format!("{id:?}"),
        parent,
        active: true,
    };
    OrgSnapshot {
        org: Organization {
            id: ORG,
            name: "West Health".into(),
            kind: OrgKind::Customer,
            suspended: false,
        },
        companies: vec![
            company(PARENT, None),
            company(NORTH, Some(PARENT)),
            company(SOUTH, Some(PARENT)),
            company(EAST, Some(PARENT)),
        ],
        roles: vec![
            role(PRACTICE, ORG, RoleTemplate::PracticeAdmin, &[NORTH, SOUTH]),
            role(FRONT, ORG, RoleTemplate::FrontOffice, &[NORTH]),
            role(PARTNER_ADMIN, ORG, RoleTemplate::PartnerAdmin, &[]),
            role(EAST_FRONT, ORG, RoleTemplate::FrontOffice, &[EAST]),
            role(FOREIGN, OTHER, RoleTemplate::FrontOffice, &[]),
        ],
        vendor_links: vec![],
        lookup: Default::default(),
    }
}

fn user(account_type: AccountType, role: Option<RoleId>, direct: &[CompanyId]) -> User {
    User {
        id: UserId(7),
        org: ORG,
        first_name: "Pia".into(),
        last_name: "Practice".into(),
        email: "pia@example.com".into(),
        status: UserStatus::Active,
        account_type,
        user_type: UserType::Partner,
        default_company: None,
        support_user: false,
        role,
        direct_companies: direct.iter().copied().collect(),
        version: 1,
    }
}

fn access(user: &User, org: &OrgSnapshot) -> crate::model::access::EffectiveAccess {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).single().unwrap();
    effective_access(user, &OrgIndex::new(org), now)
}

fn find(org: &OrgSnapshot, id: RoleId) -> &Role {
    org.roles.iter().find(|r| r.id == id).unwrap()
}

fn grant<'a>(
    role: Option<&'a Role>,
    companies: &'a BTreeSet<CompanyId>,
    before: Option<&'a Grant<'a>>,
) -> Grant<'a> {
    Grant {
        org: ORG,
        administrator: false,
        support_user: false,
        role,
        companies,
        before,
    }
}

#[test]
fn a_delegated_administrator_gives_only_what_they_hold() {
    let org = org();
    let pia = access(&user(AccountType::Standard, Some(PRACTICE), &[]), &org);
    let north: BTreeSet<CompanyId> = [NORTH].into_iter().collect();
    let east: BTreeSet<CompanyId> = [EAST].into_iter().collect();
    let none = BTreeSet::new();
    let front = find(&org, FRONT);
    assert_eq!(can(&pia, Action::AddUsers(ORG)), Ok(()));
    // Within her permissions and companies: yes.
    assert_eq!(check(&pia, &grant(Some(front), &north, None)), Ok(()));
    assert_eq!(check(&pia, &grant(None, &north, None)), Ok(()));
    // Her own role, in her own companies: yes (not above herself).
    assert_eq!(
        check(&pia, &grant(Some(find(&org, PRACTICE)), &none, None)),
        Ok(())
    );
    // A company she does not act in, directly or through the role: no.
    assert_eq!(
        check(&pia, &grant(Some(front), &east, None)),
        Err(Denied::DelegatedBeyondCompanies)
    );
    assert_eq!(
        check(&pia, &grant(Some(find(&org, EAST_FRONT)), &north, None)),
        Err(Denied::DelegatedBeyondCompanies)
    );
    // A permission she lacks (Partner Admin deletes claims): no.
    assert!(matches!(
        check(&pia, &grant(Some(find(&org, PARTNER_ADMIN)), &north, None)),
        Err(Denied::DelegatedBeyondPermission(p)) if !pia.permissions.grants(p)
    ));
    // Another organization's role: no.
    assert_eq!(
        check(&pia, &grant(Some(find(&org, FOREIGN)), &north, None)),
        Err(Denied::AdministratorsOnly)
    );
    // Never an Administrator, never a Support User.
    let make_admin = Grant {
        administrator: true,
        ..grant(None, &none, None)
    };
    assert_eq!(check(&pia, &make_admin), Err(Denied::DelegatedStandardOnly));
    let make_support = Grant {
        support_user: true,
        ..grant(Some(front), &north, None)
    };
    assert_eq!(
        check(&pia, &make_support),
        Err(Denied::DelegatedNoSupportUser)
    );
}

#[test]
fn a_delegated_administrator_changes_only_users_within_their_own_access() {
    let org = org();
    let pia = access(&user(AccountType::Standard, Some(PRACTICE), &[]), &org);
    let north: BTreeSet<CompanyId> = [NORTH].into_iter().collect();
    let east: BTreeSet<CompanyId> = [EAST].into_iter().collect();
    let front = find(&org, FRONT);
    let within = grant(Some(front), &north, None);
    assert_eq!(
        check(&pia, &grant(None, &north, Some(&within))),
        Ok(()),
        "taking a role away from someone within her access"
    );
    // Someone who acts in East Clinic, which she does not: not hers to change.
    let beyond = grant(Some(front), &east, None);
    assert_eq!(
        check(&pia, &grant(Some(front), &north, Some(&beyond))),
        Err(Denied::DelegatedAboveYou)
    );
    // An Administrator or a Support User, as they are: not hers either.
    let none = BTreeSet::new();
    let admin = Grant {
        administrator: true,
        ..grant(None, &none, None)
    };
    assert_eq!(
        check(&pia, &grant(None, &north, Some(&admin))),
        Err(Denied::DelegatedStandardOnly)
    );
    let support = Grant {
        support_user: true,
        ..grant(Some(front), &north, None)
    };
    assert_eq!(
        check(&pia, &grant(Some(front), &north, Some(&support))),
        Err(Denied::DelegatedNoSupportUser)
    );
}

#[test]
fn only_administrators_and_holders_of_users_add_may_add_users() {
    let org = org();
    let north: BTreeSet<CompanyId> = [NORTH].into_iter().collect();
    let front_office = access(&user(AccountType::Standard, Some(FRONT), &[]), &org);
    assert_eq!(
        can(&front_office, Action::AddUsers(ORG)),
        Err(Denied::AdministratorsOnly)
    );
    assert_eq!(
        check(&front_office, &grant(None, &north, None)),
        Err(Denied::MissingPermission(Permission::UsersAdd))
    );
    let admin = access(&user(AccountType::Administrator, None, &[]), &org);
    assert_eq!(can(&admin, Action::AddUsers(ORG)), Ok(()));
    let none = BTreeSet::new();
    let make_admin = Grant {
        administrator: true,
        ..grant(None, &none, None)
    };
    assert_eq!(check(&admin, &make_admin), Ok(()));
    // Another organization's user, however strong: no.
    let mut foreign = user(AccountType::Administrator, None, &[]);
    foreign.org = OTHER;
    let foreign = access(&foreign, &org);
    assert!(can(&foreign, Action::AddUsers(ORG)).is_err());
    assert!(check(&foreign, &grant(None, &north, None)).is_err());
    // An inactive holder: nothing.
    let mut inactive = user(AccountType::Standard, Some(PRACTICE), &[]);
    inactive.status = UserStatus::Inactive;
    let inactive = access(&inactive, &org);
    assert!(can(&inactive, Action::AddUsers(ORG)).is_err());
    assert!(can(&inactive, Action::GrantAccess(&grant(None, &north, None))).is_err());
}

/// A role of random permissions and companies, for the property below.
fn arbitrary_role(id: i64) -> impl Strategy<Value = Role> {
    (
        any::<u64>(),
        any::<u64>(),
        prop::collection::btree_set(prop::sample::select(vec![PARENT, NORTH, SOUTH, EAST]), 0..4),
    )
        .prop_map(move |(bits, withheld, companies)| Role {
            id: RoleId(id),
            org: ORG,
            name: format!("R{id}"),
            description: String::new(),
            permissions: Permission::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, p)| p)
                .collect(),
            // Now and then a restriction.
            withheld: Permission::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| withheld & (1 << i) != 0 && withheld % 5 == 0)
                .map(|(_, p)| p)
                .collect(),
            companies,
            self_service: false,
            version: 1,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Whatever a delegated administrator is allowed to give, the user who
    /// gets it can do no more than they can, and is no Administrator and
    /// no Support User.
    #[test]
    fn a_delegated_administrator_never_raises_anyone_above_themself(
        own in arbitrary_role(1),
        given in arbitrary_role(2),
        own_direct in prop::collection::btree_set(prop::sample::select(vec![PARENT, NORTH, SOUTH, EAST]), 0..3),
        picked in prop::collection::btree_set(prop::sample::select(vec![PARENT, NORTH, SOUTH, EAST]), 0..3),
        with_role in any::<bool>(),
        administrator in prop::bool::weighted(0.1),
        support_user in prop::bool::weighted(0.1),
        customer in any::<bool>(),
    ) {
        let mut org = org();
        org.roles = vec![own, given];
        let mut own = PermissionSet::EMPTY;
        own.insert(Permission::UsersAdd);
        org.roles[0].permissions = org.roles[0].permissions.union(own);
        org.roles[0].withheld = PermissionSet::EMPTY;
        let me = user(AccountType::Standard, Some(RoleId(1)), &own_direct.iter().copied().collect::<Vec<_>>());
        let mine = access(&me, &org);
        let role = with_role.then(|| &org.roles[1]);
        let companies: BTreeSet<CompanyId> = match customer {
            true => picked.iter().next().copied().into_iter().collect(),
            false => picked.clone(),
        };
        let g = Grant { administrator, support_user, ..grant(role, &companies, None) };
        if can(&mine, Action::GrantAccess(&g)).is_ok() {
            let new = User {
                id: UserId(8),
                account_type: if administrator { AccountType::Administrator } else { AccountType::Standard },
                user_type: if customer { UserType::Customer } else { UserType::Partner },
                default_company: companies.iter().next().copied(),
                support_user,
                role: role.map(|r| r.id),
                direct_companies: companies.clone(),
                ..user(AccountType::Standard, None, &[])
            };
            let theirs = access(&new, &org);
            prop_assert!(!theirs.administrator && !theirs.support_user);
            for p in theirs.permissions.iter() {
                prop_assert!(mine.permissions.grants(p), "gave {:?}", p);
            }
            let (crate::model::access::CompanyScope::Listed(their_companies),
                 crate::model::access::CompanyScope::Listed(my_companies)) = (&theirs.companies, &mine.companies)
            else {
                return Err(TestCaseError::fail("a Standard user acts in listed companies"));
            };
            prop_assert!(their_companies.is_subset(my_companies));
        }
        // And what is within their own is never refused.
        let inside: BTreeSet<CompanyId> = match &mine.companies {
            crate::model::access::CompanyScope::Listed(my) => picked.intersection(my).copied().collect(),
            crate::model::access::CompanyScope::All(_) => picked.clone(),
        };
        prop_assert_eq!(can(&mine, Action::GrantAccess(&grant(None, &inside, None))), Ok(()));
    }
}
