//! The routes that are not server functions -- the vendor API (a key per
//! customer account) and the audit log's CSV export (a session) -- called
//! as every kind of caller the policy refuses: each is refused with a
//! status that says why, and writes nothing (not even an audit event). The
//! routes come from the lists the router is built from, so a new route
//! without a row here fails the test. (`audit_walk.rs` does the same for
//! every server function.)

use crate::common;

use std::collections::BTreeSet;

use app::api_keys::NewApiKey;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use common::{Reply, call_ok, enrolled_admin_session, org_id, send, signed_in};
use server::demo::{CUSTOMER, SECOND_CUSTOMER};
use sqlx::PgPool;

/// A GET with a session cookie and/or a bearer key.
async fn get(router: &Router, cookie: &str, key: &str, path: &str) -> Reply {
    let mut request = Request::get(path);
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    if !key.is_empty() {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    send(router.clone(), request.body(Body::empty()).unwrap()).await
}

async fn events(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_other_route_refuses_every_caller_the_policy_refuses(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;

    // Keys: one live for Riverside, one revoked.
    let (vera, _) = enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    let key = |name: &'static str| {
        let (router, vera) = (router.clone(), vera.clone());
        async move {
            let form = format!("customer_id={riverside}&name={name}");
            call_ok::<NewApiKey>(&router, &vera, "create_api_key", &form).await
        }
    };
    let live = key("Live").await;
    let revoked = key("Revoked").await;
    let _: String = call_ok(
        &router,
        &vera,
        "revoke_api_key",
        &format!("customer_id={riverside}&key_id={}", revoked.id),
    )
    .await;
    // Sessions: a deactivated user's, one from before a password change, a
    // Standard user's, vendor staff's, another customer's Administrator's.
    let mia = signed_in(&router, "mia.manager@northwind.example").await;
    sqlx::query(
        "UPDATE users SET status = 'inactive' WHERE email = 'mia.manager@northwind.example'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let stale = signed_in(&router, "sam.support@northwind.example").await;
    sqlx::query(
        "UPDATE users SET sessions_not_before = now() + interval '1 second'
         WHERE email = 'sam.support@northwind.example'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let pat = signed_in(&router, "pat.partner@northwind.example").await;
    let victor = signed_in(&router, "victor.staff@claimwise.example").await;
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;

    let unauthorized = StatusCode::UNAUTHORIZED;
    let forbidden = StatusCode::FORBIDDEN;
    let mut tested = BTreeSet::new();
    let mut refused = 0;
    for path in app::api_keys::rest::PATHS
        .into_iter()
        .chain([app::audit::export::PATH, app::roles::pdf::PATH])
    {
        // Someone else's account wherever the route names one.
        let url = path.replace("{id}", &northwind.to_string());
        let callers: Vec<(&str, &str, &str, Vec<StatusCode>)> = if path.starts_with("/api/v1/") {
            let mut callers = vec![
                ("no key", "", "", vec![unauthorized]),
                (
                    "a made-up key",
                    "",
                    "pk_0000000000000000000000000000000000000000",
                    vec![unauthorized],
                ),
                ("not a key at all", "", "' OR '1'='1", vec![unauthorized]),
                (
                    "a revoked key",
                    "",
                    revoked.key.as_str(),
                    vec![unauthorized],
                ),
                (
                    "a session instead of a key",
                    vera.as_str(),
                    "",
                    vec![unauthorized],
                ),
            ];
            if path.contains("{id}") {
                let other = (
                    "the key of another account",
                    "",
                    live.key.as_str(),
                    vec![forbidden, StatusCode::NOT_FOUND],
                );
                callers.push(other);
            }
            callers
        } else {
            vec![
                ("no session", "", "", vec![unauthorized]),
                ("a deactivated user", mia.as_str(), "", vec![unauthorized]),
                (
                    "a session from before a password change",
                    stale.as_str(),
                    "",
                    vec![unauthorized],
                ),
                (
                    "a key instead of a session",
                    "",
                    live.key.as_str(),
                    vec![unauthorized],
                ),
                ("a Standard user", pat.as_str(), "", vec![forbidden]),
                ("vendor staff", victor.as_str(), "", vec![forbidden]),
            ]
        };
        for (who, cookie, key, expected) in callers {
            let before = events(&pool).await;
            let reply = get(&router, cookie, key, &url).await;
            assert!(
                expected.contains(&reply.status),
                "{url} as {who}: {} {}",
                reply.status,
                reply.body
            );
            assert!(
                !reply.body.contains("Northwind"),
                "{url} as {who}: {}",
                reply.body
            );
            assert_eq!(events(&pool).await, before, "{url} as {who} wrote an event");
            refused += 1;
        }
        // No route changes anything on a POST either.
        let before = events(&pool).await;
        let posted = common::post_form_with(router.clone(), &url, "", &[("cookie", &vera)]).await;
        assert!(
            posted.status.is_client_error(),
            "POST {url}: {}",
            posted.status
        );
        assert_eq!(events(&pool).await, before);
        tested.insert(path);
    }
    // Another customer's Administrator exports only their own log.
    let csv = get(&router, &rosa, "", app::audit::export::PATH).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.body.contains("auth.sign_in") && !csv.body.contains("northwind"),
        "{}",
        csv.body
    );
    // And the live key reads its own account.
    let own = get(
        &router,
        "",
        &live.key,
        &format!("/api/v1/accounts/{riverside}/claims"),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);

    let listed: BTreeSet<&str> = app::api_keys::rest::PATHS
        .into_iter()
        .chain([app::audit::export::PATH, app::roles::pdf::PATH])
        .collect();
    assert_eq!(tested, listed);
    assert!(refused >= 15, "{refused}");
}
