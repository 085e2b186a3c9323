//! Organizations and their companies.

use serde::{Deserialize, Serialize};

use super::ids::{CompanyId, OrgId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    /// A billing customer: a parent company with child companies.
    Customer,
    /// A billing service or software vendor linked to customer accounts.
    Vendor,
}

impl OrgKind {
    pub fn key(self) -> &'static str {
        match self {
            OrgKind::Customer => "customer",
            OrgKind::Vendor => "vendor",
        }
    }

    pub fn from_key(key: &str) -> Option<OrgKind> {
        match key {
            "customer" => Some(OrgKind::Customer),
            "vendor" => Some(OrgKind::Vendor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
}

/// A company one can act in: the organization's parent company
/// (`parent == None`) or one of its children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub org: OrgId,
    pub name: String,
    pub parent: Option<CompanyId>,
    /// Deactivated companies keep their data but nobody acts in them.
    pub active: bool,
}

impl Company {
    pub fn is_parent(&self) -> bool {
        self.parent.is_none()
    }
}

pub const MAX_COMPANY_NAME_CHARS: usize = 200;
pub const COMPANY_NAME_MESSAGE: &str =
    "Give the company a name of at most 200 characters, with no control or invisible characters.";

/// A company name as stored: trimmed, with a visible character, at most
/// 200 characters and no control or invisible characters.
pub fn validate_company_name(name: &str) -> Result<String, super::validation::FieldErrors> {
    let name = name.trim();
    let mut errors = super::validation::FieldErrors::default();
    errors.check(
        super::validation::Field::CompanyName,
        !name.is_empty()
            && name.chars().count() <= MAX_COMPANY_NAME_CHARS
            && !name.chars().any(super::validation::is_hidden),
        COMPANY_NAME_MESSAGE,
    );
    if errors.is_empty() {
        Ok(name.to_owned())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[path = "org_tests.rs"]
mod tests;
