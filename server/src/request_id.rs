//! A request id sent by a proxy in front of us is kept, so one id follows
//! the request through both logs and into the audit log; but only a plain,
//! short one. Anything else (a client's own header, markup, a very long
//! text) is dropped, and the server makes a fresh id instead.

use axum::{extract::Request, middleware::Next, response::Response};

pub const HEADER: &str = "x-request-id";

/// The longest id kept (a UUID is 36 characters).
const MAX_CHARS: usize = 64;

/// Whether a proxy's id is fit to keep: 1 to 64 letters, digits, `.`, `_`
/// or `-`.
pub fn is_fit(id: &str) -> bool {
    (1..=MAX_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Drops an unfit `x-request-id` before the id layer fills it in.
pub async fn drop_unfit(mut request: Request, next: Next) -> Response {
    let unfit = request
        .headers()
        .get_all(HEADER)
        .iter()
        .any(|value| !value.to_str().is_ok_and(is_fit))
        || request.headers().get_all(HEADER).iter().count() > 1;
    if unfit {
        request.headers_mut().remove(HEADER);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::is_fit;

    #[test]
    fn plain_short_ids_are_kept_and_others_are_not() {
        for id in [
            "from-the-proxy-1",
            "0b9f6a1e-3c1d-4a7e-9d2f-1f2e3d4c5b6a",
            "a.b_c",
        ] {
            assert!(is_fit(id), "{id}");
        }
        let long = "x".repeat(65);
        for id in ["", "<script>", "a b", "ünï", "id\u{202e}", long.as_str()] {
            assert!(!is_fit(id), "{id}");
        }
    }
}
