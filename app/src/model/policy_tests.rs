//! The policy's rules as a table of allow and deny cases, then property
//! tests of its invariants over random organizations.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::{
    access::{CompanyScope, EffectiveAccess, OrgIndex, OrgSnapshot, UserTarget, effective_access},
    explain::{Reason, explain},
    ids::{CompanyId, OrgId, RoleId, UserId, VendorId},
    org::{Company, OrgKind, Organization},
    permission::{Permission, PermissionSet},
    policy::{Action, Denied, VendorNeed, can, switched_access},
    role::{Role, RoleTemplate},
    user::{AccountType, User, UserStatus, UserType},
    vendor::{VendorGrant, VendorLink, VendorTier},
};

const ORG: OrgId = OrgId(1);
const OTHER_ORG: OrgId = OrgId(2);
const VENDOR: VendorId = VendorId(3);
const PARENT: CompanyId = CompanyId(10);
const NORTH: CompanyId = CompanyId(11);
const SOUTH: CompanyId = CompanyId(12);
const EAST: CompanyId = CompanyId(13);
const CLOSED: CompanyId = CompanyId(14);
const FOREIGN: CompanyId = CompanyId(20);
const BILLER: RoleId = RoleId(100);
const VIEWER: RoleId = RoleId(101);
const FOREIGN_ROLE: RoleId = RoleId(200);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .unwrap()
}

fn company(
    id: CompanyId,
    org: OrgId,
    name: &str,
    parent: Option<CompanyId>,
    active: bool,
) -> Company {
    Company {
        id,
        org,
        name: name.into(),
        parent,
        active,
    }
}

fn role(
    id: RoleId,
    org: OrgId,
    name: &str,
    permissions: PermissionSet,
    companies: &[CompanyId],
) -> Role {
    Role {
        id,
        org,
        name: name.into(),
        description: String::new(),
        permissions,
        companies: companies.iter().copied().collect(),
        self_service: false,
        withheld: PermissionSet::EMPTY,
        version: 1,
    }
}

/// West Health: a parent, three active children and a closed one.
fn customer_org() -> OrgSnapshot {
    OrgSnapshot {
        org: Organization {
            id: ORG,
            name: "West Health".into(),
            kind: OrgKind::Customer,
            suspended: false,
        },
        companies: vec![
            company(PARENT, ORG, "West Health", None, true),
            company(NORTH, ORG, "North Clinic", Some(PARENT), true),
            company(SOUTH, ORG, "South Clinic", Some(PARENT), true),
            company(EAST, ORG, "East Clinic", Some(PARENT), true),
            company(CLOSED, ORG, "Closed Clinic", Some(PARENT), false),
            company(FOREIGN, OTHER_ORG, "Elsewhere", None, true),
        ],
        roles: vec![
            role(
                BILLER,
                ORG,
                "Biller",
                RoleTemplate::Standard.permissions(),
                &[NORTH, SOUTH],
            ),
            role(
                VIEWER,
                ORG,
                "Viewer",
                [Permission::ClaimsView].into_iter().collect(),
                &[],
            ),
            role(
                FOREIGN_ROLE,
                OTHER_ORG,
                "Foreign",
                PermissionSet::all(),
                &[FOREIGN],
            ),
        ],
        vendor_links: vec![],
        lookup: Default::default(),
    }
}

fn user(account_type: AccountType, user_type: UserType) -> User {
    User {
        id: UserId(1000),
        org: ORG,
        first_name: "Barney".into(),
        last_name: "Rubble".into(),
        email: "barney@example.com".into(),
        status: UserStatus::Active,
        account_type,
        user_type,
        default_company: None,
        support_user: false,
        role: None,
        direct_companies: BTreeSet::new(),
        version: 1,
    }
}

fn partner(role: Option<RoleId>, direct: &[CompanyId], default: Option<CompanyId>) -> User {
    User {
        role,
        direct_companies: direct.iter().copied().collect(),
        default_company: default,
        ..user(AccountType::Standard, UserType::Partner)
    }
}

fn admin() -> User {
    user(AccountType::Administrator, UserType::Partner)
}

fn access_of(user: &User, org: &OrgSnapshot) -> EffectiveAccess {
    effective_access(user, &OrgIndex::new(org), now())
}

fn company_ids(access: &EffectiveAccess, org: &OrgSnapshot) -> Vec<CompanyId> {
    access
        .company_list(&OrgIndex::new(org))
        .into_iter()
        .map(|c| c.id)
        .collect()
}

fn find(org: &OrgSnapshot, id: CompanyId) -> &Company {
    org.companies.iter().find(|c| c.id == id).unwrap()
}

// ---- Administrators -------------------------------------------------------

#[test]
fn an_administrator_has_every_active_company_of_the_organization_parent_first() {
    let org = customer_org();
    let access = access_of(&admin(), &org);
    assert_eq!(company_ids(&access, &org), vec![PARENT, EAST, NORTH, SOUTH]);
    assert_eq!(access.companies, CompanyScope::All(ORG));
}

#[test]
fn an_administrator_has_every_permission_in_every_company() {
    let org = customer_org();
    let access = access_of(&admin(), &org);
    for id in [PARENT, NORTH, SOUTH, EAST] {
        for permission in Permission::ALL {
            assert_eq!(
                can(
                    &access,
                    Action::Use {
                        company: find(&org, id),
                        permission
                    }
                ),
                Ok(())
            );
        }
    }
    assert_eq!(can(&access, Action::Administer(ORG)), Ok(()));
}

#[test]
fn an_administrator_has_nothing_in_a_closed_company_or_another_organization() {
    let org = customer_org();
    let access = access_of(&admin(), &org);
    let use_claims = |id| Action::Use {
        company: find(&org, id),
        permission: Permission::ClaimsView,
    };
    assert_eq!(can(&access, use_claims(CLOSED)), Err(Denied::NotInCompany));
    assert_eq!(can(&access, use_claims(FOREIGN)), Err(Denied::NotInCompany));
    assert_eq!(
        can(&access, Action::Administer(OTHER_ORG)),
        Err(Denied::AdministratorsOnly)
    );
}

