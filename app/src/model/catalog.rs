//! Payers and facilities: lists Administrators keep at the parent company
//! and copy down to chosen children. A copy remembers its source, so a
//! later copy-down updates it instead of adding a second one.

use serde::{Deserialize, Serialize};

use super::validation::{Field, FieldErrors};

/// Which list; in forms and addresses by its key ("payers", "facilities").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Catalog {
    Payers,
    Facilities,
}

impl Catalog {
    pub const ALL: [Catalog; 2] = [Catalog::Payers, Catalog::Facilities];

    /// The value forms and the API use.
    pub fn key(self) -> &'static str {
        match self {
            Catalog::Payers => "payers",
            Catalog::Facilities => "facilities",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The database table and the column beside the name: fixed strings,
    /// never input, so they may be spliced into SQL.
    pub fn table(self) -> (&'static str, &'static str) {
        match self {
            Catalog::Payers => ("payers", "payer_code"),
            Catalog::Facilities => ("facilities", "city"),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Catalog::Payers => "Payers",
            Catalog::Facilities => "Facilities",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Catalog::Payers => "payer",
            Catalog::Facilities => "facility",
        }
    }

    /// The label of the second field.
    pub fn detail_label(self) -> &'static str {
        match self {
            Catalog::Payers => "Payer code",
            Catalog::Facilities => "City",
        }
    }
}

/// One entry as typed: a name and the payer code or city.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EntryInput {
    pub name: String,
    pub detail: String,
}

pub const ENTRY_NAME_MESSAGE: &str =
    "Give it a name of at most 200 characters, with no control or invisible characters.";
pub const PAYER_CODE_MESSAGE: &str = "A payer code is 2 to 10 letters or digits, such as MCRB.";
pub const CITY_MESSAGE: &str =
    "A city is at most 100 letters, spaces, hyphens, apostrophes or periods.";

/// Trims both fields; a payer code is upper-cased.
pub fn validate_entry(catalog: Catalog, input: &EntryInput) -> Result<EntryInput, FieldErrors> {
    let name = input.name.trim();
    let detail = match catalog {
        Catalog::Payers => input.detail.trim().to_uppercase(),
        Catalog::Facilities => input.detail.trim().to_owned(),
    };
    let mut errors = FieldErrors::default();
    errors.check(
        Field::EntryName,
        !name.is_empty()
            && name.chars().count() <= 200
            && !name.chars().any(super::validation::is_hidden),
        ENTRY_NAME_MESSAGE,
    );
    match catalog {
        Catalog::Payers => errors.check(
            Field::EntryDetail,
            (2..=10).contains(&detail.len())
                && detail
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            PAYER_CODE_MESSAGE,
        ),
        Catalog::Facilities => errors.check(
            Field::EntryDetail,
            detail.chars().count() <= 100
                && detail
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.')),
            CITY_MESSAGE,
        ),
    }
    if errors.is_empty() {
        Ok(EntryInput {
            name: name.to_owned(),
            detail,
        })
    } else {
        Err(errors)
    }
}

/// What copying an entry down does to one child company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CopyOutcome {
    /// The child has no copy yet: it gains one.
    Gains,
    /// The child's copy differs from the source: it is updated.
    Updates,
    /// The child's copy already matches.
    UpToDate,
    /// The child has an entry of that name of its own (not a copy): it is
    /// left alone, since names are unique within a company.
    OwnEntryOfThatName,
}

impl CopyOutcome {
    pub fn words(self) -> &'static str {
        match self {
            CopyOutcome::Gains => "gains a copy",
            CopyOutcome::Updates => "has its copy updated",
            CopyOutcome::UpToDate => "already has an identical copy",
            CopyOutcome::OwnEntryOfThatName => "has its own entry of that name: left alone",
        }
    }

    /// Whether copying writes to the child.
    pub fn writes(self) -> bool {
        matches!(self, CopyOutcome::Gains | CopyOutcome::Updates)
    }
}

/// Decides the outcome for one child from the source entry, the child's
/// copy of it (if any), and whether the child has another entry with the
/// source's name.
pub fn copy_outcome(
    source: &EntryInput,
    copy: Option<&EntryInput>,
    own_entry_named_alike: bool,
) -> CopyOutcome {
    match copy {
        Some(copy) if copy == source => CopyOutcome::UpToDate,
        // Renaming the copy onto another entry's name would break the
        // company's unique names.
        _ if own_entry_named_alike => CopyOutcome::OwnEntryOfThatName,
        Some(_) => CopyOutcome::Updates,
        None => CopyOutcome::Gains,
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
