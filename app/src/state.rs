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
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
