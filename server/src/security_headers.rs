//! Browser security headers on every response (security-sensitive): no
//! framing, no MIME sniffing, no referrer to other sites, no powerful
//! browser features, a window of its own, HTTPS remembered when Portcullis
//! is served over it, and a Content-Security-Policy. A page brings its own
//! policy with its script nonce (`app::csp::set_for_page`); everything else
//! gets the policy that runs no script.

use std::sync::LazyLock;

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

use app::state::AppState;

/// No camera, microphone, location, payment, USB or other device access.
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

/// One year, the preload lists' minimum.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The policy of every answer that is not a page (no script at all): the
/// same for each, so built once.
static NO_SCRIPT_POLICY: LazyLock<Option<HeaderValue>> =
    LazyLock::new(|| HeaderValue::from_str(&app::csp::policy(None)).ok());

pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Some(policy) = NO_SCRIPT_POLICY.as_ref()
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    }
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if state.mail.public_url.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
