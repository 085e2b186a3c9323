//! Reading the audit log: the event row the page, its detail and the CSV
//! export all select, the reader's scope and the checked filters. Writing
//! is `db::record`, inside every change's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::PgConnection;

use super::{AuditFilters, AuditRow};
use crate::{
    db::substring_pattern,
    error::AppError,
    model::{
        ids::{CompanyId, EventId, OrgId, VendorId},
        time::minute_utc,
        validation::{Field, FieldErrors},
    },
};

/// Whose events a reader sees: their organization's log and, for a
/// vendor, its staff's events in customers' logs.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub org: OrgId,
    pub vendor: Option<VendorId>,
}

/// The filters, checked.
pub struct Checked {
    actor: Option<String>,
    action: Option<String>,
    user: Option<String>,
    company: Option<CompanyId>,
    vendor: Option<VendorId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// The filters as the form sent them, checked: field errors for anything
/// that is not a listed value, a date or a short search.
pub fn check(f: &AuditFilters) -> Result<Checked, AppError> {
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
    let company = id(&f.company, Field::Company, &mut errors).map(CompanyId);
    let vendor = id(&f.vendor, Field::Vendor, &mut errors).map(VendorId);
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

/// An event as selected with [`COLUMNS`].
#[derive(sqlx::FromRow)]
pub struct EventRecord {
    pub id: EventId,
    pub occurred_at: DateTime<Utc>,
    pub actor_label: String,
    pub vendor: Option<String>,
    pub by_platform: bool,
    pub organization: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub company: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: Option<String>,
}

impl EventRecord {
    /// The event as the log lists it.
    pub fn listed(&self) -> AuditRow {
        AuditRow {
            id: self.id,
            when: minute_utc(self.occurred_at),
            actor: self.actor_label.clone(),
            vendor: self.vendor.clone(),
            by_platform: self.by_platform,
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

const COLUMNS: &str =
    "e.id, e.occurred_at, e.actor_label, v.name AS vendor, coalesce(v.kind = 'platform', false) AS by_platform,
    o.name AS organization,
    e.action, e.target_type, e.target_id, c.name AS company, e.before, e.after, e.request_id";
const FROM: &str = "audit_events e
    LEFT JOIN organizations v ON v.id = e.acting_vendor_id
    LEFT JOIN organizations o ON o.id = e.org_id
    LEFT JOIN companies c ON c.id = e.acting_company_id";
/// The reader's log ($1), or for a vendor ($2) also its staff's events.
const SCOPE: &str = "(e.org_id = $1 OR ($2::bigint IS NOT NULL AND e.acting_vendor_id = $2))";
/// The filters ($3..$9), as [`filtered`] binds them.
const FILTERS: &str = "($3::text IS NULL OR lower(e.actor_label) LIKE $3)
    AND ($4::text IS NULL OR e.action = $4)
    AND ($5::text IS NULL OR (e.target_type = 'user' AND e.target_id = $5))
    AND ($6::bigint IS NULL OR e.acting_company_id = $6)
    AND ($7::bigint IS NULL OR e.acting_vendor_id = $7)
    AND ($8::date IS NULL OR e.occurred_at >= $8::date)
    AND ($9::date IS NULL OR e.occurred_at < $9::date + 1)";

/// `sql`, which selects events with [`SCOPE`] and [`FILTERS`], with the
/// reader's scope and checked filters bound as $1..$9.
fn filtered(
    sql: &str,
    scope: Scope,
    f: Checked,
) -> sqlx::query::QueryAs<'_, sqlx::Postgres, EventRecord, sqlx::postgres::PgArguments> {
    sqlx::query_as(sql)
        .bind(scope.org)
        .bind(scope.vendor)
        .bind(f.actor.as_deref().map(substring_pattern))
        .bind(f.action)
        .bind(f.user)
        .bind(f.company)
        .bind(f.vendor)
        .bind(f.from)
        .bind(f.to)
}

/// Up to `limit` matching events, newest first, after the event `after`.
pub async fn page(
    conn: &mut PgConnection,
    scope: Scope,
    f: Checked,
    after: Option<EventId>,
    limit: i64,
) -> Result<Vec<EventRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND {FILTERS}
           AND ($10::bigint IS NULL OR e.id < $10)
         ORDER BY e.id DESC LIMIT $11"
    );
    filtered(&sql, scope, f)
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Every matching event, newest first, handed to `each` as the database
/// yields it, until `each` answers `false` (the reader went away).
pub async fn each<F, Next>(
    pool: &sqlx::PgPool,
    scope: Scope,
    f: Checked,
    mut each: F,
) -> Result<(), sqlx::Error>
where
    F: FnMut(EventRecord) -> Next,
    Next: Future<Output = bool>,
{
    use futures_util::StreamExt;
    let sql =
        format!("SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND {FILTERS} ORDER BY e.id DESC");
    let mut rows = filtered(&sql, scope, f).fetch(pool);
    while let Some(row) = rows.next().await {
        if !each(row?).await {
            break;
        }
    }
    Ok(())
}

/// The event `id` of the reader's scope.
pub async fn one(
    conn: &mut PgConnection,
    scope: Scope,
    id: EventId,
) -> Result<Option<EventRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND e.id = $3"
    ))
    .bind(scope.org)
    .bind(scope.vendor)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The actions that occur in the reader's scope, for the filter.
pub async fn actions(conn: &mut PgConnection, scope: Scope) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT e.action FROM audit_events e WHERE {SCOPE} ORDER BY 1"
    ))
    .bind(scope.org)
    .bind(scope.vendor)
    .fetch_all(conn)
    .await
}

/// The vendors that acted in the reader's scope, by name, for the filter.
pub async fn vendors(
    conn: &mut PgConnection,
    scope: Scope,
) -> Result<Vec<(VendorId, String)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT v.id, v.name FROM organizations v
         WHERE v.id IN (SELECT DISTINCT e.acting_vendor_id FROM audit_events e WHERE {SCOPE})
         ORDER BY lower(v.name)"
    ))
    .bind(scope.org)
    .bind(scope.vendor)
    .fetch_all(conn)
    .await
}
