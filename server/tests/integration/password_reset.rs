//! Forgot password: always the same answer, a link mailed through the
//! outbox, a token stored hashed that works once and within the hour, and a
//! new password that ends every session and lifts a lockout.

use crate::common;

use app::{
    auth::reset_api::{LINK_EXPIRED, PasswordLink, RESET_REQUESTED},
    mail::MailView,
    model::validation::{EMAIL_MESSAGE, Field, PASSWORDS_DIFFER},
};
use axum::{Router, http::StatusCode};
use common::{
    Reply, app_with_mail, audit_count, call, conflict, conflicting_call, invalid, post_form,
    session_cookie, sign_in,
};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";
const NEW_PASSWORD: &str = "violet+harbour+lantern";

async fn request(router: &Router, email: &str) -> Reply {
    post_form(
        router.clone(),
        "/api/request_password_reset",
        &format!("email={}", email.replace('@', "%40")),
    )
    .await
}

async fn mailbox(router: &Router) -> Vec<MailView> {
    let reply = call(router, "", "load_mailbox", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The token of the newest mailed link.
async fn mailed_token(router: &Router) -> String {
    let mail = mailbox(router).await;
    let link = mail[0].link().unwrap();
    assert!(
        link.starts_with("http://portcullis.test/reset-password?token="),
        "{link}"
    );
    link.rsplit('=').next().unwrap().to_owned()
}

async fn reset(router: &Router, token: &str, new: &str, confirm: &str) -> Reply {
    call(
        router,
        "",
        "reset_password",
        &format!("token={token}&new_password={new}&confirm_password={confirm}"),
    )
    .await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_known_and_an_unknown_email_get_the_same_answer_and_only_one_gets_mail(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let known = request(&router, PAT).await;
    let unknown = request(&router, "nobody@northwind.example").await;
    let inactive = request(&router, "ivy.inactive@northwind.example").await;
    for reply in [&known, &unknown, &inactive] {
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            serde_json::from_str::<String>(&reply.body).unwrap(),
            RESET_REQUESTED
        );
    }
    let mail = mailbox(&router).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].to, PAT);
    assert_eq!(mail[0].subject, "Reset your Portcullis password");
    let token = mailed_token(&router).await;
    assert_eq!(token.len(), 64);
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM password_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token.as_bytes(), "only the hash is stored");
    assert_eq!(audit_count(&pool, "auth.password_reset_request").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_link_sets_a_new_password_once_and_ends_every_session(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let old_session = session_cookie(&sign_in(&router, PAT, DEMO_PASSWORD).await).unwrap();
    request(&router, PAT).await;
    let token = mailed_token(&router).await;

    let checked = call(
        &router,
        "",
        "check_password_link",
        &format!("token={token}"),
    )
    .await;
    let link: PasswordLink = serde_json::from_str(&checked.body).unwrap();
    assert_eq!(
        link,
        PasswordLink {
            email: PAT.to_owned(),
            invitation: false
        }
    );

    // Bad input changes nothing, and the link still works afterwards.
    let short = reset(&router, &token, "short", "short").await;
    assert!(invalid(&short).get(Field::Password).is_some());
    let differ = reset(&router, &token, NEW_PASSWORD, "violet+harbour+lanterns").await;
    assert_eq!(
        invalid(&differ).get(Field::ConfirmPassword),
        Some(PASSWORDS_DIFFER)
    );
    assert_eq!(
        call(&router, &old_session, "load_profile", "").await.status,
        StatusCode::OK
    );

    let done = reset(&router, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.body
    );
    assert_eq!(
        call(&router, &old_session, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED,
        "every session ends"
    );
    assert_eq!(
        conflict(&reset(&router, &token, NEW_PASSWORD, NEW_PASSWORD).await),
        LINK_EXPIRED
    );
    assert_eq!(
        conflicting_call(
            &router,
            "",
            "check_password_link",
            &format!("token={token}")
        )
        .await,
        LINK_EXPIRED
    );
    assert_eq!(
        sign_in(&router, PAT, DEMO_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let fresh = sign_in(&router, PAT, "violet harbour lantern").await;
    assert!(session_cookie(&fresh).is_some(), "{}", fresh.body);
    assert_eq!(audit_count(&pool, "auth.password_reset").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn expired_forged_and_malformed_links_are_refused(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    request(&router, PAT).await;
    let token = mailed_token(&router).await;
    sqlx::query("UPDATE password_tokens SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        conflict(&reset(&router, &token, NEW_PASSWORD, NEW_PASSWORD).await),
        LINK_EXPIRED
    );
    let forged = "0".repeat(64);
    assert_eq!(
        conflict(&reset(&router, &forged, NEW_PASSWORD, NEW_PASSWORD).await),
        LINK_EXPIRED
    );
    assert_eq!(
        conflict(&reset(&router, "not-a-token", NEW_PASSWORD, NEW_PASSWORD).await),
        LINK_EXPIRED
    );
    assert!(
        session_cookie(&sign_in(&router, PAT, DEMO_PASSWORD).await).is_some(),
        "password unchanged"
    );
    assert_eq!(audit_count(&pool, "auth.password_reset").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn requests_are_validated_and_limited_to_three_mails_an_hour(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let bad = request(&router, "not-an-email").await;
    assert_eq!(invalid(&bad).get(Field::Email), Some(EMAIL_MESSAGE));
    for _ in 0..5 {
        assert_eq!(request(&router, PAT).await.status, StatusCode::OK);
    }
    assert_eq!(mailbox(&router).await.len(), 3);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_reset_lifts_a_lockout(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    for _ in 0..app::auth::throttle::MAX_FAILURES {
        sign_in(&router, PAT, "wrong password").await;
    }
    assert_eq!(
        sign_in(&router, PAT, DEMO_PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    request(&router, PAT).await;
    let token = mailed_token(&router).await;
    reset(&router, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(session_cookie(&sign_in(&router, PAT, "violet harbour lantern").await).is_some());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_development_mailbox_does_not_exist_unless_switched_on(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let router = app_with_mail(pool.clone(), Default::default(), false);
    request(&router, PAT).await;
    assert_eq!(
        call(&router, "", "load_mailbox", "").await.status,
        StatusCode::NOT_FOUND
    );
}
