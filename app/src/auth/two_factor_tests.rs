use chrono::TimeZone;

use super::*;

/// RFC 6238 appendix B's SHA-1 secret.
const RFC_SECRET: &[u8] = b"12345678901234567890";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap()
}

#[test]
fn codes_match_the_rfc_test_vectors() {
    // Appendix B: T = 59 s gives 94287082 (8 digits); we use the last 6.
    assert_eq!(
        matching_step(RFC_SECRET, "a@b.example", "287082", at(59)),
        Some(1)
    );
    // T = 1111111109 gives 07081804.
    assert_eq!(
        matching_step(RFC_SECRET, "a@b.example", "081804", at(1_111_111_109)),
        Some(1_111_111_109 / 30)
    );
}

#[test]
fn one_step_of_clock_skew_is_allowed_either_way_and_no_more() {
    let code = "287082"; // step 1 (30..59 s)
    assert_eq!(
        matching_step(RFC_SECRET, "a@b.example", code, at(89)),
        Some(1)
    );
    assert_eq!(
        matching_step(RFC_SECRET, "a@b.example", code, at(5)),
        Some(1)
    );
    assert_eq!(matching_step(RFC_SECRET, "a@b.example", code, at(95)), None);
    assert_eq!(
        matching_step(RFC_SECRET, "a@b.example", "287083", at(59)),
        None
    );
}

#[test]
fn typed_codes_are_told_apart_by_their_shape() {
    assert_eq!(
        CodeInput::parse(" 287 082 "),
        Some(CodeInput::Totp("287082".into()))
    );
    assert_eq!(
        CodeInput::parse("AB3DE-FG7HJ"),
        Some(CodeInput::Recovery("ab3defg7hj".into()))
    );
    for nonsense in [
        "",
        "12345",
        "1234567",
        "abcde-fghi",
        "ab3de-fg7hi",
        "28708a",
    ] {
        assert_eq!(CodeInput::parse(nonsense), None, "{nonsense:?}");
    }
}

#[test]
fn hashes_differ_per_code_and_are_sha256_sized() {
    assert_eq!(hash_code("ab3defg7hj").len(), 32);
    assert_ne!(hash_code("ab3defg7hj"), hash_code("ab3defg7hk"));
}
