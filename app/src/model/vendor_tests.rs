//! Unit tests of `vendor.rs`.

use super::*;
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
