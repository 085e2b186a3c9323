//! No repeated queries (N+1): the statements the Users list and the Edit
//! User functions send do not grow with the rows they return, and stay
//! within a small fixed budget (docs/PERFORMANCE.md explains the count).

use crate::common;

use axum::Router;
use common::{call, call_ok, user_id};
use server::query_counter;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";

/// Statements one call sends (after a first call has warmed caches).
async fn statements(router: &Router, cookie: &str, endpoint: &str, form: &str) -> usize {
    let (reply, statements) = query_counter::count(call(router, cookie, endpoint, form)).await;
    assert!(
        reply.status.is_success(),
        "{endpoint}: {} {}",
        reply.status,
        reply.body
    );
    statements
}

async fn add_users(pool: &PgPool, count: i64) {
    sqlx::query(
        "INSERT INTO users (org_id, first_name, last_name, email, role_id, default_company_id)
         SELECT u.org_id, 'Extra', 'User ' || n, 'extra' || n || '@northwind.example', u.role_id, u.default_company_id
         FROM users u, generate_series(1, $1) n WHERE u.email = 'pat.partner@northwind.example'",
    )
    .bind(count)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn list_and_edit_functions_send_a_fixed_number_of_statements(pool: PgPool) {
    // The guard is only as good as the counter: three statements sent are
    // three counted, and nothing outside the future is.
    query_counter::install();
    let ((), sent) = query_counter::count(async {
        for _ in 0..3 {
            sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        }
    })
    .await;
    assert_eq!(sent, 3);
    let outside = tokio::spawn({
        let pool = pool.clone();
        async move { sqlx::query("SELECT 1").execute(&pool).await.unwrap() }
    });
    let ((), sent) = query_counter::count(async {
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        outside.await.unwrap();
    })
    .await;
    assert_eq!(sent, 1, "a statement another task sends is not counted");

    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let pat = user_id(&pool, PAT).await;
    let list = "search=&status=&account_type=";
    // Each with its budget of round trips, the session's own load
    // included: the Edit User load is the session, the session's user
    // with the organization's snapshot version, and the user with the
    // page's extras (docs/PERFORMANCE.md).
    let reads = [
        ("list_users", list.to_owned(), 3),
        (
            "list_users",
            "search=pat&status=&account_type=".to_owned(),
            4,
        ),
        ("load_user", format!("user_id={pat}"), 3),
        ("load_user_permissions", format!("user_id={pat}"), 10),
        ("explain_user", format!("user_id={pat}"), 10),
    ];
    let mut before = vec![];
    for (endpoint, form, _) in &reads {
        statements(&router, &ada, endpoint, form).await;
        before.push(statements(&router, &ada, endpoint, form).await);
    }
    // Fifty more users (a full page) and more direct companies: the
    // counts must not move.
    add_users(&pool, 50).await;
    sqlx::query(
        "INSERT INTO user_companies (user_id, company_id, org_id)
         SELECT $1, c.id, c.org_id FROM companies c
         WHERE c.org_id = (SELECT org_id FROM users WHERE id = $1) AND c.parent_id IS NOT NULL
         ON CONFLICT DO NOTHING",
    )
    .bind(pat)
    .execute(&pool)
    .await
    .unwrap();
    let page: app::users::UsersPage = call_ok(&router, &ada, "list_users", list).await;
    assert!(page.users.len() >= 50, "a full page now");
    for ((endpoint, form, budget), before) in reads.iter().zip(&before) {
        let after = statements(&router, &ada, endpoint, form).await;
        assert_eq!(after, *before, "{endpoint} grew with the rows it reads");
        assert!(after <= *budget, "{endpoint} sends {after} statements");
    }

    // Saving a user is one transaction of a fixed size too.
    let save = |version: i32| {
        format!(
            "user_id={pat}&version={version}&first_name=Pat&last_name=Partner&email=pat.partner%40northwind.example&status=active"
        )
    };
    let version: i32 = sqlx::query_scalar("SELECT version FROM users WHERE id = $1")
        .bind(pat)
        .fetch_one(&pool)
        .await
        .unwrap();
    let saved = statements(&router, &ada, "update_user_profile", &save(version)).await;
    assert!(saved <= 14, "update_user_profile sends {saved} statements");
    assert!(saved >= 3, "a save reads, writes and audits: {saved}");

    // A sign-in (no second factor due): the throttle's state, the account,
    // the sign-in with its audit event, and the new session are one
    // statement each.
    let mut sign_ins = vec![];
    for _ in 0..2 {
        let (reply, sent) =
            query_counter::count(common::sign_in(&router, PAT, server::demo::DEMO_PASSWORD)).await;
        assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
        sign_ins.push(sent);
    }
    assert!(sign_ins[1] <= 4, "sign_in sends {} statements", sign_ins[1]);
}
