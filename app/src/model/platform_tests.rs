//! The platform's staff in the one policy: what each role may do, that
//! they reach nothing of another organization through the customer's own
//! actions, that two people are needed for a change, and that nobody of a
//! suspended organization has anything.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};

use super::{ChangeKind, PlatformRole, REASON_MESSAGE, validate_reason};
use crate::model::{
    access::{EffectiveAccess, OrgIndex, OrgSnapshot, UserTarget, effective_access},
    ids::{CompanyId, OrgId, UserId},
    org::{Company, OrgKind, Organization},
    permission::Permission,
    policy::{Action, Denied, VendorNeed, can},
    user::{AccountType, User, UserStatus, UserType},
    validation::Field,
};

const PLATFORM: OrgId = OrgId(1);
const CUSTOMER: OrgId = OrgId(2);
const VENDOR: OrgId = OrgId(3);
const PARENT: CompanyId = CompanyId(20);

fn org(id: OrgId, kind: OrgKind, suspended: bool) -> OrgSnapshot {
    let companies = match kind {
        OrgKind::Customer => vec![Company {
            id: PARENT,
            org: id,
            name: "Parent".into(),
            parent: None,
            active: true,
        }],
        _ => Vec::new(),
    };
    OrgSnapshot {
        org: Organization {
            id,
            name: format!("{kind:?}"),
            kind,
            suspended,
        },
        companies,
        roles: Vec::new(),
        vendor_links: Vec::new(),
        lookup: Default::default(),
    }
}

fn member(id: i64, org: OrgId, account_type: AccountType) -> User {
    User {
        id: UserId(id),
        org,
        first_name: "Pat".into(),
        last_name: "Lee".into(),
        email: format!("{id}@example.com"),
        status: UserStatus::Active,
        account_type,
        user_type: UserType::Partner,
        default_company: None,
        support_user: true,
        role: None,
        direct_companies: BTreeSet::new(),
        version: 1,
    }
}

fn access(user: &User, snapshot: &OrgSnapshot) -> EffectiveAccess {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    effective_access(user, &OrgIndex::new(snapshot), now)
}

fn platform_admin() -> EffectiveAccess {
    access(
        &member(10, PLATFORM, AccountType::Administrator),
        &org(PLATFORM, OrgKind::Platform, false),
    )
}

fn agent() -> EffectiveAccess {
    access(
        &member(11, PLATFORM, AccountType::Standard),
        &org(PLATFORM, OrgKind::Platform, false),
    )
}

fn customer_admin() -> EffectiveAccess {
    access(
        &member(20, CUSTOMER, AccountType::Administrator),
        &org(CUSTOMER, OrgKind::Customer, false),
    )
}

fn vendor_admin() -> EffectiveAccess {
    access(
        &member(30, VENDOR, AccountType::Administrator),
        &org(VENDOR, OrgKind::Vendor, false),
    )
}

#[test]
fn platform_staff_have_their_role_and_nothing_else() {
    let admin = platform_admin();
    assert!(admin.active);
    assert_eq!(admin.platform, Some(PlatformRole::Administrator));
    assert!(admin.permissions.is_empty());
    assert!(admin.vendor_reach.is_empty());
    assert_eq!(agent().platform, Some(PlatformRole::SupportAgent));
    assert_eq!(customer_admin().platform, None);
    assert_eq!(vendor_admin().platform, None);
}

#[test]
fn the_console_is_for_platform_staff_and_running_it_for_its_administrators() {
    assert_eq!(can(&platform_admin(), Action::PlatformConsole), Ok(()));
    assert_eq!(can(&agent(), Action::PlatformConsole), Ok(()));
    assert_eq!(can(&platform_admin(), Action::RunPlatform), Ok(()));
    assert_eq!(
        can(&agent(), Action::RunPlatform),
        Err(Denied::PlatformAdministratorsOnly)
    );
    for outsider in [customer_admin(), vendor_admin()] {
        assert_eq!(
            can(&outsider, Action::PlatformConsole),
            Err(Denied::PlatformStaffOnly)
        );
        assert_eq!(
            can(&outsider, Action::RunPlatform),
            Err(Denied::PlatformStaffOnly)
        );
        let approve = Action::ApproveChange {
            proposed_by: UserId(11),
        };
        assert_eq!(can(&outsider, approve), Err(Denied::PlatformStaffOnly));
    }
}

#[test]
fn a_change_needs_a_second_platform_administrator() {
    let admin = platform_admin();
    let theirs = Action::ApproveChange {
        proposed_by: UserId(11),
    };
    let own = Action::ApproveChange {
        proposed_by: admin.user,
    };
    assert_eq!(can(&admin, theirs), Ok(()));
    assert_eq!(can(&admin, own), Err(Denied::SecondPersonRequired));
    // An agent approves nothing, not even another agent's proposal.
    let other = Action::ApproveChange {
        proposed_by: UserId(12),
    };
    assert_eq!(
        can(&agent(), other),
        Err(Denied::PlatformAdministratorsOnly)
    );
}

