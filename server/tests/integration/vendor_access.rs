//! The customer's Vendor Access setting: Administrators change it, for good
//! or for a while; the vendor feels it on its next request; timed grants
//! end at their instant (policy) and are written back and warned about by
//! the background job (with a controllable clock); history, audit,
//! concurrency and every refusal.

use crate::common;

use app::{
    model::{
        validation::Field,
        vendor::{REVERTS_TO_MESSAGE, TIER_MESSAGE, VendorTier},
    },
    vendor_access::{NOTHING_TO_REVERT, VENDOR_CHANGED_ELSEWHERE, VendorSettingsPage, expiry},
};
use axum::{Router, http::StatusCode};
use chrono::{Duration, Utc};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call, org_id,
    signed_in,
};
use server::demo::{CUSTOMER, SECOND_CUSTOMER, VENDOR};
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";
const VICTOR: &str = "victor.staff@claimwise.example";

async fn settings(router: &Router, cookie: &str) -> VendorSettingsPage {
    call_ok(router, cookie, "vendor_settings", "").await
}

/// The stored (tier, expires_at set, reverts_to, version) of Claimwise at `customer`.
async fn link(pool: &PgPool, customer: &str) -> (String, bool, Option<String>, i32) {
    sqlx::query_as(
        "SELECT l.tier, l.expires_at IS NOT NULL, l.reverts_to, l.version FROM vendor_links l
         JOIN organizations c ON c.id = l.customer_id WHERE c.name = $1",
    )
    .bind(customer)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn change(vendor: i64, version: i32, tier: &str, length: &str, until: &str, back: &str) -> String {
    format!(
        "vendor_id={vendor}&version={version}&tier={tier}&length={length}&until={until}&reverts_to={back}"
    )
}

/// Whether the vendor's staff may read Northwind's tickets at all now.
async fn vendor_reads_tickets(router: &Router, victor: &str, northwind: i64) -> StatusCode {
    call(
        router,
        victor,
        "list_tickets",
        &format!("customer_id={northwind}"),
    )
    .await
    .status
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_administrators_change_reaches_the_vendor_on_its_next_request(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let victor = signed_in(&router, VICTOR).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let vendor = org_id(&pool, VENDOR).await;

    let page = settings(&router, &ada).await;
    assert!(page.may_change);
    assert_eq!(page.vendors.len(), 1);
    let claimwise = &page.vendors[0];
    assert_eq!(
        (claimwise.vendor.as_str(), claimwise.grant.tier),
        (VENDOR, VendorTier::AllSupport)
    );
    assert!(claimwise.history.is_empty());
    assert_eq!(
        vendor_reads_tickets(&router, &victor, northwind).await,
        StatusCode::OK
    );

    let said: String = call_ok(
        &router,
        &ada,
        "set_vendor_access",
        &change(
            vendor,
            claimwise.version,
            "no_access",
            "until_changed",
            "",
            "",
        ),
    )
    .await;
    assert_eq!(said, format!("{VENDOR} now has No Access."));
    // The very next request of the vendor is refused, with the reason.
    let refused = call(
        &router,
        &victor,
        "list_tickets",
        &format!("customer_id={northwind}"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains(r#""have":"NoAccess""#),
        "{}",
        refused.body
    );

    let page = settings(&router, &ada).await;
    let claimwise = &page.vendors[0];
    call_ok::<String>(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, claimwise.version, "full", "until_changed", "", ""),
    )
    .await;
    assert_eq!(
        vendor_reads_tickets(&router, &victor, northwind).await,
        StatusCode::OK
    );
    assert_eq!(link(&pool, CUSTOMER).await.0, "full");

    // Audited with before and after, shown as the history (newest first).
    assert_eq!(audit_count(&pool, "vendor_access.change").await, 2);
    let history = &settings(&router, &ada).await.vendors[0].history;
    assert_eq!(history.len(), 2);
    assert!(history[0].who.contains("Ada Admin"), "{:?}", history[0]);
    assert_eq!(history[0].what, "No Access → Full Access");
    assert_eq!(history[1].what, "All Support → No Access");
    // Riverside's setting is its own: untouched.
    assert_eq!(link(&pool, SECOND_CUSTOMER).await.0, "full");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_timed_grant_ends_at_its_instant_and_the_job_writes_it_down(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let victor = signed_in(&router, VICTOR).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let vendor = org_id(&pool, VENDOR).await;
    let version = settings(&router, &ada).await.vendors[0].version;

    let said: String = call_ok(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, version, "full", "1h", "", "no_access"),
    )
    .await;
    assert!(
        said.contains("Full Access until") && said.ends_with("then No Access."),
        "{said}"
    );
    let page = settings(&router, &ada).await;
    assert!(page.vendors[0].temporary);
    let claims = format!("customer_id={northwind}");
    assert_eq!(
        call(&router, &victor, "account_claims", &claims)
            .await
            .status,
        StatusCode::OK
    );

    // Nothing is due yet: the job leaves the grant alone.
    assert_eq!(
        expiry::run_due(&pool, Utc::now()).await.unwrap(),
        expiry::ExpiryReport::default()
    );

    // The hour passes (moved back in the database, before the job runs):
    // the policy already reads the grant as No Access.
    sqlx::query(
        "UPDATE vendor_links SET expires_at = now() - interval '1 second' WHERE customer_id = $1",
    )
    .bind(northwind)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        call(&router, &victor, "account_claims", &claims)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        vendor_reads_tickets(&router, &victor, northwind).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        settings(&router, &ada).await.vendors[0].described,
        "No Access"
    );

    // The job writes the revert down once, audited as the time limit.
    let report = expiry::run_due(&pool, Utc::now()).await.unwrap();
    assert_eq!(report.reverted, 1);
    assert_eq!(
        link(&pool, CUSTOMER).await,
        ("no_access".to_owned(), false, None, version + 2)
    );
    assert_eq!(
        expiry::run_due(&pool, Utc::now()).await.unwrap().reverted,
        0
    );
    assert_eq!(audit_count(&pool, "vendor_access.expire").await, 1);
    let history = &settings(&router, &ada).await.vendors[0].history;
    assert!(
        history[0].what.ends_with("(time limit reached)"),
        "{:?}",
        history[0]
    );
    assert!(history[0].who.starts_with("Portcullis"), "{:?}", history[0]);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn both_sides_are_warned_once_before_a_grant_ends(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let vendor = org_id(&pool, VENDOR).await;
    let version = settings(&router, &ada).await.vendors[0].version;
    call_ok::<String>(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, version, "full", "24h", "", "limited"),
    )
    .await;
    let outbox = || async {
        sqlx::query_as::<_, (String, String)>(
            "SELECT recipient, subject FROM email_outbox WHERE subject LIKE '%ends soon' ORDER BY recipient",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    // 22 hours in: too early. 23 h 30 min in: the warning (an hour before).
    let now = Utc::now();
    assert_eq!(
        expiry::run_due(&pool, now + Duration::hours(22))
            .await
            .unwrap()
            .warned,
        0
    );
    assert!(outbox().await.is_empty());
    let report = expiry::run_due(&pool, now + Duration::minutes(23 * 60 + 30))
        .await
        .unwrap();
    assert_eq!(
        report,
        expiry::ExpiryReport {
            reverted: 0,
            warned: 1
        }
    );
    let mails = outbox().await;
    let to: Vec<&str> = mails.iter().map(|(to, _)| to.as_str()).collect();
    // Northwind's active Administrators and the vendor's.
    assert_eq!(
        to,
        [
            "ada.admin@northwind.example",
            "ben.backup@northwind.example",
            "vera.vendor@claimwise.example"
        ]
    );
    assert_eq!(
        mails[0].1,
        format!("{VENDOR} access to {CUSTOMER} ends soon")
    );
    assert_eq!(
        expiry::run_due(&pool, now + Duration::minutes(23 * 60 + 45))
            .await
            .unwrap()
            .warned,
        0
    );
    // A day later the grant is written back to Limited Access.
    let report = expiry::run_due(&pool, now + Duration::hours(25))
        .await
        .unwrap();
    assert_eq!(report.reverted, 1);
    assert_eq!(link(&pool, CUSTOMER).await.0, "limited");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_timed_grant_can_be_ended_at_once(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let vendor = org_id(&pool, VENDOR).await;
    let version = settings(&router, &ada).await.vendors[0].version;
    call_ok::<String>(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, version, "full", "7d", "", "limited"),
    )
    .await;
    let version = version + 1;
    let said: String = call_ok(
        &router,
        &ada,
        "revert_vendor_access",
        &format!("vendor_id={vendor}&version={version}"),
    )
    .await;
    assert_eq!(said, format!("{VENDOR} now has Limited Access."));
    assert_eq!(
        link(&pool, CUSTOMER).await,
        ("limited".to_owned(), false, None, version + 1)
    );
    assert_eq!(audit_count(&pool, "vendor_access.revert").await, 1);
    // Nothing left to end: a clear conflict, nothing written.
    let again = call(
        &router,
        &ada,
        "revert_vendor_access",
        &format!("vendor_id={vendor}&version={}", version + 1),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains(NOTHING_TO_REVERT));
    assert_eq!(audit_count(&pool, "vendor_access.revert").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_the_customers_administrators_change_it(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let vendor = org_id(&pool, VENDOR).await;
    let form = change(vendor, 1, "full", "until_changed", "", "");
    let revert = format!("vendor_id={vendor}&version=1");
    let calls = [
        ("set_vendor_access", form.clone()),
        ("revert_vendor_access", revert.clone()),
    ];
    // Anonymous: 401 everywhere.
    expect_status(
        &router,
        "",
        &[("vendor_settings", String::new())],
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    // A Standard user reads the setting, changes nothing.
    let pat = signed_in(&router, PAT).await;
    let page = settings(&router, &pat).await;
    assert!(!page.may_change);
    assert_eq!(page.vendors[0].grant.tier, VendorTier::AllSupport);
    expect_status(&router, &pat, &calls, StatusCode::FORBIDDEN).await;
    // Vendor staff, even the vendor's Administrator, change no customer's setting.
    let victor = signed_in(&router, VICTOR).await;
    expect_status(
        &router,
        &victor,
        &[("vendor_settings", String::new())],
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_status(&router, &victor, &calls, StatusCode::FORBIDDEN).await;
    let (vera, _) = enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    expect_status(&router, &vera, &calls, StatusCode::FORBIDDEN).await;
    // Riverside's Administrator reaches only Riverside's link.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    let unknown = change(
        org_id(&pool, CUSTOMER).await,
        1,
        "full",
        "until_changed",
        "",
        "",
    );
    expect_status(
        &router,
        &rosa,
        &[("set_vendor_access", unknown)],
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        link(&pool, CUSTOMER).await,
        ("all_support".to_owned(), false, None, 1)
    );
    assert_eq!(
        link(&pool, SECOND_CUSTOMER).await,
        ("full".to_owned(), false, None, 1)
    );
    assert_eq!(audit_count(&pool, "vendor_access.change").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bad_or_stale_changes_are_refused_and_change_nothing(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let vendor = org_id(&pool, VENDOR).await;
    let errors = invalid_call(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, 1, "root", "until_changed", "", ""),
    )
    .await;
    assert_eq!(errors.get(Field::Tier), Some(TIER_MESSAGE));
    let errors = invalid_call(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, 1, "limited", "24h", "", "full"),
    )
    .await;
    assert_eq!(errors.get(Field::RevertsTo), Some(REVERTS_TO_MESSAGE));
    let errors = invalid_call(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, 1, "full", "date", "2020-01-01", "limited"),
    )
    .await;
    assert!(errors.get(Field::Until).is_some());
    // A form read before someone else's change.
    call_ok::<String>(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, 1, "limited", "until_changed", "", ""),
    )
    .await;
    let stale = call(
        &router,
        &ada,
        "set_vendor_access",
        &change(vendor, 1, "full", "until_changed", "", ""),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains(VENDOR_CHANGED_ELSEWHERE));
    assert_eq!(
        link(&pool, CUSTOMER).await,
        ("limited".to_owned(), false, None, 2)
    );
    assert_eq!(audit_count(&pool, "vendor_access.change").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn parallel_changes_end_in_one_consistent_audited_state(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let vendor = org_id(&pool, VENDOR).await;
    let tiers: [&'static str; 8] = [
        "no_access",
        "limited",
        "full",
        "no_access",
        "limited",
        "full",
        "limited",
        "full",
    ];
    let tasks: Vec<_> = tiers
        .into_iter()
        .map(|tier| {
            let router = router.clone();
            let ada = ada.clone();
            let form = change(vendor, 1, tier, "until_changed", "", "");
            tokio::spawn(async move {
                (
                    tier,
                    call(&router, &ada, "set_vendor_access", &form).await.status,
                )
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let won: Vec<&str> = results
        .iter()
        .filter(|(_, s)| *s == StatusCode::OK)
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|(_, s)| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    let (tier, _, _, version) = link(&pool, CUSTOMER).await;
    assert_eq!((tier.as_str(), version), (won[0], 2));
    assert_eq!(audit_count(&pool, "vendor_access.change").await, 1);
}
