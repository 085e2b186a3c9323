//! API keys of the vendor console (seed 003): generated on Edit Account for
//! one linked account, shown once, stored as a SHA-256 hash, listed with
//! when they were created and last used, revocable; and the JSON API they
//! open (`rest.rs`), which obeys the account's Vendor Access exactly like
//! the pages, with a per-key rate limit.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod rest;

use serde::{Deserialize, Serialize};

use crate::model::ids::ApiKeyId;

/// A key as Edit Account lists it (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    pub id: ApiKeyId,
    pub name: String,
    /// "pk_AbCd1234": tells keys apart.
    pub prefix: String,
    pub created: String,
    pub created_by: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

/// A key just generated: the only time it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub key: String,
}

pub const KEY_NAME_MESSAGE: &str =
    "Name the key (at most 100 characters), e.g. the software that uses it.";
/// Requests one key may make per minute.
pub const REQUESTS_PER_MINUTE: i32 = 60;
