//! Unit tests of `vendor.rs`.

use super::*;
use crate::model::validation::Field;
use chrono::TimeZone;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, hour, 0, 0)
        .single()
        .unwrap()
}

#[test]
fn tiers_are_ordered_from_no_access_to_full() {
    assert!(VendorTier::NoAccess < VendorTier::Limited);
    assert!(VendorTier::Limited < VendorTier::AllSupport);
    assert!(VendorTier::AllSupport < VendorTier::Full);
    for tier in VendorTier::ALL {
        assert_eq!(VendorTier::from_key(tier.key()), Some(tier));
    }
}

#[test]
fn an_expiring_grant_reverts_at_the_very_instant_it_ends() {
    let grant = VendorGrant {
        tier: VendorTier::Full,
        expires_at: Some(at(12)),
        reverts_to: VendorTier::Limited,
    };
    assert_eq!(grant.tier_at(at(11)), VendorTier::Full);
    assert!(grant.is_temporary_at(at(11)));
    assert_eq!(grant.tier_at(at(12)), VendorTier::Limited);
    assert!(!grant.is_temporary_at(at(12)));
    assert_eq!(grant.tier_at(at(13)), VendorTier::Limited);
}

#[test]
fn a_permanent_grant_never_changes() {
    let grant = VendorGrant::permanent(VendorTier::AllSupport);
    assert_eq!(grant.tier_at(at(0)), VendorTier::AllSupport);
    assert_eq!(grant.tier_at(at(23)), VendorTier::AllSupport);
}

fn request(tier: &str, length: &str, until: &str, reverts_to: &str) -> GrantRequest {
    GrantRequest {
        tier: tier.to_owned(),
        length: length.to_owned(),
        until: until.to_owned(),
        reverts_to: reverts_to.to_owned(),
    }
}

#[test]
fn a_grant_until_changed_has_no_end_whatever_else_is_sent() {
    for tier in VendorTier::ALL {
        let grant = validate_grant(&request(tier.key(), "until_changed", "junk", "junk"), at(9));
        assert_eq!(grant, Ok(VendorGrant::permanent(tier)));
    }
}

#[test]
fn timed_grants_end_after_their_length_and_return_to_the_chosen_level() {
    for (length, hours) in [("1h", 1), ("24h", 24), ("7d", 24 * 7)] {
        let grant = validate_grant(&request("full", length, "", "limited"), at(9)).unwrap();
        assert_eq!(grant.tier, VendorTier::Full);
        assert_eq!(grant.expires_at, Some(at(9) + Duration::hours(hours)));
        assert_eq!(grant.reverts_to, VendorTier::Limited);
    }
}

#[test]
fn a_grant_until_a_date_lasts_through_that_whole_day() {
    let grant = validate_grant(
        &request("all_support", "date", "2026-11-30", "no_access"),
        at(9),
    )
    .unwrap();
    let end = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().unwrap();
    assert_eq!(grant.expires_at, Some(end));
    assert_eq!(
        grant.tier_at(end - Duration::seconds(1)),
        VendorTier::AllSupport
    );
    assert_eq!(grant.tier_at(end), VendorTier::NoAccess);
    // Today itself is allowed: access until midnight.
    assert!(validate_grant(&request("full", "date", "2026-11-23", "limited"), at(9)).is_ok());
}

#[test]
fn bad_grant_requests_name_the_field_at_fault() {
    let field = |r: GrantRequest| {
        let errors = validate_grant(&r, at(9)).unwrap_err();
        errors.0.keys().copied().collect::<Vec<_>>()
    };
    assert_eq!(field(request("root", "1h", "", "limited")), [Field::Tier]);
    assert_eq!(
        field(request("full", "forever", "", "limited")),
        [Field::GrantLength]
    );
    assert_eq!(
        field(request("", "", "", "")),
        [Field::Tier, Field::GrantLength]
    );
    // Dates: yesterday, more than a year ahead, not a date.
    for until in ["2026-11-22", "2027-11-25", "30/11/2026", ""] {
        assert_eq!(
            field(request("full", "date", until, "limited")),
            [Field::Until],
            "{until}"
        );
    }
    // The level to return to must be lower than the one granted.
    for back in ["full", "all_support", "", "nope"] {
        assert_eq!(
            field(request("all_support", "24h", "", back)),
            [Field::RevertsTo],
            "{back}"
        );
    }
    // No Access cannot be granted for a while: there is nothing lower.
    assert_eq!(
        field(request("no_access", "1h", "", "")),
        [Field::GrantLength]
    );
}

#[test]
fn expiry_notices_go_out_an_hour_before_or_a_quarter_of_a_short_grant() {
    let start = at(0);
    let day = start + Duration::hours(24);
    assert_eq!(expiry_notice_at(start, day), day - Duration::hours(1));
    let hour = start + Duration::hours(1);
    assert_eq!(expiry_notice_at(start, hour), hour - Duration::minutes(15));
    let four_hours = start + Duration::hours(4);
    assert_eq!(
        expiry_notice_at(start, four_hours),
        four_hours - Duration::hours(1)
    );
    // An end already past is noticed at once (never after it).
    assert_eq!(expiry_notice_at(at(5), at(4)), at(4));
}

#[test]
fn grant_lengths_round_trip_their_keys() {
    for length in GrantLength::ALL {
        assert_eq!(GrantLength::from_key(length.key()), Some(length));
        assert!(!length.label().is_empty());
    }
}

#[test]
fn a_grant_is_described_as_it_stands_at_the_moment() {
    let grant = VendorGrant {
        tier: VendorTier::Full,
        expires_at: Some(at(12)),
        reverts_to: VendorTier::Limited,
    };
    assert_eq!(
        grant.describe(at(11)),
        "Full Access until 2026-11-23 12:00 UTC, then Limited Access"
    );
    assert_eq!(grant.describe(at(12)), "Limited Access");
    assert_eq!(
        VendorGrant::permanent(VendorTier::AllSupport).describe(at(1)),
        "All Support"
    );
}