#[test]
fn an_administrator_starts_in_the_parent_company_unless_a_default_is_set() {
    let org = customer_org();
    assert_eq!(access_of(&admin(), &org).default_company, Some(PARENT));
    let with_default = User {
        default_company: Some(SOUTH),
        ..admin()
    };
    assert_eq!(access_of(&with_default, &org).default_company, Some(SOUTH));
}

// ---- Inactive users ---------------------------------------------------------

#[test]
fn an_inactive_user_has_nothing_even_as_administrator() {
    let org = customer_org();
    let inactive = User {
        status: UserStatus::Inactive,
        support_user: true,
        ..admin()
    };
    let access = access_of(&inactive, &org);
    assert!(company_ids(&access, &org).is_empty());
    assert!(access.permissions.is_empty());
    assert_eq!(
        can(
            &access,
            Action::Use {
                company: find(&org, PARENT),
                permission: Permission::ClaimsView
            }
        ),
        Err(Denied::Inactive)
    );
    assert_eq!(can(&access, Action::Administer(ORG)), Err(Denied::Inactive));
    assert_eq!(
        can(&access, Action::SupportTickets(ORG)),
        Err(Denied::Inactive)
    );
    assert!(explain(&inactive, &OrgIndex::new(&org), now()).inactive);
}

// ---- Customer and Partner user types ---------------------------------------

#[test]
fn a_customer_type_user_acts_in_exactly_their_home_company() {
    let org = customer_org();
    let customer = User {
        role: Some(BILLER),
        default_company: Some(EAST),
        direct_companies: [NORTH].into_iter().collect(),
        ..user(AccountType::Standard, UserType::Customer)
    };
    let access = access_of(&customer, &org);
    // Not the role's North and South, not a stray direct pick: only East.
    assert_eq!(company_ids(&access, &org), vec![EAST]);
    assert_eq!(access.default_company, Some(EAST));
    assert_eq!(access.permissions, RoleTemplate::Standard.permissions());
}

#[test]
fn the_emr_restriction_withholds_its_report_in_every_company_whatever_the_role_holds() {
    let mut org = customer_org();
    let emr = RoleTemplate::FrontOfficeBillingEmr;
    // The role was later given every permission, the withheld one too.
    let mut restricted = role(
        RoleId(77),
        ORG,
        emr.name(),
        PermissionSet::all(),
        &[NORTH, SOUTH],
    );
    restricted.withheld = emr.withheld();
    org.roles.push(restricted);
    let member = partner(Some(RoleId(77)), &[EAST], Some(NORTH));
    let access = access_of(&member, &org);
    assert_eq!(company_ids(&access, &org), vec![EAST, NORTH, SOUTH]);
    for id in [EAST, NORTH, SOUTH] {
        let company = find(&org, id);
        assert_eq!(
            can(
                &access,
                Action::Use {
                    company,
                    permission: Permission::ReportsPaymentBalancing,
                }
            ),
            Err(Denied::MissingPermission(
                Permission::ReportsPaymentBalancing
            )),
            "withheld in {id:?}"
        );
        for permission in Permission::ALL
            .into_iter()
            .filter(|p| *p != Permission::ReportsPaymentBalancing)
        {
            assert_eq!(
                can(
                    &access,
                    Action::Use {
                        company,
                        permission
                    }
                ),
                Ok(())
            );
        }
    }
    // An Administrator holds no role: nothing is withheld from them.
    let admin_access = access_of(&admin(), &org);
    assert!(
        admin_access
            .permissions
            .contains(Permission::ReportsPaymentBalancing)
    );
}

#[test]
fn a_customer_type_user_without_a_home_company_acts_nowhere() {
    let org = customer_org();
    let access = access_of(&user(AccountType::Standard, UserType::Customer), &org);
    assert!(company_ids(&access, &org).is_empty());
}

#[test]
fn a_partner_gets_the_role_s_companies_plus_the_ones_picked_for_them() {
    let org = customer_org();
    let access = access_of(&partner(Some(BILLER), &[EAST], Some(SOUTH)), &org);
    assert_eq!(company_ids(&access, &org), vec![EAST, NORTH, SOUTH]);
    assert_eq!(access.default_company, Some(SOUTH));
    assert!(!access.may_act_in(find(&org, PARENT)));
}

#[test]
fn a_role_given_company_cannot_be_removed_from_a_member() {
    let org = customer_org();
    // Whatever is picked directly, the role's North and South stay.
    for direct in [&[][..], &[EAST][..], &[NORTH][..]] {
        let ids = company_ids(&access_of(&partner(Some(BILLER), direct, None), &org), &org);
        assert!(
            ids.contains(&NORTH) && ids.contains(&SOUTH),
            "{direct:?}: {ids:?}"
        );
    }
}

#[test]
fn a_partner_s_default_company_must_be_one_of_theirs() {
    let org = customer_org();
    let access = access_of(&partner(Some(BILLER), &[], Some(EAST)), &org);
    assert_eq!(
        access.default_company,
        Some(NORTH),
        "East is not theirs: the first of theirs instead"
    );
}

#[test]
fn a_user_with_no_role_has_the_companies_picked_and_no_permission() {
    let org = customer_org();
    let access = access_of(&partner(None, &[NORTH], None), &org);
    assert_eq!(company_ids(&access, &org), vec![NORTH]);
    assert_eq!(
        can(&access, Action::EnterCompany(find(&org, NORTH))),
        Ok(())
    );
    assert_eq!(
        can(
            &access,
            Action::Use {
                company: find(&org, NORTH),
                permission: Permission::ClaimsView
            }
        ),
        Err(Denied::MissingPermission(Permission::ClaimsView))
    );
}

