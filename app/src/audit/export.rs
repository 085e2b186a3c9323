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

use super::{
    AuditFilters,
    api::ssr::{COLUMNS, Checked, EventRecord, FILTERS, FROM, SCOPE, check, filtered},
};
use crate::{
    audit::db::{Event, record},
    auth::gate::Caller,
    error::AppError,
    model::{access::Action, org::OrgKind},
    state::AppState,
};

/// The export's route (listed for the tests that call every route).
pub const PATH: &str = "/audit.csv";

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(export))
}

/// RFC 4180: every field quoted, inner quotes doubled, formulas defused.
fn field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
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
    let mut line = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

const HEADER: &str = "\"Id\",\"When (UTC)\",\"Who\",\"Vendor\",\"Organization\",\"Action\",\"Target type\",\"Target id\",\"Company\",\"Before\",\"After\"\r\n";

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(filters): Query<AuditFilters>,
) -> Response {
    match prepare(&state, &caller, &filters).await {
        Ok((org, vendor, checked)) => stream_csv(state, org, vendor, checked),
        Err(error) => error.plain_response(),
    }
}

/// Who asks, whether they may, and the checked filters; the export itself
/// is recorded before the first row leaves.
async fn prepare(
    state: &AppState,
    caller: &Caller,
    filters: &AuditFilters,
) -> Result<(i64, Option<i64>, Checked), AppError> {
    caller.check(Action::SeeAudit(caller.user.org))?;
    let checked = check(filters)?;
    let vendor = (caller.snapshot.org.kind == OrgKind::Vendor).then_some(caller.user.org.0);
    let mut conn = state.pool.acquire().await?;
    let event = Event {
        org: Some(caller.user.org),
        action: "audit.export",
        target_type: "organization",
        target_id: Some(caller.user.org.0.to_string()),
        before: None,
        after: Some(json!({ "filters": filters })),
    };
    record(&mut conn, &caller.actor(), event).await?;
    Ok((caller.user.org.0, vendor, checked))
}

fn stream_csv(state: AppState, org: i64, vendor: Option<i64>, f: Checked) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    tokio::spawn(async move {
        if sender.send(Ok(HEADER.to_owned())).await.is_err() {
            return;
        }
        let sql =
            format!("SELECT {COLUMNS} FROM {FROM} WHERE {SCOPE} AND {FILTERS} ORDER BY e.id DESC");
        let mut rows = filtered(&sql, org, vendor, f).fetch(&state.pool);
        while let Some(row) = rows.next().await {
            let chunk = row.map(|event| csv(&event)).map_err(std::io::Error::other);
            let failed = chunk.is_err();
            // The reader went away, or the database failed: stop.
            if sender.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    let body = stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
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
