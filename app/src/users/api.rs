//! Server functions of the Users page and Edit User.
//!
//! Permissions, through the policy gate: Administrators see and change
//! every user of their organization; holders of Users: view see, and of
//! Users: manage also change the profile of, the Standard users who share
//! one of their companies. Anyone else's user is "not found".

use leptos::prelude::*;

#[cfg(doc)]
use super::UserSort;
use super::{EditableUser, UsersPage};
use crate::error::AppError;

/// A page of the organization's users in name order, after the user
/// `after` (keyset paging). `search` matches a substring of the name or
/// email, whatever its case; `status` is "", "active" or "inactive";
/// `account_type` is "", "standard" or "administrator"; `role` keeps the
/// role's members; `company` keeps the users who may act in the company;
/// `sort` is a [`UserSort`] key ("" for name order).
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(
    search: String,
    status: String,
    account_type: String,
    after: Option<i64>,
    role: Option<i64>,
    company: Option<i64>,
    #[server(default)] sort: String,
) -> Result<UsersPage, AppError> {
    ssr::list(search, status, account_type, after, role, company, sort)
        .await
        .map_err(AppError::respond)
}

/// One user of the organization, for Edit User.
#[server(prefix = "/api", endpoint = "load_user")]
pub async fn load_user(user_id: i64) -> Result<EditableUser, AppError> {
    ssr::load(user_id).await.map_err(AppError::respond)
}

