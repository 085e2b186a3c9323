//! An Administrator sees and lifts a user's sign-in lockout; nobody else
//! can, and users of other organizations are out of reach.

use crate::common;

use axum::http::StatusCode;
use common::{audit_count, call, enrolled_admin_session, session_cookie, sign_in, user_id};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_administrator_sees_and_lifts_a_lockout_once(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    for _ in 0..app::auth::throttle::MAX_FAILURES {
        sign_in(&router, PAT, "wrong password").await;
    }
    assert_eq!(
        sign_in(&router, PAT, DEMO_PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    let pat = user_id(&pool, PAT).await;
    let listed: Vec<app::auth::lockout_api::LockedUser> =
        serde_json::from_str(&call(&router, &ada, "locked_users", "").await.body).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id.0, listed[0].email.as_str()), (pat, PAT));
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    let theirs: Vec<app::auth::lockout_api::LockedUser> =
        serde_json::from_str(&call(&router, &rosa, "locked_users", "").await.body).unwrap();
    assert!(
        theirs.is_empty(),
        "another organization's lockouts are not listed"
    );

    let lock = call(&router, &ada, "sign_in_lock", &format!("user_id={pat}")).await;
    assert_eq!(lock.status, StatusCode::OK, "{}", lock.body);
    let until: Option<String> = serde_json::from_str(&lock.body).unwrap();
    assert!(until.is_some_and(|u| u.ends_with(" UTC")));

    let lifted = call(&router, &ada, "unlock_sign_in", &format!("user_id={pat}")).await;
    let after: Vec<app::auth::lockout_api::LockedUser> =
        serde_json::from_str(&call(&router, &ada, "locked_users", "").await.body).unwrap();
    assert!(after.is_empty());
    assert!(
        serde_json::from_str::<bool>(&lifted.body).unwrap(),
        "{}",
        lifted.body
    );
    assert!(session_cookie(&sign_in(&router, PAT, DEMO_PASSWORD).await).is_some());
    let again = call(&router, &ada, "unlock_sign_in", &format!("user_id={pat}")).await;
    assert!(
        !serde_json::from_str::<bool>(&again.body).unwrap(),
        "nothing left to lift"
    );
    assert_eq!(
        audit_count(&pool, "auth.unlock").await,
        1,
        "only a real unlock is audited"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn others_are_refused_and_nothing_changes(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    for _ in 0..app::auth::throttle::MAX_FAILURES {
        sign_in(&router, PAT, "wrong password").await;
    }
    let pat = user_id(&pool, PAT).await;
    let form = format!("user_id={pat}");

    assert_eq!(
        call(&router, "", "unlock_sign_in", &form).await.status,
        StatusCode::UNAUTHORIZED
    );
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &cathy, "unlock_sign_in", &form).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&router, &cathy, "sign_in_lock", &form).await.status,
        StatusCode::FORBIDDEN
    );
    // An Administrator who has not proved the second factor is not signed in.
    let halfway =
        session_cookie(&sign_in(&router, "ben.backup@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &halfway, "unlock_sign_in", &form)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Another organization's Administrator cannot even see that Pat exists.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    assert_eq!(
        call(&router, &rosa, "unlock_sign_in", &form).await.status,
        StatusCode::NOT_FOUND
    );
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    assert_eq!(
        call(&router, &ada, "unlock_sign_in", "user_id=pat")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&router, &ada, "unlock_sign_in", "").await.status,
        StatusCode::BAD_REQUEST
    );

    assert_eq!(audit_count(&pool, "auth.unlock").await, 0);
    assert_eq!(
        sign_in(&router, PAT, DEMO_PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "still locked"
    );
}
