//! Unit tests of `permission.rs`.

use super::*;

#[test]
fn keys_are_unique_and_round_trip() {
    for permission in Permission::ALL {
        assert_eq!(Permission::from_key(permission.key()), Some(permission));
        assert!(
            permission
                .key()
                .starts_with(&permission.area().label().to_lowercase())
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
    let set: PermissionSet = [Permission::ReportsView].into_iter().collect();
    let json = serde_json::to_string(&set).unwrap();
    assert_eq!(json, r#"["ReportsView"]"#);
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
