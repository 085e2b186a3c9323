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
    http::{HeaderValue, StatusCode, header, request::Parts},
    middleware::map_response,
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use tracing::Instrument;

use super::{
    db::{self, UsedKey},
    keys,
};
use crate::{
    audit::db::{Event, record},
    error::AppError,
    model::{
        access::{EffectiveAccess, OrgIndex, effective_access},
        ids::OrgId,
        policy::{Action, Denied, VendorNeed, can},
    },
    org::{cache, db::load_user},
    principal::Actor,
    request_id::RequestId,
    state::AppState,
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
        .layer(map_response(http_headers))
}

/// What HTTP asks of a refusal beside its status: how to authenticate
/// (401), when to come back (429).
async fn http_headers(mut response: Response) -> Response {
    let header = match response.status() {
        StatusCode::UNAUTHORIZED => Some((header::WWW_AUTHENTICATE, "Bearer")),
        StatusCode::TOO_MANY_REQUESTS => Some((header::RETRY_AFTER, "60")),
        _ => None,
    };
    if let Some((name, value)) = header {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The key's vendor as the policy sees it, acting through the key: the
/// principal of the vendor API, taken as an extractor before anything the
/// request asks for is read.
struct KeyHolder {
    key: UsedKey,
    access: EffectiveAccess,
    actor: Actor,
}

impl KeyHolder {
    fn check(&self, need: VendorNeed) -> Result<(), AppError> {
        let customer = self.key.customer_id;
        can(&self.access, Action::VendorReach { customer, need })?;
        Ok(())
    }
}

impl FromRequestParts<AppState> for KeyHolder {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let request = RequestId::of(&parts.headers);
        holder(state, parts, &request)
            .instrument(request.span())
            .await
            .map_err(|error| error.referenced(&request).into_response())
    }
}

/// The key's holder: a live key within its rate limit, created by a still
/// active member of the vendor (a key dies with its creator's access).
async fn holder(
    state: &AppState,
    parts: &Parts,
    request: &RequestId,
) -> Result<KeyHolder, AppError> {
    let unauthorized =
        || AppError::SignInFailed("Send a valid API key as: Authorization: Bearer pk_…".to_owned());
    let presented = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(unauthorized)?;
    let hash = keys::hash_of(presented.trim()).ok_or_else(unauthorized)?;
    let now = Utc::now();
    let mut conn = state.pool.acquire().await?;
    let key = db::use_key(&mut conn, &hash, now)
        .await?
        .ok_or_else(unauthorized)?;
    if key.over_limit() {
        return Err(AppError::TooManyAttempts(format!(
            "At most {} requests a minute per key; try again in a minute.",
            super::REQUESTS_PER_MINUTE
        )));
    }
    let creator = load_user(&mut conn, key.created_by)
        .await?
        .filter(|u| u.org == key.vendor_id.org() && u.is_active())
        .ok_or_else(unauthorized)?;
    let vendor = cache::snapshot(&state.snapshots, &mut conn, key.vendor_id.org())
        .await?
        .ok_or_else(unauthorized)?;
    let access = effective_access(&creator, &OrgIndex::new(&vendor), now);
    let actor = Actor {
        label: format!("API key {} of {}", key.prefix, creator.full_name()),
        acting_vendor: Some(key.vendor_id),
        ..Actor::user(&creator, request)
    };
    Ok(KeyHolder { key, access, actor })
}

#[derive(serde::Serialize)]
struct AccountJson {
    id: OrgId,
    name: String,
    vendor_access: &'static str,
}

async fn accounts(
    State(state): State<AppState>,
    holder: KeyHolder,
) -> Result<Json<Vec<AccountJson>>, Response> {
    let request = holder.actor.request.clone();
    async {
        let customer = holder.key.customer_id;
        // The key's account, at whatever level (even No Access: the vendor
        // may see that it is linked, not what is inside).
        let tier = holder
            .access
            .vendor_tier(customer)
            .ok_or(AppError::Forbidden(Denied::NotLinked))?;
        let mut conn = state.pool.acquire().await?;
        let name = crate::org::db::name(&mut conn, customer).await?;
        Ok::<_, AppError>(Json(vec![AccountJson {
            id: customer,
            name,
            vendor_access: tier.key(),
        }]))
    }
    .instrument(request.span())
    .await
    .map_err(|error| error.referenced(&request).into_response())
}

#[derive(Deserialize)]
struct Paging {
    after: Option<i64>,
}

async fn claims(
    State(state): State<AppState>,
    holder: KeyHolder,
    Path(id): Path<i64>,
    Query(paging): Query<Paging>,
) -> Result<Json<serde_json::Value>, Response> {
    let request = holder.actor.request.clone();
    async {
        let customer = holder.key.customer_id;
        if id != customer.0 {
            return Err(AppError::NotFound);
        }
        holder.check(VendorNeed::Claims)?;
        let mut conn = state.pool.acquire().await?;
        let rows = db::claims(&mut conn, customer, paging.after, PAGE).await?;
        let next_after = (rows.len() as i64 == PAGE)
            .then(|| rows.last().map(|c| c.id))
            .flatten();
        let event = Event::new(customer, "claims.vendor_view", "organization", customer).after(
            json!({ "rows": rows.len(), "after": paging.after, "api_key": holder.key.prefix }),
        );
        record(&mut conn, &holder.actor, event).await?;
        Ok(Json(json!({ "claims": rows, "next_after": next_after })))
    }
    .instrument(request.span())
    .await
    .map_err(|error| error.referenced(&request).into_response())
}
