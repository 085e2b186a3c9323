//! The per-process snapshot cache never serves a stale snapshot: every
//! change to what the snapshot holds moves the organization's version in
//! the same transaction, whichever process or statement made it. Sessions,
//! kept in PostgreSQL, work across processes too, and so do the contexts
//! they hold (the acting company, a vendor switched in) and the audit log.

use crate::common;

use std::sync::Arc;

use app::{
    model::{access::OrgSnapshot, ids::OrgId},
    org::cache::{SnapshotCache, snapshot},
};
use common::org_id;
use server::demo::{CUSTOMER, VENDOR};
use sqlx::PgPool;

async fn current(cache: &SnapshotCache, pool: &PgPool, org: i64) -> Arc<OrgSnapshot> {
    let mut conn = pool.acquire().await.unwrap();
    snapshot(cache, &mut conn, OrgId(org))
        .await
        .unwrap()
        .unwrap()
}

async fn run(pool: &PgPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_change_the_snapshot_holds_is_seen_at_once(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let cache = SnapshotCache::default();
    let northwind = org_id(&pool, CUSTOMER).await;
    let claimwise = org_id(&pool, VENDOR).await;

    let first = current(&cache, &pool, northwind).await;
    let again = current(&cache, &pool, northwind).await;
    assert!(
        Arc::ptr_eq(&first, &again),
        "unchanged: served from the cache"
    );

    run(
        &pool,
        "UPDATE companies SET name = 'North Clinic East' WHERE name = 'North Clinic'",
    )
    .await;
    let renamed = current(&cache, &pool, northwind).await;
    assert!(
        renamed
            .companies
            .iter()
            .any(|c| c.name == "North Clinic East")
    );

    run(
        &pool,
        "UPDATE roles SET permissions = '{}' WHERE name = 'Front Office'",
    )
    .await;
    let role = current(&cache, &pool, northwind).await;
    let front = role
        .roles
        .iter()
        .find(|r| r.name == "Front Office")
        .unwrap();
    assert!(front.permissions.is_empty());

    run(&pool, "DELETE FROM role_companies WHERE role_id = (SELECT id FROM roles WHERE name = 'Front Office')").await;
    let role = current(&cache, &pool, northwind).await;
    let front = role
        .roles
        .iter()
        .find(|r| r.name == "Front Office")
        .unwrap();
    assert!(front.companies.is_empty());

    // A vendor link belongs to both organizations.
    let vendor_before = current(&cache, &pool, claimwise).await;
    run(&pool, "UPDATE vendor_links SET tier = 'no_access'").await;
    for org in [northwind, claimwise] {
        let after = current(&cache, &pool, org).await;
        assert!(
            after
                .vendor_links
                .iter()
                .all(|l| l.grant.tier == app::model::vendor::VendorTier::NoAccess)
        );
    }
    assert!(!Arc::ptr_eq(
        &vendor_before,
        &current(&cache, &pool, claimwise).await
    ));

    run(
        &pool,
        &format!("UPDATE organizations SET name = 'Northwind Health' WHERE id = {northwind}"),
    )
    .await;
    assert_eq!(
        current(&cache, &pool, northwind).await.org.name,
        "Northwind Health"
    );

    // Users are not in the snapshot: changing one keeps it cached.
    let kept = current(&cache, &pool, northwind).await;
    run(
        &pool,
        "UPDATE users SET first_name = 'Patricia' WHERE email = 'pat.partner@northwind.example'",
    )
    .await;
    assert!(Arc::ptr_eq(&kept, &current(&cache, &pool, northwind).await));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn two_servers_on_one_database_see_each_others_changes(pool: PgPool) {
    // Two routers are two server processes: each has its own cache.
    let first = common::demo_app(&pool).await;
    let second = common::app(pool.clone());
    let (ada, _) = common::enrolled_admin_session(&first, "ada.admin@northwind.example").await;
    let companies = |router: axum::Router, cookie: String| async move {
        let rows: Vec<app::companies::CompanyRow> =
            common::ok(common::call(&router, &cookie, "list_companies", "").await);
        rows.into_iter().map(|c| c.name).collect::<Vec<_>>()
    };
    assert!(
        !companies(first.clone(), ada.clone())
            .await
            .contains(&"West Clinic".to_owned())
    );
    assert!(
        !companies(second.clone(), ada.clone())
            .await
            .contains(&"West Clinic".to_owned())
    );
    let _: String =
        common::ok(common::call(&second, &ada, "create_company", "name=West+Clinic").await);
    assert!(
        companies(first, ada)
            .await
            .contains(&"West Clinic".to_owned())
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_session_started_on_one_server_works_on_another_and_ends_on_both(pool: PgPool) {
    let first = common::demo_app(&pool).await;
    let second = common::app(pool.clone());
    let pat = common::signed_in(&first, "pat.partner@northwind.example").await;
    let me: Option<app::auth::Me> = common::ok(common::call(&second, &pat, "who_am_i", "").await);
    assert_eq!(me.unwrap().email, "pat.partner@northwind.example");
    // Signed out on the second server: gone on the first too.
    common::ok::<()>(common::call(&second, &pat, "sign_out", "").await);
    let me: Option<app::auth::Me> = common::ok(common::call(&first, &pat, "who_am_i", "").await);
    assert!(me.is_none());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn contexts_chosen_on_one_server_hold_on_another_and_both_write_one_audit_log(pool: PgPool) {
    let first = common::demo_app(&pool).await;
    let second = common::app(pool.clone());
    let me = |router: axum::Router, cookie: String| async move {
        let me: Option<app::auth::Me> =
            common::ok(common::call(&router, &cookie, "who_am_i", "").await);
        me.unwrap()
    };
    // A company chosen on the first server is where the second acts.
    let (ada, _) = common::enrolled_admin_session(&first, "ada.admin@northwind.example").await;
    let north = common::company_id(&pool, "North Clinic").await;
    common::ok::<String>(
        common::call(
            &first,
            &ada,
            "switch_company",
            &format!("company_id={north}"),
        )
        .await,
    );
    let acting = me(second.clone(), ada.clone()).await.acting_company;
    assert_eq!(acting.map(|c| c.name).as_deref(), Some("North Clinic"));
    // A vendor switched in on the second server is inside on the first, and
    // comes back out there.
    let (vera, _) = common::enrolled_admin_session(&second, "vera.vendor@claimwise.example").await;
    let riverside = org_id(&pool, server::demo::SECOND_CUSTOMER).await;
    let switched = common::call(
        &second,
        &vera,
        "switch_to_account",
        &format!("customer_id={riverside}"),
    )
    .await;
    assert!(switched.status.is_success(), "{}", switched.body);
    let inside = me(first.clone(), vera.clone()).await;
    assert_eq!(inside.organization, server::demo::SECOND_CUSTOMER);
    assert_eq!(inside.switched_from.as_deref(), Some(VENDOR));
    let back = common::call(&first, &vera, "return_to_vendor", "").await;
    assert!(back.status.is_success(), "{}", back.body);
    assert_eq!(me(second, vera).await.switched_from, None);
    // One log holds what both servers did, in order.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events
         WHERE action IN ('context.switch', 'vendor.switch_in', 'vendor.switch_out') ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "context.switch",
            "vendor.switch_in",
            "vendor.switch_in",
            "vendor.switch_out",
            "vendor.switch_out"
        ]
    );
}
