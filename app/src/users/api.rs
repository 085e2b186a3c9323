//! Server functions of the Users page and Edit User.
//!
//! Permissions: an Administrator of the organization, through the policy
//! gate; every read and write is scoped to the caller's organization, so
//! another organization's user is "not found".

use leptos::prelude::*;

use super::{EditableUser, UsersPage};
use crate::error::AppError;

/// A page of the organization's users in name order, after the user
/// `after` (keyset paging). `search` matches a substring of the name or
/// email, whatever its case; `status` is "", "active" or "inactive";
/// `account_type` is "", "standard" or "administrator"; `role` keeps the
/// role's members; `company` keeps the users who may act in the company.
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(
    search: String,
    status: String,
    account_type: String,
    after: Option<i64>,
    role: Option<i64>,
    company: Option<i64>,
) -> Result<UsersPage, AppError> {
    ssr::list(search, status, account_type, after, role, company)
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
    use chrono::{DateTime, Utc};

    use super::super::{
        EditableUser, LAST_ADMINISTRATOR, PAGE_SIZE, STATUS_MESSAGE, USER_CHANGED_ELSEWHERE,
        USER_SAVED, UserSummary, UsersPage,
    };
    use crate::{
        audit::db::{Actor, Event, record},
        auth::gate,
        error::AppError,
        model::validation::{Field, FieldErrors, MAX_EMAIL_CHARS, ProfileInput, validate_profile},
        profile::EMAIL_TAKEN,
        state::AppState,
    };

    fn invalid(field: Field, message: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.0.insert(field, message.to_owned());
        AppError::Invalid(errors)
    }

    /// `LIKE` pattern for a substring, with its wildcards escaped.
    fn substring_pattern(search: &str) -> String {
        let mut pattern = String::from("%");
        for c in search.trim().to_lowercase().chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
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
    ) -> Result<UsersPage, AppError> {
        let mut errors = FieldErrors::default();
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
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let state = AppState::current()?;
        let admin = gate::org_administrator(&state).await?;
        let org = admin.org.0;
        let pattern = substring_pattern(&search);
        let mut conn = state.pool.acquire().await.map_err(AppError::internal)?;
        // The filters, shared by the page and the count.
        const FILTER: &str = "u.org_id = $1
            AND lower(u.first_name || ' ' || u.last_name || ' ' || u.email) LIKE $2
            AND ($3 = '' OR u.status = $3)
            AND ($4 = '' OR u.account_type = $4)
            AND ($5::bigint IS NULL OR u.role_id = $5)
            -- Who may act in the company, by the policy's rules: every
            -- Administrator, a Customer at home, a Partner by pick or role.
            AND ($6::bigint IS NULL OR u.account_type = 'administrator'
                 OR (u.user_type = 'customer' AND u.default_company_id = $6)
                 OR (u.user_type = 'partner' AND (
                     EXISTS (SELECT 1 FROM user_companies uc WHERE uc.user_id = u.id AND uc.company_id = $6)
                     OR EXISTS (SELECT 1 FROM role_companies rc WHERE rc.role_id = u.role_id AND rc.company_id = $6))))";
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT u.id, u.first_name, u.last_name, u.email, u.status, u.account_type, u.user_type, r.name,
                    EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
             FROM users u LEFT JOIN roles r ON r.id = u.role_id
             WHERE {FILTER}
               AND ($7::bigint IS NULL OR (lower(u.last_name), lower(u.first_name), u.id) >
                    (SELECT lower(last_name), lower(first_name), id FROM users WHERE id = $7 AND org_id = $1))
             ORDER BY lower(u.last_name), lower(u.first_name), u.id
             LIMIT $8"
        ))
        .bind(org)
        .bind(&pattern)
        .bind(&status)
        .bind(&account_type)
        .bind(role)
        .bind(company)
        .bind(after)
        .bind(PAGE_SIZE + 1)
        .fetch_all(&mut *conn)
        .await
        .map_err(AppError::internal)?;
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM users u WHERE {FILTER}"))
                .bind(org)
                .bind(&pattern)
                .bind(&status)
                .bind(&account_type)
                .bind(role)
                .bind(company)
                .fetch_one(&mut *conn)
                .await
                .map_err(AppError::internal)?;
        let active_administrators: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE org_id = $1 AND account_type = 'administrator' AND status = 'active'",
        )
        .bind(org)
        .fetch_one(&mut *conn)
        .await
        .map_err(AppError::internal)?;

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
        })
    }

    #[derive(sqlx::FromRow)]
    struct EditRow {
        id: i64,
        first_name: String,
        last_name: String,
        email: String,
        status: String,
        account_type: String,
        two_factor: bool,
        locked_until: Option<DateTime<Utc>>,
        version: i32,
    }

    pub async fn load(user_id: i64) -> Result<EditableUser, AppError> {
        let state = AppState::current()?;
        let admin = gate::org_administrator(&state).await?;
        let row: Option<EditRow> = sqlx::query_as(
            "SELECT u.id, u.first_name, u.last_name, u.email, u.status, u.account_type,
                    EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                        AS two_factor,
                    (SELECT l.locked_until FROM sign_in_lockouts l
                      WHERE l.email = lower(u.email) AND l.locked_until > now()) AS locked_until,
                    u.version
             FROM users u WHERE u.id = $1 AND u.org_id = $2",
        )
        .bind(user_id)
        .bind(admin.org.0)
        .fetch_optional(&state.pool)
        .await
        .map_err(AppError::internal)?;
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
        } = row.ok_or(AppError::NotFound)?;
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
        let state = AppState::current()?;
        let admin = gate::org_administrator(&state).await?;
        let mut tx = state.pool.begin().await.map_err(AppError::internal)?;
        let before: Option<(String, String, String, String, i32)> = sqlx::query_as(
            "SELECT first_name, last_name, email, status, version FROM users WHERE id = $1 AND org_id = $2 FOR UPDATE",
        )
        .bind(user_id)
        .bind(admin.org.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(AppError::internal)?;
        let (old_first, old_last, old_email, old_status, old_version) =
            before.ok_or(AppError::NotFound)?;
        if old_version != version {
            return Err(AppError::Conflict(USER_CHANGED_ELSEWHERE.to_owned()));
        }
        // A deactivation also ends every session at once (the per-request
        // status check would too; this keeps it true for any future path).
        let updated = sqlx::query_scalar::<_, i32>(
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
        .await;
        let new_version = match updated {
            Ok(v) => v,
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => {
                return Err(invalid(Field::Email, EMAIL_TAKEN));
            }
            Err(sqlx::Error::Database(e))
                if e.constraint() == Some("users_keep_an_administrator") =>
            {
                return Err(AppError::Conflict(LAST_ADMINISTRATOR.to_owned()));
            }
            Err(e) => return Err(AppError::internal(e)),
        };
        let event = Event {
            org: Some(admin.org),
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
        record(&mut tx, &Actor::user(&admin), event)
            .await
            .map_err(AppError::internal)?;
        tx.commit().await.map_err(AppError::internal)?;
        Ok(USER_SAVED.to_owned())
    }

    #[cfg(test)]
    mod tests {
        use super::substring_pattern;

        #[test]
        fn search_wildcards_are_taken_literally() {
            assert_eq!(substring_pattern(" Ada "), "%ada%");
            assert_eq!(substring_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        }
    }
}
