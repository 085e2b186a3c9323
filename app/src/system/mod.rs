//! System status: whether the database answers and which schema it runs.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

/// What the status panel shows about the running system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// e.g. "PostgreSQL 15.18".
    pub database: String,
    /// The newest applied migration.
    pub schema_version: i64,
    /// The database's clock when it answered, HH:MM:SS UTC.
    pub checked_at: String,
    /// The outbox's state in one sentence, e.g. "Delivering normally."
    pub outgoing_mail: String,
}

/// The outbox across every organization, counted (no message or address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outbox {
    /// An SMTP server is configured.
    pub smtp: bool,
    /// Not sent yet, never failed.
    pub waiting: i64,
    /// Not sent, failed at least once.
    pub failing: i64,
}

impl Outbox {
    /// One sentence for the System status card.
    pub fn describe(self, oldest_failing: Option<&str>) -> String {
        let messages = |n: i64| {
            if n == 1 {
                "1 message".to_owned()
            } else {
                format!("{n} messages")
            }
        };
        match self {
            Outbox { smtp: false, .. } => {
                "No mail server is configured: mail stays in the outbox.".to_owned()
            }
            Outbox {
                failing: 0,
                waiting: 0,
                ..
            } => "Delivering normally.".to_owned(),
            Outbox {
                failing: 0,
                waiting,
                ..
            } => {
                format!("Delivering: {} waiting to be sent.", messages(waiting))
            }
            Outbox { failing, .. } => format!(
                "{} could not be delivered yet{}; Administrators see theirs on their start page.",
                messages(failing),
                oldest_failing
                    .map(|since| format!(", the oldest since {since}"))
                    .unwrap_or_default()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Outbox;

    #[test]
    fn the_outbox_is_described_in_one_sentence() {
        let ok = Outbox {
            smtp: true,
            ..Outbox::default()
        };
        assert_eq!(ok.describe(None), "Delivering normally.");
        assert_eq!(
            Outbox { waiting: 1, ..ok }.describe(None),
            "Delivering: 1 message waiting to be sent."
        );
        assert_eq!(
            Outbox {
                failing: 2,
                waiting: 5,
                ..ok
            }
            .describe(Some("2026-12-01 10:00 UTC")),
            "2 messages could not be delivered yet, the oldest since 2026-12-01 10:00 UTC; \
             Administrators see theirs on their start page."
        );
        assert!(
            Outbox {
                failing: 3,
                ..Outbox::default()
            }
            .describe(None)
            .starts_with("No mail server is configured")
        );
    }
}
