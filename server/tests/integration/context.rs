//! The acting company: the switcher offers exactly the companies of the
//! user's effective access; switching is kept in the server-side session and
//! audited; a hand-made request into any other company is refused.

use crate::common;

use app::auth::Me;
use axum::http::StatusCode;
use common::{audit_count, call, company_id, me, signed_in};
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";

fn acting(me: &Me) -> Option<&str> {
    me.acting_company.as_ref().map(|c| c.name.as_str())
}

fn id_of(me: &Me, name: &str) -> i64 {
    me.companies.iter().find(|c| c.name == name).unwrap().id.0
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_demo_user_is_offered_exactly_their_companies_and_starts_in_their_default(
    pool: PgPool,
) {
    let (router, ada) = common::demo_admin(&pool, "ada.admin@northwind.example").await;
    let expected: [(&str, &[&str], Option<&str>); 5] = [
        (
            PAT,
            &["East Clinic", "North Clinic", "South Clinic"],
            Some("South Clinic"),
        ),
        (
            "cathy.customer@northwind.example",
            &["North Clinic"],
            Some("North Clinic"),
        ),
        (
            "sam.support@northwind.example",
            &["North Clinic"],
            Some("North Clinic"),
        ),
        (
            "mia.manager@northwind.example",
            &["Harbor Imaging", "South Clinic"],
            Some("Harbor Imaging"),
        ),
        ("victor.staff@claimwise.example", &[], None),
    ];
    for (email, companies, start) in expected {
        let me = me(&router, &signed_in(&router, email).await).await;
        assert_eq!(me.company_names(), companies, "{email}");
        assert_eq!(acting(&me), start, "{email}");
    }
    // An Administrator: every active company, the parent first, starting there.
    let admin = me(&router, &ada).await;
    assert_eq!(
        admin.company_names(),
        [
            "Northwind Health Partners",
            "East Clinic",
            "Harbor Imaging",
            "North Clinic",
            "South Clinic"
        ]
    );
    assert_eq!(acting(&admin), Some("Northwind Health Partners"));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn switching_is_kept_in_the_session_audited_and_refused_outside_the_users_companies(
    pool: PgPool,
) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, PAT).await;
    let east = id_of(&me(&router, &pat).await, "East Clinic");

    let reply = call(
        &router,
        &pat,
        "switch_company",
        &format!("company_id={east}"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("You are now acting in East Clinic."));
    assert_eq!(acting(&me(&router, &pat).await), Some("East Clinic"));
    let (acting_company, before): (Option<i64>, serde_json::Value) = sqlx::query_as(
        "SELECT acting_company_id, before FROM audit_events WHERE action = 'context.switch'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(acting_company, Some(east));
    assert_eq!(
        before["company_id"],
        company_id(&pool, "South Clinic").await
    );

    // Hand-made requests into anywhere else: refused, nothing changes.
    let harbor = company_id(&pool, "Harbor Imaging").await;
    let parent = company_id(&pool, "Northwind Health Partners").await;
    let riverside: i64 = sqlx::query_scalar(
        "SELECT c.id FROM companies c JOIN organizations o ON o.id = c.org_id WHERE o.name LIKE 'Riverside%' LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    for company in [harbor, parent, riverside, 999_999] {
        assert_eq!(
            call(
                &router,
                &pat,
                "switch_company",
                &format!("company_id={company}")
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{company}"
        );
    }
    assert_eq!(
        call(&router, &pat, "switch_company", "company_id=east")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&router, "", "switch_company", &format!("company_id={east}"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(acting(&me(&router, &pat).await), Some("East Clinic"));
    assert_eq!(audit_count(&pool, "context.switch").await, 1);

    // A deactivated company drops out of the choice; the session falls back.
    sqlx::query("UPDATE companies SET active = false WHERE id = $1")
        .bind(east)
        .execute(&pool)
        .await
        .unwrap();
    let now = me(&router, &pat).await;
    assert_eq!(now.company_names(), ["North Clinic", "South Clinic"]);
    assert_eq!(acting(&now), Some("South Clinic"));
    assert_eq!(
        call(
            &router,
            &pat,
            "switch_company",
            &format!("company_id={east}")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}
