//! Signing in and out, sessions that die with deactivation and password
//! changes, and the CSRF gate, over HTTP against the real database.

use crate::common;

use app::{error::AppError, model::validation::Field, state::SessionPolicy};
use axum::http::StatusCode;
use common::{Reply, app, app_with, audit_count, post_form, post_form_with, session_cookie};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";

fn credentials(email: &str, password: &str) -> String {
    format!(
        "email={}&password={}",
        email.replace('@', "%40").replace('+', "%2B"),
        password.replace(' ', "+")
    )
}

async fn sign_in(router: axum::Router, email: &str, password: &str) -> Reply {
    post_form(router, "/api/sign_in", &credentials(email, password)).await
}

async fn who_am_i(router: axum::Router, cookie: &str) -> Option<app::auth::Me> {
    let reply = post_form_with(router, "/api/who_am_i", "", &[("cookie", cookie)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn error_of(reply: &Reply) -> AppError {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn sign_in_starts_a_session_that_knows_the_user_and_their_companies(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let reply = sign_in(router.clone(), PAT, DEMO_PASSWORD).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}: {}",
        reply.status,
        reply.body
    );
    let cookie = session_cookie(&reply).expect("a session cookie");
    let set_cookie = reply.headers["set-cookie"].to_str().unwrap().to_lowercase();
    for attribute in ["httponly", "samesite=strict", "secure", "path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing: {set_cookie}"
        );
    }
    let me = who_am_i(router, &cookie).await.expect("signed in");
    assert_eq!(me.email, PAT);
    assert_eq!(
        me.company_names(),
        ["East Clinic", "North Clinic", "South Clinic"]
    );
    assert!(!me.administrator);
    assert_eq!(audit_count(&pool, "auth.sign_in").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_failed_sign_in_gets_the_same_answer_and_is_audited(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let wrong_password = sign_in(router.clone(), PAT, "not the password").await;
    let unknown_email = sign_in(router.clone(), "nobody@northwind.example", DEMO_PASSWORD).await;
    let inactive = sign_in(
        router.clone(),
        "ivy.inactive@northwind.example",
        DEMO_PASSWORD,
    )
    .await;
    for reply in [&wrong_password, &unknown_email, &inactive] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            error_of(reply),
            AppError::SignInFailed(app::auth::SIGN_IN_FAILED.into())
        );
        assert_eq!(
            session_cookie(reply),
            None,
            "no session for a failed sign-in"
        );
    }
    assert_eq!(audit_count(&pool, "auth.sign_in_failed").await, 3);
    assert_eq!(audit_count(&pool, "auth.sign_in").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn sign_in_with_bad_input_names_the_fields_and_changes_nothing(pool: PgPool) {
    let router = app(pool.clone());
    let reply = post_form(router.clone(), "/api/sign_in", "email=&password=").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let AppError::Invalid(errors) = error_of(&reply) else {
        panic!("{}", reply.body)
    };
    assert!(errors.get(Field::Email).is_some() && errors.get(Field::Password).is_some());
    let overlong = format!("email={}%40x.example&password=x", "a".repeat(300));
    assert!(matches!(
        error_of(&post_form(router.clone(), "/api/sign_in", &overlong).await),
        AppError::Invalid(_)
    ));
    let missing = post_form(router, "/api/sign_in", "email=a%40b.example").await;
    assert!(
        matches!(error_of(&missing), AppError::BadRequest(_)),
        "{}",
        missing.body
    );
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_sign_in_gets_a_new_session_id(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let router = app(pool);
    let first = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    let reply = post_form_with(
        router,
        "/api/sign_in",
        &credentials(PAT, DEMO_PASSWORD),
        &[("cookie", &first)],
    )
    .await;
    let second = session_cookie(&reply).unwrap();
    assert_ne!(first, second);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn deactivation_and_password_change_end_every_session_at_once(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let laptop = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    let phone = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    assert!(who_am_i(router.clone(), &laptop).await.is_some());

    // What a password change does: sessions signed in before now are dead.
    sqlx::query("UPDATE users SET sessions_not_before = now() WHERE email = $1")
        .bind(PAT)
        .execute(&pool)
        .await
        .unwrap();
    assert!(who_am_i(router.clone(), &laptop).await.is_none());
    assert!(who_am_i(router.clone(), &phone).await.is_none());

    let fresh = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    assert!(who_am_i(router.clone(), &fresh).await.is_some());
    sqlx::query("UPDATE users SET status = 'inactive' WHERE email = $1")
        .bind(PAT)
        .execute(&pool)
        .await
        .unwrap();
    assert!(who_am_i(router, &fresh).await.is_none());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_session_ends_at_its_absolute_lifetime(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let router = app_with(
        pool,
        SessionPolicy {
            absolute_lifetime: chrono::Duration::zero(),
            ..SessionPolicy::default()
        },
    );
    let cookie = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    assert!(who_am_i(router, &cookie).await.is_none());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn sign_out_ends_the_session_and_deletes_it(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let cookie = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    let sessions = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM tower_sessions.session")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(sessions().await, 1);
    let reply = post_form_with(router.clone(), "/api/sign_out", "", &[("cookie", &cookie)]).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.status
    );
    assert_eq!(sessions().await, 0);
    assert!(who_am_i(router, &cookie).await.is_none());
    assert_eq!(audit_count(&pool, "auth.sign_out").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn who_am_i_and_sign_out_refuse_nothing_to_anonymous_callers_and_reveal_nothing(
    pool: PgPool,
) {
    let router = app(pool.clone());
    assert!(
        who_am_i(router.clone(), "__Host-portcullis=forged-session-id")
            .await
            .is_none()
    );
    let reply = post_form(router, "/api/sign_out", "").await;
    assert!(reply.status.is_success() || reply.status.is_redirection());
    assert_eq!(
        audit_count(&pool, "auth.sign_out").await,
        0,
        "an anonymous sign-out changes nothing"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn cross_origin_or_unproven_posts_are_refused_and_change_nothing(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let body = credentials(PAT, DEMO_PASSWORD);
    for headers in [
        vec![
            ("origin", "http://evil.example"),
            ("host", "portcullis.test"),
        ],
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://portcullis.test"),
            ("host", "portcullis.test"),
        ],
        vec![("host", "portcullis.test")],
    ] {
        let mut request = axum::http::Request::post("/api/sign_in")
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let reply = common::send(
            router.clone(),
            request.body(axum::body::Body::from(body.clone())).unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(session_cookie(&reply), None);
    }
    assert_eq!(audit_count(&pool, "auth.sign_in").await, 0);
    assert_eq!(audit_count(&pool, "auth.sign_in_failed").await, 0);
}

#[test]
fn no_server_function_answers_get() {
    let paths: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(paths.len() >= 4, "{paths:?}");
    for (path, method) in paths {
        assert_eq!(method, axum::http::Method::POST, "{path} must be POST-only");
    }
}

fn too_many(reply: &Reply) -> String {
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    match error_of(reply) {
        AppError::TooManyAttempts(message) => message,
        other => panic!("{other:?}"),
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn five_failures_lock_the_email_even_against_the_right_password(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    for _ in 0..4 {
        assert_eq!(
            sign_in(router.clone(), PAT, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let fifth = too_many(&sign_in(router.clone(), PAT, "wrong password").await);
    assert!(
        fifth.starts_with("Too many failed sign-ins for this email address. Try again after "),
        "{fifth}"
    );
    let right = sign_in(router.clone(), PAT, DEMO_PASSWORD).await;
    assert_eq!(too_many(&right), fifth, "locked means locked");
    assert_eq!(session_cookie(&right), None);
    assert_eq!(audit_count(&pool, "auth.lockout").await, 1);

    // When the lock ends, the right password works and clears the record.
    sqlx::query("UPDATE sign_in_lockouts SET locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(session_cookie(&sign_in(router, PAT, DEMO_PASSWORD).await).is_some());
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_lockouts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_unknown_email_is_locked_exactly_like_a_real_one(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let mut real = vec![];
    let mut unknown = vec![];
    for _ in 0..6 {
        real.push(sign_in(router.clone(), PAT, "wrong password").await);
        unknown.push(sign_in(router.clone(), "ghost@northwind.example", "wrong password").await);
    }
    for (r, u) in real.iter().zip(&unknown) {
        assert_eq!(r.status, u.status);
        let (r, u) = (error_of(r), error_of(u));
        assert_eq!(std::mem::discriminant(&r), std::mem::discriminant(&u));
    }
    assert_eq!(unknown[5].status, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_new_lock_lasts_longer(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let lock = || async {
        for _ in 0..5 {
            sign_in(router.clone(), PAT, "wrong password").await;
        }
        let minutes: f64 = sqlx::query_scalar(
            "SELECT extract(epoch FROM locked_until - now())::float8 / 60 FROM sign_in_lockouts",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("UPDATE sign_in_lockouts SET locked_until = now() - interval '1 second'")
            .execute(&pool)
            .await
            .unwrap();
        minutes
    };
    let first = lock().await;
    let second = lock().await;
    assert!((14.0..=15.0).contains(&first), "{first}");
    assert!((29.0..=30.0).contains(&second), "{second}");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_client_address_is_limited_across_many_emails(pool: PgPool) {
    let router = app(pool.clone());
    let from = |email: String| {
        let router = router.clone();
        async move {
            let mut request = axum::http::Request::post("/api/sign_in")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "portcullis.test")
                .header("origin", "http://portcullis.test")
                .body(axum::body::Body::from(credentials(
                    &email,
                    "wrong password",
                )))
                .unwrap();
            let peer: std::net::SocketAddr = "192.0.2.7:5555".parse().unwrap();
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            common::send(router, request).await
        }
    };
    for i in 0..20 {
        assert_eq!(
            from(format!("user{i}@spray.example")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = too_many(&from("user99@spray.example".into()).await);
    assert_eq!(
        refused,
        "Too many failed sign-ins from your network. Try again in 15 minutes."
    );
    // Another address is not affected.
    assert_eq!(
        sign_in(router, "user99@spray.example", "wrong password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn signing_in_over_a_session_replaces_its_id(pool: PgPool) {
    // A session id known before the sign-in (planted, or the last
    // person's at a shared desk) is worth nothing after it.
    let router = common::demo_app(&pool).await;
    let first = session_cookie(&sign_in(router.clone(), PAT, DEMO_PASSWORD).await).unwrap();
    let again = post_form_with(
        router.clone(),
        "/api/sign_in",
        &credentials(PAT, DEMO_PASSWORD),
        &[("cookie", &first)],
    )
    .await;
    let second = session_cookie(&again).expect("a new cookie");
    assert_ne!(first, second);
    assert!(
        who_am_i(router.clone(), &first).await.is_none(),
        "the old id is dead"
    );
    assert!(who_am_i(router, &second).await.is_some());
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the old session's row is gone");
}
