//! The audit log: every change, append-only (a database trigger refuses
//! UPDATE, DELETE and TRUNCATE).

#[cfg(feature = "ssr")]
pub mod db;
