//! Tests of `model::catalog`.

use super::*;

fn entry(name: &str, detail: &str) -> EntryInput {
    EntryInput {
        name: name.into(),
        detail: detail.into(),
    }
}

#[test]
fn payer_codes_are_upper_cased_and_checked() {
    let ok = validate_entry(Catalog::Payers, &entry(" Medicare ", " mcrb ")).unwrap();
    assert_eq!(ok, entry("Medicare", "MCRB"));
    for bad in ["M", "MCRB-01", "ABCDEFGHIJK", ""] {
        let errors = validate_entry(Catalog::Payers, &entry("Medicare", bad)).unwrap_err();
        assert_eq!(
            errors.get(Field::EntryDetail),
            Some(PAYER_CODE_MESSAGE),
            "{bad:?}"
        );
    }
    let unnamed = validate_entry(Catalog::Payers, &entry("  ", "MCRB")).unwrap_err();
    assert_eq!(unnamed.get(Field::EntryName), Some(ENTRY_NAME_MESSAGE));
    assert_eq!(unnamed.get(Field::EntryDetail), None);
}

#[test]
fn cities_may_be_empty_but_not_odd() {
    assert_eq!(
        validate_entry(Catalog::Facilities, &entry("Day Clinic", "")).unwrap(),
        entry("Day Clinic", "")
    );
    assert!(validate_entry(Catalog::Facilities, &entry("Day Clinic", "St. John's-Wood")).is_ok());
    let errors = validate_entry(Catalog::Facilities, &entry("Day Clinic", "Salem 1")).unwrap_err();
    assert_eq!(errors.get(Field::EntryDetail), Some(CITY_MESSAGE));
}

#[test]
fn a_copy_down_adds_updates_skips_or_leaves_alone() {
    let source = entry("Medicare", "MCRB");
    assert_eq!(copy_outcome(&source, None, false), CopyOutcome::Gains);
    assert_eq!(
        copy_outcome(&source, Some(&source), false),
        CopyOutcome::UpToDate
    );
    let old = entry("Medicare Part B", "MCRB");
    assert_eq!(
        copy_outcome(&source, Some(&old), false),
        CopyOutcome::Updates
    );
    assert_eq!(
        copy_outcome(&source, None, true),
        CopyOutcome::OwnEntryOfThatName
    );
    assert_eq!(
        copy_outcome(&source, Some(&old), true),
        CopyOutcome::OwnEntryOfThatName
    );
    assert!(CopyOutcome::Gains.writes() && CopyOutcome::Updates.writes());
    assert!(!CopyOutcome::UpToDate.writes() && !CopyOutcome::OwnEntryOfThatName.writes());
}

#[test]
fn catalogs_round_trip_through_their_keys() {
    for catalog in Catalog::ALL {
        assert_eq!(Catalog::from_key(catalog.key()), Some(catalog));
    }
    assert_eq!(Catalog::from_key("claims"), None);
}
