//! The database layer's shared pieces: the embedded migrations and the
//! schema-version query used by health checks and the status panel.

use sqlx::PgPool;

/// Every migration in `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The newest migration applied successfully, or 0 on an empty database.
pub async fn schema_version(pool: &PgPool) -> Result<i64, sqlx::Error> {
    // `_sqlx_migrations` is missing until the first migration ran.
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(0);
    }
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}
