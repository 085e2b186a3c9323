//! Server functions of the Claims pages.
//!
//! Permissions: each needs its permission (Claims: view, export, edit,
//! post, refund, delete) in the company the session acts in; claims of any
//! other company are "not found", whatever id a request names.

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{ClaimDetail, ClaimsPage};
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    claims::{
        AMOUNT_ORDER_MESSAGE, CLAIM_CHANGED_ELSEWHERE, CLAIM_STATUS_MESSAGE, CLAIMS_PAGE_SIZE,
        DATE_MESSAGE, DATE_ORDER_MESSAGE, EXPORT_LIMIT, PATIENT_MESSAGE, db,
    },
    db::one_page,
    model::{
        claim::{ClaimAction, ClaimStatus, money, parse_money},
        ids::EntryId,
        org::Company,
        permission::Permission,
        policy::Action,
        validation::{Field, FieldErrors},
    },
    principal::Caller,
    principal::{Request, serve},
    ui::choice::Choice,
};
use crate::{error::AppError, model::ids::ClaimId};
#[cfg(feature = "ssr")]
use chrono::NaiveDate;
#[cfg(feature = "ssr")]
use serde_json::json;

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
    after: Option<ClaimId>,
) -> Result<ClaimsPage, AppError> {
    serve(|request| async move {
        let (caller, company) = holding(&request, Permission::ClaimsView).await?;
        let filter = check(&filters, &company)?;
        let mut conn = request.state.pool.acquire().await?;
        let claims = db::page(&mut conn, &filter, after, CLAIMS_PAGE_SIZE + 1).await?;
        let (claims, next_after) = one_page(claims, CLAIMS_PAGE_SIZE, |c| c.id);
        let total = db::count(&mut conn, &filter).await?;
        Ok(ClaimsPage {
            company: company.name.clone(),
            next_after,
            claims,
            total,
            payers: db::payers(&mut conn, company.id).await?,
            permissions: caller.access.permissions,
        })
    })
    .await
}

/// Every claim matching the filters (at most 10,000) as CSV.
#[server(prefix = "/api", endpoint = "export_claims")]
pub async fn export_claims(filters: ClaimFilters) -> Result<String, AppError> {
    serve(|request| async move {
        let (caller, company) = holding(&request, Permission::ClaimsExport).await?;
        let filter = check(&filters, &company)?;
        let mut conn = request.state.pool.acquire().await?;
        let claims = db::page(&mut conn, &filter, None, EXPORT_LIMIT).await?;
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
        let event = Event::new(company.org, "claims.export", "company", company.id)
            .after(json!({ "rows": claims.len(), "filters": filters }));
        record(&mut conn, &caller.actor_in(Some(company.id)), event).await?;
        Ok(csv)
    })
    .await
}

/// One claim of the acting company.
#[server(prefix = "/api", endpoint = "load_claim")]
pub async fn load_claim(claim_id: ClaimId) -> Result<ClaimDetail, AppError> {
    serve(|request| async move {
        let (caller, company) = holding(&request, Permission::ClaimsView).await?;
        let mut conn = request.state.pool.acquire().await?;
        let claim = db::one(&mut conn, company.id, claim_id).await.found()?;
        Ok(ClaimDetail {
            claim,
            company: company.name.clone(),
            permissions: caller.access.permissions,
        })
    })
    .await
}

/// Changes a draft or denied claim's patient, service date and amount.
#[server(prefix = "/api", endpoint = "edit_claim")]
pub async fn edit_claim(
    claim_id: ClaimId,
    version: i32,
    patient: String,
    service_date: String,
    amount: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let (caller, company) = holding(&request, ClaimAction::Edit.permission()).await?;
        let mut tx = request.state.pool.begin().await?;
        let before = locked(&mut tx, &company, claim_id, version, ClaimAction::Edit).await?;
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
        let (Ok(Some(date)), Ok(cents), true) = (date, cents, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        db::edit(&mut tx, claim_id, &patient, date, cents).await?;
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
    })
    .await
}

