//! CSRF defence: a request that can change state (anything but GET, HEAD
//! and OPTIONS; server functions are POST endpoints) must show that it comes
//! from a page of this very origin, through `Sec-Fetch-Site` or `Origin`.
//! Anything else, a missing header included, is refused with 403.
//!
//! Security-sensitive. (SameSite=Strict cookies are the second layer.)

use axum::{
    extract::Request,
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_origin(request.headers())
    {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), uri = %request.uri(), "refused a cross-origin request");
        (
            StatusCode::FORBIDDEN,
            "Refused: this request did not come from a Portcullis page (its Origin is missing or foreign).",
        )
            .into_response()
    }
}

/// Whether the browser says the request comes from our own origin.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    // Browsers that send Sec-Fetch-Site tell us directly; trust no other value.
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin";
    }
    // Otherwise the Origin's host[:port] must be the Host the request came to.
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .is_some_and(|authority| authority.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

#[cfg(test)]
#[path = "csrf_tests.rs"]
mod tests;
