//! Roles ("user groups"): the Roles page, the role editor and the
//! permissions-by-page matrix. Members inherit a role's permissions and
//! companies on their next request, since the policy reads roles afresh.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod db;
pub mod matrix;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod service_type;

use serde::{Deserialize, Serialize};

use crate::model::{
    ids::{CompanyId, RoleId},
    page::PageMatrix,
    permission::PermissionSet,
    role::{Family, RoleTemplate, ServiceType},
};

/// One row of the Roles page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSummary {
    pub id: RoleId,
    pub name: String,
    pub description: String,
    pub self_service: bool,
    pub permissions: PermissionSet,
    /// Companies the role carries.
    pub companies: i64,
    pub members: i64,
}

/// The Roles page: the organization's roles and the templates to start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolesOverview {
    pub roles: Vec<RoleSummary>,
    /// Every built-in template; those of the organization's service type
    /// are offered.
    pub templates: Vec<TemplateChoice>,
    pub service_type: ServiceType,
}

/// A built-in template, as the New Role form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub template: RoleTemplate,
    /// Whether it applies to the organization's service type.
    pub offered: bool,
}

/// Which roles the permissions-by-page matrix has as columns: a family's
/// templates (seed 001's two PDFs), or the organization's own roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatrixOf {
    Family(Family),
    OwnRoles,
}

impl MatrixOf {
    pub const ALL: [MatrixOf; 3] = [
        MatrixOf::Family(Family::RevServeRevEquip),
        MatrixOf::Family(Family::SelfService),
        MatrixOf::OwnRoles,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MatrixOf::Family(family) => family.key(),
            MatrixOf::OwnRoles => "own_roles",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|of| of.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            MatrixOf::Family(family) => family.label(),
            MatrixOf::OwnRoles => "Your organization's roles",
        }
    }
}

/// The permissions-by-page page: which matrix, and the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixView {
    pub of: MatrixOf,
    pub matrix: PageMatrix,
}

/// The role editor, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleEditor {
    pub id: RoleId,
    pub version: i32,
    pub name: String,
    pub description: String,
    pub self_service: bool,
    pub permissions: PermissionSet,
    /// What the role withholds from its members in every company.
    pub withheld: PermissionSet,
    /// Companies the role carries.
    pub companies: Vec<CompanyId>,
    /// The organization's active companies, parent first.
    pub all_companies: Vec<(CompanyId, String)>,
    pub members: i64,
    /// Where members can move when the role is deleted.
    pub other_roles: Vec<(RoleId, String)>,
}

pub const ROLE_SAVED: &str = "The role has been saved.";
pub const ROLE_NAME_TAKEN: &str = "Another role of your organization already has this name.";
pub const ROLE_CHANGED_ELSEWHERE: &str = "Someone else changed this role since you opened the page. Reload to see their change, then make yours again.";
pub const TEMPLATE_MESSAGE: &str = "Choose one of the templates, or start from scratch.";
pub const TEMPLATE_NOT_OFFERED: &str = "This template is for another service type: choose one of your service type's templates, or change the service type in Settings.";
pub const ROLE_COMPANY_MESSAGE: &str = "Choose companies of your organization.";
pub const SELF_SERVICE_HAS_CUSTOMERS: &str = "A self-service role requires the Partner user type: first change its Customer-type members to Partner or give them another role.";
pub const MOVE_TO_MESSAGE: &str = "Choose another role of your organization for its members.";

/// Deleting a role its members still hold needs a role to move them to.
pub fn members_need_a_new_role(members: i64) -> String {
    match members {
        1 => "1 user has this role: choose a role to move them to.".to_owned(),
        n => format!("{n} users have this role: choose a role to move them to."),
    }
}
