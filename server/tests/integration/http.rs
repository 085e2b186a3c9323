//! The HTTP application against a real PostgreSQL database: pages, the
//! health check, the system-status server function, request ids, the
//! body size limit.

use crate::common;

use axum::{body::Body, http::Request, http::StatusCode};
use common::{app, get, organization_count, post_form, post_form_with, send};
use sqlx::PgPool;

fn latest_migration() -> i64 {
    app::db::MIGRATOR.iter().map(|m| m.version).max().unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_start_page_is_rendered_on_the_server_with_the_database_status(pool: PgPool) {
    let reply = get(app(pool), "/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.starts_with("<!DOCTYPE html>"));
    assert!(
        reply
            .body
            .contains("<h1>Access management for your billing platform</h1>")
    );
    assert!(reply.body.contains(&format!(
        r#"data-testid="schema-version">{}<"#,
        latest_migration()
    )));
    assert!(reply.body.contains(r#"data-testid="database">PostgreSQL "#));
    // The page loads the hydration bundle under the configured name.
    assert!(reply.body.contains("/pkg/portcullis.css"));
    assert!(
        reply
            .body
            .contains(r#"module_or_path: "/pkg/portcullis.wasm""#)
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_unknown_path_is_a_404_page(pool: PgPool) {
    let reply = get(app(pool), "/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn healthz_reports_a_reachable_database_and_the_schema_version(pool: PgPool) {
    let reply = get(app(pool), "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    let health: server::health::Health = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        health,
        server::health::Health {
            status: "ok".into(),
            database: "reachable".into(),
            schema_version: Some(latest_migration()),
        }
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn healthz_reports_503_when_the_database_is_gone(pool: PgPool) {
    let router = app(pool.clone());
    pool.close().await;
    let reply = get(router, "/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        reply.body.contains(r#""database":"unreachable""#),
        "{}",
        reply.body
    );
}

// The server function load_system_status takes no input and is public by
// design: its tests check that it reveals no tenant data, refuses GET, and
// that unexpected input changes nothing.
#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn load_system_status_is_public_and_reveals_no_tenant_data(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let reply = post_form(app(pool), "/api/system_status", "").await;
    assert_eq!(reply.status, StatusCode::OK);
    let status: app::system::SystemStatus = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(status.schema_version, latest_migration());
    assert!(status.database.starts_with("PostgreSQL "));
    assert_eq!(status.checked_at.len(), "HH:MM:SS".len());
    assert!(!reply.body.contains("Northwind"), "{}", reply.body);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn load_system_status_refuses_get_so_no_get_reaches_a_server_function(pool: PgPool) {
    let reply = get(app(pool), "/api/system_status").await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn load_system_status_takes_no_input_and_unexpected_input_changes_nothing(pool: PgPool) {
    let before = organization_count(&pool).await;
    let reply = post_form(
        app(pool.clone()),
        "/api/system_status",
        "schema_version=999&name=%27%3B+DROP+TABLE+organizations%3B--",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let status: app::system::SystemStatus = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(status.schema_version, latest_migration());
    assert_eq!(organization_count(&pool).await, before);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_database_fault_shows_only_a_reference_that_matches_the_request_id(pool: PgPool) {
    let router = app(pool.clone());
    // A fault while the database answers: a column the query reads is gone.
    sqlx::query("ALTER TABLE _sqlx_migrations RENAME COLUMN success TO succeeded")
        .execute(&pool)
        .await
        .unwrap();
    let reply = post_form(router.clone(), "/api/system_status", "").await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = reply.headers["x-request-id"].to_str().unwrap();
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        error,
        app::error::AppError::Internal {
            reference: request_id.to_owned()
        }
    );
    // The database driver's own words never reach the browser.
    assert!(
        !reply.body.to_lowercase().contains("column"),
        "{}",
        reply.body
    );

    // The database out of reach: a temporary error, said plainly.
    pool.close().await;
    let reply = post_form(router, "/api/system_status", "").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(error, app::error::AppError::Unavailable);
    assert!(
        !reply.body.to_lowercase().contains("pool"),
        "{}",
        reply.body
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_response_carries_a_request_id_and_keeps_a_proxy_s(pool: PgPool) {
    let router = app(pool);
    let generated = get(router.clone(), "/healthz").await;
    let id = generated.headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let request = Request::get("/healthz")
        .header("x-request-id", "from-the-proxy-1")
        .body(Body::empty())
        .unwrap();
    let kept = send(router.clone(), request).await;
    assert_eq!(kept.headers["x-request-id"], "from-the-proxy-1");

    // An id unfit for the logs is replaced by a fresh one.
    let long = "x".repeat(5_000);
    for unfit in ["<script>alert(1)</script>", long.as_str(), "a b"] {
        let request = Request::get("/healthz")
            .header("x-request-id", unfit)
            .body(Body::empty())
            .unwrap();
        let replaced = send(router.clone(), request).await;
        assert_eq!(replaced.headers["x-request-id"].len(), 36, "{unfit:.40}");
    }
}

#[sqlx::test(migrations = false)]
async fn migrate_brings_an_empty_database_to_the_latest_schema_and_is_idempotent(pool: PgPool) {
    assert_eq!(app::db::schema_version(&pool).await.unwrap(), 0);
    assert_eq!(
        server::database::migrate(&pool).await.unwrap(),
        latest_migration()
    );
    assert_eq!(
        server::database::migrate(&pool).await.unwrap(),
        latest_migration()
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_demo_seed_is_idempotent(pool: PgPool) {
    let first = server::demo::seed(&pool).await.unwrap();
    // Northwind, Riverside, Claimwise, Meridian and the platform.
    assert_eq!(first.organizations_added, 5);
    assert_eq!(first.organizations_total, 5);
    assert_eq!(first.users_added, 13);
    let second = server::demo::seed(&pool).await.unwrap();
    assert_eq!(
        second,
        server::demo::SeedReport {
            organizations_total: 5,
            ..Default::default()
        }
    );
    let events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'demo.seed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(events, 1, "only the run that added something is audited");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn seeding_again_leaves_an_edited_demo_organization_alone(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    // What an Administrator might have done since: rename the parent, take a
    // company off a role, invite a user who has not chosen a password yet.
    sqlx::raw_sql(
        "UPDATE companies SET name = 'Northwind Group' WHERE parent_id IS NULL
           AND org_id = (SELECT id FROM organizations WHERE name = 'Northwind Health Partners');
         DELETE FROM role_companies;
         INSERT INTO users (org_id, first_name, last_name, email, account_type)
           SELECT id, 'Nora', 'New', 'nora.new@northwind.example', 'administrator'
           FROM organizations WHERE name = 'Northwind Health Partners';",
    )
    .execute(&pool)
    .await
    .unwrap();

    let again = server::demo::seed(&pool).await.unwrap();
    assert_eq!(again.rows_added, 0, "{again}");
    let (companies, role_links, nora_hash): (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM companies), (SELECT count(*) FROM role_companies),
                (SELECT password_hash FROM users WHERE email = 'nora.new@northwind.example')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(companies, 7, "no second Northwind parent");
    assert_eq!(role_links, 0, "a removed role company stays removed");
    assert_eq!(nora_hash, None, "an invited user gets no demo password");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_browser_fetches_the_same_common_password_list_the_server_checks(pool: PgPool) {
    let reply = common::post_form(common::app(pool), "/api/common_passwords", "").await;
    assert_eq!(reply.status, axum::http::StatusCode::OK);
    let list: String = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(list, app::model::validation::COMMON_PASSWORD_LIST);
    assert!(list.lines().any(|p| p == "password123"));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_huge_body_is_refused_before_anything_reads_it(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let events = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_events")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = events().await;
    let huge = format!(
        "email=pat.partner%40northwind.example&password={}",
        "x".repeat(server::router::MAX_BODY_BYTES + 1)
    );
    // Announced by its length: refused at once.
    let announced = post_form_with(
        router.clone(),
        "/api/sign_in",
        &huge,
        &[("content-length", &huge.len().to_string())],
    )
    .await;
    assert_eq!(announced.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Streamed without a length: refused once the limit is passed.
    let streamed = post_form(router.clone(), "/api/sign_in", &huge).await;
    assert_eq!(
        streamed.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        streamed.body
    );
    assert!(streamed.body.contains(server::bad_request::TOO_LARGE));
    assert_eq!(events().await, before, "no sign-in was even attempted");
    // A form of ordinary size still goes through.
    let normal = post_form(
        router,
        "/api/sign_in",
        "email=pat.partner%40northwind.example&password=portcullis-demo",
    )
    .await;
    assert!(normal.status.is_success() || normal.status.is_redirection());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_nul_character_is_refused_in_any_encoding_before_any_function_runs(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, "ada.admin@northwind.example").await;
    let companies = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM companies")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = companies().await;
    for body in [
        "name=West%00Clinic",
        "name=West\0Clinic",
        "name=West\\u0000Clinic",
    ] {
        let reply = post_form_with(
            router.clone(),
            "/api/create_company",
            body,
            &[("cookie", &ada)],
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body:?}: {}",
            reply.body
        );
        assert!(
            reply.body.contains(server::bad_request::NUL_CHARACTER),
            "{}",
            reply.body
        );
    }
    // The search that used to reach PostgreSQL and fail there.
    let search = post_form_with(
        router.clone(),
        "/api/list_users",
        "search=a%00b&status=&account_type=",
        &[("cookie", &ada)],
    )
    .await;
    assert_eq!(search.status, StatusCode::BAD_REQUEST);
    assert_eq!(companies().await, before);
}

/// Markup an attacker types into a field, closing a script element first
/// in case the text lands in one (the pages' hydration data).
const MARKUP: &str = "</script><script>alert(1)</script><img src=x onerror=alert(2)> & <b>Co</b>";

fn form_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn markup_in_user_input_is_rendered_as_text(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, "ada.admin@northwind.example").await;
    let (vera, _) = common::enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    let markup = form_value(MARKUP);
    let riverside = common::org_id(&pool, server::demo::SECOND_CUSTOMER).await;
    // Markup in every free text a page shows back.
    for (cookie, endpoint, form) in [
        (&ada, "create_company", format!("name=West+{markup}")),
        (
            &ada,
            "create_role",
            format!("name=Role+{markup}&description={markup}&template=practice_admin"),
        ),
        (
            &ada,
            "save_entry",
            format!("catalog=payers&entry_id=&version=0&name=Payer+{markup}&detail=MK01"),
        ),
        (
            &ada,
            "open_ticket",
            format!("subject=Ticket+{markup}&message={markup}&claims="),
        ),
        (
            &vera,
            "create_api_key",
            format!("customer_id={riverside}&name=Key+{markup}"),
        ),
    ] {
        let added = common::call(&router, cookie, endpoint, &form).await;
        assert!(added.status.is_success(), "{endpoint}: {}", added.body);
    }
    let role: i64 = sqlx::query_scalar("SELECT id FROM roles WHERE name LIKE 'Role %'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let ticket: i64 =
        sqlx::query_scalar("SELECT id FROM support_tickets WHERE subject LIKE 'Ticket %'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let pages = [
        (&ada, "/companies".to_owned(), "West "),
        (&ada, "/roles".to_owned(), "Role "),
        (&ada, format!("/roles/{role}"), "Role "),
        (&ada, "/payers-and-facilities".to_owned(), "Payer "),
        (&ada, "/support".to_owned(), "Ticket "),
        (&ada, format!("/support/{ticket}"), "Ticket "),
        (&ada, "/audit".to_owned(), "West "),
        (&vera, format!("/accounts/{riverside}"), "Key "),
    ];
    for (cookie, path, label) in pages {
        let page = send(
            router.clone(),
            Request::get(&path)
                .header("cookie", cookie.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body
                .contains(&format!("{label}&lt;/script&gt;&lt;script&gt;alert(1)")),
            "{path}: the text is shown, escaped"
        );
        for raw in ["<script>alert(1)", "<img src=x", "<b>Co</b>"] {
            assert!(!page.body.contains(raw), "{path} holds raw markup {raw}");
        }
    }
}
