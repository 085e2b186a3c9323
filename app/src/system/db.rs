//! Queries behind the system status.

use sqlx::PgPool;

use super::SystemStatus;

pub async fn status(pool: &PgPool) -> Result<SystemStatus, sqlx::Error> {
    let (version, checked_at): (String, String) = sqlx::query_as(
        "SELECT current_setting('server_version'), \
                to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')",
    )
    .fetch_one(pool)
    .await?;
    let schema_version = crate::db::schema_version(pool).await?;
    Ok(SystemStatus {
        database: format!(
            "PostgreSQL {}",
            version.split_whitespace().next().unwrap_or("")
        ),
        schema_version,
        checked_at,
    })
}