/// Saves the Profile tab: name, email and status, if nobody changed the
/// user meanwhile. Deactivating signs the user out everywhere at once; the
/// last active Administrator cannot be deactivated.
#[server(prefix = "/api", endpoint = "update_user_profile")]
pub async fn update_user_profile(
    user_id: i64,
    version: i32,
    first_name: String,
    last_name: String,
    email: String,
    status: String,
) -> Result<String, AppError> {
    ssr::update_profile(user_id, version, first_name, last_name, email, status)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::db::{EditRow, edit_row};
    use super::super::{
        COUNT_LIMIT, EditableUser, LAST_ADMINISTRATOR, PAGE_SIZE, SORT_MESSAGE, STATUS_MESSAGE,
        USER_CHANGED_ELSEWHERE, USER_SAVED, UserSort, UserSummary, UsersPage,
    };
    use crate::db::substring_pattern;
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::{AppError, OnConstraint},
        model::{
            access::Action,
            validation::{Field, FieldErrors, MAX_EMAIL_CHARS, ProfileInput, validate_profile},
        },
        org::db::acts_in_any,
        profile::EMAIL_TAKEN,
        state::AppState,
    };

    fn invalid(field: Field, message: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.0.insert(field, message.to_owned());
        AppError::Invalid(errors)
    }

    /// SQL: the ORDER BY of `sort`, and the keyset condition that keeps the
    /// rows after the user `$8` in that order. Each order has an index
    /// starting with `org_id` (migrations 0002 and 0008).
    fn order(sort: UserSort) -> (&'static str, &'static str) {
        match sort {
            UserSort::Name => (
                "lower(u.last_name), lower(u.first_name), u.id",
                "(lower(u.last_name), lower(u.first_name), u.id) >
                 (SELECT lower(last_name), lower(first_name), id FROM users WHERE id = $8 AND org_id = $1)",
            ),
            UserSort::NameDescending => (
                "lower(u.last_name) DESC, lower(u.first_name) DESC, u.id DESC",
                "(lower(u.last_name), lower(u.first_name), u.id) <
                 (SELECT lower(last_name), lower(first_name), id FROM users WHERE id = $8 AND org_id = $1)",
            ),
            UserSort::Email => (
                "lower(u.email), u.id",
                "(lower(u.email), u.id) > (SELECT lower(email), id FROM users WHERE id = $8 AND org_id = $1)",
            ),
            UserSort::Newest => (
                "u.created_at DESC, u.id DESC",
                "(u.created_at, u.id) < (SELECT created_at, id FROM users WHERE id = $8 AND org_id = $1)",
            ),
        }
    }

    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        bool,
    );

    pub async fn list(
        search: String,
        status: String,
        account_type: String,
        after: Option<i64>,
        role: Option<i64>,
        company: Option<i64>,
        sort: String,
    ) -> Result<UsersPage, AppError> {
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
            ["", "active", "inactive"].contains(&status.as_str()),
            STATUS_MESSAGE,
        );
        errors.check(
            Field::AccountType,
            ["", "standard", "administrator"].contains(&account_type.as_str()),
            "Choose Standard or Administrator.",
        );
        let Some(sort) = sort.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let (order_by, after_cursor) = order(sort);
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let org = caller.user.org;
        caller.check(Action::SeeUsers(org))?;
        let administer = caller.may(Action::Administer(org));
        let scope = caller.user_scope();
        let org = org.0;
        let pattern = substring_pattern(&search);
        let mut conn = state.pool.acquire().await?;
        // The filters, shared by the page and the count. `$6` is the company
        // filter, `$7` the caller's reach (NULL for an Administrator).
        // Without a search the pattern matches everything: leaving it out
        // lets the count read the index alone, not every row.
        let searched = if search.trim().is_empty() {
            "$2::text IS NOT NULL"
        } else {
            "lower(u.first_name || ' ' || u.last_name || ' ' || u.email) LIKE $2"
        };
        let filter = format!(
            "u.org_id = $1
            AND {searched}
            AND ($3 = '' OR u.status = $3)
            AND ($4 = '' OR u.account_type = $4)
            AND ($5::bigint IS NULL OR u.role_id = $5)
            AND ($6::bigint IS NULL OR {})
            AND ($7::bigint[] IS NULL OR {})",
            acts_in_any("ARRAY[$6::bigint]"),
            acts_in_any("$7::bigint[]"),
        );
        // Counted up to a limit: an exact count of a million rows costs a
        // scan of them all, and nobody reads past "more than 50,000".
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM users u WHERE {filter} LIMIT $8) s"
        ))
        .bind(org)
        .bind(&pattern)
        .bind(&status)
        .bind(&account_type)
        .bind(role)
        .bind(company)
        .bind(&scope)
        .bind(COUNT_LIMIT + 1)
        .fetch_one(&mut *conn)
        .await?;
        // Walking the name index finds the first page at once when matches
        // are everywhere, but crawls through the whole table when they sort
        // late (searching "smith"). A search or filter with a bounded
        // number of matches is answered from those matches instead: found
        // through their own index, then sorted.
        let narrowed = total <= COUNT_LIMIT
            && (!search.trim().is_empty()
                || !status.is_empty()
                || !account_type.is_empty()
                || role.is_some()
                || company.is_some()
                || scope.is_some());
        let matching = format!("{filter} AND ($8::bigint IS NULL OR {after_cursor})");
        let (from, filter) = if narrowed {
            (
                format!(
                    "(WITH matches AS MATERIALIZED (SELECT * FROM users u WHERE {matching}) SELECT * FROM matches) u"
                ),
                "true".to_owned(),
            )
        } else {
            ("users u".to_owned(), matching)
        };
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT u.id, u.first_name, u.last_name, u.email, u.status, u.account_type, u.user_type, r.name,
                    EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
             FROM {from} LEFT JOIN roles r ON r.id = u.role_id
             WHERE {filter}
             ORDER BY {order_by}
             LIMIT $9"
        ))
        .bind(org)
        .bind(&pattern)
        .bind(&status)
        .bind(&account_type)
        .bind(role)
        .bind(company)
        .bind(&scope)
        .bind(after)
        .bind(PAGE_SIZE + 1)
        .fetch_all(&mut *conn)
        .await?;
        let active_administrators: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE org_id = $1 AND account_type = 'administrator' AND status = 'active'",
        )
        .bind(org)
        .fetch_one(&mut *conn)
        .await?;

        let more = rows.len() as i64 > PAGE_SIZE;
        let users: Vec<UserSummary> = rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(
                |(id, first, last, email, status, account_type, user_type, role, two_factor)| {
                    UserSummary {
                        id,
                        name: format!("{first} {last}"),
                        email,
                        active: status == "active",
                        administrator: account_type == "administrator",
                        user_type: if user_type == "customer" {
                            "Customer"
                        } else {
                            "Partner"
                        }
                        .to_owned(),
                        role,
                        two_factor,
                    }
                },
            )
            .collect();
        Ok(UsersPage {
            next_after: if more {
                users.last().map(|u| u.id)
            } else {
                None
            },
            users,
            total,
            active_administrators,
            administer,
        })
    }

    pub async fn load(user_id: i64) -> Result<EditableUser, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let mut conn = state.pool.acquire().await?;
        let (_, target) = caller
            .reach(&mut conn, user_id, |t| Action::SeeUser(t))
            .await?;
        let EditRow {
            id,
            first_name,
            last_name,
            email,
            status,
            account_type,
            two_factor,
            locked_until: locked,
            version,
        } = edit_row(&mut conn, user_id, caller.user.org.0)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(EditableUser {
            id,
            first_name,
            last_name,
            email,
            active: status == "active",
            administrator: account_type == "administrator",
            two_factor,
            locked_until: locked.map(crate::model::time::minute_utc),
            version,
            may_edit: caller.may(Action::ManageUser(&target)),
            administer: caller.may(Action::Administer(caller.user.org)),
        })
    }

    pub async fn update_profile(
        user_id: i64,
        version: i32,
        first_name: String,
        last_name: String,
        email: String,
        status: String,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let org = caller.user.org;
        let mut tx = state.pool.begin().await?;
        let before: Option<(String, String, String, String, i32)> = sqlx::query_as(
            "SELECT first_name, last_name, email, status, version FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE",
        )
        .bind(user_id)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (old_first, old_last, old_email, old_status, old_version) =
            before.ok_or(AppError::NotFound)?;
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
        errors.check(
            Field::Status,
            ["active", "inactive"].contains(&status.as_str()),
            STATUS_MESSAGE,
        );
        let valid = match profile {
            Ok(valid) if errors.is_empty() => valid,
            _ => return Err(AppError::Invalid(errors)),
        };
        if old_version != version {
            return Err(AppError::Conflict(USER_CHANGED_ELSEWHERE.to_owned()));
        }
        // A deactivation also ends every session at once (the per-request
        // status check would too; this keeps it true for any future path).
        let new_version = sqlx::query_scalar::<_, i32>(
            "UPDATE users SET first_name = $1, last_name = $2, email = $3, status = $4,
                              sessions_not_before = CASE WHEN $4 = 'inactive' AND status = 'active'
                                                         THEN now() ELSE sessions_not_before END,
                              version = version + 1, updated_at = now()
             WHERE id = $5 RETURNING version",
        )
        .bind(&valid.first_name)
        .bind(&valid.last_name)
        .bind(&valid.email)
        .bind(&status)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(&[
            ("users_email_key", || invalid(Field::Email, EMAIL_TAKEN)),
            ("users_keep_an_administrator", || {
                AppError::Conflict(LAST_ADMINISTRATOR.to_owned())
            }),
        ])?;
        let event = Event {
            org: Some(org),
            action: "user.update",
            target_type: "user",
            target_id: Some(user_id.to_string()),
            before: Some(serde_json::json!({
                "first_name": old_first, "last_name": old_last, "email": old_email,
                "status": old_status, "version": old_version,
            })),
            after: Some(serde_json::json!({
                "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email,
                "status": status, "version": new_version,
            })),
        };
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(USER_SAVED.to_owned())
    }
}
