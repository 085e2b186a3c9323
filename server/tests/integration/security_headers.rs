//! Browser security headers on every kind of answer: pages (whose policy
//! names the nonce their scripts carry), server functions, static files,
//! the vendor REST API, the CSV export, and error answers (404, a refused
//! forgery, a body too large); HSTS only when served over HTTPS.

use crate::common;

use axum::{Router, body::Body, http::Request, http::StatusCode};
use common::{Reply, get, post_form, send};
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

/// The router over a site root holding one static file, served at
/// `public_url`.
fn app(pool: PgPool, public_url: &str) -> Router {
    let site = std::env::temp_dir().join(format!("portcullis-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/probe.css"), "body { color: black }").unwrap();
    let leptos_options = LeptosOptions::builder()
        .output_name("portcullis")
        .site_root(site.to_string_lossy().into_owned())
        .build();
    server::router::app(app::state::AppState {
        pool,
        leptos_options,
        sessions: Default::default(),
        mail: app::state::MailSettings {
            public_url: public_url.to_owned(),
            dev_mailbox: false,
            smtp: false,
        },
        snapshots: Default::default(),
        account_offer: std::sync::Arc::new(server::account_offer::default_offer()),
    })
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

#[track_caller]
fn assert_hardened(reply: &Reply, what: &str) {
    assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(reply, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(reply, "referrer-policy"), "same-origin", "{what}");
    assert_eq!(
        header(reply, "cross-origin-opener-policy"),
        "same-origin",
        "{what}"
    );
    assert!(
        header(reply, "permissions-policy").contains("camera=()"),
        "{what}"
    );
    let csp = header(reply, "content-security-policy");
    for directive in [
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
    assert!(
        reply.headers.get("strict-transport-security").is_none(),
        "{what}: no HSTS over plain HTTP"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_kind_of_answer_carries_the_headers(pool: PgPool) {
    let router = app(pool, "http://portcullis.test");

    // A page: its policy allows exactly the nonce its scripts carry.
    let page = get(router.clone(), "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_hardened(&page, "the start page");
    let csp = header(&page, "content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a page's policy names a nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let scripts = page.body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        page.body.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script of the page carries the nonce"
    );
    let again = get(router.clone(), "/").await;
    assert_ne!(
        header(&again, "content-security-policy"),
        csp,
        "a new nonce for every page"
    );

    // Everything that is not a page runs no script at all.
    let answers = [
        (
            "a server function",
            post_form(router.clone(), "/api/system_status", "").await,
        ),
        ("a static file", get(router.clone(), "/pkg/probe.css").await),
        (
            "the vendor API",
            get(router.clone(), "/api/v1/accounts").await,
        ),
        ("the CSV export", get(router.clone(), "/audit.csv").await),
        ("a missing page", get(router.clone(), "/no/such/page").await),
        (
            "a forged request",
            send(
                router.clone(),
                Request::post("/api/system_status")
                    .header("host", "portcullis.test")
                    .header("origin", "http://evil.example")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await,
        ),
        (
            "a body too large",
            send(
                router.clone(),
                Request::post("/api/sign_in")
                    .header("host", "portcullis.test")
                    .header("origin", "http://portcullis.test")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(vec![b'a'; 2 * 1024 * 1024]))
                    .unwrap(),
            )
            .await,
        ),
    ];
    let statuses: Vec<(&str, StatusCode)> = answers.iter().map(|(w, r)| (*w, r.status)).collect();
    assert_eq!(
        statuses,
        [
            ("a server function", StatusCode::OK),
            ("a static file", StatusCode::OK),
            ("the vendor API", StatusCode::UNAUTHORIZED),
            ("the CSV export", StatusCode::UNAUTHORIZED),
            ("a missing page", StatusCode::NOT_FOUND),
            ("a forged request", StatusCode::FORBIDDEN),
            ("a body too large", StatusCode::PAYLOAD_TOO_LARGE),
        ]
    );
    for (what, reply) in &answers {
        assert_hardened(reply, what);
        if *what != "a missing page" {
            assert!(
                header(reply, "content-security-policy").contains("script-src 'none'"),
                "{what}"
            );
        }
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn https_is_remembered_only_when_served_over_it(pool: PgPool) {
    let secure = app(pool, "https://portcullis.example.com");
    for uri in ["/", "/healthz", "/no/such/page"] {
        let reply = get(secure.clone(), uri).await;
        assert_eq!(
            header(&reply, "strict-transport-security"),
            "max-age=31536000; includeSubDomains",
            "{uri}"
        );
    }
}
