//! Tests of `model::page`.

use super::*;
use crate::model::permission::{Permission, PermissionSet};

fn holding(permissions: &[Permission]) -> RoleGrant {
    RoleGrant {
        permissions: permissions.iter().copied().collect(),
        withheld: PermissionSet::EMPTY,
    }
}

#[test]
fn each_page_opens_by_its_need() {
    let claims = holding(&[Permission::ClaimsView]);
    assert_eq!(opens(Page::Claims, claims), Opens::Yes);
    assert_eq!(opens(Page::PlatformClaims, claims), Opens::Yes);
    assert_eq!(opens(Page::Payments, claims), Opens::No);
    assert_eq!(
        opens(Page::Users, holding(&[Permission::UsersManage])),
        Opens::Yes,
        "manage includes view"
    );
    assert_eq!(
        opens(
            Page::CompanyConstants,
            holding(&[Permission::ConstantsEdit])
        ),
        Opens::Yes,
        "edit includes view"
    );
    assert_eq!(opens(Page::Start, holding(&[])), Opens::Yes);
    // Administrator pages stay closed even to a role holding everything.
    let everything = RoleGrant {
        permissions: PermissionSet::all(),
        withheld: PermissionSet::EMPTY,
    };
    assert_eq!(opens(Page::Roles, everything), Opens::No);
    assert_eq!(
        opens(Page::SupportTickets, everything),
        Opens::SupportUsersOnly
    );
}

#[test]
fn a_withheld_permission_closes_its_page_whatever_the_role_holds() {
    let restricted = RoleGrant {
        permissions: PermissionSet::all(),
        withheld: [Permission::ReportsPaymentBalancing].into_iter().collect(),
    };
    assert_eq!(
        opens(Page::PaymentBalancingReport, restricted),
        Opens::Withheld
    );
    assert_eq!(opens(Page::AgingReport, restricted), Opens::Yes);
}

#[test]
fn every_permission_has_a_page_and_pages_are_named_where_they_are() {
    for permission in Permission::ALL {
        if permission == Permission::AdministrationFull {
            continue;
        }
        // Users: add opens this console's Add User; the rest, the platform's.
        let site = match permission {
            Permission::UsersAdd => Site::Console,
            _ => Site::Platform,
        };
        let shown = Page::ALL
            .iter()
            .any(|page| page.need() == PageNeed::Permission(permission) && page.site() == site);
        // A stronger permission of an area opens its area's page too.
        let through_view = matches!(
            permission,
            Permission::UsersManage
                | Permission::PatientsEdit
                | Permission::ConstantsEdit
                | Permission::ClaimsEdit
                | Permission::ClaimsRefund
                | Permission::ClaimsPost
                | Permission::ClaimsExport
                | Permission::ClaimsDelete
        );
        assert!(shown || through_view, "{permission:?} opens no page");
    }
    let titles: std::collections::BTreeSet<_> = Page::ALL
        .iter()
        .map(|p| (p.title(), p.site().label()))
        .collect();
    assert_eq!(titles.len(), Page::ALL.len(), "a page listed twice");
}

#[test]
fn the_matrix_has_a_row_per_page_and_a_column_per_role() {
    let matrix = PageMatrix::new(
        "Our roles",
        [
            ("Front Office", holding(&[Permission::ClaimsView])),
            ("Nobody", holding(&[])),
        ],
    );
    assert_eq!(matrix.rows.len(), Page::ALL.len());
    assert_eq!(matrix.roles, ["Front Office", "Nobody"]);
    let claims = matrix
        .rows
        .iter()
        .find(|r| r.page == "Claims" && r.site == "This console")
        .unwrap();
    assert_eq!(claims.needs, "Claims: view");
    assert_eq!(claims.cells, [Opens::Yes, Opens::No]);
}

#[test]
fn a_familys_matrix_has_its_templates_and_the_emr_restriction_shows() {
    let revserve = PageMatrix::of_family(Family::RevServeRevEquip);
    assert_eq!(revserve.title, "RevServe & RevEquip");
    assert_eq!(revserve.roles.len(), 8);
    assert!(
        revserve
            .roles
            .iter()
            .all(|r| !r.starts_with("Self-Service"))
    );
    let emr = revserve
        .roles
        .iter()
        .position(|r| r.contains("EMR Access Restriction"))
        .unwrap();
    let balancing = revserve
        .rows
        .iter()
        .find(|r| r.page == "Payment balancing report")
        .unwrap();
    assert_eq!(balancing.cells[emr], Opens::Withheld);
    let self_service = PageMatrix::of_family(Family::SelfService);
    assert_eq!(self_service.roles.len(), 7);
    assert!(
        self_service
            .roles
            .iter()
            .all(|r| r.starts_with("Self-Service"))
    );
}

#[test]
fn the_csv_quotes_fields_and_defuses_formulas() {
    let matrix = PageMatrix::new("Our roles", [("=HYPERLINK(\"x\")", holding(&[]))]);
    let csv = matrix.to_csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        r#""Page","Where","Needs","Administrator","'=HYPERLINK(""x"")""#
    );
    assert_eq!(
        lines.next().unwrap(),
        r#""Patients","Billing platform","Patients: view","yes","no""#
    );
    assert_eq!(csv.lines().count(), 1 + Page::ALL.len());
    assert!(csv.ends_with("\r\n"));
}
