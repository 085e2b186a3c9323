//! The release site's files: named by content hash, kept by browsers for a
//! year, sent in the compression the browser accepts; pages asked for again
//! each time and naming the hashed files.

use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

use server::static_files::{IMMUTABLE, REVALIDATE, use_hashed_names};

const WASM_HASH: &str = "AbCdEfGhIjKlMnOpQrStUv";
const JS_HASH: &str = "0123456789abcdefghij-_";
const CSS_HASH: &str = "ZyXwVuTsRqPoNmLkJiHgFe";

/// A site as scripts/build-site.sh leaves it: hashed names, each with a
/// brotli and a gzip copy (stand-ins: what matters is which one is sent),
/// the hash list, and a file without a hash.
fn site() -> std::path::PathBuf {
    let site = std::env::temp_dir().join(format!("portcullis-hashed-site-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, content) in [
        (format!("portcullis.{WASM_HASH}.wasm"), "raw wasm"),
        (format!("portcullis.{JS_HASH}.js"), "export {}"),
        (
            format!("portcullis.{CSS_HASH}.css"),
            "body { color: black }",
        ),
    ] {
        std::fs::write(pkg.join(&name), content).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), "brotli copy").unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), "gzip copy").unwrap();
    }
    std::fs::write(site.join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(
        site.join("hash.txt"),
        format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n"),
    )
    .unwrap();
    site
}

fn router(pool: PgPool) -> Router {
    let mut leptos_options = LeptosOptions::builder()
        .output_name("portcullis")
        .site_root(site().to_string_lossy().into_owned())
        .build();
    use_hashed_names(&mut leptos_options);
    assert!(leptos_options.hash_files, "the hash list is found");
    crate::common::app_over_site(pool, leptos_options)
}

async fn fetch(
    router: &Router,
    uri: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, HeaderMap, Bytes) {
    let mut request = Request::get(uri);
    if let Some(encodings) = accept_encoding {
        request = request.header("accept-encoding", encodings);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn hashed_files_are_kept_for_a_year_in_the_encoding_asked_for(pool: PgPool) {
    let router = router(pool);
    let wasm = format!("/pkg/portcullis.{WASM_HASH}.wasm");
    for (accepts, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "brotli copy"),
        (Some("gzip"), Some("gzip"), "gzip copy"),
        (None, None, "raw wasm"),
    ] {
        let (status, headers, bytes) = fetch(&router, &wasm, accepts).await;
        assert_eq!(status, StatusCode::OK, "{accepts:?}");
        assert_eq!(
            header(&headers, "content-encoding"),
            encoding,
            "{accepts:?}"
        );
        assert_eq!(bytes, body.as_bytes(), "{accepts:?}");
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(
            header(&headers, "cache-control"),
            Some(IMMUTABLE),
            "{accepts:?}"
        );
        assert_eq!(
            header(&headers, "vary"),
            Some("accept-encoding"),
            "{accepts:?}"
        );
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn unhashed_files_missing_files_and_pages_are_asked_for_again(pool: PgPool) {
    let router = router(pool);
    let (status, headers, _) = fetch(&router, "/favicon.svg", Some("br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "cache-control"), Some(REVALIDATE));

    // A hashed name that is not there is a page (404), never kept.
    let missing = "/pkg/portcullis.QQQQQQQQQQQQQQQQQQQQQQ.wasm";
    let (status, headers, _) = fetch(&router, missing, Some("br")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(header(&headers, "cache-control"), Some(REVALIDATE));

    let (status, headers, page) = fetch(&router, "/sign-in", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "cache-control"), Some(REVALIDATE));
    let page = String::from_utf8(page.to_vec()).unwrap();
    for file in [
        format!("/pkg/portcullis.{CSS_HASH}.css"),
        format!("/pkg/portcullis.{JS_HASH}.js"),
    ] {
        assert!(page.contains(&file), "the page names {file}");
    }
    // The script loads the bundle by its hashed name.
    assert!(
        page.contains(&format!(
            "module_or_path: \"/pkg/portcullis.{WASM_HASH}.wasm\""
        )),
        "{page}"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn pages_are_compressed_as_the_browser_accepts(pool: PgPool) {
    use std::io::Read;
    let router = router(pool);
    let heading = "<h1 id=\"sign-in-heading\">Sign in</h1>";
    let (_, headers, plain) = fetch(&router, "/sign-in", None).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    let plain = String::from_utf8(plain.to_vec()).unwrap();
    assert!(plain.contains(heading), "{plain}");
    for accepts in ["gzip, deflate, br", "gzip"] {
        let (status, headers, body) = fetch(&router, "/sign-in", Some(accepts)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            header(&headers, "vary").is_some_and(|v| v.contains("accept-encoding")),
            "{headers:?}"
        );
        let mut page = String::new();
        match header(&headers, "content-encoding") {
            Some("br") if accepts.contains("br") => {
                brotli_decompressor::Decompressor::new(&body[..], 4096)
                    .read_to_string(&mut page)
                    .unwrap();
            }
            Some("gzip") if !accepts.contains("br") => {
                flate2::read::GzDecoder::new(&body[..])
                    .read_to_string(&mut page)
                    .unwrap();
            }
            other => panic!("{accepts}: sent as {other:?}"),
        }
        assert!(page.contains(heading), "{accepts}: {page}");
        assert!(
            body.len() * 2 < plain.len(),
            "{accepts}: {} bytes of {}",
            body.len(),
            plain.len()
        );
    }
}

/// A page still rendering on this worker thread (its reactive owner left
/// current there) keeps its response headers while a file is served: the
/// handler that served files before made the file's owner a child of that
/// one and moved the page's headers onto the file, and the page went out
/// without its Content-Security-Policy (its scripts refused by the browser,
/// so it never became interactive: Playwright's polish spec, now and then).
#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_file_leaves_the_headers_of_a_page_being_rendered_alone(pool: PgPool) {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    use leptos::prelude::{Owner, provide_context};
    use leptos_axum::ResponseOptions;

    let router = router(pool);
    let page = Owner::new_root(None);
    let page_response = ResponseOptions::default();
    page.with(|| provide_context(page_response.clone()));
    let policy = HeaderValue::from_static("script-src 'nonce-of-the-page'");
    page_response.insert_header(CONTENT_SECURITY_POLICY, policy.clone());
    page.set();
    let files = [
        format!("/pkg/portcullis.{WASM_HASH}.wasm"),
        "/favicon.svg".to_owned(),
    ];
    for file in &files {
        let (status, headers, _) = fetch(&router, file, Some("br")).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        assert_ne!(
            headers.get(CONTENT_SECURITY_POLICY),
            Some(&policy),
            "{file} took the page's policy"
        );
    }
    page.unset();
    let kept = page_response.0.read().unwrap();
    assert_eq!(kept.headers.get(CONTENT_SECURITY_POLICY), Some(&policy));
}

#[test]
fn a_site_without_a_hash_list_keeps_plain_names() {
    let site = std::env::temp_dir().join(format!("portcullis-plain-site-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    let mut options = LeptosOptions::builder()
        .output_name("portcullis")
        .site_root(site.to_string_lossy().into_owned())
        .build();
    use_hashed_names(&mut options);
    assert!(!options.hash_files);
}
