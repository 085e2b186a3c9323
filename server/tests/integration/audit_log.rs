//! The Audit log page: an organization's Administrators read its log with
//! filters, keyset paging and each event's changes; a vendor's
//! Administrators read their staff's events in customers' logs too;
//! nobody else reads anything.

use crate::common;

use app::{
    audit::{AuditDetail, AuditPage},
    model::validation::Field,
};
use axum::{Router, http::StatusCode};
use common::{
    call_ok, enrolled_admin_session, expect_status, invalid_call, org_id, signed_in, user_id,
};
use server::demo::{CUSTOMER, SECOND_CUSTOMER, VENDOR};
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";

async fn log(router: &Router, cookie: &str, form: &str) -> AuditPage {
    call_ok(router, cookie, "list_audit", form).await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn administrators_read_their_log_filtered_and_paged(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let vendor = org_id(&pool, VENDOR).await;
    // A change with before and after, and 60 more events to page through.
    call_ok::<String>(
        &router,
        &ada,
        "set_vendor_access",
        &format!(
            "vendor_id={vendor}&version=1&tier=limited&length=until_changed&until=&reverts_to="
        ),
    )
    .await;
    sqlx::query(
        "INSERT INTO audit_events (org_id, actor_label, action, target_type, target_id)
         SELECT $1, 'Import job', 'demo.import', 'row', n::text FROM generate_series(1, 60) n",
    )
    .bind(northwind)
    .execute(&pool)
    .await
    .unwrap();
    // Another organization's event never shows.
    sqlx::query("INSERT INTO audit_events (org_id, actor_label, action, target_type) VALUES ($1, 'Rosa', 'secret.thing', 'x')")
        .bind(org_id(&pool, SECOND_CUSTOMER).await)
        .execute(&pool)
        .await
        .unwrap();

    let first = log(&router, &ada, "").await;
    assert_eq!(first.events.len(), 50);
    assert!(!first.actions.contains(&"secret.thing".to_owned()));
    let mut seen: Vec<i64> = first.events.iter().map(|e| e.id.0).collect();
    let mut after = first.next_after;
    while let Some(a) = after {
        let page = log(&router, &ada, &format!("after={a}")).await;
        seen.extend(page.events.iter().map(|e| e.id.0));
        after = page.next_after;
    }
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE org_id = $1")
        .bind(northwind)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(seen.len() as i64, total);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, none twice"
    );

    let changes = log(&router, &ada, "filters[action]=vendor_access.change").await;
    assert_eq!(changes.events.len(), 1);
    let event = &changes.events[0];
    assert!(event.actor.contains("Ada Admin"));
    let detail: AuditDetail = call_ok(
        &router,
        &ada,
        "load_audit_event",
        &format!("event_id={}", event.id),
    )
    .await;
    let tier = detail.changes.iter().find(|c| c.field == "tier").unwrap();
    assert_eq!(
        (tier.before.as_deref(), tier.after.as_deref()),
        (Some("all_support"), Some("limited"))
    );
    // Who, which user, dates.
    assert_eq!(
        log(&router, &ada, "filters[actor]=IMPORT")
            .await
            .events
            .len(),
        50
    );
    let ada_id = user_id(&pool, ADA).await;
    let about_ada = log(&router, &ada, &format!("filters[user]={ada_id}")).await;
    assert!(
        !about_ada.events.is_empty()
            && about_ada
                .events
                .iter()
                .all(|e| e.target == format!("user {ada_id}"))
    );
    assert!(
        log(
            &router,
            &ada,
            "filters[from]=2000-01-01&filters[to]=2000-12-31"
        )
        .await
        .events
        .is_empty()
    );
    // Another log's event: not found.
    let secret: i64 =
        sqlx::query_scalar("SELECT id FROM audit_events WHERE action = 'secret.thing'")
            .fetch_one(&pool)
            .await
            .unwrap();
    expect_status(
        &router,
        &ada,
        &[("load_audit_event", format!("event_id={secret}"))],
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_vendor_reads_its_staffs_events_in_customers_logs_and_no_others(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let victor = signed_in(&router, "victor.staff@claimwise.example").await;
    let ticket: i64 =
        sqlx::query_scalar("SELECT id FROM support_tickets WHERE subject LIKE 'Medicare%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    call_ok::<String>(
        &router,
        &victor,
        "comment_on_ticket",
        &format!("ticket_id={ticket}&body=On+it"),
    )
    .await;
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let (vera, _) = enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    let page = log(&router, &vera, "filters[action]=ticket.comment").await;
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].vendor.as_deref(), Some(VENDOR));
    assert_eq!(page.events[0].organization.as_deref(), Some(CUSTOMER));
    // Northwind's own events (Ada's sign-in) stay Northwind's.
    let everything = log(&router, &vera, "").await;
    assert!(
        everything
            .events
            .iter()
            .all(|e| !e.actor.contains("Ada Admin"))
    );
    // Northwind sees the vendor's comment in its own log, labelled.
    let theirs = log(&router, &ada, "filters[action]=ticket.comment").await;
    assert_eq!(theirs.events[0].vendor.as_deref(), Some(VENDOR));
    // The filters offer Northwind's companies and the vendors in its log.
    let vendor = org_id(&pool, VENDOR).await;
    assert_eq!(
        theirs.vendors,
        [(app::model::ids::VendorId(vendor), VENDOR.to_owned())]
    );
    assert_eq!(theirs.companies.len(), 5);
    let by_vendor = log(&router, &ada, &format!("filters[vendor]={vendor}")).await;
    assert!(
        !by_vendor.events.is_empty()
            && by_vendor
                .events
                .iter()
                .all(|e| e.vendor.as_deref() == Some(VENDOR))
    );
    let _ = northwind;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_administrators_read_the_log_and_bad_filters_are_refused(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let calls = [
        ("list_audit", String::new()),
        ("load_audit_event", "event_id=1".to_owned()),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let pat = signed_in(&router, "pat.partner@northwind.example").await;
    expect_status(&router, &pat, &calls, StatusCode::FORBIDDEN).await;
    let victor = signed_in(&router, "victor.staff@claimwise.example").await;
    expect_status(&router, &victor, &calls, StatusCode::FORBIDDEN).await;
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let errors = invalid_call(
        &router,
        &ada,
        "list_audit",
        "filters[from]=yesterday&filters[action]=DROP+TABLE",
    )
    .await;
    assert!(errors.get(Field::DateFrom).is_some() && errors.get(Field::Action).is_some());
    let errors = invalid_call(
        &router,
        &ada,
        "list_audit",
        "filters[from]=2026-12-01&filters[to]=2026-11-01",
    )
    .await;
    assert!(errors.get(Field::DateTo).is_some());
    let errors = invalid_call(&router, &ada, "list_audit", "filters[user]=abc").await;
    assert!(errors.get(Field::Users).is_some());
}

async fn csv(router: &Router, cookie: &str, query: &str) -> common::Reply {
    let request = axum::http::Request::get(format!("/audit.csv?{query}"))
        .header("cookie", cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    common::send(router.clone(), request).await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_filtered_log_downloads_as_csv_row_by_row(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    sqlx::query(
        "INSERT INTO audit_events (org_id, actor_label, action, target_type, target_id, after)
         SELECT $1, '=HYPERLINK(\"x\")', 'demo.import', 'row', n::text, jsonb_build_object('n', n)
         FROM generate_series(1, 20000) n",
    )
    .bind(northwind)
    .execute(&pool)
    .await
    .unwrap();
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let reply = csv(&router, &ada, "action=demo.import").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.headers.get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    let lines: Vec<&str> = reply.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 20_001);
    assert!(lines[0].starts_with("\"Id\",\"When (UTC)\",\"Who\""));
    // Newest first; a formula is defused, quotes doubled, JSON kept.
    assert!(
        lines[1].contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with("\"{\"\"n\"\":20000}\""), "{}", lines[1]);
    // Compressed as the browser accepts, to its end (the compression
    // layer polls the stream once more after it: it must not panic).
    {
        use http_body_util::BodyExt;
        use std::io::Read;
        use tower::ServiceExt;
        let request = axum::http::Request::get("/audit.csv?action=demo.import")
            .header("cookie", &ada)
            .header("accept-encoding", "br")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers().get("content-encoding").unwrap(), "br");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let mut text = String::new();
        brotli_decompressor::Decompressor::new(&bytes[..], 4096)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 20_001);
    }
    // Filters are the page's, checked the same way.
    let bad = csv(&router, &ada, "from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::audit_count(&pool, "audit.export").await, 2);
    // The export's event names its request, as every change's does.
    let logged: Option<String> = sqlx::query_scalar(
        "SELECT request_id FROM audit_events WHERE action = 'audit.export' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        logged.as_deref(),
        reply.headers["x-request-id"].to_str().ok()
    );
    // Anonymous, a Standard user: refused, nothing exported.
    assert_eq!(csv(&router, "", "").await.status, StatusCode::UNAUTHORIZED);
    let pat = signed_in(&router, "pat.partner@northwind.example").await;
    assert_eq!(csv(&router, &pat, "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(common::audit_count(&pool, "audit.export").await, 2);
}
