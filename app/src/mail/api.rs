//! The development mailbox's server function.

use leptos::prelude::*;

use super::MailView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{model::time::minute_utc, principal::serve};

/// The newest 50 messages of the outbox.
///
/// Permissions: only when the server runs with the development mailbox on
/// (`--dev-mailbox`, implied by `--seed-demo`); otherwise it does not exist
/// (404). Never on in production: it shows every message to anyone.
#[server(prefix = "/api", endpoint = "load_mailbox")]
pub async fn load_mailbox() -> Result<Vec<MailView>, AppError> {
    serve(|request| async move {
        if !request.state.mail.dev_mailbox {
            return Err(AppError::NotFound);
        }
        let mut conn = request.state.pool.acquire().await?;
        Ok(super::db::newest(&mut conn)
            .await?
            .into_iter()
            .map(|mail| MailView {
                id: mail.id,
                to: mail.recipient,
                subject: mail.subject,
                body: mail.body,
                queued_at: minute_utc(mail.created_at),
                sent: mail.sent,
            })
            .collect())
    })
    .await
}
