//! How instants are shown to users.

use chrono::{DateTime, Utc};

/// To the minute, in UTC, e.g. "2026-11-23 10:45 UTC": the server's clock,
/// unambiguous whatever the reader's time zone.
pub fn minute_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
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
}
