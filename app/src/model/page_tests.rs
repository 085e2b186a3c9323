//! Tests of `model::page`.

use super::*;
use crate::model::permission::{Permission, PermissionSet};

#[test]
fn each_page_opens_by_its_need() {
    let claims: PermissionSet = [Permission::ClaimsView].into_iter().collect();
    assert_eq!(opens(Page::Claims, claims), Opens::Yes);
    assert_eq!(opens(Page::Payments, claims), Opens::No);
    let manage: PermissionSet = [Permission::UsersManage].into_iter().collect();
    assert_eq!(
        opens(Page::Users, manage),
        Opens::Yes,
        "manage includes view"
    );
    assert_eq!(opens(Page::Dashboard, PermissionSet::EMPTY), Opens::Yes);
    // Administrator pages stay closed even to a role holding everything.
    assert_eq!(opens(Page::Roles, PermissionSet::all()), Opens::No);
    assert_eq!(
        opens(Page::SupportTickets, PermissionSet::all()),
        Opens::SupportUsersOnly
    );
}

#[test]
fn the_matrix_has_a_row_per_page_and_a_column_per_role() {
    let matrix = PageMatrix::new([
        (
            "Front Office",
            [Permission::ClaimsView].into_iter().collect(),
        ),
        ("Nobody", PermissionSet::EMPTY),
    ]);
    assert_eq!(matrix.rows.len(), Page::ALL.len());
    assert_eq!(matrix.roles, ["Front Office", "Nobody"]);
    let claims = matrix.rows.iter().find(|r| r.page == "Claims").unwrap();
    assert_eq!(claims.needs, "Claims: view");
    assert_eq!(claims.cells, [Opens::Yes, Opens::No]);
}

#[test]
fn the_csv_quotes_fields_and_defuses_formulas() {
    let matrix = PageMatrix::new([("=HYPERLINK(\"x\")", PermissionSet::EMPTY)]);
    let csv = matrix.to_csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        r#""Page","Needs","Administrator","'=HYPERLINK(""x"")""#
    );
    assert_eq!(
        lines.next().unwrap(),
        r#""Dashboard","Signed in","yes","yes""#
    );
    assert_eq!(csv.lines().count(), 1 + Page::ALL.len());
    assert!(csv.ends_with("\r\n"));
}
