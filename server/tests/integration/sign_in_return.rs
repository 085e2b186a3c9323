//! A signed-out request for a signed-in page is sent to sign in, and
//! signing in goes back there (through the second factor when one is due);
//! only to pages of this site.

use crate::common;

use axum::http::StatusCode;
use common::{Reply, call, enrolled_admin_session, post_form, session_cookie, totp_code};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";

fn location(reply: &Reply) -> Option<&str> {
    reply.headers.get("location").and_then(|v| v.to_str().ok())
}

async fn sign_in_to(router: &axum::Router, email: &str, next: &str) -> Reply {
    let form = format!(
        "email={}&password={}&next={next}",
        email.replace('@', "%40"),
        DEMO_PASSWORD.replace(' ', "+")
    );
    post_form(router.clone(), "/api/sign_in", &form).await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn signed_in_pages_send_a_visitor_to_sign_in_and_back(pool: PgPool) {
    let router = common::demo_app(&pool).await;

    // As a browser asks for a page.
    let browse = |uri: &str, cookie: &str| {
        let mut request = axum::http::Request::get(uri).header("accept", "text/html");
        if !cookie.is_empty() {
            request = request.header("cookie", cookie);
        }
        common::send(
            router.clone(),
            request.body(axum::body::Body::empty()).unwrap(),
        )
    };
    for (page, next) in [
        ("/users", "%2Fusers"),
        ("/profile", "%2Fprofile"),
        ("/claims?status=denied", "%2Fclaims%3Fstatus%3Ddenied"),
        ("/users/1", "%2Fusers%2F1"),
        ("/roles", "%2Froles"),
        ("/audit", "%2Faudit"),
        ("/settings", "%2Fsettings"),
        ("/support", "%2Fsupport"),
        ("/accounts", "%2Faccounts"),
        ("/two-factor", "%2Ftwo-factor"),
    ] {
        let reply = browse(page, "").await;
        assert_eq!(reply.status, StatusCode::FOUND, "{page}");
        assert_eq!(
            location(&reply),
            Some(format!("/sign-in?next={next}").as_str()),
            "{page}"
        );
    }
    // The start page and the sign-in page are for visitors too.
    for page in ["/", "/sign-in", "/forgot-password"] {
        assert_eq!(browse(page, "").await.status, StatusCode::OK, "{page}");
    }

    // Signing in goes back to the page asked for.
    let reply = sign_in_to(&router, PAT, "%2Fclaims%3Fstatus%3Ddenied").await;
    assert_eq!(location(&reply), Some("/claims?status=denied"));
    let cookie = session_cookie(&reply).unwrap();
    let page = browse("/claims?status=denied", &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "signed in, the page is served");
    assert!(page.body.contains("<h1>Claims<!></h1>"), "{}", page.body);

    // Anywhere else is not followed: the start page instead.
    for elsewhere in [
        "https%3A%2F%2Fevil.example%2F",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "%2Fsign-in",
        "",
    ] {
        let reply = sign_in_to(&router, PAT, elsewhere).await;
        assert_eq!(location(&reply), Some("/"), "next={elsewhere}");
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_page_asked_for_waits_through_the_second_factor(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let (_, secret) = enrolled_admin_session(&router, ADA).await;

    let reply = sign_in_to(&router, ADA, "%2Fusers%3Fq%3Dpat").await;
    assert_eq!(location(&reply), Some("/two-factor"));
    let cookie = session_cookie(&reply).unwrap();
    // The enrolment's own code is spent: the next one.
    let verified = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={}", totp_code(&secret, 30)),
    )
    .await;
    assert!(
        verified.status.is_success() || verified.status.is_redirection(),
        "{}",
        verified.body
    );
    assert_eq!(location(&verified), Some("/users?q=pat"));

    // A later sign-in without `next` starts at the start page. (The codes
    // spent above are forgotten, so this one need not wait a step.)
    sqlx::query("UPDATE user_totp SET last_step = NULL")
        .execute(&pool)
        .await
        .unwrap();
    let again = sign_in_to(&router, ADA, "").await;
    let cookie = session_cookie(&again).unwrap();
    let verified = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={}", totp_code(&secret, 0)),
    )
    .await;
    assert_eq!(location(&verified), Some("/"), "{}", verified.body);
}
