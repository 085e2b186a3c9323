//! Tests of `model::time`.

use chrono::TimeZone;

use super::*;

#[test]
fn instants_show_to_the_minute_in_utc() {
    let at = Utc
        .with_ymd_and_hms(2026, 11, 23, 10, 45, 59)
        .single()
        .unwrap();
    assert_eq!(minute_utc(at), "2026-11-23 10:45 UTC");
}
