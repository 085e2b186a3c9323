//! Input validation shared by the browser (to show errors beside each field
//! as the user types) and the server (to refuse bad input, changing nothing).
//! Both get the same messages from the same code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const FIRST_NAME_MESSAGE: &str =
    "First name must have at least 2 characters. Numbers and special characters are not allowed.";
pub const LAST_NAME_MESSAGE: &str =
    "Last name must have at least 1 character. Numbers and special characters are not allowed.";
pub const EMAIL_MESSAGE: &str = "Enter a valid email";
pub const PASSWORD_MESSAGE: &str =
    "Enter a valid password: 10 to 128 characters, not only spaces, and not your email address.";
pub const PROFILE_SAVED_MESSAGE: &str = "Your profile has been successfully updated.";

/// The longest name or email we store; longer input is refused, not cut.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const COMMON_PASSWORD_MESSAGE: &str =
    "This password is on the list of commonly used passwords; choose one that is harder to guess.";
pub const PASSWORDS_DIFFER: &str = "The two new passwords are not the same.";
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Which input field a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Password,
    CurrentPassword,
    ConfirmPassword,
    /// A two-factor code: six digits or a recovery code.
    Code,
    /// The Users page's search and filters, and a user's status.
    Search,
    Sort,
    Status,
    /// A tickets list's view (My, Team, CC'd), and whom a ticket CCs.
    View,
    Cc,
    AccountType,
    /// Add User's user type, company and role.
    UserType,
    Company,
    Role,
    /// Bulk actions: the picked users and what to do with them.
    Users,
    Action,
    /// A role's name and description, the template it starts from, and
    /// the role its members move to when it is deleted.
    RoleName,
    Description,
    Template,
    SelfService,
    MoveTo,
    /// A company's name and status (the Companies page).
    CompanyName,
    CompanyStatus,
    /// A payer's or facility's name and code or city; the companies a
    /// copy-down goes to.
    EntryName,
    EntryDetail,
    Children,
    /// Claims: the filters and a claim's fields.
    DateFrom,
    DateTo,
    AmountMin,
    AmountMax,
    Patient,
    ServiceDate,
    Amount,
    /// The Vendor Access setting: the vendor, its level, for how long,
    /// until which date, and the level it returns to.
    Vendor,
    Tier,
    GrantLength,
    Until,
    RevertsTo,
    /// A support ticket's subject, message and the claims it is about; a
    /// comment on it.
    Subject,
    Message,
    Claims,
    Comment,
    /// A customer account's kinds of claims (the vendor's Edit Account).
    ClaimKinds,
    /// An API key's name; the user a password link goes to.
    KeyName,
    User,
    /// Add new account: the primary contact's phone and the service plan.
    Phone,
    Plan,
    /// The platform console: an organization's name and kind, a staff
    /// member's role, a ticket's assignee, the organization a ticket is
    /// opened for, a two-person change and its reason.
    OrganizationName,
    Kind,
    PlatformRole,
    Assignee,
    Organization,
    Change,
    Reason,
}

/// Messages per field; empty means valid.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<Field, String>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        self.0.get(&field).map(String::as_str)
    }

    /// Records `message` for `field` unless `ok`.
    pub fn check(&mut self, field: Field, ok: bool, message: &str) {
        if !ok {
            self.0.insert(field, message.to_owned());
        }
    }
}

/// A profile as typed by the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProfileInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// A profile that passed validation: trimmed, email lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidProfile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

pub fn validate_profile(input: &ProfileInput) -> Result<ValidProfile, FieldErrors> {
    let first_name = input.first_name.trim();
    let last_name = input.last_name.trim();
    let email = input.email.trim();
    let mut errors = FieldErrors::default();
    errors.check(Field::FirstName, is_name(first_name, 2), FIRST_NAME_MESSAGE);
    errors.check(Field::LastName, is_name(last_name, 1), LAST_NAME_MESSAGE);
    errors.check(Field::Email, is_email(email), EMAIL_MESSAGE);
    if errors.is_empty() {
        Ok(ValidProfile {
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            email: email.to_lowercase(),
        })
    } else {
        Err(errors)
    }
}

/// Characters no stored text may hold: control characters, and the
/// invisible ones that reorder or hide text -- bidirectional embeddings,
/// overrides and isolates, the zero-width space, the word joiner and the
/// byte-order mark -- with which a name shows as something it is not.
/// (Joiners, which some scripts and emoji need, are allowed.)
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Letters of any script, with single spaces, hyphens and apostrophes
/// between them (Mary-Jane, O'Brien, De la Cruz); at least `min` letters.
pub fn is_name(name: &str, min: usize) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let separators_ok = !name.contains("  ") && !name.starts_with(['-', '\'', '\u{2019}']);
    letters >= min
        && name.chars().count() <= MAX_NAME_CHARS
        && separators_ok
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '\u{2019}'))
}

/// A practical email check: one `@`, a non-empty local part without spaces
/// or control characters, and a domain of dot-separated labels of letters,
/// digits and hyphens with a dot in it. Delivery is what proves an address.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | '\\' | ']'
                )
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    email.len() <= MAX_EMAIL_CHARS && local_ok && domain_ok
}

/// Well-known passwords, one per line, lower-case: the zxcvbn-ts common
/// password list (MIT, © Dan Wheeler, Dropbox, Inc. and @zxcvbn-ts), only
/// those of at least 10 characters (shorter ones fail the length rule).
/// The server compiles it in ([`CommonPasswords::server`]); the browser
/// fetches it when a password form opens, so it is not in the WASM bundle,
/// and checks with the same function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommonPasswords<'a>(pub &'a str);

/// The list as shipped (server only: the browser fetches it).
#[cfg(feature = "ssr")]
pub const COMMON_PASSWORD_LIST: &str = include_str!("common_passwords.txt");

impl<'a> CommonPasswords<'a> {
    #[cfg(feature = "ssr")]
    pub fn server() -> CommonPasswords<'static> {
        CommonPasswords(COMMON_PASSWORD_LIST)
    }

    /// Whether `password` (ignoring case) is on the list.
    pub fn contains(self, password: &str) -> bool {
        let wanted = password.to_lowercase();
        // A plain scan of ~1,500 short lines: microseconds, no start-up cost.
        self.0.lines().any(|line| line == wanted)
    }
}

/// The password policy (OWASP ASVS 5.0 V6.2): length is what matters, so at
/// least 10 characters and at most 128, no composition rules, not blank,
/// not the user's own email address, and not a commonly used password.
pub fn validate_password(
    password: &str,
    email: &str,
    common: CommonPasswords<'_>,
) -> Result<(), FieldErrors> {
    let length = password.chars().count();
    let ok = (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length)
        && !password.trim().is_empty()
        && !password.trim().eq_ignore_ascii_case(email.trim());
    let mut errors = FieldErrors::default();
    errors.check(Field::Password, ok, PASSWORD_MESSAGE);
    if ok {
        errors.check(
            Field::Password,
            !common.contains(password),
            COMMON_PASSWORD_MESSAGE,
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A new password and its confirmation, as every "choose a password" form
/// asks for them (password change, reset, invitation).
pub fn validate_new_password(
    new: &str,
    confirm: &str,
    email: &str,
    common: CommonPasswords<'_>,
) -> Result<(), FieldErrors> {
    let mut errors = validate_password(new, email, common)
        .err()
        .unwrap_or_default();
    errors.check(Field::ConfirmPassword, new == confirm, PASSWORDS_DIFFER);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[path = "validation_tests.rs"]
mod tests;
