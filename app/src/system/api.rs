//! Server functions of the system status.

use leptos::prelude::*;

use super::SystemStatus;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::principal::serve;

/// Reads the database's version, schema version and clock.
///
/// Permissions: anyone, signed in or not. It reveals what `/healthz` does
/// (that the database answers and which schema it runs) and nothing about
/// any organization.
#[server(prefix = "/api", endpoint = "system_status")]
pub async fn load_system_status() -> Result<SystemStatus, AppError> {
    serve(|request| async move {
        Ok(super::db::status(&request.state.pool, request.state.mail.smtp).await?)
    })
    .await
}