#[test]
fn permissions_come_from_the_role_and_only_apply_in_the_user_s_companies() {
    let org = customer_org();
    let access = access_of(&partner(Some(VIEWER), &[NORTH], None), &org);
    let north = find(&org, NORTH);
    assert_eq!(
        can(
            &access,
            Action::Use {
                company: north,
                permission: Permission::ClaimsView
            }
        ),
        Ok(())
    );
    assert_eq!(
        can(
            &access,
            Action::Use {
                company: north,
                permission: Permission::ClaimsRefund
            }
        ),
        Err(Denied::MissingPermission(Permission::ClaimsRefund))
    );
    assert_eq!(
        can(
            &access,
            Action::Use {
                company: find(&org, SOUTH),
                permission: Permission::ClaimsView
            }
        ),
        Err(Denied::NotInCompany)
    );
}

#[test]
fn companies_and_roles_of_another_organization_or_closed_companies_give_nothing() {
    let org = customer_org();
    let access = access_of(
        &partner(Some(FOREIGN_ROLE), &[FOREIGN, CLOSED], Some(FOREIGN)),
        &org,
    );
    assert!(company_ids(&access, &org).is_empty());
    assert!(access.permissions.is_empty());
    assert_eq!(access.default_company, None);
}

#[test]
fn a_user_of_another_organization_gets_nothing_from_this_snapshot() {
    let org = customer_org();
    let stranger = User {
        org: OTHER_ORG,
        ..admin()
    };
    let access = access_of(&stranger, &org);
    assert!(!access.active);
    assert_eq!(can(&access, Action::Administer(ORG)), Err(Denied::Inactive));
}

// ---- The Users page --------------------------------------------------------

fn target(user: &User, org: &OrgSnapshot) -> UserTarget {
    UserTarget::of(user, &OrgIndex::new(org))
}

/// A Partner holding the given Users permissions in North (and nothing else).
fn user_keeper(permissions: &[Permission]) -> (User, OrgSnapshot) {
    let mut org = customer_org();
    org.roles[1].permissions = permissions.iter().copied().collect();
    (partner(Some(VIEWER), &[NORTH], Some(NORTH)), org)
}

#[test]
fn the_users_page_needs_users_view_or_manage_or_administrator() {
    let org = customer_org();
    assert_eq!(
        can(&access_of(&admin(), &org), Action::SeeUsers(ORG)),
        Ok(())
    );
    let claims_only = access_of(&partner(Some(VIEWER), &[NORTH], None), &org);
    assert_eq!(
        can(&claims_only, Action::SeeUsers(ORG)),
        Err(Denied::MissingPermission(Permission::UsersView))
    );
    for held in [Permission::UsersView, Permission::UsersManage] {
        let (keeper, org) = user_keeper(&[held]);
        let access = access_of(&keeper, &org);
        assert_eq!(can(&access, Action::SeeUsers(ORG)), Ok(()), "{held:?}");
        assert_eq!(
            can(&access, Action::SeeUsers(OTHER_ORG)),
            Err(Denied::AdministratorsOnly)
        );
    }
    // An Administrator of another organization sees none of this one.
    let foreign_admin = User {
        org: OTHER_ORG,
        ..admin()
    };
    assert_eq!(
        can(&access_of(&foreign_admin, &org), Action::SeeUsers(ORG)),
        Err(Denied::Inactive)
    );
}

#[test]
fn users_view_reaches_only_users_who_share_a_company() {
    let (keeper, org) = user_keeper(&[Permission::UsersView]);
    let access = access_of(&keeper, &org);
    let in_north = partner(None, &[NORTH, EAST], None);
    let in_south_by_role = partner(Some(BILLER), &[], None);
    let only_east = partner(None, &[EAST], None);
    let customer_at_north = User {
        default_company: Some(NORTH),
        ..user(AccountType::Standard, UserType::Customer)
    };
    let see = |u: &User| can(&access, Action::SeeUser(&target(u, &org)));
    assert_eq!(see(&in_north), Ok(()));
    assert_eq!(see(&in_south_by_role), Ok(()), "Biller's role gives North");
    assert_eq!(see(&customer_at_north), Ok(()));
    assert_eq!(see(&admin()), Ok(()), "Administrators act everywhere");
    assert_eq!(see(&only_east), Err(Denied::UserOutOfReach));
    // Deactivating a user does not hide them from whoever may reactivate them.
    let inactive = User {
        status: UserStatus::Inactive,
        ..in_north.clone()
    };
    assert_eq!(see(&inactive), Ok(()));
    // Nor can a user of another organization be reached through a shared id.
    let foreign = User {
        org: OTHER_ORG,
        ..in_north
    };
    assert_eq!(see(&foreign), Err(Denied::AdministratorsOnly));
}

#[test]
fn only_users_manage_changes_a_profile_and_never_an_administrators() {
    let colleague = partner(None, &[NORTH], None);
    let (viewer, org) = user_keeper(&[Permission::UsersView]);
    assert_eq!(
        can(
            &access_of(&viewer, &org),
            Action::ManageUser(&target(&colleague, &org))
        ),
        Err(Denied::MissingPermission(Permission::UsersManage))
    );
    let (manager, org) = user_keeper(&[Permission::UsersManage]);
    let access = access_of(&manager, &org);
    let manage = |u: &User| can(&access, Action::ManageUser(&target(u, &org)));
    assert_eq!(manage(&colleague), Ok(()));
    assert_eq!(manage(&admin()), Err(Denied::AdministratorsOnly));
    assert_eq!(
        manage(&partner(None, &[SOUTH], None)),
        Err(Denied::UserOutOfReach)
    );
    // A manager never administers: account types, roles and companies stay
    // with Administrators.
    assert_eq!(
        can(&access, Action::Administer(ORG)),
        Err(Denied::AdministratorsOnly)
    );
    // An Administrator manages anyone of the organization, and no one else.
    let admin_access = access_of(&admin(), &org);
    assert_eq!(
        can(&admin_access, Action::ManageUser(&target(&admin(), &org))),
        Ok(())
    );
    let foreign = User {
        org: OTHER_ORG,
        ..colleague
    };
    assert_eq!(
        can(&admin_access, Action::ManageUser(&target(&foreign, &org))),
        Err(Denied::AdministratorsOnly)
    );
}

