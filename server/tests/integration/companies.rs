//! The Companies page: Administrators add, rename, deactivate and reactivate
//! child companies; the parent stays active; users lose an inactive company
//! at once; optimistic concurrency, audit, and every refusal.

use crate::common;

use app::{
    companies::{
        COMPANY_CHANGED_ELSEWHERE, COMPANY_NAME_TAKEN, COMPANY_SAVED, COMPANY_STATUS_MESSAGE,
        CompanyRow, PARENT_STAYS_ACTIVE,
    },
    error::AppError,
    model::{org::COMPANY_NAME_MESSAGE, validation::Field},
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call,
    session_cookie, sign_in,
};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";

async fn companies(router: &Router, cookie: &str) -> Vec<CompanyRow> {
    call_ok(router, cookie, "list_companies", "").await
}

fn row<'a>(rows: &'a [CompanyRow], name: &str) -> &'a CompanyRow {
    rows.iter().find(|c| c.name == name).unwrap()
}

fn update_form(c: &CompanyRow, name: &str, status: &str) -> String {
    format!(
        "company_id={}&version={}&name={}&status={status}",
        c.id,
        c.version,
        name.replace(' ', "+").replace('&', "%26")
    )
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn administrators_add_rename_and_deactivate_child_companies(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;

    let rows = companies(&router, &ada).await;
    let names: Vec<&str> = rows.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Northwind Health Partners",
            "East Clinic",
            "Harbor Imaging",
            "North Clinic",
            "South Clinic"
        ]
    );
    assert!(rows[0].parent && rows[1..].iter().all(|c| !c.parent));
    // Pat by role, Cathy at home, Sam picked directly.
    assert_eq!(row(&rows, "North Clinic").members, 3);
    assert_eq!(row(&rows, "Harbor Imaging").members, 1);

    let added: String = call_ok(&router, &ada, "create_company", "name=+West+Clinic+").await;
    assert_eq!(added, "West Clinic has been added.");
    let rows = companies(&router, &ada).await;
    assert!(!row(&rows, "West Clinic").parent);
    assert_eq!(
        invalid_call(&router, &ada, "create_company", "name=west+clinic")
            .await
            .get(Field::CompanyName),
        Some(COMPANY_NAME_TAKEN)
    );
    assert_eq!(
        invalid_call(&router, &ada, "create_company", "name=+++")
            .await
            .get(Field::CompanyName),
        Some(COMPANY_NAME_MESSAGE)
    );
    assert_eq!(companies(&router, &ada).await.len(), 6);
    assert_eq!(audit_count(&pool, "company.create").await, 1);

    // Deactivating East takes it from Pat on his next request.
    let pat =
        session_cookie(&sign_in(&router, "pat.partner@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    let east = row(&rows, "East Clinic").clone();
    let saved: String = call_ok(
        &router,
        &ada,
        "update_company",
        &update_form(&east, "East Clinic", "inactive"),
    )
    .await;
    assert_eq!(saved, COMPANY_SAVED);
    let me: Option<app::auth::Me> = call_ok(&router, &pat, "who_am_i", "").await;
    assert_eq!(
        me.unwrap().company_names(),
        ["North Clinic", "South Clinic"]
    );

    // The same form again is a conflict; a fresh one reactivates and renames.
    let stale = call(
        &router,
        &ada,
        "update_company",
        &update_form(&east, "East Clinic", "active"),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    match serde_json::from_str(&stale.body).unwrap() {
        AppError::Conflict(m) => assert_eq!(m, COMPANY_CHANGED_ELSEWHERE),
        other => panic!("{other:?}"),
    }
    let fresh = row(&companies(&router, &ada).await, "East Clinic").clone();
    assert!(!fresh.active);
    let _: String = call_ok(
        &router,
        &ada,
        "update_company",
        &update_form(&fresh, "East Clinic & Lab", "active"),
    )
    .await;
    let rows = companies(&router, &ada).await;
    assert!(row(&rows, "East Clinic & Lab").active);
    let me: Option<app::auth::Me> = call_ok(&router, &pat, "who_am_i", "").await;
    assert_eq!(
        me.unwrap().company_names(),
        ["East Clinic & Lab", "North Clinic", "South Clinic"]
    );

    // The parent stays active; bad input changes nothing.
    let parent = row(&rows, "Northwind Health Partners").clone();
    assert_eq!(
        invalid_call(
            &router,
            &ada,
            "update_company",
            &update_form(&parent, &parent.name, "inactive")
        )
        .await
        .get(Field::CompanyStatus),
        Some(PARENT_STAYS_ACTIVE)
    );
    let north = row(&rows, "North Clinic").clone();
    let bad = invalid_call(
        &router,
        &ada,
        "update_company",
        &update_form(&north, "", "closed"),
    )
    .await;
    assert_eq!(bad.get(Field::CompanyName), Some(COMPANY_NAME_MESSAGE));
    assert_eq!(bad.get(Field::CompanyStatus), Some(COMPANY_STATUS_MESSAGE));
    assert_eq!(
        invalid_call(
            &router,
            &ada,
            "update_company",
            &update_form(&north, "south clinic", "active")
        )
        .await
        .get(Field::CompanyName),
        Some(COMPANY_NAME_TAKEN)
    );
    assert_eq!(companies(&router, &ada).await, rows);
    assert_eq!(audit_count(&pool, "company.update").await, 2);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_the_organizations_administrators_manage_its_companies(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let north = row(&companies(&router, &ada).await, "North Clinic").clone();
    let calls = [
        ("list_companies", String::new()),
        ("create_company", "name=Sneaky+Clinic".to_owned()),
        ("update_company", update_form(&north, "Sneaky", "inactive")),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    // Mia may see users; companies are an Administrator's.
    let mia =
        session_cookie(&sign_in(&router, "mia.manager@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    expect_status(&router, &mia, &calls, StatusCode::FORBIDDEN).await;
    // Riverside's Administrator: her companies only; Northwind's are not found.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    assert!(
        companies(&router, &rosa)
            .await
            .iter()
            .all(|c| c.id != north.id)
    );
    assert_eq!(
        call(&router, &rosa, "update_company", &calls[2].1)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(
            &router,
            &ada,
            "update_company",
            "company_id=north&version=1&name=X&status=active"
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(row(&companies(&router, &ada).await, "North Clinic"), &north);
    assert_eq!(audit_count(&pool, "company.create").await, 0);
    assert_eq!(audit_count(&pool, "company.update").await, 0);
}
