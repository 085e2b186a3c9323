//! How instants are shown to users.

use chrono::{DateTime, Utc};

/// To the minute, in UTC, e.g. "2026-11-23 10:45 UTC": the server's clock,
/// unambiguous whatever the reader's time zone.
pub fn minute_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