#[test]
fn a_closed_company_shares_nobody() {
    let mut org = customer_org();
    org.roles[1].permissions = [Permission::UsersView].into_iter().collect();
    let keeper = partner(Some(VIEWER), &[NORTH, CLOSED], None);
    let in_closed = partner(None, &[CLOSED], None);
    assert_eq!(
        can(
            &access_of(&keeper, &org),
            Action::SeeUser(&target(&in_closed, &org))
        ),
        Err(Denied::UserOutOfReach)
    );
}

// ---- The acting company ------------------------------------------------------

#[test]
fn the_acting_company_is_the_chosen_one_while_allowed_else_the_default() {
    let org = customer_org();
    let index = OrgIndex::new(&org);
    let pat = access_of(&partner(Some(BILLER), &[EAST], Some(SOUTH)), &org);
    assert_eq!(pat.acting_company(&index, None), Some(SOUTH));
    assert_eq!(pat.acting_company(&index, Some(EAST)), Some(EAST));
    // Out of reach, closed, foreign or unknown: back to the default.
    for chosen in [PARENT, CLOSED, FOREIGN, CompanyId(999)] {
        assert_eq!(
            pat.acting_company(&index, Some(chosen)),
            Some(SOUTH),
            "{chosen:?}"
        );
    }
    // Administrators start at the parent and may choose any active company.
    let admin = access_of(&admin(), &org);
    assert_eq!(admin.acting_company(&index, None), Some(PARENT));
    assert_eq!(admin.acting_company(&index, Some(EAST)), Some(EAST));
    assert_eq!(admin.acting_company(&index, Some(CLOSED)), Some(PARENT));
    // Nobody acts anywhere once inactive.
    let inactive = User {
        status: UserStatus::Inactive,
        ..partner(Some(BILLER), &[EAST], Some(SOUTH))
    };
    assert_eq!(
        access_of(&inactive, &org).acting_company(&index, Some(EAST)),
        None
    );
}

// ---- Payers and facilities -------------------------------------------------

#[test]
fn only_administrators_at_the_parent_manage_payers_and_facilities() {
    let org = customer_org();
    let admin = access_of(&admin(), &org);
    assert_eq!(
        can(&admin, Action::ManageCatalog(find(&org, PARENT))),
        Ok(())
    );
    assert_eq!(
        can(&admin, Action::ManageCatalog(find(&org, NORTH))),
        Err(Denied::ParentAdministratorsOnly)
    );
    assert_eq!(
        can(&admin, Action::ManageCatalog(find(&org, FOREIGN))),
        Err(Denied::NotInCompany)
    );
    // A Partner who may act at the parent, with every permission, still may not.
    let mut strong = customer_org();
    strong.roles[0].permissions = PermissionSet::all();
    let partner_at_parent = access_of(&partner(Some(BILLER), &[PARENT], None), &strong);
    assert_eq!(
        can(
            &partner_at_parent,
            Action::ManageCatalog(find(&strong, PARENT))
        ),
        Err(Denied::ParentAdministratorsOnly)
    );
}

// ---- Administration and support --------------------------------------------

#[test]
fn only_administrators_administer_the_organization() {
    let org = customer_org();
    let standard = access_of(&partner(Some(BILLER), &[], None), &org);
    assert_eq!(
        can(&standard, Action::Administer(ORG)),
        Err(Denied::AdministratorsOnly)
    );
    // Even a role holding every permission is not an Administrator.
    let mut all = customer_org();
    all.roles[0].permissions = PermissionSet::all();
    let strong = access_of(&partner(Some(BILLER), &[], None), &all);
    assert_eq!(
        can(&strong, Action::Administer(ORG)),
        Err(Denied::AdministratorsOnly)
    );
}

#[test]
fn only_administrators_and_support_users_open_support_tickets() {
    let org = customer_org();
    let standard = partner(Some(BILLER), &[], None);
    assert_eq!(
        can(&access_of(&standard, &org), Action::SupportTickets(ORG)),
        Err(Denied::SupportUsersOnly)
    );
    let support = User {
        support_user: true,
        ..standard
    };
    assert_eq!(
        can(&access_of(&support, &org), Action::SupportTickets(ORG)),
        Ok(())
    );
    assert_eq!(
        can(&access_of(&admin(), &org), Action::SupportTickets(ORG)),
        Ok(())
    );
    assert_eq!(
        can(
            &access_of(&support, &org),
            Action::SupportTickets(OTHER_ORG)
        ),
        Err(Denied::SupportUsersOnly)
    );
}

#[test]
fn a_vendor_with_no_access_is_left_out_of_support_issues() {
    let org = customer_org();
    let admin = access_of(&admin(), &org);
    let ask =
        |access: &EffectiveAccess, tier| can(access, Action::AskVendorForHelp { org: ORG, tier });
    assert_eq!(
        ask(&admin, VendorTier::NoAccess),
        Err(Denied::VendorLeftOut)
    );
    for tier in [
        VendorTier::Limited,
        VendorTier::AllSupport,
        VendorTier::Full,
    ] {
        assert_eq!(ask(&admin, tier), Ok(()), "{tier:?}");
    }
    // Asking is part of handling tickets: others may not, at any tier.
    let standard = access_of(&partner(Some(BILLER), &[], None), &org);
    assert_eq!(
        ask(&standard, VendorTier::Full),
        Err(Denied::SupportUsersOnly)
    );
}

#[test]
fn administrators_are_not_support_users_by_implication() {
    let org = customer_org();
    assert!(!access_of(&admin(), &org).support_user);
}

// ---- Vendors ---------------------------------------------------------------

const CUSTOMER_A: OrgId = OrgId(50);
const CUSTOMER_B: OrgId = OrgId(51);

