//! Server-function arguments that cannot be read are the caller's fault:
//! the server-fn layer answers them before our code runs, with status 500
//! and an `AppError::BadRequest` body. This middleware gives them their
//! honest status, 400, so clients and monitoring do not see a server fault;
//! and an internal fault while the database cannot be reached, 503 with
//! `AppError::Unavailable`, so the user is told to try again rather than
//! shown a server fault.
//!
//! `refuse_nul`, outside it, reads every server function's body first: one
//! cut off by the size limit (router::MAX_BODY_BYTES) is answered 413 with
//! a plain message, and one carrying a NUL character, which no text in the
//! product may hold (PostgreSQL cannot store it), 400, before any function
//! sees it.

use std::time::Duration;

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::Response,
};

use app::{error::AppError, state::AppState};

pub const TOO_LARGE: &str = "This request is too large: forms send at most 1 MiB.";
pub const NUL_CHARACTER: &str = "Text may not contain the NUL character.";

/// Error bodies are small; anything larger is passed on untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// How long the check "is the database there?" may take after a fault.
const PROBE_TIMEOUT: Duration = Duration::from_millis(500);

pub async fn honest_status(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(AppError::BadRequest(_)) => parts.status = StatusCode::BAD_REQUEST,
        // Already known as the database going away (AppError::internal).
        Ok(AppError::Unavailable) => parts.status = StatusCode::SERVICE_UNAVAILABLE,
        Ok(AppError::Internal { .. }) if !database_answers(&state).await => {
            parts.status = StatusCode::SERVICE_UNAVAILABLE;
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            let body = serde_json::to_vec(&AppError::Unavailable).unwrap_or_default();
            return Response::from_parts(parts, Body::from(body));
        }
        _ => {}
    }
    Response::from_parts(parts, Body::from(bytes))
}

pub async fn refuse_nul(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") || request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit layer outside this one has already bounded the body.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE);
    };
    // A form encodes NUL as %00, JSON as \u0000; either may also arrive raw.
    let holds_nul = bytes.contains(&0)
        || bytes.windows(3).any(|w| w == b"%00")
        || bytes.windows(6).any(|w| w == b"\\u0000");
    if holds_nul {
        return refusal(StatusCode::BAD_REQUEST, NUL_CHARACTER);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// An `AppError::BadRequest` answer, as server functions give it.
fn refusal(status: StatusCode, message: &str) -> Response {
    let body = serde_json::to_vec(&AppError::BadRequest(message.to_owned())).unwrap_or_default();
    Response::builder()
        .status(status)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap_or_default()
}

async fn database_answers(state: &AppState) -> bool {
    matches!(
        tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.pool)).await,
        Ok(Ok(_))
    )
}
