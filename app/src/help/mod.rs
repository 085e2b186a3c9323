//! The Help Center (seed 002): articles written for this product, kept as
//! files in `app/help/`, loaded into PostgreSQL by every server at start-up
//! and searched with its full-text search. The ticket form suggests them
//! as one types the subject.

pub mod api;
#[cfg(feature = "ssr")]
pub mod articles;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod suggestions;

use serde::{Deserialize, Serialize};

/// An article found by a search, or listed when nothing is searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpHit {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Where the search's words were found, as runs of text, the matched
    /// words marked `true`; empty when nothing was searched.
    pub excerpt: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpResults {
    /// The search as understood (trimmed); empty: every article.
    pub query: String,
    pub hits: Vec<HelpHit>,
}

/// How many articles the ticket form suggests at most.
pub const SUGGESTIONS: i64 = 3;
