//! Server functions of the Audit log page.
//!
//! Permissions: Administrators (policy `SeeAudit`) read their
//! organization's log — vendor staff's actions in it included; a vendor's
//! Administrators also read their own staff's events in the logs of the
//! customers they worked in. Events of any other log are "not found".

use leptos::prelude::*;

use super::{AuditDetail, AuditFilters, AuditPage};
use crate::error::AppError;

/// The log, newest first, after the event `after` (keyset paging).
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    #[server(default)] filters: AuditFilters,
    after: Option<i64>,
) -> Result<AuditPage, AppError> {
    ssr::list(filters, after).await.map_err(AppError::respond)
}

/// One event with what it changed.
#[server(prefix = "/api", endpoint = "load_audit_event")]
pub async fn load_audit_event(event_id: i64) -> Result<AuditDetail, AppError> {
    ssr::load(event_id).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde_json::Value;

    use super::super::{AUDIT_PAGE_SIZE, AuditDetail, AuditFilters, AuditPage, AuditRow, diff};
    use crate::{
        auth::gate::Caller,
        db::substring_pattern,
        error::AppError,
        model::{
            access::Action,
            org::OrgKind,
            time::minute_utc,
            validation::{Field, FieldErrors},
        },
        state::AppState,
    };

    async fn reader(state: &AppState) -> Result<(Caller, Option<i64>), AppError> {
        let caller = Caller::current(state).await?;
        caller.check(Action::SeeAudit(caller.user.org))?;
        // A vendor's own log, and its staff's events in customers' logs.
        let vendor = (caller.snapshot.org.kind == OrgKind::Vendor).then_some(caller.user.org.0);
        Ok((caller, vendor))
    }

    pub(crate) struct Checked {
        pub(crate) actor: Option<String>,
        pub(crate) action: Option<String>,
        pub(crate) user: Option<String>,
        pub(crate) company: Option<i64>,
        pub(crate) vendor: Option<i64>,
        pub(crate) from: Option<NaiveDate>,
        pub(crate) to: Option<NaiveDate>,
    }

    pub(crate) fn check(f: &AuditFilters) -> Result<Checked, AppError> {
        let mut errors = FieldErrors::default();
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let id = |s: &str, field: Field, errors: &mut FieldErrors| match s.trim() {
            "" => None,
            s => {
                let parsed = s.parse::<i64>().ok();
                errors.check(field, parsed.is_some(), "Choose one of the listed values.");
                parsed
            }
        };
        let date = |s: &str, field: Field, errors: &mut FieldErrors| match s.trim() {
            "" => None,
            s => {
                let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
                errors.check(field, parsed.is_some(), "Enter a date as YYYY-MM-DD.");
                parsed
            }
        };
        let actor = text(&f.actor);
        errors.check(
            Field::Search,
            actor.as_ref().is_none_or(|a| a.chars().count() <= 100),
            "Search for at most 100 characters.",
        );
        let action = text(&f.action);
        errors.check(
            Field::Action,
            action.as_ref().is_none_or(|a| {
                a.len() <= 60
                    && a.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            }),
            "Choose one of the listed actions.",
        );
        let user = id(&f.user, Field::Users, &mut errors).map(|u| u.to_string());
        let company = id(&f.company, Field::Company, &mut errors);
        let vendor = id(&f.vendor, Field::Vendor, &mut errors);
        let from = date(&f.from, Field::DateFrom, &mut errors);
        let to = date(&f.to, Field::DateTo, &mut errors);
        if let (Some(from), Some(to)) = (from, to) {
            errors.check(
                Field::DateTo,
                from <= to,
                "The end date must not be before the start date.",
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(Checked {
            actor,
            action,
            user,
            company,
            vendor,
            from,
            to,
        })
    }

    /// An event as selected with [`COLUMNS`]: the page, its detail and the
    /// CSV export all read events through it.
    #[derive(sqlx::FromRow)]
    pub(crate) struct EventRecord {
        pub(crate) id: i64,
        pub(crate) occurred_at: DateTime<Utc>,
        pub(crate) actor_label: String,
        pub(crate) vendor: Option<String>,
        pub(crate) organization: Option<String>,
        pub(crate) action: String,
        pub(crate) target_type: String,
        pub(crate) target_id: Option<String>,
        pub(crate) company: Option<String>,
        pub(crate) before: Option<Value>,
        pub(crate) after: Option<Value>,
        pub(crate) request_id: Option<String>,
    }

    impl EventRecord {
        fn listed(&self) -> AuditRow {
            AuditRow {
                id: self.id,
                when: minute_utc(self.occurred_at),
                actor: self.actor_label.clone(),
                vendor: self.vendor.clone(),
                organization: self.organization.clone(),
                action: self.action.clone(),
                target: match &self.target_id {
                    Some(id) => format!("{} {id}", self.target_type),
                    None => self.target_type.clone(),
                },
                company: self.company.clone(),
            }
        }
    }

    pub(crate) const COLUMNS: &str =
        "e.id, e.occurred_at, e.actor_label, v.name AS vendor, o.name AS organization,
        e.action, e.target_type, e.target_id, c.name AS company, e.before, e.after, e.request_id";
    pub(crate) const FROM: &str = "audit_events e
        LEFT JOIN organizations v ON v.id = e.acting_vendor_id
        LEFT JOIN organizations o ON o.id = e.org_id
        LEFT JOIN companies c ON c.id = e.acting_company_id";
    /// The caller's log ($1), or for a vendor ($2) also its staff's events.
    pub(crate) const SCOPE: &str =
        "(e.org_id = $1 OR ($2::bigint IS NOT NULL AND e.acting_vendor_id = $2))";
    /// The filters ($3..$9), as [`filtered`] binds them.
    pub(crate) const FILTERS: &str = "($3::text IS NULL OR lower(e.actor_label) LIKE $3)
        AND ($4::text IS NULL OR e.action = $4)
        AND ($5::text IS NULL OR (e.target_type = 'user' AND e.target_id = $5))
        AND ($6::bigint IS NULL OR e.acting_company_id = $6)
        AND ($7::bigint IS NULL OR e.acting_vendor_id = $7)
        AND ($8::date IS NULL OR e.occurred_at >= $8::date)
        AND ($9::date IS NULL OR e.occurred_at < $9::date + 1)";

    /// `sql`, which selects events with [`SCOPE`] and [`FILTERS`], with the
    /// reader's organization, vendor and checked filters bound as $1..$9.
    pub(crate) fn filtered(
        sql: &str,
        org: i64,
        vendor: Option<i64>,
        f: Checked,
    ) -> sqlx::query::QueryAs<'_, sqlx::Postgres, EventRecord, sqlx::postgres::PgArguments> {
        sqlx::query_as(sql)
            .bind(org)
            .bind(vendor)
            .bind(f.actor.as_deref().map(substring_pattern))
            .bind(f.action)
            .bind(f.user)
            .bind(f.company)
            .bind(f.vendor)
            .bind(f.from)
            .bind(f.to)
    }

    pub async fn list(filters: AuditFilters, after: Option<i64>) -> Result<AuditPage, AppError> {
        let state = AppState::current()?;
        let (caller, vendor_scope) = reader(&state).await?;
        let f = check(&filters)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND {FILTERS}
               AND ($10::bigint IS NULL OR e.id < $10)
             ORDER BY e.id DESC LIMIT $11"
        );
        let rows: Vec<EventRecord> = filtered(&sql, caller.user.org.0, vendor_scope, f)
            .bind(after)
            .bind(AUDIT_PAGE_SIZE + 1)
            .fetch_all(&state.pool)
            .await?;
        let more = rows.len() as i64 > AUDIT_PAGE_SIZE;
        let events: Vec<AuditRow> = rows
            .iter()
            .take(AUDIT_PAGE_SIZE as usize)
            .map(EventRecord::listed)
            .collect();
        let actions: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT e.action FROM audit_events e WHERE {SCOPE} ORDER BY 1"
        ))
        .bind(caller.user.org.0)
        .bind(vendor_scope)
        .fetch_all(&state.pool)
        .await?;
        let vendors: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT v.id, v.name FROM organizations v
             WHERE v.id IN (SELECT DISTINCT e.acting_vendor_id FROM audit_events e WHERE {SCOPE})
             ORDER BY lower(v.name)"
        ))
        .bind(caller.user.org.0)
        .bind(vendor_scope)
        .fetch_all(&state.pool)
        .await?;
        let companies = caller
            .snapshot
            .companies
            .iter()
            .map(|c| (c.id.0, c.name.clone()))
            .collect();
        Ok(AuditPage {
            next_after: if more {
                events.last().map(|e| e.id)
            } else {
                None
            },
            events,
            actions,
            companies,
            vendors,
        })
    }

    pub async fn load(id: i64) -> Result<AuditDetail, AppError> {
        let state = AppState::current()?;
        let (caller, vendor_scope) = reader(&state).await?;
        let row: Option<EventRecord> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND e.id = $3"
        ))
        .bind(caller.user.org.0)
        .bind(vendor_scope)
        .bind(id)
        .fetch_optional(&state.pool)
        .await?;
        let row = row.ok_or(AppError::NotFound)?;
        Ok(AuditDetail {
            event: row.listed(),
            changes: diff::changes(row.before.as_ref(), row.after.as_ref()),
            request_id: row.request_id,
        })
    }
}