#[test]
fn platform_staff_reach_nothing_through_an_organizations_own_actions() {
    let customer = org(CUSTOMER, OrgKind::Customer, false);
    let parent = &customer.companies[0];
    let target = UserTarget::of(
        &member(21, CUSTOMER, AccountType::Standard),
        &OrgIndex::new(&customer),
    );
    for staff in [platform_admin(), agent()] {
        for org in [CUSTOMER, PLATFORM] {
            for action in [
                Action::Administer(org),
                Action::ManageAdministrators(org),
                Action::ChangeVendorAccess(org),
                Action::SeeUsers(org),
                Action::SupportTickets(org),
                Action::SeeVendorSettings(org),
                Action::SeeLinkedAccounts(org),
                Action::ConsentToVendorLink(org),
                Action::SeeSupportContacts(org),
                Action::ReadTicketsCcd(org),
                Action::AddUsers(org),
            ] {
                assert!(can(&staff, action).is_err(), "{action:?}");
            }
        }
        assert!(can(&staff, Action::SeeAudit(CUSTOMER)).is_err());
        // The Help Center is every organization's, the platform's own included.
        assert_eq!(can(&staff, Action::ReadHelp(PLATFORM)), Ok(()));
        assert!(can(&staff, Action::ReadHelp(CUSTOMER)).is_err());
        assert!(can(&staff, Action::EnterCompany(parent)).is_err());
        assert!(can(&staff, Action::ManageUser(&target)).is_err());
        assert!(can(&staff, Action::SeeUser(&target)).is_err());
        for permission in Permission::ALL {
            let action = Action::Use {
                company: parent,
                permission,
            };
            assert_eq!(can(&staff, action), Err(Denied::NotInCompany));
        }
        for need in [
            VendorNeed::Ticket {
                help_requested: true,
            },
            VendorNeed::Claims,
            VendorNeed::Administer,
        ] {
            let reach = Action::VendorReach {
                customer: CUSTOMER,
                need,
            };
            assert_eq!(can(&staff, reach), Err(Denied::NotLinked));
        }
    }
    // Their own platform's log is for Platform Administrators.
    assert_eq!(can(&platform_admin(), Action::SeeAudit(PLATFORM)), Ok(()));
    assert_eq!(
        can(&agent(), Action::SeeAudit(PLATFORM)),
        Err(Denied::PlatformAdministratorsOnly)
    );
}

#[test]
fn links_are_consented_to_by_each_sides_own_administrators() {
    assert_eq!(
        can(&customer_admin(), Action::ConsentToVendorLink(CUSTOMER)),
        Ok(())
    );
    assert_eq!(
        can(&vendor_admin(), Action::ConsentToVendorLink(VENDOR)),
        Ok(())
    );
    assert_eq!(
        can(&customer_admin(), Action::ConsentToVendorLink(VENDOR)),
        Err(Denied::AdministratorsOnly)
    );
    let standard = access(
        &member(22, CUSTOMER, AccountType::Standard),
        &org(CUSTOMER, OrgKind::Customer, false),
    );
    assert_eq!(
        can(&standard, Action::ConsentToVendorLink(CUSTOMER)),
        Err(Denied::AdministratorsOnly)
    );
    // Vendor staff switched into the customer's account consent to nothing
    // for it: they would link their own vendor.
    let switched = EffectiveAccess {
        org: CUSTOMER,
        kind: OrgKind::Customer,
        administrator: true,
        via_vendor: Some(crate::model::ids::VendorId(VENDOR.0)),
        ..vendor_admin()
    };
    assert_eq!(
        can(&switched, Action::ConsentToVendorLink(CUSTOMER)),
        Err(Denied::OwnAdministratorsOnly)
    );
}

#[test]
fn nobody_of_a_suspended_organization_has_anything() {
    for (id, kind) in [
        (CUSTOMER, OrgKind::Customer),
        (VENDOR, OrgKind::Vendor),
        (PLATFORM, OrgKind::Platform),
    ] {
        let admin = member(40, id, AccountType::Administrator);
        let suspended = access(&admin, &org(id, kind, true));
        assert!(!suspended.active, "{kind:?}");
        assert_eq!(suspended.platform, None);
        assert_eq!(
            can(&suspended, Action::Administer(id)),
            Err(Denied::Inactive)
        );
        assert_eq!(
            can(&suspended, Action::PlatformConsole),
            Err(Denied::Inactive)
        );
        assert!(access(&admin, &org(id, kind, false)).active);
    }
}

#[test]
fn an_inactive_platform_member_has_nothing() {
    let mut gone = member(13, PLATFORM, AccountType::Administrator);
    gone.status = UserStatus::Inactive;
    let access = access(&gone, &org(PLATFORM, OrgKind::Platform, false));
    assert_eq!(can(&access, Action::PlatformConsole), Err(Denied::Inactive));
}

#[test]
fn roles_and_kinds_round_trip_through_their_keys() {
    for role in [PlatformRole::Administrator, PlatformRole::SupportAgent] {
        assert_eq!(PlatformRole::from_key(role.key()), Some(role));
        assert_eq!(PlatformRole::of(role.account_type()), role);
    }
    for kind in ChangeKind::ALL {
        assert_eq!(ChangeKind::from_key(kind.key()), Some(kind));
    }
    assert_eq!(OrgKind::from_key("platform"), Some(OrgKind::Platform));
    assert_eq!(PlatformRole::from_key("root"), None);
}

#[test]
fn a_reason_must_say_something_visible_and_short() {
    assert_eq!(
        validate_reason("  Called back Ada on the number we hold. "),
        Ok("Called back Ada on the number we hold.".to_owned())
    );
    for bad in [
        "".to_owned(),
        "   ".to_owned(),
        "x".repeat(501),
        "ok\u{202e}".to_owned(),
        "line\nbreak".to_owned(),
    ] {
        let errors = validate_reason(&bad).unwrap_err();
        assert_eq!(errors.get(Field::Reason), Some(REASON_MESSAGE), "{bad:?}");
    }
    assert!(validate_reason(&"x".repeat(500)).is_ok());
}