fn vendor_org(grant_a: VendorGrant) -> OrgSnapshot {
    OrgSnapshot {
        org: Organization {
            id: VENDOR.org(),
            name: "Claimwise".into(),
            kind: OrgKind::Vendor,
            suspended: false,
        },
        companies: vec![],
        roles: vec![],
        vendor_links: vec![
            VendorLink {
                vendor: VENDOR,
                customer: CUSTOMER_A,
                vendor_owned: false,
                grant: grant_a,
            },
            VendorLink {
                vendor: VENDOR,
                customer: CUSTOMER_B,
                vendor_owned: true,
                grant: VendorGrant::permanent(VendorTier::Full),
            },
        ],
        lookup: Default::default(),
    }
}

fn vendor_staff() -> User {
    User {
        org: VENDOR.org(),
        ..user(AccountType::Standard, UserType::Partner)
    }
}

fn vendor_verdict(tier: VendorTier, need: VendorNeed) -> Result<(), Denied> {
    let org = vendor_org(VendorGrant::permanent(tier));
    can(
        &access_of(&vendor_staff(), &org),
        Action::VendorReach {
            customer: CUSTOMER_A,
            need,
        },
    )
}

#[test]
fn the_vendor_tiers_behave_as_the_spec_says() {
    use VendorNeed::*;
    use VendorTier::*;
    let needs = [
        Ticket {
            help_requested: true,
        },
        TicketClaims {
            help_requested: true,
        },
        Ticket {
            help_requested: false,
        },
        TicketClaims {
            help_requested: false,
        },
        Claims,
        Administer,
    ];
    // Rows: tiers; columns: the needs above. true = allowed.
    let table = [
        (NoAccess, [false, false, false, false, false, false]),
        (Limited, [true, true, false, false, false, false]),
        (AllSupport, [true, true, true, true, false, false]),
        (Full, [true, true, true, true, true, true]),
    ];
    for (tier, allowed) in table {
        for (need, allow) in needs.into_iter().zip(allowed) {
            let verdict = vendor_verdict(tier, need);
            assert_eq!(verdict.is_ok(), allow, "{tier:?} / {need:?}: {verdict:?}");
            if let Err(denied) = verdict {
                assert!(matches!(denied, Denied::VendorTierTooLow { have, .. } if have == tier));
            }
        }
    }
}

#[test]
fn a_vendor_reaches_only_linked_customers() {
    let org = vendor_org(VendorGrant::permanent(VendorTier::Full));
    let access = access_of(&vendor_staff(), &org);
    let verdict = can(
        &access,
        Action::VendorReach {
            customer: ORG,
            need: VendorNeed::Administer,
        },
    );
    assert_eq!(verdict, Err(Denied::NotLinked));
    assert_eq!(
        can(
            &access,
            Action::VendorReach {
                customer: CUSTOMER_B,
                need: VendorNeed::Administer
            }
        ),
        Ok(())
    );
}

#[test]
fn a_customer_user_has_no_vendor_reach() {
    let org = customer_org();
    let access = access_of(&admin(), &org);
    let verdict = can(
        &access,
        Action::VendorReach {
            customer: ORG,
            need: VendorNeed::Ticket {
                help_requested: true,
            },
        },
    );
    assert_eq!(verdict, Err(Denied::NotLinked));
}

#[test]
fn an_expired_grant_counts_as_reverted_at_that_instant() {
    let grant = VendorGrant {
        tier: VendorTier::Full,
        expires_at: Some(now()),
        reverts_to: VendorTier::Limited,
    };
    let org = vendor_org(grant);
    let index = OrgIndex::new(&org);
    let administer = Action::VendorReach {
        customer: CUSTOMER_A,
        need: VendorNeed::Administer,
    };
    let before = effective_access(
        &vendor_staff(),
        &index,
        now() - chrono::Duration::seconds(1),
    );
    assert_eq!(can(&before, administer), Ok(()));
    let at_expiry = effective_access(&vendor_staff(), &index, now());
    assert_eq!(
        can(&at_expiry, administer),
        Err(Denied::VendorTierTooLow {
            have: VendorTier::Limited,
            need: VendorTier::Full
        })
    );
}

#[test]
fn an_inactive_vendor_user_reaches_nothing() {
    let org = vendor_org(VendorGrant::permanent(VendorTier::Full));
    let inactive = User {
        status: UserStatus::Inactive,
        ..vendor_staff()
    };
    let verdict = can(
        &access_of(&inactive, &org),
        Action::VendorReach {
            customer: CUSTOMER_B,
            need: VendorNeed::Administer,
        },
    );
    assert_eq!(verdict, Err(Denied::Inactive));
}

// ---- Explanations ------------------------------------------------------------

#[test]
fn explain_names_the_role_and_the_direct_pick_for_each_company() {
    let org = customer_org();
    let why = explain(
        &partner(Some(BILLER), &[NORTH, EAST], None),
        &OrgIndex::new(&org),
        now(),
    );
    let biller = Reason::Role {
        id: BILLER,
        name: "Biller".into(),
    };
    let reasons: Vec<(CompanyId, Vec<Reason>)> = why
        .companies
        .iter()
        .map(|c| (c.company, c.access.clone()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (EAST, vec![Reason::Direct]),
            (NORTH, vec![biller.clone(), Reason::Direct]),
            (SOUTH, vec![biller.clone()]),
        ]
    );
    assert!(why.companies.iter().all(|c| {
        c.permissions
            .iter()
            .all(|p| p.reasons == vec![biller.clone()])
    }));
    assert_eq!(biller.to_string(), "role \u{201c}Biller\u{201d}");
}

#[test]
fn explain_shows_a_temporary_vendor_grant_with_its_end_and_what_follows() {
    let until = now() + chrono::Duration::hours(24);
    let org = vendor_org(VendorGrant {
        tier: VendorTier::Full,
        expires_at: Some(until),
        reverts_to: VendorTier::Limited,
    });
    let why = explain(&vendor_staff(), &OrgIndex::new(&org), now());
    let a = why
        .vendor
        .iter()
        .find(|v| v.customer == CUSTOMER_A)
        .unwrap();
    assert_eq!(a.tier, VendorTier::Full);
    assert_eq!(
        a.reason.to_string(),
        "vendor grant \u{201c}Full Access\u{201d} until 2026-11-24 12:00 UTC, then Limited Access"
    );
}

