//! Queries behind the system status.

use sqlx::PgPool;

use super::{Outbox, SystemStatus};

pub async fn status(pool: &PgPool, smtp: bool) -> Result<SystemStatus, sqlx::Error> {
    let (version, checked_at): (String, String) = sqlx::query_as(
        "SELECT current_setting('server_version'), \
                to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')",
    )
    .fetch_one(pool)
    .await?;
    let schema_version = crate::db::schema_version(pool).await?;
    // Uses the partial index on undelivered mail; counts only, no content.
    let (waiting, failing, oldest): (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE last_error IS NULL),
                count(*) FILTER (WHERE last_error IS NOT NULL),
                to_char(min(created_at) FILTER (WHERE last_error IS NOT NULL) AT TIME ZONE 'UTC',
                        'YYYY-MM-DD HH24:MI \"UTC\"')
         FROM email_outbox WHERE sent_at IS NULL",
    )
    .fetch_one(pool)
    .await?;
    let outgoing_mail = Outbox {
        smtp,
        waiting,
        failing,
    }
    .describe(oldest.as_deref());
    Ok(SystemStatus {
        database: format!(
            "PostgreSQL {}",
            version.split_whitespace().next().unwrap_or("")
        ),
        schema_version,
        checked_at,
        outgoing_mail,
    })
}
