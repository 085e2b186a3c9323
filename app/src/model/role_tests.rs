//! Tests of `model::role`.

use super::*;

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
