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

fn wizard() -> NewAccountInput {
    NewAccountInput {
        name: "  Lakeside Clinic ".to_owned(),
        settings: AccountSettings {
            professional_claims: true,
            ..AccountSettings::default()
        },
        first_name: " Lena".to_owned(),
        last_name: "Lake ".to_owned(),
        email: "Lena.Lake@Lakeside.example".to_owned(),
        phone: " +1 (503) 555-0142 ".to_owned(),
        plan: "starter".to_owned(),
    }
}

#[test]
fn a_new_account_is_trimmed_and_its_contact_email_lower_cased() {
    let valid = validate_new_account(&wizard()).unwrap();
    assert_eq!(valid.name, "Lakeside Clinic");
    assert_eq!(
        (valid.first_name.as_str(), valid.last_name.as_str()),
        ("Lena", "Lake")
    );
    assert_eq!(valid.email, "lena.lake@lakeside.example");
    assert_eq!(valid.phone, "+1 (503) 555-0142");
    assert_eq!(valid.plan, ServicePlan::Starter);
}

#[test]
fn every_bad_field_of_the_wizard_is_named_at_once() {
    let bad = NewAccountInput {
        name: " ".to_owned(),
        settings: AccountSettings::default(),
        first_name: "L".to_owned(),
        last_name: "L4ke".to_owned(),
        email: "lena@".to_owned(),
        phone: "555".to_owned(),
        plan: "gold".to_owned(),
    };
    let fields: Vec<Field> = validate_new_account(&bad)
        .unwrap_err()
        .0
        .into_keys()
        .collect();
    assert_eq!(
        fields,
        [
            Field::FirstName,
            Field::LastName,
            Field::Email,
            Field::CompanyName,
            Field::ClaimKinds,
            Field::Phone,
            Field::Plan
        ]
    );
}

#[test]
fn phone_numbers_have_seven_to_fifteen_digits_and_common_separators() {
    for ok in [
        "5550142",
        "+44 20 7946 0958",
        "(503) 555-0142",
        "503.555.0142",
        "+123456789012345",
    ] {
        assert!(is_phone(ok), "{ok}");
    }
    for bad in [
        "",
        "555-014",
        "+1234567890123456",
        "503-555-0142 ext 9",
        "++15035550142",
        "503/555/0142",
        "+",
    ] {
        assert!(!is_phone(bad), "{bad}");
    }
}
