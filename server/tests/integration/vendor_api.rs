//! API keys and the vendor JSON API: a key is shown once and stored hashed,
//! works until revoked, obeys the account's Vendor Access exactly like the
//! pages (401 / 403 / 404), and is rate limited per key.

use crate::common;

use app::{
    accounts::AccountDetail,
    api_keys::{KEY_NAME_MESSAGE, NewApiKey, REQUESTS_PER_MINUTE},
    model::validation::Field,
};
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use common::{
    Reply, audit_count, call_ok, enrolled_admin_session, expect_status, invalid_call, org_id, send,
    signed_in,
};
use server::demo::{CUSTOMER, SECOND_CUSTOMER, VENDOR};
use sqlx::PgPool;

const VICTOR: &str = "victor.staff@claimwise.example";

/// A GET of the vendor API with `Authorization: Bearer <key>`, as curl sends it.
async fn api(router: &Router, key: &str, path: &str) -> Reply {
    let mut request = Request::get(path);
    if !key.is_empty() {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    send(router.clone(), request.body(Body::empty()).unwrap()).await
}

async fn new_key(router: &Router, cookie: &str, customer: i64, name: &str) -> NewApiKey {
    call_ok(
        router,
        cookie,
        "create_api_key",
        &format!("customer_id={customer}&name={name}"),
    )
    .await
}

/// Three claims for Riverside (the demo has none there).
async fn riverside_claims(pool: &PgPool, riverside: i64) {
    sqlx::query(
        "INSERT INTO claims (org_id, company_id, claim_number, patient_name, service_date, amount_cents)
         SELECT $1, c.id, 'RP-000' || n, 'Patient ' || n, DATE '2026-11-01', 10000 * n
         FROM companies c, generate_series(1, 3) n WHERE c.org_id = $1 AND c.parent_id IS NOT NULL",
    )
    .bind(riverside)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_key_is_shown_once_works_and_stops_when_revoked(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    riverside_claims(&pool, riverside).await;
    let created = new_key(&router, &victor, riverside, "Billing+sync").await;
    assert!(
        created.key.starts_with("pk_") && created.key.len() == 44,
        "{}",
        created.key
    );
    // Listed by name and prefix; the key itself is nowhere to be read again.
    let detail: AccountDetail = call_ok(
        &router,
        &victor,
        "load_account",
        &format!("customer_id={riverside}"),
    )
    .await;
    assert_eq!(detail.api_keys.len(), 1);
    assert!(created.key.starts_with(&detail.api_keys[0].prefix));
    assert!(
        !serde_json::to_string(&detail)
            .unwrap()
            .contains(&created.key)
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM api_keys WHERE key_hash = sha256(convert_to($1, 'UTF8'))",
    )
    .bind(&created.key)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 1);

    let accounts = api(&router, &created.key, "/api/v1/accounts").await;
    assert_eq!(accounts.status, StatusCode::OK, "{}", accounts.body);
    let accounts: serde_json::Value = serde_json::from_str(&accounts.body).unwrap();
    assert_eq!(accounts[0]["name"], SECOND_CUSTOMER);
    assert_eq!(accounts[0]["vendor_access"], "full");
    let claims = api(
        &router,
        &created.key,
        &format!("/api/v1/accounts/{riverside}/claims"),
    )
    .await;
    assert_eq!(claims.status, StatusCode::OK, "{}", claims.body);
    let claims: serde_json::Value = serde_json::from_str(&claims.body).unwrap();
    assert_eq!(claims["claims"].as_array().unwrap().len(), 3);
    assert_eq!(claims["claims"][0]["claim_number"], "RP-0003");
    // Recorded in Riverside's log, labelled with the vendor and the key.
    let label: String = sqlx::query_scalar(
        "SELECT actor_label FROM audit_events WHERE action = 'claims.vendor_view' AND org_id = $1 AND acting_vendor_id = $2",
    )
    .bind(riverside)
    .bind(org_id(&pool, VENDOR).await)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        label.starts_with("API key pk_") && label.ends_with("Victor Staff"),
        "{label}"
    );

    let said: String = call_ok(
        &router,
        &victor,
        "revoke_api_key",
        &format!("customer_id={riverside}&key_id={}", created.id),
    )
    .await;
    assert!(said.contains("no longer works"), "{said}");
    let after = api(&router, &created.key, "/api/v1/accounts").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.headers.get("www-authenticate").unwrap(), "Bearer");
    assert_eq!(audit_count(&pool, "api_key.create").await, 1);
    assert_eq!(audit_count(&pool, "api_key.revoke").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_api_obeys_the_accounts_vendor_access_like_the_pages(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let key = new_key(&router, &victor, riverside, "Sync").await.key;
    let claims = format!("/api/v1/accounts/{riverside}/claims");
    // Riverside lowers the grant: the key's very next request is refused, with the reason.
    sqlx::query("UPDATE vendor_links SET tier = 'all_support' WHERE customer_id = $1")
        .bind(riverside)
        .execute(&pool)
        .await
        .unwrap();
    let refused = api(&router, &key, &claims).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("All Support"), "{}", refused.body);
    let accounts: serde_json::Value =
        serde_json::from_str(&api(&router, &key, "/api/v1/accounts").await.body).unwrap();
    assert_eq!(accounts[0]["vendor_access"], "all_support");
    // Another account's claims: not this key's business.
    assert_eq!(
        api(
            &router,
            &key,
            &format!("/api/v1/accounts/{northwind}/claims")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // No key, junk, a key-shaped guess: 401.
    for bad in [
        "",
        "pk_x",
        "pk_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        "' OR 1=1 --",
    ] {
        assert_eq!(
            api(&router, bad, "/api/v1/accounts").await.status,
            StatusCode::UNAUTHORIZED,
            "{bad}"
        );
    }
    // A key dies with its creator's access.
    sqlx::query("UPDATE vendor_links SET tier = 'full' WHERE customer_id = $1")
        .bind(riverside)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET status = 'inactive' WHERE email = $1")
        .bind(VICTOR)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        api(&router, &key, &claims).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(audit_count(&pool, "claims.vendor_view").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_key_gets_a_bounded_number_of_requests_a_minute(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let key = new_key(&router, &victor, riverside, "Sync").await.key;
    let other = new_key(&router, &victor, riverside, "Other").await.key;
    for n in 1..=REQUESTS_PER_MINUTE {
        assert_eq!(
            api(&router, &key, "/api/v1/accounts").await.status,
            StatusCode::OK,
            "request {n}"
        );
    }
    let limited = api(&router, &key, "/api/v1/accounts").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers.get("retry-after").unwrap(), "60");
    // Per key: the other key is untouched.
    assert_eq!(
        api(&router, &other, "/api/v1/accounts").await.status,
        StatusCode::OK
    );
    // A minute later the window starts afresh.
    sqlx::query("UPDATE api_keys SET window_started_at = now() - interval '61 seconds'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        api(&router, &key, "/api/v1/accounts").await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_vendor_staff_with_full_access_manage_keys(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let calls = [
        ("create_api_key", format!("customer_id={riverside}&name=K")),
        (
            "revoke_api_key",
            format!("customer_id={riverside}&key_id=1"),
        ),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    expect_status(&router, &rosa, &calls, StatusCode::FORBIDDEN).await;
    let victor = signed_in(&router, VICTOR).await;
    // Northwind grants All Support: no keys.
    expect_status(
        &router,
        &victor,
        &[("create_api_key", format!("customer_id={northwind}&name=K"))],
        StatusCode::FORBIDDEN,
    )
    .await;
    let errors = invalid_call(
        &router,
        &victor,
        "create_api_key",
        &format!("customer_id={riverside}&name=+"),
    )
    .await;
    assert_eq!(errors.get(Field::KeyName), Some(KEY_NAME_MESSAGE));
    // Revoking a key that is not this account's: not found.
    expect_status(
        &router,
        &victor,
        &[(
            "revoke_api_key",
            format!("customer_id={riverside}&key_id=999"),
        )],
        StatusCode::NOT_FOUND,
    )
    .await;
    let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM api_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(keys, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_api_is_described_by_an_openapi_document_of_its_own_routes(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // No key needed: it describes, it reveals nothing.
    let reply = api(&router, "", app::api_keys::rest::OPENAPI_PATH).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let doc: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    // Every route of the API, and nothing else.
    let mut documented: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    documented.sort();
    let mut routes = app::api_keys::rest::PATHS.to_vec();
    routes.sort();
    assert_eq!(documented, routes);
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    let claims = &doc["paths"]["/api/v1/accounts/{id}/claims"]["get"];
    for status in ["200", "400", "401", "403", "404", "429"] {
        assert!(
            claims["responses"][status].is_object(),
            "{status}: {claims}"
        );
    }
    let page = &doc["components"]["schemas"]["ClaimsPage"]["properties"];
    assert!(
        page["claims"].is_object() && page["next_after"].is_object(),
        "{page}"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_id_or_page_that_is_not_a_number_is_a_json_400(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let key = new_key(&router, &victor, riverside, "Fuzz").await.key;
    for path in [
        "/api/v1/accounts/abc/claims".to_owned(),
        format!("/api/v1/accounts/{riverside}/claims?after=x"),
        format!("/api/v1/accounts/{riverside}/claims?after="),
        "/api/v1/accounts/99999999999999999999/claims".to_owned(),
    ] {
        let reply = api(&router, &key, &path).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.body
        );
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert!(body["error"].is_string(), "{path}: {body}");
    }
    // Without a key, the key is asked for first, whatever the path says.
    assert_eq!(
        api(&router, "", "/api/v1/accounts/abc/claims").await.status,
        StatusCode::UNAUTHORIZED
    );
}
