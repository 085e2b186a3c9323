//! The schema's invariants hold in the database itself, and the model and
//! the schema agree (every key the model writes, the database accepts).

use app::{
    audit::db::{Event, record},
    model::{
        access::{OrgIndex, effective_access},
        ids::{OrgId, UserId},
        permission::Permission,
        policy::{Action, Denied, can},
        role::RoleTemplate,
        vendor::VendorTier,
    },
    org::db::{load_snapshot, load_user},
    principal::Actor,
};
use sqlx::PgPool;

/// Runs `sql` and returns the name of the constraint it violated.
async fn violation(pool: &PgPool, sql: &str) -> String {
    match sqlx::raw_sql(sql).execute(pool).await {
        Ok(_) => panic!("accepted: {sql}"),
        Err(sqlx::Error::Database(e)) => e
            .constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| e.message().to_owned()),
        Err(e) => panic!("unexpected error {e}"),
    }
}

async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Two customer organizations with a parent and a child each, and a vendor.
async fn two_orgs(pool: &PgPool) {
    sqlx::raw_sql(
        "INSERT INTO organizations (id, name, kind) OVERRIDING SYSTEM VALUE VALUES
             (1, 'West', 'customer'), (2, 'East', 'customer'), (3, 'Vend', 'vendor');
         INSERT INTO companies (id, org_id, name, parent_id) OVERRIDING SYSTEM VALUE VALUES
             (10, 1, 'West', NULL), (11, 1, 'West Child', 10), (20, 2, 'East', NULL), (21, 2, 'East Child', 20);
         INSERT INTO roles (id, org_id, name, permissions) OVERRIDING SYSTEM VALUE VALUES
             (100, 1, 'Biller', '{claims.view}'), (200, 2, 'Other', '{}');
         INSERT INTO users (id, org_id, first_name, last_name, email) OVERRIDING SYSTEM VALUE VALUES
             (1000, 1, 'Ann', 'Lee', 'ann@west.example');
         -- Later inserts take generated ids above the fixed ones.
         SELECT setval(pg_get_serial_sequence(t, 'id'), 10000)
         FROM unnest(ARRAY['organizations', 'companies', 'roles', 'users']) AS t;",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_audit_log_refuses_update_delete_and_truncate(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let event = Event {
        org: None,
        action: "test.event",
        target_type: "thing",
        target_id: Some("1".into()),
        before: None,
        after: None,
    };
    record(&mut conn, &Actor::operator("test"), event)
        .await
        .unwrap();
    for sql in [
        "UPDATE audit_events SET action = 'x.y'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let message = violation(&pool, sql).await;
        assert!(message.contains("append-only"), "{sql}: {message}");
    }
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM audit_events WHERE action = 'test.event'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_audit_event_keeps_actor_target_and_before_after(pool: PgPool) {
    two_orgs(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let actor = Actor {
        user: Some(UserId(1000)),
        label: "Ann Lee <ann@west.example>".into(),
        acting_company: Some(app::model::ids::CompanyId(11)),
        acting_vendor: None,
        // The request travels with the actor, not through a context.
        request: app::request_id::RequestId::of(&axum::http::HeaderMap::from_iter([(
            axum::http::HeaderName::from_static("x-request-id"),
            axum::http::HeaderValue::from_static("req-42"),
        )])),
    };
    let event = Event {
        org: Some(OrgId(1)),
        action: "user.update",
        target_type: "user",
        target_id: Some("1000".into()),
        before: Some(serde_json::json!({"first_name": "Ann"})),
        after: Some(serde_json::json!({"first_name": "Anna"})),
    };
    let id = record(&mut conn, &actor, event).await.unwrap();
    let (label, company, request, before, after): (
        String,
        i64,
        String,
        serde_json::Value,
        serde_json::Value,
    ) = sqlx::query_as(
        "SELECT actor_label, acting_company_id, request_id, before, after FROM audit_events WHERE id = $1",
    )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        (label.as_str(), company, request.as_str()),
        ("Ann Lee <ann@west.example>", 11, "req-42")
    );
    assert_eq!(
        (before["first_name"].as_str(), after["first_name"].as_str()),
        (Some("Ann"), Some("Anna"))
    );
    assert!(violation(&pool, "INSERT INTO audit_events (actor_label, action, target_type) VALUES ('x', 'Not An Action', 'user')")
        .await
        .contains("action"));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn emails_are_unique_whatever_their_case(pool: PgPool) {
    two_orgs(&pool).await;
    let name = violation(&pool, "INSERT INTO users (org_id, first_name, last_name, email) VALUES (2, 'Ann', 'Other', 'ANN@West.Example')").await;
    assert_eq!(name, "users_email_key");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_customer_type_user_needs_a_home_company(pool: PgPool) {
    two_orgs(&pool).await;
    let name = violation(
        &pool,
        "INSERT INTO users (org_id, first_name, last_name, email, user_type) VALUES (1, 'Cat', 'Lee', 'cat@west.example', 'customer')",
    )
    .await;
    assert_eq!(name, "users_customer_has_home_company");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn assignments_never_cross_organizations(pool: PgPool) {
    two_orgs(&pool).await;
    // Another organization's role, home company, direct company or role company.
    assert_eq!(
        violation(&pool, "UPDATE users SET role_id = 200 WHERE id = 1000").await,
        "users_role_fkey"
    );
    assert_eq!(
        violation(
            &pool,
            "UPDATE users SET default_company_id = 21 WHERE id = 1000"
        )
        .await,
        "users_default_company_fkey"
    );
    assert!(
        violation(&pool, "INSERT INTO user_companies VALUES (1000, 21, 1)")
            .await
            .starts_with("user_companies_company_id_org_id_fkey")
    );
    assert!(
        violation(&pool, "INSERT INTO user_companies VALUES (1000, 21, 2)")
            .await
            .starts_with("user_companies_user_id_org_id_fkey")
    );
    assert!(
        violation(&pool, "INSERT INTO role_companies VALUES (100, 21, 1)")
            .await
            .starts_with("role_companies_company_id_org_id_fkey")
    );
    // The same within one organization is fine.
    sqlx::raw_sql("UPDATE users SET role_id = 100, default_company_id = 11 WHERE id = 1000; INSERT INTO user_companies VALUES (1000, 11, 1)")
        .execute(&pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn companies_have_one_parent_and_two_levels(pool: PgPool) {
    two_orgs(&pool).await;
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO companies (org_id, name) VALUES (1, 'Second Parent')"
        )
        .await,
        "companies_one_parent_per_org"
    );
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO companies (org_id, name, parent_id) VALUES (1, 'Grandchild', 11)"
        )
        .await,
        "companies_parent_is_parent_company"
    );
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO companies (org_id, name, parent_id) VALUES (1, 'Stray', 20)"
        )
        .await,
        "companies_parent_fkey"
    );
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO companies (org_id, name, parent_id) VALUES (1, 'west child', 10)"
        )
        .await,
        "companies_name_key"
    );
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO companies (org_id, name) VALUES (3, 'Vendor Co')"
        )
        .await,
        "companies_org_fkey"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn vendor_links_join_a_vendor_to_a_customer_and_expiry_needs_a_fallback(pool: PgPool) {
    two_orgs(&pool).await;
    assert!(
        violation(
            &pool,
            "INSERT INTO vendor_links (vendor_id, customer_id, tier) VALUES (2, 1, 'full')"
        )
        .await
        .contains("vendor_id")
    );
    assert!(
        violation(
            &pool,
            "INSERT INTO vendor_links (vendor_id, customer_id, tier) VALUES (3, 3, 'full')"
        )
        .await
        .contains("customer_id")
    );
    assert_eq!(
        violation(&pool, "INSERT INTO vendor_links (vendor_id, customer_id, tier, expires_at) VALUES (3, 1, 'full', now())").await,
        "vendor_links_expiry_has_fallback"
    );
    assert!(
        violation(
            &pool,
            "INSERT INTO vendor_links (vendor_id, customer_id, tier) VALUES (3, 1, 'everything')"
        )
        .await
        .contains("tier")
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_key_the_model_writes_the_database_accepts(pool: PgPool) {
    two_orgs(&pool).await;
    let keys: Vec<&str> = Permission::ALL.iter().map(|p| p.key()).collect();
    sqlx::query("INSERT INTO roles (org_id, name, permissions) VALUES (1, 'All', $1)")
        .bind(&keys)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO roles (org_id, name, permissions) VALUES (1, 'Bad', '{claims.fly}')"
        )
        .await,
        "roles_permissions_check"
    );
    assert_eq!(
        violation(
            &pool,
            "INSERT INTO roles (org_id, name, withheld) VALUES (1, 'Bad', '{reports.view}')"
        )
        .await,
        "roles_withheld_check"
    );
    for template in RoleTemplate::ALL {
        let withheld: Vec<&str> = template.withheld().iter().map(|p| p.key()).collect();
        sqlx::query("INSERT INTO roles (org_id, name, template, withheld) VALUES (2, $1, $2, $3)")
            .bind(template.name())
            .bind(template.key())
            .bind(&withheld)
            .execute(&pool)
            .await
            .unwrap();
    }
    for service in app::model::role::ServiceType::ALL {
        sqlx::query("UPDATE organizations SET service_type = $1 WHERE id = 1")
            .bind(service.key())
            .execute(&pool)
            .await
            .unwrap();
    }
    assert_eq!(
        violation(
            &pool,
            "UPDATE organizations SET service_type = 'selfservice' WHERE id = 1"
        )
        .await,
        "organizations_service_type_check"
    );
    for (i, tier) in VendorTier::ALL.into_iter().enumerate() {
        let customer: i64 = sqlx::query_scalar(
            "INSERT INTO organizations (name, kind) VALUES ($1, 'customer') RETURNING id",
        )
        .bind(format!("Customer {i}"))
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO vendor_links (vendor_id, customer_id, tier) VALUES (3, $1, $2)")
            .bind(customer)
            .bind(tier.key())
            .execute(&pool)
            .await
            .unwrap();
        // Every tier below Full is also a valid fallback of an expiring Full grant.
        if tier != VendorTier::Full {
            sqlx::query("UPDATE vendor_links SET tier = 'full', expires_at = now(), reverts_to = $2 WHERE customer_id = $1")
                .bind(customer)
                .bind(tier.key())
                .execute(&pool)
                .await
                .unwrap();
        }
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_demo_data_loads_into_snapshots_the_policy_reads_as_intended(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let org: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(server::demo::CUSTOMER)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let snapshot = load_snapshot(&mut conn, OrgId(org)).await.unwrap().unwrap();
    assert_eq!(snapshot.companies.len(), 5);
    assert!(snapshot.companies[0].is_parent(), "parent first");
    assert_eq!(snapshot.roles.len(), RoleTemplate::ALL.len());
    let index = OrgIndex::new(&snapshot);
    let now = chrono::Utc::now();

    let by_email = |email: &'static str| {
        let pool = pool.clone();
        async move {
            let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap();
            let mut conn = pool.acquire().await.unwrap();
            load_user(&mut conn, UserId(id)).await.unwrap().unwrap()
        }
    };
    let names = |access: &app::model::access::EffectiveAccess| -> Vec<String> {
        access
            .company_list(&index)
            .into_iter()
            .map(|c| c.name.clone())
            .collect()
    };

    let ada = effective_access(&by_email("ada.admin@northwind.example").await, &index, now);
    assert_eq!(
        names(&ada),
        [
            "Northwind Health Partners",
            "East Clinic",
            "Harbor Imaging",
            "North Clinic",
            "South Clinic"
        ]
    );

    // Pat: Front Office carries North and South; East was picked directly.
    let pat = effective_access(
        &by_email("pat.partner@northwind.example").await,
        &index,
        now,
    );
    assert_eq!(names(&pat), ["East Clinic", "North Clinic", "South Clinic"]);
    assert_eq!(
        pat.default_company
            .map(|id| index.company(id).unwrap().name.clone())
            .as_deref(),
        Some("South Clinic")
    );

    let cathy = effective_access(
        &by_email("cathy.customer@northwind.example").await,
        &index,
        now,
    );
    assert_eq!(names(&cathy), ["North Clinic"]);

    let ivy = effective_access(
        &by_email("ivy.inactive@northwind.example").await,
        &index,
        now,
    );
    assert_eq!(
        can(&ivy, Action::EnterCompany(&snapshot.companies[0])),
        Err(Denied::Inactive)
    );

    let sam = effective_access(
        &by_email("sam.support@northwind.example").await,
        &index,
        now,
    );
    assert_eq!(can(&sam, Action::SupportTickets(OrgId(org))), Ok(()));
    assert_eq!(
        can(&pat, Action::SupportTickets(OrgId(org))),
        Err(Denied::SupportUsersOnly)
    );

    // The vendor reaches Northwind at All Support and Riverside at Full.
    let vendor: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(server::demo::VENDOR)
        .fetch_one(&pool)
        .await
        .unwrap();
    let vendor_snapshot = load_snapshot(&mut conn, OrgId(vendor))
        .await
        .unwrap()
        .unwrap();
    let victor = effective_access(
        &by_email("victor.staff@claimwise.example").await,
        &OrgIndex::new(&vendor_snapshot),
        now,
    );
    let mut tiers: Vec<VendorTier> = victor.vendor_reach.iter().map(|(_, tier)| *tier).collect();
    tiers.sort();
    assert_eq!(tiers, [VendorTier::AllSupport, VendorTier::Full]);

    let claims = scalar(&pool, "SELECT count(*) FROM claims").await;
    assert_eq!(
        claims, 25,
        "five claims in each of Northwind's five companies"
    );
    let copies = scalar(
        &pool,
        "SELECT count(*) FROM payers WHERE source_id IS NOT NULL",
    )
    .await;
    assert_eq!(copies, 6, "three payers copied to two children");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn payers_facilities_and_claims_never_point_into_another_organization(pool: PgPool) {
    two_orgs(&pool).await;
    sqlx::raw_sql(
        "INSERT INTO payers (id, org_id, company_id, name, payer_code) OVERRIDING SYSTEM VALUE VALUES
             (500, 1, 10, 'West Payer', 'WP'), (600, 2, 20, 'East Payer', 'EP');
         INSERT INTO facilities (id, org_id, company_id, name) OVERRIDING SYSTEM VALUE VALUES
             (700, 2, 20, 'East Facility');",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        violation(&pool, "INSERT INTO payers (org_id, company_id, name, payer_code, source_id) VALUES (1, 11, 'Copy', 'WP', 600)").await,
        "payers_source_fkey"
    );
    assert_eq!(
        violation(&pool, "INSERT INTO facilities (org_id, company_id, name, source_id) VALUES (1, 11, 'Copy', 700)").await,
        "facilities_source_fkey"
    );
    assert_eq!(
        violation(&pool, "INSERT INTO claims (org_id, company_id, claim_number, patient_name, payer_id, service_date, amount_cents) VALUES (1, 10, 'W-1', 'Pat', 600, '2026-11-01', 100)").await,
        "claims_payer_fkey"
    );
    // Within one organization all is fine, and deleting a source keeps the copy.
    sqlx::raw_sql(
        "INSERT INTO payers (id, org_id, company_id, name, payer_code, source_id) OVERRIDING SYSTEM VALUE
             VALUES (501, 1, 11, 'West Payer', 'WP', 500);
         DELETE FROM payers WHERE id = 500;",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM payers WHERE id = 501 AND source_id IS NULL AND org_id = 1"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_expiring_grant_falls_back_to_a_lower_tier(pool: PgPool) {
    two_orgs(&pool).await;
    for (tier, reverts_to) in [
        ("limited", "limited"),
        ("limited", "full"),
        ("no_access", "no_access"),
    ] {
        assert_eq!(
            violation(&pool, &format!("INSERT INTO vendor_links (vendor_id, customer_id, tier, expires_at, reverts_to) VALUES (3, 1, '{tier}', now() + interval '1 day', '{reverts_to}')")).await,
            "vendor_links_reverts_lower",
            "{tier} -> {reverts_to}"
        );
    }
    sqlx::raw_sql("INSERT INTO vendor_links (vendor_id, customer_id, tier, expires_at, reverts_to) VALUES (3, 1, 'full', now() + interval '1 day', 'all_support')")
        .execute(&pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_self_service_role_requires_a_partner(pool: PgPool) {
    two_orgs(&pool).await;
    sqlx::raw_sql(
        "INSERT INTO roles (id, org_id, name, self_service) OVERRIDING SYSTEM VALUE VALUES (101, 1, 'Self', true);
         UPDATE users SET default_company_id = 11 WHERE id = 1000;",
    )
    .execute(&pool)
    .await
    .unwrap();
    // A Partner may hold it; turning the Partner into a Customer is refused.
    sqlx::raw_sql("UPDATE users SET role_id = 101 WHERE id = 1000")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        violation(
            &pool,
            "UPDATE users SET user_type = 'customer' WHERE id = 1000"
        )
        .await,
        "users_self_service_needs_partner"
    );
    // A Customer may hold an ordinary role, which then cannot become self-service.
    sqlx::raw_sql("UPDATE users SET role_id = 100, user_type = 'customer' WHERE id = 1000")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        violation(&pool, "UPDATE roles SET self_service = true WHERE id = 100").await,
        "users_self_service_needs_partner"
    );
    assert_eq!(
        violation(&pool, "UPDATE users SET role_id = 101 WHERE id = 1000").await,
        "users_self_service_needs_partner"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_organization_keeps_an_active_administrator(pool: PgPool) {
    two_orgs(&pool).await;
    sqlx::raw_sql(
        "UPDATE users SET account_type = 'administrator' WHERE id = 1000;
         INSERT INTO users (id, org_id, first_name, last_name, email, account_type) OVERRIDING SYSTEM VALUE
             VALUES (1001, 1, 'Bo', 'Kim', 'bo@west.example', 'administrator');",
    )
    .execute(&pool)
    .await
    .unwrap();
    // One of two may go; the last one may not be demoted, deactivated or deleted.
    sqlx::raw_sql("UPDATE users SET account_type = 'standard' WHERE id = 1001")
        .execute(&pool)
        .await
        .unwrap();
    for sql in [
        "UPDATE users SET account_type = 'standard' WHERE id = 1000",
        "UPDATE users SET status = 'inactive' WHERE id = 1000",
        "DELETE FROM users WHERE id = 1000",
    ] {
        assert_eq!(
            violation(&pool, sql).await,
            "users_keep_an_administrator",
            "{sql}"
        );
    }
    // Other changes to the last Administrator are fine.
    sqlx::raw_sql("UPDATE users SET first_name = 'Anne' WHERE id = 1000")
        .execute(&pool)
        .await
        .unwrap();
}

/// Each organization's count of users (the Users page's total when nothing
/// narrows it) is kept by the database as users are added, one or many in
/// a statement or by COPY, and removed; a user never changes organization.
#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_organizations_user_count_is_kept_as_users_come_and_go(pool: PgPool) {
    async fn counts(pool: &PgPool) -> (String, String) {
        let kept: String = sqlx::query_scalar(
            "SELECT string_agg(org_id || ':' || users, ' ' ORDER BY org_id) FROM user_counts",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let actual: String = sqlx::query_scalar(
            "SELECT string_agg(o.id || ':' || (SELECT count(*) FROM users u WHERE u.org_id = o.id), ' '
                               ORDER BY o.id)
             FROM organizations o",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        (kept, actual)
    }
    two_orgs(&pool).await;
    assert_eq!(
        counts(&pool).await,
        ("1:1 2:0 3:0".into(), "1:1 2:0 3:0".into())
    );

    sqlx::raw_sql(
        "INSERT INTO users (org_id, first_name, last_name, email) VALUES
             (2, 'Bo', 'One', 'bo1@east.example'), (2, 'Bo', 'Two', 'bo2@east.example'),
             (1, 'Cy', 'Three', 'cy3@west.example'), (2, 'Bo', 'Four', 'bo4@east.example');
         INSERT INTO organizations (id, name, kind) OVERRIDING SYSTEM VALUE VALUES (4, 'North', 'customer');",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        counts(&pool).await,
        ("1:2 2:3 3:0 4:0".into(), "1:2 2:3 3:0 4:0".into())
    );

    let mut conn = pool.acquire().await.unwrap();
    let mut copy = conn
        .copy_in_raw("COPY users (org_id, first_name, last_name, email) FROM STDIN")
        .await
        .unwrap();
    let lines: String = (0..250)
        .map(|i| format!("4\tNo\tRth\tn{i}@north.example\n"))
        .collect();
    copy.send(lines.as_bytes()).await.unwrap();
    assert_eq!(copy.finish().await.unwrap(), 250);
    drop(conn);
    sqlx::raw_sql("DELETE FROM users WHERE email IN ('bo1@east.example', 'bo4@east.example', 'n7@north.example')")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        counts(&pool).await,
        ("1:2 2:1 3:0 4:249".into(), "1:2 2:1 3:0 4:249".into())
    );

    assert!(
        violation(&pool, "UPDATE users SET org_id = 2 WHERE id = 1000")
            .await
            .contains("organization cannot change")
    );
    assert_eq!(
        scalar(&pool, "SELECT users FROM user_counts WHERE org_id = 1").await,
        2
    );
}
