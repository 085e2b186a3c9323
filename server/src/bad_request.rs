//! Server-function arguments that cannot be read are the caller's fault:
//! the server-fn layer answers them before our code runs, with status 500
//! and an `AppError::BadRequest` body. This middleware gives them their
//! honest status, 400, so clients and monitoring do not see a server fault;
//! a body cut off by the size limit (router::MAX_BODY_BYTES) while it was
//! read, 413 with a plain message; and an internal fault while the
//! database cannot be reached, 503 with `AppError::Unavailable`, so the
//! user is told to try again rather than shown a server fault.

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
    let replaced = match serde_json::from_slice::<AppError>(&bytes) {
        Ok(AppError::BadRequest(_)) => {
            parts.status = StatusCode::BAD_REQUEST;
            None
        }
        Ok(AppError::Transport(message)) if message.contains("length limit exceeded") => Some((
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(TOO_LARGE.to_owned()),
        )),
        Ok(AppError::Internal { .. }) if !database_answers(&state).await => {
            Some((StatusCode::SERVICE_UNAVAILABLE, AppError::Unavailable))
        }
        _ => None,
    };
    if let Some((status, error)) = replaced {
        parts.status = status;
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        let body = serde_json::to_vec(&error).unwrap_or_default();
        return Response::from_parts(parts, Body::from(body));
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn database_answers(state: &AppState) -> bool {
    matches!(
        tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.pool)).await,
        Ok(Ok(_))
    )
}
