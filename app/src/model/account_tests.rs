//! Unit tests of `account.rs`.

use super::*;

#[test]
fn an_account_accepts_at_least_one_kind_of_claim() {
    let none = AccountSettings {
        transmit_approval_required: true,
        ..AccountSettings::default()
    };
    assert_eq!(
        none.validate().unwrap_err().get(Field::ClaimKinds),
        Some(NO_CLAIM_KIND_MESSAGE)
    );
    for kind in 0..3 {
        let settings = AccountSettings {
            professional_claims: kind == 0,
            institutional_claims: kind == 1,
            dental_claims: kind == 2,
            ..AccountSettings::default()
        };
        assert_eq!(settings.validate(), Ok(settings));
    }
}

#[test]
fn service_plans_round_trip_their_keys() {
    for plan in ServicePlan::ALL {
        assert_eq!(ServicePlan::from_key(plan.key()), Some(plan));
        assert!(!plan.label().is_empty());
    }
    assert_eq!(ServicePlan::from_key("free"), None);
}
