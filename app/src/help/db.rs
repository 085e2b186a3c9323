//! The Help Center's rows and statements.

use sqlx::{PgConnection, PgPool};

use crate::model::help::{Article, body_text};

/// An article's row, as a search or the list reads it.
pub struct HitRow {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// `ts_headline`'s fragment, the matched words between « and ».
    pub excerpt: Option<String>,
}

/// Makes the stored articles exactly `articles`, in their order, in one
/// transaction: inserted, changed where they differ, the others removed.
/// Several servers starting at once converge on the same rows.
pub async fn load(pool: &PgPool, articles: &[(Article, &str)]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for (position, (article, source)) in (0..).zip(articles) {
        sqlx::query!(
            "INSERT INTO help_articles (slug, title, summary, body, source, position)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (slug) DO UPDATE
                SET title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
                    source = EXCLUDED.source, position = EXCLUDED.position
              WHERE (help_articles.source, help_articles.position)
                    IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.position)",
            article.slug,
            article.title,
            article.summary,
            body_text(article),
            *source,
            position
        )
        .execute(&mut *tx)
        .await?;
    }
    let slugs: Vec<String> = articles.iter().map(|(a, _)| a.slug.clone()).collect();
    sqlx::query!("DELETE FROM help_articles WHERE slug <> ALL($1)", &slugs)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The articles matching `query`, best first: all its words
/// (`websearch_to_tsquery`: "quoted phrases", `or`, `-word`), or with
/// `any_word` any of them, as the ticket form's suggestions want.
pub async fn search(
    conn: &mut PgConnection,
    query: &str,
    any_word: bool,
    limit: i64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    // plainto_tsquery's text is only quoted lexemes joined by " & ".
    sqlx::query_as!(
        HitRow,
        r#"SELECT a.slug, a.title, a.summary,
                  ts_headline('english', a.summary || E'\n' || a.body, q.query,
                              'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=1') AS excerpt
           FROM help_articles a,
                (SELECT CASE WHEN $2
                             THEN replace(plainto_tsquery('english', $1)::text, ' & ', ' | ')::tsquery
                             ELSE websearch_to_tsquery('english', $1)
                        END AS query) q
           WHERE a.search @@ q.query
           ORDER BY ts_rank(a.search, q.query) DESC, a.position
           LIMIT $3"#,
        query,
        any_word,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Every article, in the Help Center's order.
pub async fn list(conn: &mut PgConnection) -> Result<Vec<HitRow>, sqlx::Error> {
    sqlx::query_as!(
        HitRow,
        r#"SELECT slug, title, summary, NULL::text AS excerpt
           FROM help_articles ORDER BY position"#
    )
    .fetch_all(conn)
    .await
}

/// The file the article `slug` was loaded from, as written.
pub async fn source(conn: &mut PgConnection, slug: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT source FROM help_articles WHERE slug = $1", slug)
        .fetch_optional(conn)
        .await
}