// ---- Properties over random organizations -------------------------------------

/// A random organization of up to 12 companies (some closed, some foreign)
/// and 4 roles, and a random user of it.
fn arbitrary_case() -> impl Strategy<Value = (OrgSnapshot, User)> {
    let companies = prop::collection::vec((any::<bool>(), prop::bool::weighted(0.15)), 1..12);
    let roles = prop::collection::vec(
        (
            any::<u32>(),
            prop::collection::btree_set(0..14i64, 0..5),
            any::<bool>(),
        ),
        0..4,
    );
    let user = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0..5i64),
        prop::collection::btree_set(0..14i64, 0..5),
        prop::option::of(0..14i64),
        any::<bool>(),
    );
    (companies, roles, user).prop_map(
        |(companies, roles, (active, is_admin, partner, role_id, direct, default, support))| {
            let companies: Vec<Company> = companies
                .iter()
                .enumerate()
                .map(|(i, (is_active, foreign))| {
                    let org = if *foreign { OTHER_ORG } else { ORG };
                    company(
                        CompanyId(i as i64),
                        org,
                        &format!("C{i}"),
                        (i > 0).then_some(CompanyId(0)),
                        *is_active,
                    )
                })
                .collect();
            let roles = roles
                .iter()
                .enumerate()
                .map(|(i, (bits, cos, foreign))| {
                    let permissions = Permission::ALL
                        .into_iter()
                        .filter(|p| bits & (1 << (*p as u32)) != 0)
                        .collect();
                    let ids: Vec<CompanyId> = cos.iter().map(|c| CompanyId(*c)).collect();
                    role(
                        RoleId(i as i64),
                        if *foreign && i % 2 == 1 {
                            OTHER_ORG
                        } else {
                            ORG
                        },
                        &format!("R{i}"),
                        permissions,
                        &ids,
                    )
                })
                .collect();
            let snapshot = OrgSnapshot {
                org: Organization {
                    id: ORG,
                    name: "Org".into(),
                    kind: OrgKind::Customer,
                    suspended: false,
                },
                companies,
                roles,
                vendor_links: vec![],
                lookup: Default::default(),
            };
            let user = User {
                status: if active {
                    UserStatus::Active
                } else {
                    UserStatus::Inactive
                },
                account_type: if is_admin {
                    AccountType::Administrator
                } else {
                    AccountType::Standard
                },
                user_type: if partner {
                    UserType::Partner
                } else {
                    UserType::Customer
                },
                role: role_id.map(RoleId),
                direct_companies: direct.into_iter().map(CompanyId).collect(),
                default_company: default.map(CompanyId),
                support_user: support,
                ..admin()
            };
            (snapshot, user)
        },
    )
}

/// Every (company, permission) pair the access allows.
fn granted_pairs(access: &EffectiveAccess, org: &OrgSnapshot) -> BTreeSet<(CompanyId, Permission)> {
    let mut pairs = BTreeSet::new();
    for company in &org.companies {
        for permission in Permission::ALL {
            if can(
                access,
                Action::Use {
                    company,
                    permission,
                },
            )
            .is_ok()
            {
                pairs.insert((company.id, permission));
            }
        }
    }
    pairs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The lookup tables a cached snapshot keeps give the answers tables
    /// built afresh give, and do not change what the snapshot equals.
    #[test]
    fn a_snapshot_with_kept_lookup_tables_decides_the_same((org, user) in arbitrary_case()) {
        let indexed = org.clone().indexed();
        prop_assert_eq!(&indexed, &org);
        let (fresh, kept) = (OrgIndex::new(&org), OrgIndex::new(&indexed));
        for company in &org.companies {
            prop_assert_eq!(fresh.company(company.id), kept.company(company.id));
        }
        for role in &org.roles {
            prop_assert_eq!(fresh.role(role.id), kept.role(role.id));
        }
        prop_assert_eq!(kept.company(FOREIGN), None);
        prop_assert_eq!(access_of(&user, &indexed), access_of(&user, &org));
    }

    #[test]
    fn administrators_see_every_active_company_of_their_organization((org, user) in arbitrary_case()) {
        let access = access_of(&user, &org);
        if user.is_active() && user.is_admin() {
            let expected: BTreeSet<CompanyId> =
                org.companies.iter().filter(|c| c.active && c.org == ORG).map(|c| c.id).collect();
            prop_assert_eq!(company_ids(&access, &org).into_iter().collect::<BTreeSet<_>>(), expected);
        }
    }

    #[test]
    fn inactive_users_see_nothing((org, user) in arbitrary_case()) {
        let user = User { status: UserStatus::Inactive, ..user };
        let access = access_of(&user, &org);
        prop_assert!(company_ids(&access, &org).is_empty());
        prop_assert!(granted_pairs(&access, &org).is_empty());
        prop_assert_eq!(can(&access, Action::Administer(ORG)), Err(Denied::Inactive));
    }

    #[test]
    fn a_role_given_company_is_never_lost((org, user) in arbitrary_case()) {
        let access = access_of(&user, &org);
        let role = user.role.and_then(|id| org.roles.iter().find(|r| r.id == id && r.org == ORG));
        if let (true, UserType::Partner, Some(role)) = (user.is_active(), user.user_type, role) {
            for id in &role.companies {
                if let Some(company) = org.companies.iter().find(|c| c.id == *id && c.active && c.org == ORG) {
                    prop_assert!(access.may_act_in(company), "role company {:?} missing", id);
                }
            }
        }
    }

    #[test]
    fn effective_companies_are_active_companies_of_the_organization((org, user) in arbitrary_case()) {
        let access = access_of(&user, &org);
        for company in access.company_list(&OrgIndex::new(&org)) {
            prop_assert!(company.active && company.org == ORG);
        }
        if let Some(default) = access.default_company {
            prop_assert!(access.may_act_in(find(&org, default)));
        }
        if user.user_type == UserType::Customer && !user.is_admin() {
            prop_assert!(company_ids(&access, &org).len() <= 1);
        }
    }

    #[test]
    fn explain_accounts_for_every_granted_permission_and_nothing_else((org, user) in arbitrary_case()) {
        let access = access_of(&user, &org);
        let why = explain(&user, &OrgIndex::new(&org), now());
        let explained: BTreeSet<(CompanyId, Permission)> = why
            .companies
            .iter()
            .flat_map(|c| c.permissions.iter().map(move |p| (c.company, p.permission)))
            .collect();
        prop_assert_eq!(explained, granted_pairs(&access, &org));
        let explained_companies: Vec<CompanyId> = why.companies.iter().map(|c| c.company).collect();
        prop_assert_eq!(explained_companies, company_ids(&access, &org));
        for company in &why.companies {
            prop_assert!(!company.access.is_empty(), "company {:?} granted without a reason", company.company);
            for permission in &company.permissions {
                prop_assert!(!permission.reasons.is_empty());
            }
        }
    }

    #[test]
    fn the_ui_gets_the_same_verdicts_as_the_server((org, user) in arbitrary_case()) {
        // The server sends the access to the browser as JSON; the browser's
        // copy must decide exactly as the server's does.
        let server = access_of(&user, &org);
        let browser: EffectiveAccess = serde_json::from_str(&serde_json::to_string(&server).unwrap()).unwrap();
        prop_assert_eq!(granted_pairs(&browser, &org), granted_pairs(&server, &org));
        prop_assert_eq!(can(&browser, Action::Administer(ORG)), can(&server, Action::Administer(ORG)));
        prop_assert_eq!(can(&browser, Action::SupportTickets(ORG)), can(&server, Action::SupportTickets(ORG)));
    }
}

