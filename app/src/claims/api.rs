//! Server functions of the Claims pages.
//!
//! Permissions: each needs its permission (Claims: view, export, edit,
//! post, refund, delete) in the company the session acts in; claims of any
//! other company are "not found", whatever id a request names.

use leptos::prelude::*;

use super::{ClaimDetail, ClaimsPage};
use crate::error::AppError;

/// Filters as the list's form sends them: "" for none.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ClaimFilters {
    /// A status key, or "".
    pub status: String,
    /// A payer id, or "".
    pub payer: String,
    /// Service dates from and to, YYYY-MM-DD.
    pub from: String,
    pub to: String,
    /// Amounts in dollars.
    pub min: String,
    pub max: String,
}

/// A page of the acting company's claims, newest service date first,
/// after the claim `after` (keyset paging).
#[server(prefix = "/api", endpoint = "list_claims")]
pub async fn list_claims(
    filters: ClaimFilters,
    after: Option<i64>,
) -> Result<ClaimsPage, AppError> {
    ssr::list(filters, after).await.map_err(AppError::respond)
}

/// Every claim matching the filters (at most 10,000) as CSV.
#[server(prefix = "/api", endpoint = "export_claims")]
pub async fn export_claims(filters: ClaimFilters) -> Result<String, AppError> {
    ssr::export(filters).await.map_err(AppError::respond)
}

/// One claim of the acting company.
#[server(prefix = "/api", endpoint = "load_claim")]
pub async fn load_claim(claim_id: i64) -> Result<ClaimDetail, AppError> {
    ssr::load(claim_id).await.map_err(AppError::respond)
}

/// Changes a draft or denied claim's patient, service date and amount.
#[server(prefix = "/api", endpoint = "edit_claim")]
pub async fn edit_claim(
    claim_id: i64,
    version: i32,
    patient: String,
    service_date: String,
    amount: String,
) -> Result<String, AppError> {
    ssr::edit(claim_id, version, patient, service_date, amount)
        .await
        .map_err(AppError::respond)
}

