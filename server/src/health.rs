//! `GET /healthz`: for load balancers and operators. Reports whether the
//! database answers and the schema version, never anything about tenants.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};

use app::state::AppState;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Health {
    /// "ok" or "unavailable".
    pub status: String,
    /// "reachable" or "unreachable".
    pub database: String,
    /// The newest applied migration, when the database answered.
    pub schema_version: Option<i64>,
}

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match app::db::schema_version(&state.pool).await {
        Ok(version) => (
            StatusCode::OK,
            Json(Health {
                status: "ok".into(),
                database: "reachable".into(),
                schema_version: Some(version),
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable".into(),
                    database: "unreachable".into(),
                    schema_version: None,
                }),
            )
        }
    }
}
