//! Unit tests of `throttle.rs`.

use super::*;

#[test]
fn locks_double_and_stop_at_a_day() {
    assert_eq!(lock_duration(1), Duration::minutes(15));
    assert_eq!(lock_duration(2), Duration::minutes(30));
    assert_eq!(lock_duration(3), Duration::minutes(60));
    assert_eq!(lock_duration(8), Duration::hours(24));
    assert_eq!(lock_duration(50), Duration::hours(24));
    assert_eq!(lock_duration(0), Duration::minutes(15));
}
