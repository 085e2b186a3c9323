//! Unit tests of `validation.rs`.

use super::*;

fn profile(first: &str, last: &str, email: &str) -> Result<ValidProfile, FieldErrors> {
    validate_profile(&ProfileInput {
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
    })
}

#[test]
fn real_names_are_accepted() {
    for (first, last) in [
        ("Al", "Li"),
        ("Mary-Jane", "O'Brien"),
        ("José", "De la Cruz"),
        ("Zoë", "Ng"),
        ("Łukasz", "Żółć"),
        ("Anne", "D\u{2019}Arcy"),
    ] {
        assert!(
            profile(first, last, "a@example.com").is_ok(),
            "{first} {last}"
        );
    }
}

#[test]
fn names_with_digits_symbols_or_too_few_letters_are_refused_with_the_field_message() {
    let cases = [
        ("A", "Smith", Field::FirstName, FIRST_NAME_MESSAGE),
        ("J0hn", "Smith", Field::FirstName, FIRST_NAME_MESSAGE),
        ("John!", "Smith", Field::FirstName, FIRST_NAME_MESSAGE),
        ("<script>", "Smith", Field::FirstName, FIRST_NAME_MESSAGE),
        ("John", "", Field::LastName, LAST_NAME_MESSAGE),
        ("John", "Sm1th", Field::LastName, LAST_NAME_MESSAGE),
        ("John", "-", Field::LastName, LAST_NAME_MESSAGE),
        ("John", "Smith;DROP", Field::LastName, LAST_NAME_MESSAGE),
        ("Jo  hn", "Smith", Field::FirstName, FIRST_NAME_MESSAGE),
    ];
    for (first, last, field, message) in cases {
        let errors = profile(first, last, "a@example.com").unwrap_err();
        assert_eq!(errors.get(field), Some(message), "{first:?} {last:?}");
        assert_eq!(errors.0.len(), 1, "{first:?} {last:?}: {errors:?}");
    }
}

#[test]
fn overlong_names_are_refused_not_cut() {
    let long = "a".repeat(MAX_NAME_CHARS + 1);
    assert!(profile(&long, "Smith", "a@example.com").is_err());
    assert!(profile(&"a".repeat(MAX_NAME_CHARS), "Smith", "a@example.com").is_ok());
}

#[test]
fn emails_are_checked_and_normalized() {
    let ok = profile(" Ann ", " Lee ", " Ann.Lee+billing@Example.COM ").unwrap();
    assert_eq!(ok.email, "ann.lee+billing@example.com");
    assert_eq!(
        (ok.first_name.as_str(), ok.last_name.as_str()),
        ("Ann", "Lee")
    );
    for bad in [
        "",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "an n@example.com",
        "ann@exa mple.com",
        "ann@-example.com",
        "ann..lee@example.com",
        "ann@example..com",
        "ann@ex_ample.com",
    ] {
        let errors = profile("Ann", "Lee", bad).unwrap_err();
        assert_eq!(errors.get(Field::Email), Some(EMAIL_MESSAGE), "{bad:?}");
    }
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let errors = profile("1", "2", "3").unwrap_err();
    assert_eq!(
        errors.0.keys().copied().collect::<Vec<_>>(),
        vec![Field::FirstName, Field::LastName, Field::Email]
    );
}

#[test]
fn the_password_policy_is_about_length() {
    assert!(
        validate_password(
            "correct horse battery",
            "ann@example.com",
            CommonPasswords::server()
        )
        .is_ok()
    );
    assert!(
        validate_password(
            &"x".repeat(10),
            "ann@example.com",
            CommonPasswords::server()
        )
        .is_ok()
    );
    for bad in [
        "short",
        &"x".repeat(9),
        &"x".repeat(129),
        &" ".repeat(20),
        "ann@example.com",
        "ANN@EXAMPLE.COM",
    ] {
        let errors =
            validate_password(bad, "ann@example.com", CommonPasswords::server()).unwrap_err();
        assert_eq!(
            errors.get(Field::Password),
            Some(PASSWORD_MESSAGE),
            "{bad:?}"
        );
    }
}

#[test]
fn common_passwords_are_refused_whatever_their_case() {
    for common in ["password123", "Password123", "QWERTYUIOP", "1q2w3e4r5t"] {
        let errors =
            validate_password(common, "ann@example.com", CommonPasswords::server()).unwrap_err();
        assert_eq!(
            errors.get(Field::Password),
            Some(COMMON_PASSWORD_MESSAGE),
            "{common:?}"
        );
    }
    // The list only matters for passwords long enough to pass the length rule.
    assert!(
        COMMON_PASSWORD_LIST
            .lines()
            .all(|p| p.chars().count() >= MIN_PASSWORD_CHARS)
    );
    assert!(!CommonPasswords::server().contains("portcullis-demo"));
    assert!(!CommonPasswords::server().contains("correct horse battery"));
    // Before the browser has the list, only the other rules apply.
    assert!(
        validate_password("password123", "ann@example.com", CommonPasswords::default()).is_ok()
    );
}
