//! Email: the outbox every message goes through, and the development
//! mailbox page that shows it when no SMTP server is configured.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod outbox;

use serde::{Deserialize, Serialize};

/// A queued or sent message, as the development mailbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// When it was queued, e.g. "2026-11-23 10:39 UTC".
    pub queued_at: String,
    pub sent: bool,
}

impl MailView {
    /// The first web address in the body: the link the message is about.
    pub fn link(&self) -> Option<&str> {
        self.body
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
    }
}
