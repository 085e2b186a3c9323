//! Every validator of the model against hostile text, 10,000 cases each:
//! overlong strings, control, invisible and direction-changing characters,
//! mixed scripts, SQL and HTML metacharacters, anything at all. None may
//! panic, and whatever one accepts is fit to store and show: trimmed,
//! within its limit, and free of hidden characters. A valid value with one
//! hidden character slipped in is always refused. (`server/tests/
//! hostile_input.rs` sends the same kinds of input through every server
//! function.)

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::{
    account::{AccountSettings, NewAccountInput, is_phone, validate_new_account},
    catalog::{Catalog, EntryInput, validate_entry},
    claim::parse_money,
    org::validate_company_name,
    role::{RoleInput, validate_role},
    ticket::{TicketInput, validate_comment, validate_ticket},
    validation::{
        CommonPasswords, ProfileInput, is_hidden, is_name, validate_new_password, validate_profile,
    },
    vendor::{GrantRequest, validate_grant},
};

const CASES: u32 = 10_000;

/// The hidden characters the validators refuse.
const HIDDEN: &[char] = &[
    '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{200b}', '\u{202a}', '\u{202e}',
    '\u{2060}', '\u{2066}', '\u{2069}', '\u{feff}',
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{85}\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2060}\u{2066}-\u{2069}\u{feff} a-zA-Zа-яα-ω'\\-]{0,40}",
        "[a-zA-Z ]{0,600}",
        "['\";\\\\%_<>&/*=()-]{1,30}",
        "[A-Za-zА-я\u{0301}😀 ]{1,30}",
        prop::sample::select(vec![
            "' OR '1'='1",
            "Robert'); DROP TABLE users; --",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "{{7*7}}",
            "  ",
            "",
            "9223372036854775808",
            "1e309",
            "-0.01",
            "2026-02-30",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A valid-looking name with one hidden character slipped in.
fn name_with_hidden() -> impl Strategy<Value = String> {
    (
        "[A-Z][a-z]{2,10} [A-Z][a-z]{2,10}",
        prop::sample::select(HIDDEN),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(name, hidden, at)| {
            let chars: Vec<char> = name.chars().collect();
            // Inside, so trimming cannot take it away.
            let at = 1 + at.index(chars.len() - 1);
            chars[..at]
                .iter()
                .chain([hidden].iter())
                .chain(chars[at..].iter())
                .collect()
        })
}

fn clean(text: &str, max: usize) -> bool {
    text == text.trim() && text.chars().count() <= max && !text.chars().any(is_hidden)
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn profiles(first in hostile(), last in hostile(), email in hostile()) {
        if let Ok(valid) = validate_profile(&ProfileInput { first_name: first, last_name: last, email }) {
            prop_assert!(is_name(&valid.first_name, 2) && clean(&valid.first_name, 100));
            prop_assert!(is_name(&valid.last_name, 1) && clean(&valid.last_name, 100));
            prop_assert!(clean(&valid.email, 254) && valid.email == valid.email.to_lowercase());
        }
    }

    #[test]
    fn company_and_account_names(name in hostile(), phone in hostile(), plan in hostile()) {
        if let Ok(valid) = validate_company_name(&name) {
            prop_assert!(!valid.is_empty() && clean(&valid, 200));
        }
        let input = NewAccountInput {
            name,
            settings: AccountSettings { professional_claims: true, ..Default::default() },
            first_name: "Lena".into(),
            last_name: "Lake".into(),
            email: "lena@lakeside.example".into(),
            phone,
            plan,
        };
        if let Ok(valid) = validate_new_account(&input) {
            prop_assert!(clean(&valid.name, 200) && is_phone(&valid.phone));
        }
    }

    #[test]
    fn roles(name in hostile(), description in hostile()) {
        if let Ok(valid) = validate_role(&RoleInput { name, description }) {
            prop_assert!(!valid.name.is_empty() && clean(&valid.name, 100));
            prop_assert!(clean(&valid.description.replace('\n', " "), 500));
        }
    }

    #[test]
    fn payers_and_facilities(name in hostile(), detail in hostile()) {
        for catalog in [Catalog::Payers, Catalog::Facilities] {
            let input = EntryInput { name: name.clone(), detail: detail.clone() };
            if let Ok(valid) = validate_entry(catalog, &input) {
                prop_assert!(!valid.name.is_empty() && clean(&valid.name, 200));
                prop_assert!(clean(&valid.detail, 100));
            }
        }
    }

    #[test]
    fn tickets_and_comments(subject in hostile(), message in hostile(), claims in hostile()) {
        let multiline = |text: &str| text.chars().all(|c| !is_hidden(c) || matches!(c, '\n' | '\r' | '\t'));
        if let Ok(valid) = validate_ticket(&TicketInput { subject, message: message.clone(), claims }) {
            prop_assert!(!valid.subject.is_empty() && clean(&valid.subject, 200));
            prop_assert!(multiline(&valid.message));
            for number in &valid.claim_numbers {
                prop_assert!(number.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'));
            }
        }
        if let Ok(valid) = validate_comment(&message) {
            prop_assert!(!valid.is_empty() && multiline(&valid));
        }
    }

    #[test]
    fn vendor_grants(tier in hostile(), length in hostile(), until in hostile(), reverts_to in hostile()) {
        let request = GrantRequest { tier, length, until, reverts_to };
        if let Ok(grant) = validate_grant(&request, now())
            && let Some(end) = grant.expires_at
        {
            prop_assert!(end > now() && end <= now() + chrono::Duration::days(367));
            prop_assert!(grant.reverts_to < grant.tier);
        }
    }

    #[test]
    fn passwords_and_amounts(password in hostile(), confirm in hostile(), amount in hostile()) {
        let common = CommonPasswords::default();
        if validate_new_password(&password, &confirm, "ada@northwind.example", common).is_ok() {
            prop_assert!((10..=128).contains(&password.chars().count()) && password == confirm);
        }
        if let Ok(cents) = parse_money(&amount) {
            prop_assert!((0..=100_000_000).contains(&cents));
        }
    }

    #[test]
    fn a_hidden_character_is_always_refused(name in name_with_hidden()) {
        let role = RoleInput { name: name.clone(), description: String::new() };
        let entry = EntryInput { name: name.clone(), detail: "MCRB".into() };
        let ticket = TicketInput { subject: name.clone(), message: "Since Monday".into(), claims: String::new() };
        let profile = ProfileInput { first_name: name.clone(), last_name: "Lake".into(), email: "a@b.example".into() };
        prop_assert!(validate_company_name(&name).is_err());
        prop_assert!(validate_role(&role).is_err());
        prop_assert!(validate_entry(Catalog::Payers, &entry).is_err());
        prop_assert!(validate_ticket(&ticket).is_err());
        prop_assert!(validate_profile(&profile).is_err());
    }
}

#[test]
fn hidden_characters_are_control_and_text_reordering_ones() {
    for c in HIDDEN {
        assert!(is_hidden(*c), "{c:?}");
    }
    // Letters of every script, and the joiners some scripts and emoji need.
    for c in [
        'a', 'é', 'ж', '中', 'ש', '\u{200c}', '\u{200d}', ' ', '-', '\'',
    ] {
        assert!(!is_hidden(c), "{c:?}");
    }
}
