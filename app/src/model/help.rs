//! Help Center articles (seed 002), as written in `app/help/*.md`: a
//! title line (`# …`), a one-paragraph summary, then sections (`## …`),
//! paragraphs and lists (`- …`). Only that much Markdown: the text is
//! rendered as typed blocks, never as HTML.

use serde::{Deserialize, Serialize};

/// One part of an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The file's name without `.md`: the article's address, `/help/{slug}`.
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub blocks: Vec<Block>,
}

/// Why an article file cannot be read: shown at start-up and in tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("the slug {0:?} is not lowercase words joined by dashes")]
    Slug(String),
    #[error("{0}: the first line is not a title (`# …`)")]
    NoTitle(String),
    #[error("{0}: no summary paragraph after the title")]
    NoSummary(String),
    #[error("{0}: nothing after the summary")]
    NoBody(String),
}

/// The most characters a Help Center search may have.
pub const MAX_QUERY_CHARS: usize = 200;
pub const QUERY_TOO_LONG: &str = "Search with at most 200 characters.";

/// Reads one article file.
pub fn parse(slug: &str, text: &str) -> Result<Article, ArticleError> {
    let slug_ok = !slug.is_empty()
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !slug_ok {
        return Err(ArticleError::Slug(slug.to_owned()));
    }
    let mut lines = text.lines();
    let title = lines
        .next()
        .and_then(|line| line.strip_prefix("# "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ArticleError::NoTitle(slug.to_owned()))?;
    let mut blocks = blocks(lines);
    let summary = match blocks.first() {
        Some(Block::Paragraph(text)) => text.clone(),
        _ => return Err(ArticleError::NoSummary(slug.to_owned())),
    };
    blocks.remove(0);
    if blocks.is_empty() {
        return Err(ArticleError::NoBody(slug.to_owned()));
    }
    Ok(Article {
        slug: slug.to_owned(),
        title: title.to_owned(),
        summary,
        blocks,
    })
}

/// Paragraphs are runs of lines, joined with spaces; a blank line ends one.
fn blocks<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    for line in lines.map(str::trim) {
        if line.is_empty() {
            flush(&mut paragraph, &mut out);
        } else if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut out);
            out.push(Block::Heading(heading.trim().to_owned()));
        } else if let Some(item) = line.strip_prefix("- ") {
            flush(&mut paragraph, &mut out);
            match out.last_mut() {
                Some(Block::List(items)) => items.push(item.trim().to_owned()),
                _ => out.push(Block::List(vec![item.trim().to_owned()])),
            }
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// The text after the summary, for the search index: every block, in order.
pub fn body_text(article: &Article) -> String {
    let mut text = Vec::new();
    for block in &article.blocks {
        match block {
            // A colon, so an excerpt running from a heading into its text reads.
            Block::Heading(t) => text.push(format!("{t}:")),
            Block::Paragraph(t) => text.push(t.clone()),
            Block::List(items) => text.extend(items.iter().cloned()),
        }
    }
    text.join("\n")
}

/// A search as typed, trimmed; refused when too long.
pub fn validate_query(query: &str) -> Result<String, &'static str> {
    let query = query.trim();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(QUERY_TOO_LONG);
    }
    Ok(query.to_owned())
}
