//! The development mailbox's server function.

use leptos::prelude::*;

use super::MailView;
use crate::error::AppError;

/// The newest 50 messages of the outbox.
///
/// Permissions: only when the server runs with the development mailbox on
/// (`--dev-mailbox`, implied by `--seed-demo`); otherwise it does not exist
/// (404). Never on in production: it shows every message to anyone.
#[server(prefix = "/api", endpoint = "load_mailbox")]
pub async fn load_mailbox() -> Result<Vec<MailView>, AppError> {
    load_mailbox_inner().await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn load_mailbox_inner() -> Result<Vec<MailView>, AppError> {
    use crate::state::AppState;
    use chrono::{DateTime, Utc};

    let state = AppState::current()?;
    if !state.mail.dev_mailbox {
        return Err(AppError::NotFound);
    }
    let rows: Vec<(i64, String, String, String, DateTime<Utc>, bool)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, created_at, sent_at IS NOT NULL
         FROM email_outbox ORDER BY id DESC LIMIT 50",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, to, subject, body, queued_at, sent)| MailView {
            id,
            to,
            subject,
            body,
            queued_at: crate::model::time::minute_utc(queued_at),
            sent,
        })
        .collect())
}
