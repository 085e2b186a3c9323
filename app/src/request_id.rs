//! The id of the request a change or a fault belongs to, carried
//! explicitly: into audit events (with the actor) and fault reports (with
//! the error), never read from a context by the data layer.

use axum::http::HeaderMap;

/// The request a change belongs to: its `x-request-id` (set or kept by the
/// router's request-id layer), which audit events and fault reports carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestId(Option<String>);

impl RequestId {
    /// The id a request's headers carry.
    pub fn of(headers: &HeaderMap) -> Self {
        Self(
            headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        )
    }

    /// No request: the operator's command line, Portcullis itself.
    pub fn none() -> Self {
        Self(None)
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The span a request's work is logged in, so every line names it.
    pub fn span(&self) -> tracing::Span {
        tracing::info_span!("serve", request_id = self.as_deref().unwrap_or("-"))
    }
}
