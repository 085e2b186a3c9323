//! Server functions of the system status.

use leptos::prelude::*;

use super::SystemStatus;
use crate::error::AppError;

/// Reads the database's version, schema version and clock.
///
/// Permissions: anyone, signed in or not. It reveals what `/healthz` does
/// (that the database answers and which schema it runs) and nothing about
/// any organization.
#[server(prefix = "/api", endpoint = "system_status")]
pub async fn load_system_status() -> Result<SystemStatus, AppError> {
    let state = crate::state::AppState::current()?;
    super::db::status(&state.pool, state.mail.smtp)
        .await
        .map_err(AppError::internal)
}
