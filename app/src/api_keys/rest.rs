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
//! `GET /api/v1/openapi.json` — this API described as OpenAPI 3.1, made
//! from the handlers' own types and annotations (`utoipa`); no key needed.

use axum::{
    Json, Router,
    extract::{
        FromRequestParts, Path, Query, State,
        rejection::{PathRejection, QueryRejection},
    },
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

/// Where the API's OpenAPI document is served (to anyone: it describes,
/// it reveals nothing).
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

pub fn router() -> Router<AppState> {
    let [accounts_path, claims_path] = PATHS;
    Router::new()
        .route(accounts_path, get(accounts))
        .route(claims_path, get(claims))
        .route(OPENAPI_PATH, get(openapi_json))
        .layer(map_response(http_headers))
}

/// The vendor API as OpenAPI 3.1, from the handlers' annotations below.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Portcullis vendor API",
        version = "1",
        description = "For a billing vendor's software: the customer account an API key was made for, and its claims as far as the account's Vendor Access allows. Send the key as `Authorization: Bearer pk_…`; at most 60 requests a minute per key."
    ),
    paths(accounts, claims),
    modifiers(&BearerKey),
    security(("api_key" = [])),
    tags((name = "accounts", description = "The key's account"))
)]
pub struct VendorApi;

/// The API key as an HTTP bearer token.
struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pk_…")
                    .description(Some("An API key made on Edit Account (Full Access)."))
                    .build(),
            ),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    Json(VendorApi::openapi())
}

/// Every refusal's body.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only described: AppError writes the body.
struct ErrorJson {
    /// Why, in a sentence.
    error: String,
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

/// The account an API key was made for.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct AccountJson {
    #[schema(value_type = i64)]
    id: OrgId,
    name: String,
    /// The Vendor Access the account grants now: `no_access`, `limited`,
    /// `all_support` or `full`.
    #[schema(value_type = String, pattern = "^(no_access|limited|all_support|full)$")]
    vendor_access: &'static str,
}

/// A page of an account's claims.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ClaimsPage {
    claims: Vec<db::ClaimJson>,
    /// Pass as `after` for the next page; null on the last one.
    next_after: Option<i64>,
}

/// The key's account, with the Vendor Access it grants now (at any level,
/// No Access included: the vendor may see that it is linked).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    responses(
        (status = 200, description = "The key's one account", body = Vec<AccountJson>),
        (status = 401, description = "No valid API key", body = ErrorJson),
        (status = 403, description = "The key's vendor is no longer linked to the account", body = ErrorJson),
        (status = 429, description = "Over the key's 60 requests a minute", body = ErrorJson),
    )
)]
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

/// The account's claims, newest first, 100 a page; needs Full Access.
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}/claims",
    tag = "accounts",
    params(
        ("id" = i64, Path, description = "The key's account (any other answers 404)"),
        ("after" = Option<i64>, Query, description = "The `next_after` of the page before"),
    ),
    responses(
        (status = 200, description = "A page of claims", body = ClaimsPage),
        (status = 400, description = "The id or `after` is not a whole number", body = ErrorJson),
        (status = 401, description = "No valid API key", body = ErrorJson),
        (status = 403, description = "The account grants less than Full Access", body = ErrorJson),
        (status = 404, description = "Not the key's account", body = ErrorJson),
        (status = 429, description = "Over the key's 60 requests a minute", body = ErrorJson),
    )
)]
async fn claims(
    State(state): State<AppState>,
    holder: KeyHolder,
    id: Result<Path<i64>, PathRejection>,
    paging: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<ClaimsPage>, Response> {
    let request = holder.actor.request.clone();
    async {
        // As JSON, like every other answer (axum's own rejections are text).
        let Path(id) = id.map_err(|e| AppError::BadRequest(e.body_text()))?;
        let Query(paging) = paging.map_err(|e| AppError::BadRequest(e.body_text()))?;
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
        Ok(Json(ClaimsPage {
            claims: rows,
            next_after,
        }))
    }
    .instrument(request.span())
    .await
    .map_err(|error| error.referenced(&request).into_response())
}
