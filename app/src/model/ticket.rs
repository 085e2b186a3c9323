//! Support tickets: their statuses and what a ticket or a comment must hold.

use serde::{Deserialize, Serialize};

use super::{
    user::keyed_enum,
    validation::{Field, FieldErrors},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketStatus {
    Open,
    /// Waiting for an answer from whoever opened it.
    Waiting,
    Closed,
}

keyed_enum!(TicketStatus { Open => "open", Waiting => "waiting", Closed => "closed" });

impl TicketStatus {
    pub const ALL: [TicketStatus; 3] = [
        TicketStatus::Open,
        TicketStatus::Waiting,
        TicketStatus::Closed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TicketStatus::Open => "Open",
            TicketStatus::Waiting => "Waiting for reply",
            TicketStatus::Closed => "Closed",
        }
    }
}

/// The ticket lists of an organization's own users (seed 002): the
/// tickets one opened (the default), the whole organization's, and those
/// one is CC'd on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketView {
    Mine,
    Team,
    Ccd,
}

keyed_enum!(TicketView { Mine => "mine", Team => "team", Ccd => "cc" });

impl TicketView {
    pub const ALL: [TicketView; 3] = [TicketView::Mine, TicketView::Team, TicketView::Ccd];

    pub fn label(self) -> &'static str {
        match self {
            TicketView::Mine => "My Tickets",
            TicketView::Team => "Team Tickets",
            TicketView::Ccd => "CC'd Tickets",
        }
    }
}

pub const VIEW_MESSAGE: &str = "Choose My Tickets, Team Tickets or CC'd Tickets.";
pub const CC_WHOM_MESSAGE: &str = "Choose an active user of your organization.";

pub const SUBJECT_MESSAGE: &str = "Enter a subject of at most 200 characters.";
pub const MESSAGE_MESSAGE: &str = "Describe the problem in at most 5,000 characters.";
pub const COMMENT_MESSAGE: &str = "Write a comment of at most 5,000 characters.";
pub const CLAIMS_MESSAGE: &str =
    "List up to 10 claim numbers (such as NC-0001), separated by commas or spaces.";
pub const MAX_TICKET_CLAIMS: usize = 10;
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 5_000;

/// A new ticket as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    pub subject: String,
    pub message: String,
    /// Claim numbers, separated by commas or white space; may be empty.
    pub claims: String,
}

/// A checked new ticket: trimmed text and distinct, upper-cased claim numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTicket {
    pub subject: String,
    pub message: String,
    pub claim_numbers: Vec<String>,
}

/// Text fit to store: not blank, not too long, no control or invisible
/// characters other than line breaks and tabs in multi-line text.
fn text(value: &str, max: usize, multiline: bool) -> Option<String> {
    let value = value.trim();
    let allowed = |c: char| {
        !super::validation::is_hidden(c) || (multiline && matches!(c, '\n' | '\r' | '\t'))
    };
    (!value.is_empty() && value.chars().count() <= max && value.chars().all(allowed))
        .then(|| value.to_owned())
}

fn is_claim_number(number: &str) -> bool {
    (3..=20).contains(&number.len())
        && number
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

pub fn validate_ticket(input: &TicketInput) -> Result<ValidTicket, FieldErrors> {
    let mut errors = FieldErrors::default();
    let subject = text(&input.subject, MAX_SUBJECT, false);
    errors.check(Field::Subject, subject.is_some(), SUBJECT_MESSAGE);
    let message = text(&input.message, MAX_TEXT, true);
    errors.check(Field::Message, message.is_some(), MESSAGE_MESSAGE);
    let mut claim_numbers: Vec<String> = Vec::new();
    for number in input
        .claims
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .map(str::to_ascii_uppercase)
    {
        if !claim_numbers.contains(&number) {
            claim_numbers.push(number);
        }
    }
    errors.check(
        Field::Claims,
        claim_numbers.len() <= MAX_TICKET_CLAIMS
            && claim_numbers.iter().all(|n| is_claim_number(n)),
        CLAIMS_MESSAGE,
    );
    match (subject, message) {
        (Some(subject), Some(message)) if errors.is_empty() => Ok(ValidTicket {
            subject,
            message,
            claim_numbers,
        }),
        _ => Err(errors),
    }
}

pub fn validate_comment(body: &str) -> Result<String, FieldErrors> {
    text(body, MAX_TEXT, true).ok_or_else(|| {
        let mut errors = FieldErrors::default();
        errors.check(Field::Comment, false, COMMENT_MESSAGE);
        errors
    })
}

#[cfg(test)]
#[path = "ticket_tests.rs"]
mod tests;
