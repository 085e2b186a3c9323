//! Unit tests of `permission.rs`.

use super::*;

#[test]
fn keys_are_unique_and_round_trip() {
    for permission in Permission::ALL {
        assert_eq!(Permission::from_key(permission.key()), Some(permission));
        assert!(
            permission
                .key()
                .starts_with(&format!("{}.", permission.area().key()))
        );
    }
    let keys: std::collections::BTreeSet<_> = Permission::ALL.iter().map(|p| p.key()).collect();
    assert_eq!(keys.len(), Permission::ALL.len());
    assert_eq!(Permission::from_key("claims.fly"), None);
}

#[test]
fn a_set_holds_exactly_what_was_put_in() {
    let set: PermissionSet = [Permission::ClaimsView, Permission::UsersManage]
        .into_iter()
        .collect();
    assert!(set.contains(Permission::ClaimsView));
    assert!(set.contains(Permission::UsersManage));
    assert!(!set.contains(Permission::ClaimsDelete));
    assert_eq!(set.len(), 2);
    assert_eq!(PermissionSet::all().len(), Permission::ALL.len());
    assert!(PermissionSet::EMPTY.is_empty());
}

#[test]
fn a_set_serializes_as_a_list_of_names() {
    let set: PermissionSet = [Permission::ReportsAging].into_iter().collect();
    let json = serde_json::to_string(&set).unwrap();
    assert_eq!(json, r#"["ReportsAging"]"#);
    assert_eq!(serde_json::from_str::<PermissionSet>(&json).unwrap(), set);
}

#[test]
fn display_reads_as_area_and_action() {
    assert_eq!(Permission::ClaimsRefund.to_string(), "Claims: refund");
    assert_eq!(
        Permission::AdministrationFull.to_string(),
        "Administration: full"
    );
}

#[test]
fn every_permission_fits_the_set_and_every_area_has_one() {
    // The set is one machine word: a permission past its last bit would
    // silently alias another.
    assert!(Permission::ALL.len() <= 64);
    for area in Area::ALL {
        assert!(
            Permission::ALL.iter().any(|p| p.area() == area),
            "{area:?} has no permission"
        );
    }
    let all = PermissionSet::all();
    for permission in Permission::ALL {
        let alone: PermissionSet = [permission].into_iter().collect();
        assert_eq!(alone.len(), 1);
        assert_eq!(all.without(alone).len(), Permission::ALL.len() - 1);
        assert!(!all.without(alone).contains(permission));
    }
}

#[test]
fn a_stronger_permission_of_an_area_includes_its_view() {
    for (strong, view) in [
        (Permission::UsersManage, Permission::UsersView),
        (Permission::UsersAdd, Permission::UsersView),
        (Permission::UsersAdd, Permission::UsersManage),
        (Permission::ConstantsEdit, Permission::ConstantsView),
        (Permission::PatientsEdit, Permission::PatientsView),
    ] {
        let set: PermissionSet = [strong].into_iter().collect();
        assert!(set.grants(view) && set.grants(strong));
        let view_only: PermissionSet = [view].into_iter().collect();
        assert!(!view_only.grants(strong));
    }
    let charges: PermissionSet = [Permission::ChargesEdit].into_iter().collect();
    assert!(!charges.grants(Permission::ChargesView));
}
