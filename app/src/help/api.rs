//! Server functions of the Help Center.
//!
//! Permissions: any active signed-in user, of any organization, vendor
//! and platform staff included (policy action `ReadHelp`); signed-out
//! callers get `Unauthorized`. Reading help changes nothing and is not
//! audited.

use leptos::prelude::*;

use super::{HelpHit, HelpResults};
#[cfg(feature = "ssr")]
use super::{SUGGESTIONS, db};
use crate::{error::AppError, model::help::Article};
#[cfg(feature = "ssr")]
use crate::{
    model::{
        help::{parse, validate_query},
        policy::Action,
        validation::Field,
    },
    principal::serve,
};

/// The articles matching `query` (all its words; "quoted phrases", `or`
/// and `-word` as a web search takes them), best first; every article,
/// in order, when `query` is empty. At most 200 characters.
#[server(prefix = "/api", endpoint = "search_help")]
pub async fn search_help(query: String) -> Result<HelpResults, AppError> {
    serve(|request| async move {
        request.caller().await?.allowed(Action::ReadHelp)?;
        let query = validate_query(&query).map_err(|m| AppError::field(Field::Search, m))?;
        let mut conn = request.state.pool.acquire().await?;
        let rows = if query.is_empty() {
            db::list(&mut conn).await?
        } else {
            db::search(&mut conn, &query, false, 50).await?
        };
        Ok(HelpResults {
            query,
            hits: rows.into_iter().map(hit).collect(),
        })
    })
    .await
}

/// The articles that may answer a ticket whose subject is `subject`, at
/// most three, best first: those with all its words, else those with any;
/// none for a blank subject.
#[server(prefix = "/api", endpoint = "suggest_help")]
pub async fn suggest_help(subject: String) -> Result<Vec<HelpHit>, AppError> {
    serve(|request| async move {
        request.caller().await?.allowed(Action::ReadHelp)?;
        let subject = validate_query(&subject).map_err(|m| AppError::field(Field::Subject, m))?;
        if subject.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = request.state.pool.acquire().await?;
        let mut rows = db::search(&mut conn, &subject, false, SUGGESTIONS).await?;
        if rows.is_empty() {
            rows = db::search(&mut conn, &subject, true, SUGGESTIONS).await?;
        }
        Ok(rows.into_iter().map(hit).collect())
    })
    .await
}

/// One article, by the last part of its address.
#[server(prefix = "/api", endpoint = "help_article")]
pub async fn help_article(slug: String) -> Result<Article, AppError> {
    serve(|request| async move {
        request.caller().await?.allowed(Action::ReadHelp)?;
        let mut conn = request.state.pool.acquire().await?;
        let source = db::source(&mut conn, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        // Stored only after it read at start-up: reads again.
        parse(slug.trim(), &source).map_err(|e| AppError::internal(e.to_string()))
    })
    .await
}

#[cfg(feature = "ssr")]
fn hit(row: db::HitRow) -> HelpHit {
    HelpHit {
        excerpt: row.excerpt.as_deref().map(marked).unwrap_or_default(),
        slug: row.slug,
        title: row.title,
        summary: row.summary,
    }
}

/// `ts_headline`'s text as runs, the words between « and » marked.
#[cfg(feature = "ssr")]
fn marked(text: &str) -> Vec<(String, bool)> {
    let mut runs = Vec::new();
    for (i, part) in text.split(['«', '»']).enumerate() {
        if !part.is_empty() {
            runs.push((part.replace('\n', " "), i % 2 == 1));
        }
    }
    runs
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::marked;

    #[test]
    fn the_matched_words_are_marked_and_the_rest_is_kept() {
        assert_eq!(
            marked("After five «failed» sign-ins the «account» is\nlocked"),
            vec![
                ("After five ".to_owned(), false),
                ("failed".to_owned(), true),
                (" sign-ins the ".to_owned(), false),
                ("account".to_owned(), true),
                (" is locked".to_owned(), false),
            ]
        );
        assert_eq!(marked("«lock»"), vec![("lock".to_owned(), true)]);
        assert!(marked("").is_empty());
    }
}