// ---- Switched into a customer's account ------------------------------------

/// The vendor, linked to West Health (`ORG`) with `grant`.
fn vendor_of_west(grant: VendorGrant) -> OrgSnapshot {
    let mut vendor = vendor_org(grant);
    vendor.vendor_links[0].customer = ORG;
    vendor
}

fn switched(user: &User, grant: VendorGrant, at: DateTime<Utc>) -> Option<EffectiveAccess> {
    let vendor = vendor_of_west(grant);
    let customer = customer_org();
    switched_access(user, &OrgIndex::new(&vendor), &OrgIndex::new(&customer), at)
}

#[test]
fn with_full_access_switched_in_staff_act_as_the_customers_administrators() {
    let access = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    assert_eq!(access.org, ORG);
    assert_eq!(access.via_vendor, Some(VENDOR));
    assert!(access.administrator);
    assert_eq!(access.default_company, Some(PARENT));
    assert_eq!(can(&access, Action::Administer(ORG)), Ok(()));
    assert_eq!(can(&access, Action::SupportTickets(ORG)), Ok(()));
    let org = customer_org();
    let index = OrgIndex::new(&org);
    let listed: Vec<CompanyId> = access.company_list(&index).iter().map(|c| c.id).collect();
    assert_eq!(listed, [PARENT, EAST, NORTH, SOUTH]);
    // Nowhere else: not another organization's company.
    let foreign = index.company(FOREIGN).unwrap();
    assert_eq!(
        can(&access, Action::EnterCompany(foreign)),
        Err(Denied::NotInCompany)
    );
    assert_eq!(
        can(&access, Action::Administer(OTHER_ORG)),
        Err(Denied::AdministratorsOnly)
    );
}

#[test]
fn below_full_access_or_once_it_ends_there_is_no_switching_in() {
    for tier in [
        VendorTier::NoAccess,
        VendorTier::Limited,
        VendorTier::AllSupport,
    ] {
        assert_eq!(
            switched(&vendor_staff(), VendorGrant::permanent(tier), now()),
            None,
            "{tier:?}"
        );
    }
    let hour = VendorGrant {
        tier: VendorTier::Full,
        expires_at: Some(now() + chrono::Duration::hours(1)),
        reverts_to: VendorTier::Limited,
    };
    assert!(switched(&vendor_staff(), hour, now()).is_some());
    assert_eq!(
        switched(&vendor_staff(), hour, now() + chrono::Duration::hours(1)),
        None
    );
}

#[test]
fn only_the_vendors_own_active_staff_switch_in() {
    let full = VendorGrant::permanent(VendorTier::Full);
    let inactive = User {
        status: UserStatus::Inactive,
        ..vendor_staff()
    };
    assert_eq!(switched(&inactive, full, now()), None);
    // A customer's user, even an Administrator, is no vendor staff.
    assert_eq!(switched(&admin(), full, now()), None);
    // The customer "switching" into itself as if it were the vendor.
    let customer = customer_org();
    let index = OrgIndex::new(&customer);
    assert_eq!(switched_access(&admin(), &index, &index, now()), None);
}

#[test]
fn switched_in_staff_never_change_the_accounts_vendor_access() {
    let access = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    assert_eq!(can(&access, Action::Administer(ORG)), Ok(()));
    assert_eq!(
        can(&access, Action::ChangeVendorAccess(ORG)),
        Err(Denied::OwnAdministratorsOnly)
    );
    let org = customer_org();
    assert_eq!(
        can(&access_of(&admin(), &org), Action::ChangeVendorAccess(ORG)),
        Ok(())
    );
    assert_eq!(
        can(
            &access_of(&partner(Some(BILLER), &[], None), &org),
            Action::ChangeVendorAccess(ORG)
        ),
        Err(Denied::AdministratorsOnly)
    );
}

