//! Tests of `model::role`.

use super::*;
use crate::model::permission::Permission;

#[test]
fn role_names_are_trimmed_and_bounded() {
    let ok = validate_role(&RoleInput {
        name: "  Biller ".into(),
        description: " Posts claims.\nAnd payments. ".into(),
    })
    .unwrap();
    assert_eq!(ok.name, "Biller");
    assert_eq!(ok.description, "Posts claims.\nAnd payments.");
    for bad in ["", "   ", "Tab\there", &"x".repeat(101)] {
        let errors = validate_role(&RoleInput {
            name: bad.into(),
            description: String::new(),
        })
        .unwrap_err();
        assert_eq!(
            errors.get(Field::RoleName),
            Some(ROLE_NAME_MESSAGE),
            "{bad:?}"
        );
    }
    let long = validate_role(&RoleInput {
        name: "Biller".into(),
        description: "y".repeat(501),
    })
    .unwrap_err();
    assert_eq!(long.get(Field::Description), Some(ROLE_DESCRIPTION_MESSAGE));
    assert_eq!(long.get(Field::RoleName), None);
}

#[test]
fn templates_round_trip_through_their_keys() {
    for template in RoleTemplate::ALL {
        assert_eq!(RoleTemplate::from_key(template.key()), Some(template));
    }
    assert_eq!(RoleTemplate::from_key("boss"), None);
}

/// What seed 001 says each role does, as permissions its template must
/// grant (and, where the seed limits it, must not): the descriptions in
/// `RoleTemplate::description` paraphrase exactly these.
#[test]
fn each_template_grants_what_its_description_says() {
    use Permission::*;
    let says: &[(RoleTemplate, &[Permission], &[Permission])] = &[
        (
            RoleTemplate::PracticeAdmin,
            &[
                ChargesView,
                ChargesDelayed,
                ReportsProductivity,
                ReportsAging,
                UsersAdd,
            ],
            &[AdministrationFull],
        ),
        (
            RoleTemplate::FrontOffice,
            &[
                PatientsView,
                ChargesEdit,
                PaymentsUnassigned,
                ReportsProductivity,
                ReportsException,
                InsurancesView,
                PhysiciansView,
            ],
            &[ReportsPaymentBalancing, PaymentsPost, UsersView],
        ),
        (
            RoleTemplate::Provider,
            &[PatientsView, InsurancesView, PhysiciansView],
            &[ChargesView, ChargesEdit],
        ),
        (
            RoleTemplate::PartnerAdmin,
            &[ClaimsDelete, ConstantsEdit, UsersAdd, ArDenials],
            &[AdministrationFull],
        ),
        (
            RoleTemplate::PartnerCsrPaymentPoster,
            &[
                PatientsEdit,
                ChargesEdit,
                ChargesView,
                PaymentsPost,
                PaymentsZeroPays,
                ReportsPaymentBalancing,
                ReportsAging,
            ],
            &[UsersView],
        ),
        (
            RoleTemplate::PartnerPaymentPoster,
            &[
                PatientsEdit,
                ChargesEdit,
                ChargesView,
                PaymentsPost,
                ReportsPaymentBalancing,
            ],
            &[PaymentsZeroPays, ReportsAging],
        ),
        (
            RoleTemplate::PartnerCsr,
            &[
                ClaimsPost,
                PaymentsPost,
                ArFollowUp,
                ReportsAging,
                ReportsPaymentBalancing,
            ],
            &[UsersView],
        ),
        (
            RoleTemplate::FrontOfficeBillingEmr,
            &[PatientsView, ChargesEdit, ClaimsPost],
            &[],
        ),
        (
            RoleTemplate::SelfServiceAdmin,
            &[ConstantsEdit, UsersAdd, ClaimsDelete],
            &[],
        ),
        (
            RoleTemplate::SelfServiceManager,
            &[
                ClaimsView,
                PaymentsPost,
                ArFollowUp,
                ArDenials,
                ConstantsView,
                UsersView,
            ],
            &[ConstantsEdit, UsersManage, UsersAdd],
        ),
        (
            RoleTemplate::SelfServiceFrontOffice,
            &[
                PatientsView,
                ChargesEdit,
                PaymentsUnassigned,
                ReportsBalance,
            ],
            &[PaymentsPost],
        ),
        (
            RoleTemplate::SelfServiceArSpecialist,
            &[
                ArFollowUp,
                PatientsView,
                ChargesView,
                ClaimsEdit,
                ReportsAging,
            ],
            &[ClaimsDelete, PaymentsPost],
        ),
        (
            RoleTemplate::SelfServicePaymentPoster,
            &[
                PaymentsPost,
                PaymentsUnassigned,
                PaymentsZeroPays,
                ReportsPaymentBalancing,
            ],
            &[ArFollowUp],
        ),
        (
            RoleTemplate::SelfServiceArAndPayments,
            &[
                PaymentsPost,
                PaymentsZeroPays,
                ArFollowUp,
                ArDenials,
                ReportsPaymentBalancing,
            ],
            &[ConstantsEdit],
        ),
        (
            RoleTemplate::SelfServiceClaimsMgmt,
            &[
                ChargesEdit,
                ClaimsEdit,
                ArDenials,
                ReportsBalance,
                ConstantsEdit,
            ],
            &[UsersView],
        ),
    ];
    for (template, grants, refuses) in says {
        let set = template.permissions().without(template.withheld());
        for p in *grants {
            assert!(set.grants(*p), "{template:?} should grant {p:?}");
        }
        for p in *refuses {
            assert!(!set.grants(*p), "{template:?} should not grant {p:?}");
        }
    }
    // Every seed template is described here.
    let described: Vec<RoleTemplate> = says.iter().map(|(t, _, _)| *t).collect();
    for template in RoleTemplate::ALL {
        assert!(
            described.contains(&template) || template.family().is_none(),
            "{template:?}"
        );
    }
}

#[test]
fn families_and_service_types_are_the_seeds() {
    assert_eq!(Family::RevServeRevEquip.templates().count(), 8);
    assert_eq!(Family::SelfService.templates().count(), 7);
    for template in RoleTemplate::ALL {
        // Self-service templates are exactly those needing a Partner.
        assert_eq!(
            template.self_service(),
            template.family() == Some(Family::SelfService),
            "{template:?}"
        );
        // A template applies only to service types of its family.
        for service in template.service_types() {
            assert!(
                template.family().is_none_or(|f| service.family() == f),
                "{template:?} {service:?}"
            );
        }
    }
    // The Partner roles are RevEquip's; the practice roles both.
    assert_eq!(
        RoleTemplate::PartnerAdmin.service_types(),
        [ServiceType::RevEquip]
    );
    assert_eq!(
        RoleTemplate::FrontOffice.service_types(),
        [ServiceType::RevServe, ServiceType::RevEquip]
    );
    for service in ServiceType::ALL {
        assert_eq!(ServiceType::from_key(service.key()), Some(service));
    }
}

#[test]
fn the_emr_restriction_withholds_the_payment_balancing_report_and_nothing_else() {
    let emr = RoleTemplate::FrontOfficeBillingEmr;
    assert_eq!(
        emr.withheld().iter().collect::<Vec<_>>(),
        [Permission::ReportsPaymentBalancing]
    );
    for template in RoleTemplate::ALL {
        if template != emr {
            assert!(template.withheld().is_empty(), "{template:?}");
        }
    }
}
