//! The own-profile server functions: validation shared with the browser,
//! optimistic concurrency, audit with before/after, and a password change
//! that ends every session.

use crate::common;

use app::{
    error::AppError,
    model::validation::{
        COMMON_PASSWORD_MESSAGE, EMAIL_MESSAGE, FIRST_NAME_MESSAGE, Field, PROFILE_SAVED_MESSAGE,
    },
    profile::{CURRENT_PASSWORD_WRONG, EMAIL_TAKEN, PASSWORDS_DIFFER, Profile},
};
use axum::{Router, http::StatusCode};
use common::{app, audit_count, call, invalid_call, post_form, session_cookie};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const CATHY: &str = "cathy.customer@northwind.example";

async fn signed_in(pool: &PgPool) -> (Router, String) {
    server::demo::seed(pool).await.unwrap();
    let router = app(pool.clone());
    let reply = post_form(
        router.clone(),
        "/api/sign_in",
        &format!(
            "email={}&password={DEMO_PASSWORD}",
            CATHY.replace('@', "%40")
        ),
    )
    .await;
    (router, session_cookie(&reply).unwrap())
}

async fn profile(router: &Router, cookie: &str) -> Profile {
    let reply = call(router, cookie, "load_profile", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn anonymous_callers_are_refused_by_every_profile_function(pool: PgPool) {
    let router = app(pool.clone());
    for (endpoint, form) in [
        ("load_profile", ""),
        (
            "update_profile",
            "first_name=Eve&last_name=Hacker&email=eve%40x.example&version=1",
        ),
        (
            "change_password",
            "current_password=x&new_password=aaaaaaaaaaaa&confirm_password=aaaaaaaaaaaa",
        ),
    ] {
        let reply = post_form(router.clone(), &format!("/api/{endpoint}"), form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}: {}",
            reply.body
        );
        assert_eq!(
            serde_json::from_str::<AppError>(&reply.body).unwrap(),
            AppError::Unauthorized
        );
    }
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn update_profile_saves_audits_and_says_so(pool: PgPool) {
    let (router, cookie) = signed_in(&pool).await;
    let before = profile(&router, &cookie).await;
    let form = format!(
        "first_name=Catherine&last_name=O%27Brien&email=Cathy.OBrien%40Northwind.example&version={}",
        before.version
    );
    let reply = call(&router, &cookie, "update_profile", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        serde_json::from_str::<String>(&reply.body).unwrap(),
        PROFILE_SAVED_MESSAGE
    );
    let after = profile(&router, &cookie).await;
    assert_eq!(
        after,
        Profile {
            first_name: "Catherine".into(),
            last_name: "O'Brien".into(),
            email: "cathy.obrien@northwind.example".into(),
            version: before.version + 1
        }
    );
    let (old, new): (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "SELECT before, after FROM audit_events WHERE action = 'user.update_own_profile'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (old["first_name"].as_str(), new["first_name"].as_str()),
        (Some("Cathy"), Some("Catherine"))
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn update_profile_rejects_bad_input_with_the_shared_messages_and_changes_nothing(
    pool: PgPool,
) {
    let (router, cookie) = signed_in(&pool).await;
    let before = profile(&router, &cookie).await;
    let form = format!(
        "first_name=C4thy&last_name=Customer&email=not-an-email&version={}",
        before.version
    );
    let errors = invalid_call(&router, &cookie, "update_profile", &form).await;
    assert_eq!(errors.get(Field::FirstName), Some(FIRST_NAME_MESSAGE));
    assert_eq!(errors.get(Field::Email), Some(EMAIL_MESSAGE));
    assert_eq!(profile(&router, &cookie).await, before);
    assert_eq!(audit_count(&pool, "user.update_own_profile").await, 0);

    // Another user's email, in another case.
    let form = format!(
        "first_name=Cathy&last_name=Customer&email=ADA.ADMIN%40northwind.example&version={}",
        before.version
    );
    let errors = invalid_call(&router, &cookie, "update_profile", &form).await;
    assert_eq!(errors.get(Field::Email), Some(EMAIL_TAKEN));
    assert_eq!(profile(&router, &cookie).await, before);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_stale_profile_form_is_refused_instead_of_overwriting(pool: PgPool) {
    let (router, cookie) = signed_in(&pool).await;
    let opened = profile(&router, &cookie).await;
    let first = format!(
        "first_name=Cat&last_name=One&email={}&version={}",
        CATHY.replace('@', "%40"),
        opened.version
    );
    assert_eq!(
        call(&router, &cookie, "update_profile", &first)
            .await
            .status,
        StatusCode::OK
    );
    let second = format!(
        "first_name=Cat&last_name=Two&email={}&version={}",
        CATHY.replace('@', "%40"),
        opened.version
    );
    let reply = call(&router, &cookie, "update_profile", &second).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(profile(&router, &cookie).await.last_name, "One");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn change_password_checks_the_current_one_and_the_policy(pool: PgPool) {
    let (router, cookie) = signed_in(&pool).await;
    let wrong = invalid_call(
        &router,
        &cookie,
        "change_password",
        "current_password=nope&new_password=brand+new+secret&confirm_password=brand+new+secret",
    )
    .await;
    assert_eq!(
        wrong.get(Field::CurrentPassword),
        Some(CURRENT_PASSWORD_WRONG)
    );
    let short = invalid_call(
        &router,
        &cookie,
        "change_password",
        &format!("current_password={DEMO_PASSWORD}&new_password=short&confirm_password=short"),
    )
    .await;
    assert!(short.get(Field::Password).is_some());
    let differ = invalid_call(&router, &cookie, "change_password", &format!("current_password={DEMO_PASSWORD}&new_password=brand+new+secret&confirm_password=brand+new+secreT")).await;
    assert_eq!(differ.get(Field::ConfirmPassword), Some(PASSWORDS_DIFFER));
    let common = invalid_call(
        &router,
        &cookie,
        "change_password",
        &format!(
            "current_password={DEMO_PASSWORD}&new_password=Password123&confirm_password=Password123"
        ),
    )
    .await;
    assert_eq!(common.get(Field::Password), Some(COMMON_PASSWORD_MESSAGE));
    assert_eq!(audit_count(&pool, "auth.password_change").await, 0);
    // Still signed in, old password still valid.
    assert_eq!(
        call(&router, &cookie, "load_profile", "").await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_password_change_signs_out_every_session_including_this_one(pool: PgPool) {
    let (router, laptop) = signed_in(&pool).await;
    let phone = session_cookie(
        &post_form(
            router.clone(),
            "/api/sign_in",
            &format!(
                "email={}&password={DEMO_PASSWORD}",
                CATHY.replace('@', "%40")
            ),
        )
        .await,
    )
    .unwrap();
    let reply = call(&router, &laptop, "change_password", &format!("current_password={DEMO_PASSWORD}&new_password=brand+new+secret&confirm_password=brand+new+secret")).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}: {}",
        reply.status,
        reply.body
    );
    for cookie in [&laptop, &phone] {
        assert_eq!(
            call(&router, cookie, "load_profile", "").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let old = post_form(
        router.clone(),
        "/api/sign_in",
        &format!(
            "email={}&password={DEMO_PASSWORD}",
            CATHY.replace('@', "%40")
        ),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = post_form(
        router,
        "/api/sign_in",
        &format!(
            "email={}&password=brand+new+secret",
            CATHY.replace('@', "%40")
        ),
    )
    .await;
    assert!(session_cookie(&new).is_some());
    assert_eq!(audit_count(&pool, "auth.password_change").await, 1);
}