#[test]
fn an_organizations_own_users_see_who_opens_its_tickets() {
    let customer = customer_org();
    let vendor = vendor_of_west(VendorGrant::permanent(VendorTier::Full));
    let standard = user(AccountType::Standard, UserType::Partner);
    // Every active user of the customer, Standard or not, support user or not.
    for access in [
        access_of(&admin(), &customer),
        access_of(&standard, &customer),
    ] {
        assert_eq!(can(&access, Action::SeeSupportContacts(ORG)), Ok(()));
        assert_eq!(
            can(&access, Action::SeeSupportContacts(OTHER_ORG)),
            Err(Denied::SupportUsersOnly)
        );
    }
    // The vendor's staff, of the vendor; never the customer's while switched in.
    let staff = access_of(&vendor_staff(), &vendor);
    assert_eq!(
        can(&staff, Action::SeeSupportContacts(VENDOR.org())),
        Ok(())
    );
    assert_eq!(
        can(&staff, Action::SeeSupportContacts(ORG)),
        Err(Denied::SupportUsersOnly)
    );
    let switched_in = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    assert_eq!(
        can(&switched_in, Action::SeeSupportContacts(ORG)),
        Err(Denied::OwnAdministratorsOnly)
    );
    let inactive = User {
        status: UserStatus::Inactive,
        ..admin()
    };
    assert_eq!(
        can(
            &access_of(&inactive, &customer),
            Action::SeeSupportContacts(ORG)
        ),
        Err(Denied::Inactive)
    );
}

#[test]
fn any_active_user_of_the_customer_reads_tickets_they_are_ccd_on() {
    let customer = customer_org();
    let vendor = vendor_of_west(VendorGrant::permanent(VendorTier::Full));
    for access in [
        access_of(&admin(), &customer),
        access_of(&user(AccountType::Standard, UserType::Customer), &customer),
        access_of(&user(AccountType::Standard, UserType::Partner), &customer),
    ] {
        assert_eq!(can(&access, Action::ReadTicketsCcd(ORG)), Ok(()));
        assert_eq!(
            can(&access, Action::ReadTicketsCcd(OTHER_ORG)),
            Err(Denied::SupportUsersOnly)
        );
    }
    // Vendor staff have no CC'd tickets of their own vendor or of a customer.
    let staff = access_of(&vendor_staff(), &vendor);
    for org in [VENDOR.org(), ORG] {
        assert_eq!(
            can(&staff, Action::ReadTicketsCcd(org)),
            Err(Denied::SupportUsersOnly)
        );
    }
    let switched_in = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    assert_eq!(
        can(&switched_in, Action::ReadTicketsCcd(ORG)),
        Err(Denied::OwnAdministratorsOnly)
    );
    let inactive = User {
        status: UserStatus::Inactive,
        ..user(AccountType::Standard, UserType::Customer)
    };
    assert_eq!(
        can(
            &access_of(&inactive, &customer),
            Action::ReadTicketsCcd(ORG)
        ),
        Err(Denied::Inactive)
    );
}

#[test]
fn every_active_user_reads_the_help_center_as_their_own_organization() {
    let customer = customer_org();
    let vendor = vendor_of_west(VendorGrant::permanent(VendorTier::Full));
    let staff = access_of(&vendor_staff(), &vendor);
    let switched_in = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    for (access, own) in [
        (access_of(&admin(), &customer), ORG),
        (
            access_of(&user(AccountType::Standard, UserType::Customer), &customer),
            ORG,
        ),
        (staff, VENDOR.org()),
        // Switched into the customer's account, as that account's member.
        (switched_in, ORG),
    ] {
        assert_eq!(can(&access, Action::ReadHelp(own)), Ok(()));
        assert_eq!(
            can(&access, Action::ReadHelp(OTHER_ORG)),
            Err(Denied::NotInOrganization)
        );
    }
    let inactive = User {
        status: UserStatus::Inactive,
        ..user(AccountType::Standard, UserType::Customer)
    };
    assert_eq!(
        can(&access_of(&inactive, &customer), Action::ReadHelp(ORG)),
        Err(Denied::Inactive)
    );
}

#[test]
fn vendor_settings_are_a_customers_and_the_vendor_console_a_vendors() {
    let customer = customer_org();
    let standard = user(AccountType::Standard, UserType::Partner);
    let inactive = User {
        status: UserStatus::Inactive,
        ..admin()
    };
    let vendor = vendor_of_west(VendorGrant::permanent(VendorTier::Full));
    let staff = access_of(&vendor_staff(), &vendor);
    let switched_in = switched(
        &vendor_staff(),
        VendorGrant::permanent(VendorTier::Full),
        now(),
    )
    .unwrap();
    // Vendor Settings: every active user of the customer (changing them is
    // Administrators' and the customer's own), vendor staff while switched in.
    for access in [
        access_of(&admin(), &customer),
        access_of(&standard, &customer),
        switched_in.clone(),
    ] {
        assert_eq!(can(&access, Action::SeeVendorSettings(ORG)), Ok(()));
        assert_eq!(
            can(&access, Action::SeeVendorSettings(OTHER_ORG)),
            Err(Denied::AdministratorsOnly)
        );
        assert_eq!(
            can(&access, Action::SeeLinkedAccounts(ORG)),
            Err(Denied::NotLinked)
        );
    }
    assert_eq!(
        can(&staff, Action::SeeVendorSettings(VENDOR.org())),
        Err(Denied::AdministratorsOnly)
    );
    // The vendor console: the vendor's own staff, not while switched in.
    assert_eq!(can(&staff, Action::SeeLinkedAccounts(VENDOR.org())), Ok(()));
    assert_eq!(
        can(&staff, Action::SeeLinkedAccounts(ORG)),
        Err(Denied::NotLinked)
    );
    assert_eq!(
        can(&switched_in, Action::SeeLinkedAccounts(VENDOR.org())),
        Err(Denied::NotLinked)
    );
    // Nothing for an inactive user.
    let inactive = access_of(&inactive, &customer);
    assert_eq!(
        can(&inactive, Action::SeeVendorSettings(ORG)),
        Err(Denied::Inactive)
    );
}
