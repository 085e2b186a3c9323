//! System status: whether the database answers and which schema it runs.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

/// What the status panel shows about the running system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// e.g. "PostgreSQL 15.18".
    pub database: String,
    /// The newest applied migration.
    pub schema_version: i64,
    /// The database's clock when it answered, HH:MM:SS UTC.
    pub checked_at: String,
}
