//! Queries behind the system status.

use sqlx::PgPool;

use super::{Outbox, SystemStatus};

pub async fn status(pool: &PgPool, smtp: bool) -> Result<SystemStatus, sqlx::Error> {
    let clock = sqlx::query!(
        r#"SELECT current_setting('server_version') AS "version!",
                  to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS') AS "checked_at!""#
    )
    .fetch_one(pool)
    .await?;
    let (version, checked_at) = (clock.version, clock.checked_at);
    let schema_version = crate::db::schema_version(pool).await?;
    // Uses the partial index on undelivered mail; counts only, no content.
    let mail = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE last_error IS NULL) AS "waiting!",
                  count(*) FILTER (WHERE last_error IS NOT NULL) AS "failing!",
                  to_char(min(created_at) FILTER (WHERE last_error IS NOT NULL) AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI "UTC"') AS oldest
           FROM email_outbox WHERE sent_at IS NULL"#
    )
    .fetch_one(pool)
    .await?;
    let outgoing_mail = Outbox {
        smtp,
        waiting: mail.waiting,
        failing: mail.failing,
    }
    .describe(mail.oldest.as_deref());
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
