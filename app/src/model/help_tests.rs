use super::help::*;

const GOOD: &str = "# Locked out
Five wrong passwords
lock an account.

## Why
After five failures.
- Wait.
- Or ask an Administrator.

Then sign in.
";

#[test]
fn an_article_reads_as_title_summary_and_blocks() {
    let article = parse("locked-out", GOOD).expect("reads");
    assert_eq!(article.slug, "locked-out");
    assert_eq!(article.title, "Locked out");
    // A paragraph's lines are joined.
    assert_eq!(article.summary, "Five wrong passwords lock an account.");
    assert_eq!(
        article.blocks,
        vec![
            Block::Heading("Why".to_owned()),
            Block::Paragraph("After five failures.".to_owned()),
            Block::List(vec![
                "Wait.".to_owned(),
                "Or ask an Administrator.".to_owned()
            ]),
            Block::Paragraph("Then sign in.".to_owned()),
        ]
    );
    assert_eq!(
        body_text(&article),
        "Why:\nAfter five failures.\nWait.\nOr ask an Administrator.\nThen sign in."
    );
}

#[test]
fn a_file_without_title_summary_or_body_is_refused_with_its_name() {
    assert_eq!(
        parse("x", "Locked out\n\nText.\n\nMore."),
        Err(ArticleError::NoTitle("x".to_owned()))
    );
    assert_eq!(
        parse("x", "#  \nText."),
        Err(ArticleError::NoTitle("x".to_owned()))
    );
    assert_eq!(
        parse("x", "# T\n## Section\nText."),
        Err(ArticleError::NoSummary("x".to_owned()))
    );
    assert_eq!(
        parse("x", "# T\n- an item\n\nText."),
        Err(ArticleError::NoSummary("x".to_owned()))
    );
    assert_eq!(
        parse("x", "# T\nOnly a summary.\n"),
        Err(ArticleError::NoBody("x".to_owned()))
    );
    assert_eq!(parse("x", ""), Err(ArticleError::NoTitle("x".to_owned())));
}

#[test]
fn a_slug_is_lowercase_words_and_dashes() {
    for good in ["a", "locked-out", "two-factor-sign-in", "v2"] {
        assert!(parse(good, GOOD).is_ok(), "{good}");
    }
    for bad in [
        "",
        "Locked-out",
        "locked--out",
        "-locked",
        "locked-",
        "locked out",
        "../x",
        "é",
    ] {
        assert_eq!(
            parse(bad, GOOD),
            Err(ArticleError::Slug(bad.to_owned())),
            "{bad:?}"
        );
    }
}

#[test]
fn a_search_is_trimmed_and_at_most_200_characters() {
    assert_eq!(
        validate_query("  vendor access "),
        Ok("vendor access".to_owned())
    );
    assert_eq!(validate_query("   "), Ok(String::new()));
    let longest = "é".repeat(MAX_QUERY_CHARS);
    assert_eq!(validate_query(&longest), Ok(longest.clone()));
    assert_eq!(validate_query(&format!("{longest}x")), Err(QUERY_TOO_LONG));
}
