//! The vendor JSON API, authenticated by an API key in the `Authorization:
//! Bearer` header. Each request: the key (401), its rate limit (429), the
//! policy for the key's vendor at the account's level in force now (403,
//! with the reason), then data scoped to the key's one account (404 for any
//! other id). Reads of claim data go to the customer's audit, labelled with
//! the vendor and the key.
//!
//! `GET /api/v1/accounts` — the key's account and its Vendor Access.
//! `GET /api/v1/accounts/{id}/claims?after=ID` — its claims, newest first,
//! 100 a page (Full Access).

use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::keys::{self, UsedKey};
use crate::{
    audit::db::{Actor, Event, record},
    model::{
        access::{Action, Denied, EffectiveAccess, OrgIndex, VendorNeed, can, effective_access},
        ids::{OrgId, UserId, VendorId},
    },
    org::{cache, db::load_user},
    state::{AppState, RequestId},
};

const PAGE: i64 = 100;

/// The API's routes, listed once for the router and for the tests that
/// call every route as every kind of caller.
pub const PATHS: [&str; 2] = ["/api/v1/accounts", "/api/v1/accounts/{id}/claims"];

pub fn router() -> Router<AppState> {
    let [accounts_path, claims_path] = PATHS;
    Router::new()
        .route(accounts_path, get(accounts))
        .route(claims_path, get(claims))
}

/// An answer other than data: the status and a message for the caller.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "vendor API");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong; try again.",
        )
    }

    fn denied(why: Denied) -> Self {
        Self::new(StatusCode::FORBIDDEN, why.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::TOO_MANY_REQUESTS => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            _ => {}
        }
        response
    }
}

/// The key's vendor as the policy sees it, acting through the key.
struct KeyHolder {
    key: UsedKey,
    access: EffectiveAccess,
    actor: Actor,
}

impl KeyHolder {
    fn check(&self, need: VendorNeed) -> Result<(), ApiError> {
        can(
            &self.access,
            Action::VendorReach {
                customer: OrgId(self.key.customer_id),
                need,
            },
        )
        .map_err(ApiError::denied)
    }
}

/// The principal of the vendor API, taken as an extractor before anything
/// the request asks for is read.
impl FromRequestParts<AppState> for KeyHolder {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        holder(state, &parts.headers).await
    }
}

/// The key's holder: a live key within its rate limit, created by a still
/// active member of the vendor (a key dies with its creator's access).
async fn holder(state: &AppState, headers: &HeaderMap) -> Result<KeyHolder, ApiError> {
    let unauthorized = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Send a valid API key as: Authorization: Bearer pk_…",
        )
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(unauthorized)?;
    let hash = keys::hash_of(presented.trim()).ok_or_else(unauthorized)?;
    let now = Utc::now();
    let mut conn = state.pool.acquire().await.map_err(ApiError::internal)?;
    let key = keys::use_key(&mut conn, &hash, now)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(unauthorized)?;
    if key.over_limit() {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "At most {} requests a minute per key; try again in a minute.",
                super::REQUESTS_PER_MINUTE
            ),
        ));
    }
    let creator = load_user(&mut conn, UserId(key.created_by))
        .await
        .map_err(ApiError::internal)?
        .filter(|u| u.org.0 == key.vendor_id && u.is_active())
        .ok_or_else(unauthorized)?;
    let vendor = cache::snapshot(&state.snapshots, &mut conn, OrgId(key.vendor_id))
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(unauthorized)?;
    let access = effective_access(&creator, &OrgIndex::new(&vendor), now);
    let actor = Actor {
        label: format!("API key {} of {}", key.prefix, creator.full_name()),
        acting_vendor: Some(VendorId(key.vendor_id)),
        ..Actor::user(&creator, &RequestId::of(headers))
    };
    Ok(KeyHolder { key, access, actor })
}

#[derive(Serialize)]
struct AccountJson {
    id: i64,
    name: String,
    vendor_access: &'static str,
}

async fn accounts(
    State(state): State<AppState>,
    holder: KeyHolder,
) -> Result<Json<Vec<AccountJson>>, ApiError> {
    let customer = OrgId(holder.key.customer_id);
    // The key's account, at whatever level (even No Access: the vendor
    // may see that it is linked, not what is inside).
    let tier = holder
        .access
        .vendor_tier(customer)
        .ok_or_else(|| ApiError::denied(Denied::NotLinked))?;
    let name: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
        .bind(customer.0)
        .fetch_one(&state.pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(vec![AccountJson {
        id: customer.0,
        name,
        vendor_access: tier.key(),
    }]))
}

#[derive(Deserialize)]
struct Paging {
    after: Option<i64>,
}

#[derive(Serialize, sqlx::FromRow)]
struct ClaimJson {
    id: i64,
    claim_number: String,
    patient_name: String,
    service_date: chrono::NaiveDate,
    amount_cents: i64,
    status: String,
}

async fn claims(
    State(state): State<AppState>,
    holder: KeyHolder,
    Path(id): Path<i64>,
    Query(paging): Query<Paging>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if id != holder.key.customer_id {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "This key is for another account.",
        ));
    }
    holder.check(VendorNeed::Claims)?;
    let rows: Vec<ClaimJson> = sqlx::query_as(
        "SELECT id, claim_number, patient_name, service_date, amount_cents, status FROM claims
         WHERE org_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(id)
    .bind(paging.after)
    .bind(PAGE)
    .fetch_all(&state.pool)
    .await
    .map_err(ApiError::internal)?;
    let next_after = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|c| c.id))
        .flatten();
    let mut conn = state.pool.acquire().await.map_err(ApiError::internal)?;
    let event = Event {
        org: Some(OrgId(id)),
        action: "claims.vendor_view",
        target_type: "organization",
        target_id: Some(id.to_string()),
        before: None,
        after: Some(
            json!({ "rows": rows.len(), "after": paging.after, "api_key": holder.key.prefix }),
        ),
    };
    record(&mut conn, &holder.actor, event)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "claims": rows, "next_after": next_after })))
}
