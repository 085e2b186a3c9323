//! Email: the outbox every message goes through, the development mailbox
//! page that shows it when no SMTP server is configured, and the mail that
//! could not be delivered, shown to the organization's Administrators.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;
#[cfg(feature = "ssr")]
pub mod letters;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod undelivered;
pub mod undelivered_api;

use serde::{Deserialize, Serialize};

use crate::model::{
    ids::{MailId, UserId},
    user::keyed_enum,
};

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// An invitation to choose a first password, for this user.
    Invitation(UserId),
    /// A link to choose a new password, for this user.
    PasswordReset(UserId),
    /// Anything else (a notice about a grant, a ticket).
    Notice,
}

/// What a message is for, as a list shows it (the outbox's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailPurpose {
    Invitation,
    PasswordReset,
    Notice,
}

keyed_enum!(MailPurpose { Invitation => "invitation", PasswordReset => "password_reset", Notice => "notice" });

impl MailPurpose {
    pub fn label(self) -> &'static str {
        match self {
            MailPurpose::Invitation => "Invitation",
            MailPurpose::PasswordReset => "Password link",
            MailPurpose::Notice => "Notice",
        }
    }
}

/// A message that could not be delivered, as its organization's
/// Administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredMail {
    pub id: MailId,
    pub to: String,
    pub subject: String,
    pub kind: MailPurpose,
    /// When it was queued, e.g. "2026-12-01 10:39 UTC".
    pub since: String,
    pub attempts: i32,
    /// The last failure, in plain words.
    pub reason: String,
    /// No more attempts will be made unless someone sends it again.
    pub given_up: bool,
    /// An invitation of a user who has not chosen a password yet: its link
    /// may be taken to pass on by hand. Never a password reset's.
    pub link_available: bool,
}

/// The mail worker tries a message this often, with growing waits, then
/// leaves it until someone sends it again.
pub const MAX_ATTEMPTS: i32 = 10;

pub const MAIL_SENT_AGAIN: &str =
    "The message will be sent again in a moment; if it still fails, it stays listed here.";

/// A mail server's failure (as the SMTP client words it) in words an
/// Administrator can act on.
pub fn plain_reason(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let code = lower
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 3 && (part.starts_with('4') || part.starts_with('5')));
    if lower.contains("permanent") || lower.contains("transient") {
        let code = code.unwrap_or("?");
        if code == "535" || code == "530" {
            return format!(
                "The mail server did not accept Portcullis's sign-in (code {code}): check the SMTP user and password."
            );
        }
        if lower.contains("permanent") {
            return format!(
                "The mail server refused the message (code {code}): the address may not exist or not accept mail."
            );
        }
        return format!(
            "The mail server asked to try again later (code {code}); Portcullis keeps trying."
        );
    }
    if ["tls", "certificate", "handshake", "ssl"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return "A secure connection to the mail server could not be made.".to_owned();
    }
    if [
        "connection",
        "refused",
        "timed out",
        "timeout",
        "lookup",
        "resolve",
        "unreachable",
        "network",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return "The mail server could not be reached.".to_owned();
    }
    if ["address", "mailbox", "domain"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return "The recipient's address is not valid.".to_owned();
    }
    "The mail server could not take the message.".to_owned()
}

#[cfg(test)]
mod tests {
    use super::plain_reason;

    #[test]
    fn mail_server_failures_read_as_plain_words() {
        for (raw, plain) in [
            (
                "Connection error: Connection refused (os error 111)",
                "The mail server could not be reached.",
            ),
            (
                "permanent error (550): 5.1.1 <x@y> User unknown",
                "The mail server refused the message (code 550): the address may not exist or not accept mail.",
            ),
            (
                "transient error (421): 4.7.0 Try again later",
                "The mail server asked to try again later (code 421); Portcullis keeps trying.",
            ),
            (
                "permanent error (535): 5.7.8 Authentication credentials invalid",
                "The mail server did not accept Portcullis's sign-in (code 535): check the SMTP user and password.",
            ),
            (
                "Connection error: invalid peer certificate: UnknownIssuer",
                "A secure connection to the mail server could not be made.",
            ),
            (
                "Missing domain or user",
                "The recipient's address is not valid.",
            ),
            (
                "something else entirely",
                "The mail server could not take the message.",
            ),
        ] {
            assert_eq!(plain_reason(raw), plain, "{raw}");
        }
    }
}

/// A queued or sent message, as the development mailbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub id: MailId,
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
