//! What every request handler and server function can reach on the server.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use crate::auth::session::SessionPolicy;

/// Shared server state. Holds no per-user data: all state lives in
/// PostgreSQL, so any number of server processes can serve one database.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub leptos_options: LeptosOptions,
    pub sessions: SessionPolicy,
    pub mail: MailSettings,
    /// Snapshots of organizations, kept only while the database says they
    /// are current (see `org::cache`).
    pub snapshots: std::sync::Arc<crate::org::cache::SnapshotCache>,
}

/// How mail is addressed and where it can be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    /// The address users reach the console at, for links in mail, e.g.
    /// `https://portcullis.example.com`. Configured, never taken from the
    /// request's Host header, which an attacker could forge to steal links.
    pub public_url: String,
    /// Show the outbox at /dev/mailbox (development and demo only).
    pub dev_mailbox: bool,
    /// An SMTP server is configured: mail goes out (else it stays queued).
    pub smtp: bool,
}

impl AppState {
    /// The state of the request being served. Outside a request (when the
    /// router renders the app once to list its routes, resources start
    /// their server functions too) there is none: that is an error, not a
    /// panic, and it is not logged, since nobody is waiting for the answer.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| crate::error::AppError::Internal {
            reference: "outside-a-request".to_owned(),
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The request a change belongs to: its `x-request-id` (set or kept by the
/// router's request-id layer), which audit events and error reports carry.
/// Read where the request is at hand -- a server function's first line, an
/// axum handler's headers -- and passed on explicitly: the data layer never
/// reads the reactive context, which a server function run during
/// rendering keeps only until it first waits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestId(Option<String>);

impl RequestId {
    /// The id of the request this server function serves, if any.
    pub fn current() -> Self {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .map_or_else(Self::default, |parts| Self::of(&parts.headers))
    }

    /// The id a request's headers carry.
    pub fn of(headers: &axum::http::HeaderMap) -> Self {
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
}
