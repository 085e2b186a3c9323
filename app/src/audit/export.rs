//! The audit log as CSV, streamed: rows go out as the database yields them,
//! through a small bounded channel, so a million events never sit in
//! memory. `GET /audit.csv` with the page's filters; the session decides who
//! may read which log, exactly as for the page.

use axum::{
    Router,
    body::Body,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use futures_util::{StreamExt, stream};
use serde_json::json;
use tracing::Instrument;

use super::{
    AuditFilters,
    events::{self, Checked, EventRecord, Scope},
};
use crate::{
    audit::db::{Event, record},
    error::AppError,
    principal::Caller,
    state::AppState,
};

/// The export's route (listed for the tests that call every route).
pub const PATH: &str = "/audit.csv";

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(export))
}

/// One event as a CSV line.
fn csv(event: &EventRecord) -> String {
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    let fields = [
        event.id.to_string(),
        event.occurred_at.to_rfc3339(),
        event.actor_label.clone(),
        event.vendor.clone().unwrap_or_default(),
        event.organization.clone().unwrap_or_default(),
        event.action.clone(),
        event.target_type.clone(),
        event.target_id.clone().unwrap_or_default(),
        event.company.clone().unwrap_or_default(),
        json(&event.before),
        json(&event.after),
    ];
    crate::model::csv::line(fields)
}

const HEADER: &str = "\"Id\",\"When (UTC)\",\"Who\",\"Vendor\",\"Organization\",\"Action\",\"Target type\",\"Target id\",\"Company\",\"Before\",\"After\"\r\n";

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(filters): Query<AuditFilters>,
) -> Response {
    let request = caller.request.clone();
    match prepare(&state, &caller, &filters)
        .instrument(request.span())
        .await
    {
        Ok((scope, checked)) => stream_csv(state, scope, checked),
        Err(error) => error.referenced(&request).into_response(),
    }
}

/// Who asks, whether they may, and the checked filters; the export itself
/// is recorded before the first row leaves.
async fn prepare(
    state: &AppState,
    caller: &Caller,
    filters: &AuditFilters,
) -> Result<(Scope, Checked), AppError> {
    let scope = caller.audit_scope()?;
    let checked = events::check(filters)?;
    let mut conn = state.pool.acquire().await?;
    let event = Event::new(
        caller.user.org,
        "audit.export",
        "organization",
        caller.user.org,
    )
    .after(json!({ "filters": filters }));
    record(&mut conn, &caller.actor(), event).await?;
    Ok((scope, checked))
}

fn stream_csv(state: AppState, scope: Scope, f: Checked) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    tokio::spawn(async move {
        if sender.send(Ok(HEADER.to_owned())).await.is_err() {
            return;
        }
        let sent = events::each(&state.pool, scope, f, |event| {
            let sender = &sender;
            async move { sender.send(Ok(csv(&event))).await.is_ok() }
        })
        .await;
        // The database failed: the reader sees the download break off.
        if let Err(error) = sent {
            let _ = sender.send(Err(std::io::Error::other(error))).await;
        }
    });
    // Fused: the compression layer polls a body once more after its end,
    // which an unfused `unfold` answers with a panic.
    let body = stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    })
    .fuse();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
