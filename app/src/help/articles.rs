//! The Help Center's articles, compiled into the server from `app/help/`
//! so every server of a deployment has the same ones, in this order.

use crate::model::help::{Article, ArticleError, parse};

const FILES: [(&str, &str); 8] = [
    ("user-types", include_str!("../../help/user-types.md")),
    (
        "roles-and-templates",
        include_str!("../../help/roles-and-templates.md"),
    ),
    ("adding-users", include_str!("../../help/adding-users.md")),
    ("vendor-access", include_str!("../../help/vendor-access.md")),
    (
        "two-factor-sign-in",
        include_str!("../../help/two-factor-sign-in.md"),
    ),
    ("locked-out", include_str!("../../help/locked-out.md")),
    (
        "support-tickets",
        include_str!("../../help/support-tickets.md"),
    ),
    (
        "switching-companies",
        include_str!("../../help/switching-companies.md"),
    ),
];

/// Every article, read, with the text it was read from; the first file
/// that cannot be read stops the start.
pub fn all() -> Result<Vec<(Article, &'static str)>, ArticleError> {
    FILES
        .iter()
        .map(|(slug, text)| Ok((parse(slug, text)?, *text)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_article_file_is_listed_once_and_reads() {
        let articles = all().expect("every article reads");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/help");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("app/help exists")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter_map(|name| name.strip_suffix(".md").map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = articles.iter().map(|(a, _)| a.slug.clone()).collect();
        listed.sort();
        assert_eq!(
            listed, on_disk,
            "each file in app/help is in FILES, and only once"
        );
    }
}
