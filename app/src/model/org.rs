//! Organizations and their companies.

use serde::{Deserialize, Serialize};

use super::ids::{CompanyId, OrgId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    /// A billing customer: a parent company with child companies.
    Customer,
    /// A billing service or software vendor linked to customer accounts.
    Vendor,
    /// The platform that runs Portcullis: its staff support every customer
    /// and vendor (there is at most one).
    Platform,
}

impl OrgKind {
    pub fn key(self) -> &'static str {
        match self {
            OrgKind::Customer => "customer",
            OrgKind::Vendor => "vendor",
            OrgKind::Platform => "platform",
        }
    }

    pub fn from_key(key: &str) -> Option<OrgKind> {
        match key {
            "customer" => Some(OrgKind::Customer),
            "vendor" => Some(OrgKind::Vendor),
            "platform" => Some(OrgKind::Platform),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Customer => "Customer",
            OrgKind::Vendor => "Vendor",
            OrgKind::Platform => "Platform",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    /// Suspended by the platform: nobody of it signs in or acts; nothing
    /// is deleted.
    pub suspended: bool,
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

pub const ORGANIZATION_NAME_MESSAGE: &str = "Give the organization a name of at most 200 characters, with no control or invisible characters.";

/// An organization's name as stored, by the rules of a company's (its
/// parent company bears it).
pub fn validate_org_name(name: &str) -> Result<String, super::validation::FieldErrors> {
    validate_company_name(name).map_err(|_| {
        let mut errors = super::validation::FieldErrors::default();
        errors.check(
            super::validation::Field::OrganizationName,
            false,
            ORGANIZATION_NAME_MESSAGE,
        );
        errors
    })
}

#[cfg(test)]
#[path = "org_tests.rs"]
mod tests;
