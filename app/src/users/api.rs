//! Server functions of the Users page and Edit User.
//!
//! Permissions, through the policy gate: Administrators see and change
//! every user of their organization; holders of Users: view see, and of
//! Users: manage also change the profile of, the Standard users who share
//! one of their companies. Anyone else's user is "not found".

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{EditableUser, UsersPage};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    db::one_page,
    error::OnConstraint,
    model::{
        policy::Action,
        time::minute_utc,
        user::{AccountType, UserStatus},
        validation::{Field, FieldErrors, MAX_EMAIL_CHARS, ProfileInput, validate_profile},
    },
    principal::serve,
    profile::EMAIL_TAKEN,
    users::{
        COUNT_LIMIT, LAST_ADMINISTRATOR, PAGE_SIZE, SORT_MESSAGE, STATUS_MESSAGE,
        USER_CHANGED_ELSEWHERE, USER_SAVED, UserSort, UserSummary, db,
    },
};
use crate::{
    error::AppError,
    model::ids::{CompanyId, RoleId, UserId},
};

/// A page of the organization's users in name order, after the user
/// `after` (keyset paging). `search` matches a substring of the name or
/// email, whatever its case; `status` is "", "active" or "inactive";
/// `account_type` is "", "standard" or "administrator"; `role` keeps the
/// role's members; `company` keeps the users who may act in the company;
/// `sort` is a [`UserSort`](crate::users::UserSort) key ("" for name order).
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(
    search: String,
    status: String,
    account_type: String,
    after: Option<UserId>,
    role: Option<RoleId>,
    company: Option<CompanyId>,
    #[server(default)] sort: String,
) -> Result<UsersPage, AppError> {
    serve(|request| async move {
        let mut errors = FieldErrors::default();
        let sort = UserSort::from_key(&sort);
        errors.check(Field::Sort, sort.is_some(), SORT_MESSAGE);
        errors.check(
            Field::Search,
            search.chars().count() <= MAX_EMAIL_CHARS,
            "Search for at most 254 characters.",
        );
        errors.check(
            Field::Status,
            status.is_empty() || UserStatus::from_key(&status).is_some(),
            STATUS_MESSAGE,
        );
        errors.check(
            Field::AccountType,
            account_type.is_empty() || AccountType::from_key(&account_type).is_some(),
            "Choose Standard or Administrator.",
        );
        let Some(sort) = sort.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let caller = request.caller().await?;
        let org = caller.user.org;
        caller.check(Action::SeeUsers(org))?;
        let filter = db::ListFilter {
            org,
            search: &search,
            status: &status,
            account_type: &account_type,
            role,
            company,
            scope: caller.user_scope(),
        };
        let mut conn = request.state.pool.acquire().await?;
        let (
            db::Counts {
                matching: total,
                active_administrators,
            },
            rows,
        ) = db::listing(
            &mut conn,
            &filter,
            sort,
            after,
            PAGE_SIZE + 1,
            COUNT_LIMIT + 1,
        )
        .await?;
        // Only a search or filter is counted up to a limit.
        let more = filter.narrows() && total > COUNT_LIMIT;
        let total = if more { COUNT_LIMIT } else { total };
        let (rows, next_after) = one_page(rows, PAGE_SIZE, |row| row.id);
        let users: Vec<UserSummary> = rows
            .into_iter()
            .map(|row| UserSummary {
                id: row.id,
                name: format!("{} {}", row.first_name, row.last_name),
                email: row.email,
                active: row.status == UserStatus::Active,
                administrator: row.account_type == AccountType::Administrator,
                user_type: row.user_type,
                role: row.role,
                two_factor: row.two_factor,
            })
            .collect();
        Ok(UsersPage {
            next_after,
            users,
            total,
            more,
            active_administrators,
            administer: caller.may(Action::Administer(org)),
        })
    })
    .await
}

/// One user of the organization, for Edit User.
#[server(prefix = "/api", endpoint = "load_user")]
pub async fn load_user(user_id: UserId) -> Result<EditableUser, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut conn = request.state.pool.acquire().await?;
        // The user and the page's extras in one statement, judged after.
        let row = db::edit_row(&mut conn, user_id).await?;
        let target = caller.judge(row.as_ref().map(|row| &row.user), |t| Action::SeeUser(t))?;
        let db::EditRow {
            user,
            two_factor,
            locked_until,
        } = row.ok_or(AppError::NotFound)?;
        Ok(EditableUser {
            id: user.id,
            active: user.status == UserStatus::Active,
            administrator: user.account_type == AccountType::Administrator,
            two_factor,
            locked_until: locked_until.map(minute_utc),
            version: user.version,
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            may_edit: caller.may(Action::ManageUser(&target)),
            administer: caller.may(Action::Administer(caller.user.org)),
        })
    })
    .await
}

/// Saves the Profile tab: name, email and status, if nobody changed the
/// user meanwhile. Deactivating signs the user out everywhere at once; the
/// last active Administrator cannot be deactivated.
#[server(prefix = "/api", endpoint = "update_user_profile")]
pub async fn update_user_profile(
    user_id: UserId,
    version: i32,
    first_name: String,
    last_name: String,
    email: String,
    status: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let org = caller.user.org;
        let mut tx = request.state.pool.begin().await?;
        let before = db::profile_for_update(&mut tx, org, user_id)
            .await
            .found()?;
        // Judged on the row as locked, so a promotion racing this save
        // cannot slip past a Users: manage holder's limits.
        caller
            .reach(&mut tx, user_id, |t| Action::ManageUser(t))
            .await?;
        // The fields only once the caller may change this user at all.
        let profile = validate_profile(&ProfileInput {
            first_name,
            last_name,
            email,
        });
        let mut errors = profile.clone().err().unwrap_or_default();
        let status = UserStatus::from_key(&status);
        errors.check(Field::Status, status.is_some(), STATUS_MESSAGE);
        let (valid, Some(status)) = (profile, status) else {
            return Err(AppError::Invalid(errors));
        };
        let valid = match valid {
            Ok(valid) if errors.is_empty() => valid,
            _ => return Err(AppError::Invalid(errors)),
        };
        if before.version != version {
            return Err(AppError::Conflict(USER_CHANGED_ELSEWHERE.to_owned()));
        }
        let change = db::ProfileChange {
            first_name: &valid.first_name,
            last_name: &valid.last_name,
            email: &valid.email,
            status,
        };
        let new_version = db::update_profile(&mut tx, user_id, &change)
            .await
            .on_constraint(&[
                ("users_email_key", || {
                    AppError::field(Field::Email, EMAIL_TAKEN)
                }),
                ("users_keep_an_administrator", || {
                    AppError::Conflict(LAST_ADMINISTRATOR.to_owned())
                }),
            ])?;
        let event = Event::new(org, "user.update", "user", user_id)
            .before(serde_json::json!({
                "first_name": before.first_name, "last_name": before.last_name,
                "email": before.email, "status": before.status.key(), "version": before.version,
            }))
            .after(serde_json::json!({
                "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email,
                "status": status.key(), "version": new_version,
            }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(USER_SAVED.to_owned())
    })
    .await
}
