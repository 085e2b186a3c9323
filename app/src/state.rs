//! What every request handler and server function can reach on the server.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use chrono::Duration;

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
    /// The service plans' pricing details and the onboarding link, as
    /// configured (`--account-offer`).
    pub account_offer: std::sync::Arc<crate::accounts::offer::AccountOffer>,
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

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends a session nobody used for this long (enforced by the store).
    pub idle_timeout: Duration,
    /// Ends every session this long after sign-in, used or not.
    pub absolute_lifetime: Duration,
    /// Secure cookies (`__Host-` prefixed). Browsers accept them over HTTPS
    /// and on localhost; off only for plain HTTP elsewhere.
    pub secure_cookies: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
            secure_cookies: true,
        }
    }
}
