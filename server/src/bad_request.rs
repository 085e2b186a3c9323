//! `refuse_nul` reads every server function's body before the function: one
//! cut off by the size limit (router::MAX_BODY_BYTES) is answered 413 with
//! a plain message, and one carrying a NUL character, which no text in the
//! product may hold (PostgreSQL cannot store it), 400, before any function
//! sees it.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::Response,
};

use app::error::AppError;

pub const TOO_LARGE: &str = "This request is too large: forms send at most 1 MiB.";
pub const NUL_CHARACTER: &str = "Text may not contain the NUL character.";

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
