//! Tests of `model::org`.

use super::*;

#[test]
fn company_names_are_trimmed_and_bounded() {
    assert_eq!(
        validate_company_name("  West Clinic ").unwrap(),
        "West Clinic"
    );
    assert_eq!(validate_company_name(&"x".repeat(200)).unwrap().len(), 200);
    for bad in ["", "  ", "Line\nbreak", &"x".repeat(201)] {
        let errors = validate_company_name(bad).unwrap_err();
        assert_eq!(
            errors.get(super::super::validation::Field::CompanyName),
            Some(COMPANY_NAME_MESSAGE),
            "{bad:?}"
        );
    }
}
