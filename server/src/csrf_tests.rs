//! Unit tests of `csrf.rs`.

use super::*;
use axum::http::HeaderValue;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn same_origin_requests_pass() {
    assert!(is_same_origin(&headers(&[(
        "sec-fetch-site",
        "same-origin"
    )])));
    assert!(is_same_origin(&headers(&[
        ("origin", "http://127.0.0.1:3000"),
        ("host", "127.0.0.1:3000")
    ])));
    assert!(is_same_origin(&headers(&[
        ("origin", "https://console.example"),
        ("host", "console.example")
    ])));
}

#[test]
fn foreign_or_unproven_requests_are_refused() {
    for case in [
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a"),
            ("host", "a"),
        ][..],
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "none")],
        &[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000"),
        ],
        &[
            ("origin", "http://127.0.0.1:3000.evil.example"),
            ("host", "127.0.0.1:3000"),
        ],
        &[("origin", "null"), ("host", "127.0.0.1:3000")],
        &[("host", "127.0.0.1:3000")],
        &[],
    ] {
        assert!(!is_same_origin(&headers(case)), "{case:?}");
    }
}
