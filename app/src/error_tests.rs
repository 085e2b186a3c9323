//! Unit tests of `error.rs`.

use super::*;
use crate::model::validation::{ProfileInput, validate_profile};

#[test]
fn field_errors_travel_to_the_browser_unchanged() {
    let errors = validate_profile(&ProfileInput {
        first_name: "1".into(),
        ..Default::default()
    })
    .unwrap_err();
    let error = AppError::from(errors.clone());
    let decoded: AppError = serde_json::from_str(&serde_json::to_string(&error).unwrap()).unwrap();
    assert_eq!(decoded, AppError::Invalid(errors));
}

#[test]
fn a_refusal_says_why() {
    let error = AppError::from(Denied::SupportUsersOnly);
    assert_eq!(
        error.to_string(),
        "Only Administrators and Support Users can open support tickets."
    );
}
