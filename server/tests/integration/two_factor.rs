//! Two-factor sign-in: Administrators must enrol before anything else, every
//! later sign-in asks for a code, a code is accepted once, recovery codes
//! are single-use, and guessing is throttled like passwords.

use crate::common;

use app::{
    auth::two_factor_api::{CODE_SHAPE, CODE_WRONG, EnrolmentView, TwoFactorState},
    model::validation::Field,
};
use axum::{Router, http::StatusCode};
use common::{Reply, audit_count, call, invalid, session_cookie, sign_in};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";

fn code(secret: &str, offset: i64) -> String {
    common::totp_code(secret, offset)
}

fn status_of(reply: &Reply) -> TwoFactorState {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The cookie after a call that may have rotated the session id.
fn cookie_after(reply: &Reply, before: &str) -> String {
    session_cookie(reply).unwrap_or_else(|| before.to_owned())
}

async fn signed_in_halfway(router: &Router, email: &str) -> String {
    let reply = sign_in(router, email, DEMO_PASSWORD).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(
        reply.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/two-factor"),
        "the password step sends an Administrator on to the second factor"
    );
    session_cookie(&reply).unwrap()
}

/// Enrols Ada; returns (cookie, secret, recovery codes).
async fn enrolled_admin(router: &Router) -> (String, String, Vec<String>) {
    let cookie = signed_in_halfway(router, ADA).await;
    let begun = call(router, &cookie, "begin_two_factor", "").await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let view: EnrolmentView = serde_json::from_str(&begun.body).unwrap();
    assert!(view.qr_svg.starts_with("<?xml") || view.qr_svg.contains("<svg"));
    let confirmed = call(
        router,
        &cookie,
        "confirm_two_factor",
        &format!("code={}", code(&view.secret, 0)),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: Vec<String> = serde_json::from_str(&confirmed.body).unwrap();
    (cookie_after(&confirmed, &cookie), view.secret, codes)
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_administrator_must_enrol_before_doing_anything_else(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let cookie = signed_in_halfway(&router, ADA).await;

    for endpoint in ["load_profile", "new_recovery_codes"] {
        let reply = call(&router, &cookie, endpoint, "").await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}: {}",
            reply.body
        );
    }
    let who: Option<app::auth::Me> =
        serde_json::from_str(&call(&router, &cookie, "who_am_i", "").await.body).unwrap();
    assert_eq!(who, None, "halfway is not signed in");
    let state = status_of(&call(&router, &cookie, "two_factor_status", "").await);
    assert_eq!(
        (state.due, state.enrolled, state.required),
        (true, false, true)
    );

    // The same key comes back on reload, so a scanned QR code stays valid.
    let first: EnrolmentView =
        serde_json::from_str(&call(&router, &cookie, "begin_two_factor", "").await.body).unwrap();
    let again: EnrolmentView =
        serde_json::from_str(&call(&router, &cookie, "begin_two_factor", "").await.body).unwrap();
    assert_eq!(first.secret, again.secret);

    // A wrong code changes nothing.
    let right = code(&first.secret, 0);
    let wrong_code = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let wrong = call(
        &router,
        &cookie,
        "confirm_two_factor",
        &format!("code={wrong_code}"),
    )
    .await;
    assert!(
        matches!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY),
        "{}",
        wrong.body
    );
    assert_eq!(invalid(&wrong).get(Field::Code), Some(CODE_WRONG));
    assert_eq!(audit_count(&pool, "auth.two_factor_enrol").await, 0);
    assert_eq!(
        call(&router, &cookie, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED
    );

    let confirmed = call(
        &router,
        &cookie,
        "confirm_two_factor",
        &format!("code={}", code(&first.secret, 0)),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: Vec<String> = serde_json::from_str(&confirmed.body).unwrap();
    assert_eq!(codes.len(), 10);
    let cookie = cookie_after(&confirmed, &cookie);
    assert_eq!(
        call(&router, &cookie, "load_profile", "").await.status,
        StatusCode::OK
    );
    assert_eq!(audit_count(&pool, "auth.two_factor_enrol").await, 1);
    let hashes: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 10);
    assert!(
        hashes.iter().all(|h| codes
            .iter()
            .all(|c| !h.windows(c.len()).any(|w| w == c.as_bytes()))),
        "codes are stored hashed"
    );
    let again = call(&router, &cookie, "begin_two_factor", "").await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "enrolment cannot be overwritten"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_later_sign_in_asks_for_a_code_that_is_accepted_once(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let (_, secret, _) = enrolled_admin(&router).await;
    let used = code(&secret, 0);

    let cookie = signed_in_halfway(&router, ADA).await;
    let state = status_of(&call(&router, &cookie, "two_factor_status", "").await);
    assert_eq!((state.due, state.enrolled), (true, true));
    let replay = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={used}"),
    )
    .await;
    assert_eq!(
        invalid(&replay).get(Field::Code),
        Some(CODE_WRONG),
        "a code is accepted once"
    );
    assert_eq!(
        call(&router, &cookie, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED
    );

    // The next step's code (one step of clock skew is allowed) goes through.
    let next = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={}", code(&secret, 30)),
    )
    .await;
    assert!(
        next.status.is_success() || next.status.is_redirection(),
        "{}",
        next.body
    );
    let rotated = session_cookie(&next).unwrap();
    assert_ne!(rotated, cookie, "the session id changes with the privilege");
    assert_eq!(
        call(&router, &rotated, "load_profile", "").await.status,
        StatusCode::OK
    );
    assert_eq!(audit_count(&pool, "auth.second_factor").await, 1);
    assert_eq!(audit_count(&pool, "auth.second_factor_failed").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_recovery_code_signs_in_once(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let (_, _, codes) = enrolled_admin(&router).await;

    let cookie = signed_in_halfway(&router, ADA).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let reply = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={}", typed.replace(' ', "+")),
    )
    .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let cookie = session_cookie(&reply).unwrap();
    let state = status_of(&call(&router, &cookie, "two_factor_status", "").await);
    assert_eq!((state.due, state.recovery_codes_left), (false, 9));
    assert_eq!(audit_count(&pool, "auth.recovery_code_use").await, 1);

    let again = signed_in_halfway(&router, ADA).await;
    let reuse = call(
        &router,
        &again,
        "verify_two_factor",
        &format!("code={}", codes[3]),
    )
    .await;
    assert_eq!(invalid(&reuse).get(Field::Code), Some(CODE_WRONG));

    // New codes replace every old one.
    let renewed = call(&router, &cookie, "new_recovery_codes", "").await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let old = call(
        &router,
        &again,
        "verify_two_factor",
        &format!("code={}", codes[4]),
    )
    .await;
    assert_eq!(invalid(&old).get(Field::Code), Some(CODE_WRONG));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn guessing_codes_locks_the_account_like_guessing_passwords(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let (_, secret, _) = enrolled_admin(&router).await;
    let cookie = signed_in_halfway(&router, ADA).await;
    let right = code(&secret, 30);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    let mut last = None;
    for _ in 0..app::auth::throttle::MAX_FAILURES {
        last = Some(
            call(
                &router,
                &cookie,
                "verify_two_factor",
                &format!("code={wrong}"),
            )
            .await,
        );
    }
    assert_eq!(last.unwrap().status, StatusCode::TOO_MANY_REQUESTS);
    let locked = call(
        &router,
        &cookie,
        "verify_two_factor",
        &format!("code={right}"),
    )
    .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right code waits"
    );
    assert_eq!(
        call(&router, &cookie, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn anonymous_callers_and_bad_input_are_refused_with_nothing_changed(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    for endpoint in [
        "two_factor_status",
        "begin_two_factor",
        "confirm_two_factor",
        "verify_two_factor",
        "new_recovery_codes",
    ] {
        let reply = call(&router, "", endpoint, "code=123456").await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}: {}",
            reply.body
        );
    }

    // Not enrolled yet: the session's state answers before the code's shape.
    let cookie = signed_in_halfway(&router, ADA).await;
    for nonsense in ["", "12345", "abc", "1234567"] {
        let reply = call(
            &router,
            &cookie,
            "verify_two_factor",
            &format!("code={nonsense}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{nonsense:?}");
        assert!(reply.body.contains("Set up two-factor sign-in first."));
    }
    // Enrolled and halfway: a code of the wrong shape is a field rule.
    let (_, _, _) = enrolled_admin(&router).await;
    let again = signed_in_halfway(&router, ADA).await;
    for nonsense in ["", "12345", "abc", "1234567"] {
        let reply = call(
            &router,
            &again,
            "verify_two_factor",
            &format!("code={nonsense}"),
        )
        .await;
        assert_eq!(
            invalid(&reply).get(Field::Code),
            Some(CODE_SHAPE),
            "{nonsense:?}"
        );
    }
    let missing = call(&router, &again, "confirm_two_factor", "").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM user_totp")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "only the enrolment");
    assert_eq!(audit_count(&pool, "auth.second_factor_failed").await, 0);

    // A Standard user without an app signs in with the password alone, and
    // has no recovery codes to renew.
    let reply = sign_in(&router, PAT, DEMO_PASSWORD).await;
    assert_eq!(
        reply.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/")
    );
    let pat = session_cookie(&reply).unwrap();
    let state = status_of(&call(&router, &pat, "two_factor_status", "").await);
    assert_eq!(
        (state.due, state.enrolled, state.required),
        (false, false, false)
    );
    assert_eq!(
        call(&router, &pat, "new_recovery_codes", "").await.status,
        StatusCode::CONFLICT
    );
}