/// `action`: "post_payment", "refund" or "delete".
#[server(prefix = "/api", endpoint = "act_on_claim")]
pub async fn act_on_claim(
    claim_id: ClaimId,
    version: i32,
    action: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let action = match action.as_str() {
            "post_payment" => ClaimAction::PostPayment,
            "refund" => ClaimAction::Refund,
            "delete" => ClaimAction::Delete,
            other => {
                // Who first: only a caller who may see claims here learns
                // that the action is unknown.
                holding(&request, Permission::ClaimsView).await?;
                return Err(AppError::BadRequest(format!(
                    "{other:?} is not a claim action"
                )));
            }
        };
        let (caller, company) = holding(&request, action.permission()).await?;
        let mut tx = request.state.pool.begin().await?;
        let before = locked(&mut tx, &company, claim_id, version, action).await?;
        let (verb, message) = match action.leads_to() {
            Some(status) => {
                db::set_status(&mut tx, claim_id, status).await?;
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
                db::delete(&mut tx, claim_id).await?;
                leptos_axum::redirect("/claims?deleted");
                ("claim.delete", "The claim has been deleted.".to_owned())
            }
        };
        let after = action.leads_to().map(|s| json!({ "status": s.key() }));
        audit(&mut tx, &caller, &company, claim_id, verb, before, after).await?;
        tx.commit().await?;
        Ok(message)
    })
    .await
}

#[cfg(feature = "ssr")]
fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
    match text.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

#[cfg(feature = "ssr")]
fn amount(text: &str) -> Result<Option<i64>, &'static str> {
    match text.trim() {
        "" => Ok(None),
        text => parse_money(text).map(Some),
    }
}

/// The filters, checked, for `company`'s claims.
#[cfg(feature = "ssr")]
fn check(filters: &ClaimFilters, company: &Company) -> Result<db::Filter, AppError> {
    let mut errors = FieldErrors::default();
    let status = match filters.status.as_str() {
        "" => None,
        key => {
            let status = ClaimStatus::from_key(key);
            errors.check(Field::Status, status.is_some(), CLAIM_STATUS_MESSAGE);
            status
        }
    };
    let Choice(payer) = Choice::<EntryId>::parse(&filters.payer).map_err(AppError::BadRequest)?;
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
    Ok(db::Filter {
        company: company.id,
        status,
        payer,
        from,
        to,
        min,
        max,
    })
}

/// The caller and the company they act in, if they hold `permission` there.
#[cfg(feature = "ssr")]
async fn holding(request: &Request, permission: Permission) -> Result<(Caller, Company), AppError> {
    let caller = request.caller().await?;
    let company = caller.acting_company().await?.clone();
    caller.check(Action::Use {
        company: &company,
        permission,
    })?;
    Ok((caller, company))
}

/// RFC 4180: every field quoted, inner quotes doubled, formulas defused.
#[cfg(feature = "ssr")]
fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// Locks the acting company's claim and checks that `action` fits its
/// status and that nobody changed it since `version`; returns the claim
/// as the audit log keeps it.
#[cfg(feature = "ssr")]
async fn locked(
    tx: &mut sqlx::PgConnection,
    company: &Company,
    claim_id: ClaimId,
    version: i32,
    action: ClaimAction,
) -> Result<serde_json::Value, AppError> {
    let claim = db::for_update(tx, company.id, claim_id).await.found()?;
    if claim.version != version {
        return Err(AppError::Conflict(CLAIM_CHANGED_ELSEWHERE.to_owned()));
    }
    action
        .fits(claim.status)
        .map_err(|why| AppError::Conflict(why.to_owned()))?;
    Ok(json!({
        "status": claim.status.key(), "patient": claim.patient_name,
        "service_date": claim.service_date, "amount_cents": claim.amount_cents,
        "version": claim.version,
    }))
}

#[cfg(feature = "ssr")]
async fn audit(
    tx: &mut sqlx::PgConnection,
    caller: &Caller,
    company: &Company,
    claim_id: ClaimId,
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
    record(tx, &caller.actor_in(Some(company.id)), event).await?;
    Ok(())
}
