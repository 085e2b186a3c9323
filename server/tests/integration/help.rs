//! The Help Center: the articles loaded as at start-up, searched with
//! PostgreSQL's full-text search, read by every kind of signed-in user and
//! by nobody signed out.

use crate::common;

use app::{
    help::{HelpHit, HelpResults, articles, db},
    model::help::{Article, Block, QUERY_TOO_LONG},
    model::validation::Field,
};
use axum::{Router, http::StatusCode};
use common::{
    call, call_ok, encode, enrolled_admin_session, expect_status, invalid_call, signed_in,
};
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";
const VICTOR: &str = "victor.staff@claimwise.example";

fn slugs(hits: &[HelpHit]) -> Vec<&str> {
    hits.iter().map(|h| h.slug.as_str()).collect()
}

async fn search(router: &Router, cookie: &str, query: &str) -> HelpResults {
    let form = format!("query={}", encode(query));
    call_ok(router, cookie, "search_help", &form).await
}

async fn suggest(router: &Router, cookie: &str, subject: &str) -> Vec<HelpHit> {
    let form = format!("subject={}", encode(subject));
    call_ok(router, cookie, "suggest_help", &form).await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn loading_twice_changes_nothing_and_a_removed_file_goes(pool: PgPool) {
    let all = articles::all().unwrap();
    db::load(&pool, &all).await.unwrap();
    db::load(&pool, &all).await.unwrap();
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM help_articles ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected: Vec<String> = all.iter().map(|(a, _)| a.slug.clone()).collect();
    assert_eq!(stored, expected);
    // One file fewer, the last one moved first: the table follows.
    let mut fewer = all[1..].to_vec();
    fewer.rotate_right(1);
    db::load(&pool, &fewer).await.unwrap();
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM help_articles ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected: Vec<String> = fewer.iter().map(|(a, _)| a.slug.clone()).collect();
    assert_eq!(stored, expected);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_search_finds_articles_by_their_words_best_first(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;

    // Nothing searched: every article, in the Help Center's order.
    let every = search(&router, &pat, "  ").await;
    assert_eq!(every.query, "");
    assert_eq!(every.hits.len(), 8);
    assert_eq!(every.hits[0].title, "User types: Customer and Partner");
    assert!(every.hits.iter().all(|h| h.excerpt.is_empty()));

    // Words of the text, stemmed ("passwords" finds "password"), all of them.
    let found = search(&router, &pat, "wrong passwords").await;
    assert_eq!(found.query, "wrong passwords");
    assert_eq!(slugs(&found.hits), ["locked-out"]);
    let marked: Vec<&str> = found.hits[0]
        .excerpt
        .iter()
        .filter(|(_, m)| *m)
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(
        marked.iter().any(|w| w.eq_ignore_ascii_case("passwords")),
        "{marked:?}"
    );
    // The title weighs most: "Vendor Access" is first for its words.
    let vendor = search(&router, &pat, "vendor access").await;
    assert_eq!(vendor.hits[0].slug, "vendor-access");
    assert!(vendor.hits.len() > 1, "other articles name it too");
    // A web search's syntax: a phrase, and a word left out.
    assert_eq!(
        slugs(&search(&router, &pat, "\"recovery codes\"").await.hits),
        ["two-factor-sign-in"]
    );
    let without = search(&router, &pat, "vendor -ticket").await;
    assert!(!slugs(&without.hits).contains(&"support-tickets"));
    assert!(search(&router, &pat, "xylophone").await.hits.is_empty());
    // Characters a query parser might choke on are words like any other.
    for odd in ["'", "&|!():*", "\\", "<script>", "--", "%_"] {
        search(&router, &pat, odd).await;
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_ticket_form_gets_up_to_three_articles_for_its_subject(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;
    // All the words where some article has them all…
    assert_eq!(
        slugs(&suggest(&router, &pat, "A user is locked out").await),
        ["locked-out"]
    );
    // …else any of them, at most three.
    let any = suggest(&router, &pat, "vendor xylophone").await;
    assert!(!any.is_empty() && any.len() <= 3, "{:?}", slugs(&any));
    assert_eq!(any[0].slug, "vendor-access");
    assert!(suggest(&router, &pat, "").await.is_empty());
    assert!(suggest(&router, &pat, "xylophone").await.is_empty());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_article_reads_as_written_and_an_unknown_one_is_not_found(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;
    let article: Article = call_ok(&router, &pat, "help_article", "slug=locked-out").await;
    assert_eq!(
        article.title,
        "Locked out: what to do when you cannot sign in"
    );
    assert!(article.summary.starts_with("Five wrong passwords"));
    assert!(
        article
            .blocks
            .contains(&Block::Heading("Getting back in".to_owned()))
    );
    assert!(
        article
            .blocks
            .iter()
            .any(|b| matches!(b, Block::List(items) if items.len() == 3))
    );
    for unknown in [
        "no-such-article",
        "",
        "..%2F..%2Fetc%2Fpasswd",
        "LOCKED-OUT",
    ] {
        let reply = call(&router, &pat, "help_article", &format!("slug={unknown}")).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{unknown}: {}",
            reply.body
        );
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_signed_in_kind_reads_help_and_nobody_signed_out(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let calls = [
        ("search_help", "query=vendor".to_owned()),
        ("suggest_help", "subject=vendor".to_owned()),
        ("help_article", "slug=vendor-access".to_owned()),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let victor = signed_in(&router, VICTOR).await;
    let (sean, _) = enrolled_admin_session(&router, "sean.support@portcullis.example").await;
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    for cookie in [&victor, &sean, &ada] {
        expect_status(&router, cookie, &calls, StatusCode::OK).await;
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_search_too_long_is_refused_on_its_field(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;
    let long = "a".repeat(201);
    let errors = invalid_call(&router, &pat, "search_help", &format!("query={long}")).await;
    assert_eq!(errors.get(Field::Search), Some(QUERY_TOO_LONG));
    let errors = invalid_call(&router, &pat, "suggest_help", &format!("subject={long}")).await;
    assert_eq!(errors.get(Field::Subject), Some(QUERY_TOO_LONG));
    // Nothing read changes anything: the articles are as loaded.
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM help_articles")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 8);
}
