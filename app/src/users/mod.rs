//! Users administration: the Users page (search, filters, keyset paging)
//! and Edit User.

pub mod add_api;
pub mod add_page;
pub mod api;
pub mod bulk_api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod edit_page;
pub mod explain_api;
pub mod list_page;
pub mod permissions_api;
pub mod permissions_tab;
pub mod why_panel;

use serde::{Deserialize, Serialize};

use crate::model::{
    ids::{CompanyId, RoleId, UserId},
    user::UserType,
};

/// The orders the Users page offers. Each has an index that serves it and
/// a keyset comparison, so every page is read without OFFSET.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum UserSort {
    /// Last name, then first name, A to Z.
    #[default]
    Name,
    /// Last name, then first name, Z to A.
    NameDescending,
    /// Email address, A to Z.
    Email,
    /// Most recently added first.
    Newest,
}

impl UserSort {
    pub const ALL: [UserSort; 4] = [
        UserSort::Name,
        UserSort::NameDescending,
        UserSort::Email,
        UserSort::Newest,
    ];

    /// The value in the address and the form.
    pub fn key(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::NameDescending => "name_desc",
            UserSort::Email => "email",
            UserSort::Newest => "newest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UserSort::Name => "Name, A to Z",
            UserSort::NameDescending => "Name, Z to A",
            UserSort::Email => "Email",
            UserSort::Newest => "Newest first",
        }
    }

    /// `None` for an unknown key; "" is the default order.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "" => Some(UserSort::default()),
            key => Self::ALL.into_iter().find(|s| s.key() == key),
        }
    }
}

pub const SORT_MESSAGE: &str = "Choose one of the offered orders.";

/// Users per page of the list.
pub const PAGE_SIZE: i64 = 50;
/// How far the Users page counts the matches of a search or filter: each
/// match counted is an index entry and a row read (at 10M users, 40 ms for
/// 50,000 of them), and "more than 10,000" tells a person as much. The
/// organization's own count is kept by the database, and shown exactly.
pub const COUNT_LIMIT: i64 = 10_000;

/// One row of the Users page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub administrator: bool,
    pub user_type: UserType,
    pub role: Option<String>,
    pub two_factor: bool,
}

/// One page of the list, with what the page header needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<UserSummary>,
    /// Users matching the search and filters, on every page together:
    /// exactly, or (`more`) [`COUNT_LIMIT`] when a search or filter
    /// matches more.
    pub total: i64,
    /// Whether more than `total` users match (counting stopped there).
    pub more: bool,
    /// The id to continue after, when there are more.
    pub next_after: Option<UserId>,
    /// Active Administrators of the organization (a warning under two).
    pub active_administrators: i64,
    /// Whether the caller may administer (add users, bulk actions).
    pub administer: bool,
}

/// The Edit User page's Profile tab, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableUser {
    pub id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub active: bool,
    pub administrator: bool,
    pub two_factor: bool,
    /// "2026-11-23 10:45 UTC" while locked out of signing in.
    pub locked_until: Option<String>,
    pub version: i32,
    /// Whether the caller may change the profile (the policy's verdict).
    pub may_edit: bool,
    /// Whether the caller may change permissions and unlock sign-ins.
    pub administer: bool,
}

pub const USER_SAVED: &str = "The user has been saved.";
pub const USER_CHANGED_ELSEWHERE: &str = "Someone else changed this user since you opened the page. Reload to see their change, then make yours again.";
pub const LAST_ADMINISTRATOR: &str = "This is the last active Administrator of the organization: make another user an active Administrator first.";
pub const STATUS_MESSAGE: &str = "Choose Active or Inactive.";

/// What the Add User form offers: the organization's active companies and
/// its roles (id, name, self-service), and the company the Administrator
/// is acting in (a new Customer's company unless they pick another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserChoices {
    pub companies: Vec<(CompanyId, String)>,
    pub roles: Vec<(RoleId, String, bool)>,
    pub acting: Option<CompanyId>,
    /// The caller adds users by delegation (Users: add), not as an
    /// Administrator: only Standard users, only roles within their own.
    pub delegated: bool,
    /// The roles the caller may give (all, for an Administrator).
    pub grantable: Vec<RoleId>,
}

pub const ACCOUNT_TYPE_MESSAGE: &str = "Choose Standard or Administrator.";
pub const USER_TYPE_MESSAGE: &str = "Choose Partner or Customer.";
pub const COMPANY_MESSAGE: &str =
    "Choose one of your organization's companies (Administrators may leave it empty).";
pub const ROLE_MESSAGE: &str = "Choose one of your organization's roles, or no role.";
pub const SELF_SERVICE_NEEDS_PARTNER: &str = "A self-service role requires the Partner user type.";

/// The account type and user type a form picked; each one missing or
/// unknown is a field error in `errors`.
#[cfg(feature = "ssr")]
pub fn picked_types(
    errors: &mut crate::model::validation::FieldErrors,
    account_type: &str,
    user_type: &str,
) -> (Option<crate::model::user::AccountType>, Option<UserType>) {
    use crate::model::validation::Field;
    let account = crate::model::user::AccountType::from_key(account_type);
    let user = UserType::from_key(user_type);
    errors.check(Field::AccountType, account.is_some(), ACCOUNT_TYPE_MESSAGE);
    errors.check(Field::UserType, user.is_some(), USER_TYPE_MESSAGE);
    (account, user)
}

/// The "Why can this user see this?" panel, worded on the server (so the
/// browser needs neither the explanation types nor date formatting).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WhyView {
    pub inactive: bool,
    pub companies: Vec<CompanyWhyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyWhyView {
    pub name: String,
    /// Why the user may act there, e.g. "role “Front Office”, direct assignment".
    pub access: String,
    /// (permission, why), e.g. ("Claims: view", "role “Front Office”").
    pub permissions: Vec<(String, String)>,
}

/// Edit User's Permissions tab, with the row version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionsView {
    pub user_id: UserId,
    /// Whether the caller may change these (Administrators only).
    pub editable: bool,
    pub version: i32,
    pub administrator: bool,
    pub customer: bool,
    /// The Customer's one company or the Partner's default company.
    pub company_id: Option<CompanyId>,
    pub role_id: Option<RoleId>,
    pub support_user: bool,
    /// Companies picked for the user directly.
    pub direct: Vec<CompanyId>,
    /// The organization's active companies, parent first.
    pub companies: Vec<(CompanyId, String)>,
    pub roles: Vec<RoleChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub id: RoleId,
    pub name: String,
    pub self_service: bool,
    /// Companies every member of the role gets (and cannot lose).
    pub companies: Vec<CompanyId>,
}

pub const DEFAULT_COMPANY_MESSAGE: &str =
    "The default company must be one of the user's companies: tick it below or choose another.";

pub const BULK_NONE_PICKED: &str = "Pick at least one user in the list.";