/// `action`: "post_payment", "refund" or "delete".
#[server(prefix = "/api", endpoint = "act_on_claim")]
pub async fn act_on_claim(claim_id: i64, version: i32, action: String) -> Result<String, AppError> {
    ssr::act(claim_id, version, action)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::NaiveDate;
    use serde_json::json;

    use super::super::{
        AMOUNT_ORDER_MESSAGE, CLAIM_CHANGED_ELSEWHERE, CLAIM_STATUS_MESSAGE, CLAIMS_PAGE_SIZE,
        ClaimDetail, ClaimRow, ClaimsPage, DATE_MESSAGE, DATE_ORDER_MESSAGE, EXPORT_LIMIT,
        PATIENT_MESSAGE,
    };
    use super::ClaimFilters;
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        claims::db::{COLUMNS, ClaimRecord},
        error::AppError,
        model::{
            access::Action,
            claim::{ClaimAction, ClaimStatus, money, parse_money},
            org::Company,
            permission::Permission,
            validation::{Field, FieldErrors},
        },
        state::AppState,
        users::optional_id,
    };

    /// The filters, checked.
    struct Checked {
        status: Option<&'static str>,
        payer: Option<i64>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        min: Option<i64>,
        max: Option<i64>,
    }

    fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
        match text.trim() {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| ()),
        }
    }

    fn amount(text: &str) -> Result<Option<i64>, &'static str> {
        match text.trim() {
            "" => Ok(None),
            text => parse_money(text).map(Some),
        }
    }

    fn check(filters: &ClaimFilters) -> Result<Checked, AppError> {
        let mut errors = FieldErrors::default();
        let status = match filters.status.as_str() {
            "" => None,
            key => {
                let status = ClaimStatus::from_key(key);
                errors.check(Field::Status, status.is_some(), CLAIM_STATUS_MESSAGE);
                status.map(ClaimStatus::key)
            }
        };
        let payer = optional_id(&filters.payer)?;
        let from = date(&filters.from);
        let to = date(&filters.to);
        errors.check(Field::DateFrom, from.is_ok(), DATE_MESSAGE);
        errors.check(Field::DateTo, to.is_ok(), DATE_MESSAGE);
        let (from, to) = (from.unwrap_or(None), to.unwrap_or(None));
        if let (Some(from), Some(to)) = (from, to) {
            errors.check(Field::DateTo, from <= to, DATE_ORDER_MESSAGE);
        }
        let min = amount(&filters.min);
        let max = amount(&filters.max);
        if let Err(m) = min {
            errors.check(Field::AmountMin, false, m);
        }
        if let Err(m) = max {
            errors.check(Field::AmountMax, false, m);
        }
        let (min, max) = (min.unwrap_or(None), max.unwrap_or(None));
        if let (Some(min), Some(max)) = (min, max) {
            errors.check(Field::AmountMax, min <= max, AMOUNT_ORDER_MESSAGE);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(Checked {
            status,
            payer,
            from,
            to,
            min,
            max,
        })
    }

    /// The caller and the company they act in, if they hold `permission` there.
    async fn holding(
        state: &AppState,
        permission: Permission,
    ) -> Result<(Caller, Company), AppError> {
        let caller = Caller::current(state).await?;
        let company = caller.acting_company().await?.clone();
        caller.check(Action::Use {
            company: &company,
            permission,
        })?;
        Ok((caller, company))
    }

    /// The company ($1) and the filters ($2..$7).
    const FILTER: &str = "c.company_id = $1
        AND ($2::text IS NULL OR c.status = $2)
        AND ($3::bigint IS NULL OR c.payer_id = $3)
        AND ($4::date IS NULL OR c.service_date >= $4)
        AND ($5::date IS NULL OR c.service_date <= $5)
        AND ($6::bigint IS NULL OR c.amount_cents >= $6)
        AND ($7::bigint IS NULL OR c.amount_cents <= $7)";

    async fn rows(
        state: &AppState,
        company: &Company,
        f: &Checked,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ClaimRow>, AppError> {
        let rows: Vec<ClaimRecord> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
             WHERE {FILTER}
               AND ($8::bigint IS NULL OR (c.service_date, c.id) <
                    (SELECT service_date, id FROM claims WHERE id = $8 AND company_id = $1))
             ORDER BY c.service_date DESC, c.id DESC LIMIT $9"
        ))
        .bind(company.id.0)
        .bind(f.status)
        .bind(f.payer)
        .bind(f.from)
        .bind(f.to)
        .bind(f.min)
        .bind(f.max)
        .bind(after)
        .bind(limit)
        .fetch_all(&state.pool)
        .await?;
        Ok(rows.into_iter().map(ClaimRow::from).collect())
    }

    pub async fn list(filters: ClaimFilters, after: Option<i64>) -> Result<ClaimsPage, AppError> {
        let checked = check(&filters)?;
        let state = AppState::current()?;
        let (caller, company) = holding(&state, Permission::ClaimsView).await?;
        let mut claims = rows(&state, &company, &checked, after, CLAIMS_PAGE_SIZE + 1).await?;
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM claims c WHERE {FILTER}"))
                .bind(company.id.0)
                .bind(checked.status)
                .bind(checked.payer)
                .bind(checked.from)
                .bind(checked.to)
                .bind(checked.min)
                .bind(checked.max)
                .fetch_one(&state.pool)
                .await?;
        let more = claims.len() as i64 > CLAIMS_PAGE_SIZE;
        claims.truncate(CLAIMS_PAGE_SIZE as usize);
        let payers: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM payers WHERE company_id = $1 ORDER BY lower(name)",
        )
        .bind(company.id.0)
        .fetch_all(&state.pool)
        .await?;
        Ok(ClaimsPage {
            company: company.name.clone(),
            next_after: if more {
                claims.last().map(|c| c.id)
            } else {
                None
            },
            claims,
            total,
            payers,
            permissions: caller.access.permissions,
        })
    }

    /// RFC 4180: every field quoted, inner quotes doubled, formulas defused.
    fn csv_field(text: &str) -> String {
        let guarded = if text.starts_with(['=', '+', '-', '@']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", guarded.replace('"', "\"\""))
    }

    pub async fn export(filters: ClaimFilters) -> Result<String, AppError> {
        let checked = check(&filters)?;
        let state = AppState::current()?;
        let (caller, company) = holding(&state, Permission::ClaimsExport).await?;
        let claims = rows(&state, &company, &checked, None, EXPORT_LIMIT).await?;
        let mut csv = String::from(
            "\"Claim\",\"Patient\",\"Payer\",\"Service date\",\"Amount\",\"Status\"\r\n",
        );
        for c in &claims {
            let fields = [
                csv_field(&c.number),
                csv_field(&c.patient),
                csv_field(c.payer.as_deref().unwrap_or("")),
                csv_field(&c.service_date),
                csv_field(&money(c.amount_cents)),
                csv_field(c.status.label()),
            ];
            csv.push_str(&fields.join(","));
            csv.push_str("\r\n");
        }
        // Exports leave the building: the log says who took what.
        let mut conn = state.pool.acquire().await?;
        let event = Event {
            org: Some(company.org),
            action: "claims.export",
            target_type: "company",
            target_id: Some(company.id.0.to_string()),
            before: None,
            after: Some(json!({ "rows": claims.len(), "filters": filters })),
        };
        record(&mut conn, &caller.actor_in(Some(company.id)), event).await?;
        Ok(csv)
    }

    pub async fn load(claim_id: i64) -> Result<ClaimDetail, AppError> {
        let state = AppState::current()?;
        let (caller, company) = holding(&state, Permission::ClaimsView).await?;
        let row: Option<ClaimRecord> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
             WHERE c.id = $1 AND c.company_id = $2"
        ))
        .bind(claim_id)
        .bind(company.id.0)
        .fetch_optional(&state.pool)
        .await?;
        Ok(ClaimDetail {
            claim: row.ok_or(AppError::NotFound)?.into(),
            company: company.name.clone(),
            permissions: caller.access.permissions,
        })
    }

    /// Locks the acting company's claim and checks that `action` fits its
    /// status and that nobody changed it since `version`.
    async fn locked(
        tx: &mut sqlx::PgConnection,
        company: &Company,
        claim_id: i64,
        version: i32,
        action: ClaimAction,
    ) -> Result<(ClaimStatus, serde_json::Value), AppError> {
        let row: Option<(String, String, NaiveDate, i64, i32)> = sqlx::query_as(
            "SELECT status, patient_name, service_date, amount_cents, version FROM claims
             WHERE id = $1 AND company_id = $2 FOR UPDATE",
        )
        .bind(claim_id)
        .bind(company.id.0)
        .fetch_optional(tx)
        .await?;
        let (status, patient, date, cents, old_version) = row.ok_or(AppError::NotFound)?;
        if old_version != version {
            return Err(AppError::Conflict(CLAIM_CHANGED_ELSEWHERE.to_owned()));
        }
        let status = ClaimStatus::from_key(&status)
            .ok_or_else(|| AppError::internal(format!("claim status {status:?}")))?;
        action
            .fits(status)
            .map_err(|why| AppError::Conflict(why.to_owned()))?;
        Ok((
            status,
            json!({ "status": status.key(), "patient": patient, "service_date": date, "amount_cents": cents, "version": old_version }),
        ))
    }

    async fn audit(
        tx: &mut sqlx::PgConnection,
        caller: &Caller,
        company: &Company,
        claim_id: i64,
        action: &str,
        before: serde_json::Value,
        after: Option<serde_json::Value>,
    ) -> Result<(), AppError> {
        let event = Event {
            org: Some(company.org),
            action,
            target_type: "claim",
            target_id: Some(claim_id.to_string()),
            before: Some(before),
            after,
        };
        record(tx, &caller.actor_in(Some(company.id)), event)
            .await
            .map(|_| ())
            .map_err(AppError::internal)
    }

    pub async fn edit(
        claim_id: i64,
        version: i32,
        patient: String,
        service_date: String,
        amount: String,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let (caller, company) = holding(&state, ClaimAction::Edit.permission()).await?;
        let mut tx = state.pool.begin().await?;
        let (_, before) = locked(&mut tx, &company, claim_id, version, ClaimAction::Edit).await?;
        // The fields only once the caller may edit this very claim.
        let patient = patient.trim().to_owned();
        let mut errors = FieldErrors::default();
        errors.check(
            Field::Patient,
            !patient.is_empty()
                && patient.chars().count() <= 200
                && !patient.chars().any(crate::model::validation::is_hidden),
            PATIENT_MESSAGE,
        );
        let date = date(&service_date);
        errors.check(
            Field::ServiceDate,
            matches!(date, Ok(Some(_))),
            DATE_MESSAGE,
        );
        let cents = parse_money(&amount);
        if let Err(m) = cents {
            errors.check(Field::Amount, false, m);
        }
        let (Ok(Some(date)), Ok(cents)) = (date, cents) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        sqlx::query(
            "UPDATE claims SET patient_name = $1, service_date = $2, amount_cents = $3, version = version + 1
             WHERE id = $4",
        )
        .bind(&patient)
        .bind(date)
        .bind(cents)
        .bind(claim_id)
        .execute(&mut *tx)
        .await?;
        let after = json!({ "patient": patient, "service_date": date, "amount_cents": cents });
        audit(
            &mut tx,
            &caller,
            &company,
            claim_id,
            "claim.edit",
            before,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok("The claim has been saved.".to_owned())
    }

    pub async fn act(claim_id: i64, version: i32, action: String) -> Result<String, AppError> {
        let state = AppState::current()?;
        let action = match action.as_str() {
            "post_payment" => ClaimAction::PostPayment,
            "refund" => ClaimAction::Refund,
            "delete" => ClaimAction::Delete,
            other => {
                // Who first: only a caller who may see claims here learns
                // that the action is unknown.
                holding(&state, Permission::ClaimsView).await?;
                return Err(AppError::BadRequest(format!(
                    "{other:?} is not a claim action"
                )));
            }
        };
        let (caller, company) = holding(&state, action.permission()).await?;
        let mut tx = state.pool.begin().await?;
        let (_, before) = locked(&mut tx, &company, claim_id, version, action).await?;
        let (verb, message) = match action.leads_to() {
            Some(status) => {
                sqlx::query("UPDATE claims SET status = $1, version = version + 1 WHERE id = $2")
                    .bind(status.key())
                    .bind(claim_id)
                    .execute(&mut *tx)
                    .await?;
                let verb = if action == ClaimAction::Refund {
                    "claim.refund"
                } else {
                    "claim.post_payment"
                };
                (
                    verb,
                    format!("The claim is now {}.", status.label().to_lowercase()),
                )
            }
            None => {
                sqlx::query("DELETE FROM claims WHERE id = $1")
                    .bind(claim_id)
                    .execute(&mut *tx)
                    .await?;
                leptos_axum::redirect("/claims?deleted");
                ("claim.delete", "The claim has been deleted.".to_owned())
            }
        };
        let after = action.leads_to().map(|s| json!({ "status": s.key() }));
        audit(&mut tx, &caller, &company, claim_id, verb, before, after).await?;
        tx.commit().await?;
        Ok(message)
    }
}
