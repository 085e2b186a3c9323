//! Payers and facilities: read where one acts; created, edited, deleted and
//! copied down only by Administrators acting in the parent company; copies
//! remember their source; a copy-down is previewed, then done all at once.

use crate::common;

use app::{
    catalog::{
        CHILDREN_MESSAGE, CatalogView, CopyPlan, ENTRY_CHANGED_ELSEWHERE, ENTRY_IN_USE,
        ENTRY_NAME_TAKEN,
    },
    error::AppError,
    model::{
        catalog::{CopyOutcome, PAYER_CODE_MESSAGE},
        validation::Field,
    },
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, company_id, enrolled_admin_session, expect_status, invalid_call,
    session_cookie, sign_in,
};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";

async fn act_in(router: &Router, pool: &PgPool, cookie: &str, company: &str) {
    let id = company_id(pool, company).await;
    let reply = call(
        router,
        cookie,
        "switch_company",
        &format!("company_id={id}"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn lists(router: &Router, cookie: &str) -> CatalogView {
    call_ok(router, cookie, "list_catalog", "").await
}

fn payer<'a>(v: &'a CatalogView, name: &str) -> &'a app::catalog::Entry {
    v.payers.iter().find(|e| e.name == name).unwrap()
}

fn children_form(catalog: &str, entry: impl std::fmt::Display, children: &[i64]) -> String {
    let mut form = format!("catalog={catalog}&entry_id={entry}");
    for (i, c) in children.iter().enumerate() {
        form.push_str(&format!("&children[{i}]={c}"));
    }
    form
}

fn outcomes(plan: &CopyPlan) -> Vec<(&str, CopyOutcome)> {
    plan.lines.iter().map(|(c, o)| (c.as_str(), *o)).collect()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn administrators_keep_the_parents_lists_and_copy_them_down(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    act_in(&router, &pool, &ada, "Northwind Health Partners").await;
    let (east, north, south) = (
        company_id(&pool, "East Clinic").await,
        company_id(&pool, "North Clinic").await,
        company_id(&pool, "South Clinic").await,
    );

    let parent = lists(&router, &ada).await;
    assert!(parent.manage);
    assert_eq!(parent.company, "Northwind Health Partners");
    assert_eq!(parent.payers.len(), 3);
    assert!(parent.payers.iter().all(|p| p.copy_of.is_none()));
    let names: Vec<&str> = parent.children.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "East Clinic",
            "Harbor Imaging",
            "North Clinic",
            "South Clinic"
        ]
    );

    // Add one; the code is upper-cased; duplicates and bad codes are field errors.
    let saved: String = call_ok(
        &router,
        &ada,
        "save_entry",
        "catalog=payers&entry_id=&version=0&name=Cigna&detail=ci01",
    )
    .await;
    assert_eq!(saved, "Cigna has been saved.");
    assert_eq!(payer(&lists(&router, &ada).await, "Cigna").detail, "CI01");
    let taken = invalid_call(
        &router,
        &ada,
        "save_entry",
        "catalog=payers&entry_id=&version=0&name=cigna&detail=CI02",
    )
    .await;
    assert_eq!(taken.get(Field::EntryName), Some(ENTRY_NAME_TAKEN));
    let bad = invalid_call(
        &router,
        &ada,
        "save_entry",
        "catalog=payers&entry_id=&version=0&name=Humana&detail=H",
    )
    .await;
    assert_eq!(bad.get(Field::EntryDetail), Some(PAYER_CODE_MESSAGE));

    // Rename Medicare at the parent; the preview says what each child gets.
    let medicare = payer(&lists(&router, &ada).await, "Medicare Part B").clone();
    let rename = format!(
        "catalog=payers&entry_id={}&version={}&name=Medicare+B&detail=MCRB",
        medicare.id, medicare.version
    );
    let _: String = call_ok(&router, &ada, "save_entry", &rename).await;
    let stale = call(&router, &ada, "save_entry", &rename).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    match serde_json::from_str(&stale.body).unwrap() {
        AppError::Conflict(m) => assert_eq!(m, ENTRY_CHANGED_ELSEWHERE),
        other => panic!("{other:?}"),
    }
    let form = children_form("payers", medicare.id, &[north, east, south]);
    let plan: CopyPlan = call_ok(&router, &ada, "plan_copy", &form).await;
    assert_eq!(plan.entry, "Medicare B");
    assert_eq!(
        outcomes(&plan),
        [
            ("East Clinic", CopyOutcome::Gains),
            ("North Clinic", CopyOutcome::Updates),
            ("South Clinic", CopyOutcome::Updates)
        ]
    );
    assert_eq!(
        audit_count(&pool, "payer.copy_down").await,
        0,
        "a preview changes nothing"
    );

    // Done as previewed, in one go; the copies name their source.
    let done: CopyPlan = call_ok(&router, &ada, "copy_down", &form).await;
    assert_eq!(done, plan);
    act_in(&router, &pool, &ada, "East Clinic").await;
    let east_view = lists(&router, &ada).await;
    assert!(!east_view.manage);
    assert_eq!(
        payer(&east_view, "Medicare B").copy_of.as_deref(),
        Some("Medicare B")
    );
    act_in(&router, &pool, &ada, "Northwind Health Partners").await;
    let again: CopyPlan = call_ok(&router, &ada, "plan_copy", &form).await;
    assert!(again.lines.iter().all(|(_, o)| *o == CopyOutcome::UpToDate));
    assert_eq!(audit_count(&pool, "payer.copy_down").await, 1);

    // A child's own entry of the same name is left alone.
    let harbor = company_id(&pool, "Harbor Imaging").await;
    sqlx::query(
        "INSERT INTO payers (org_id, company_id, name, payer_code) SELECT org_id, id, 'Cigna', 'CG01' FROM companies WHERE id = $1",
    )
    .bind(harbor)
    .execute(&pool)
    .await
    .unwrap();
    let cigna = payer(&lists(&router, &ada).await, "Cigna").id;
    let own: CopyPlan = call_ok(
        &router,
        &ada,
        "copy_down",
        &children_form("payers", cigna, &[harbor, north]),
    )
    .await;
    assert_eq!(
        outcomes(&own),
        [
            ("Harbor Imaging", CopyOutcome::OwnEntryOfThatName),
            ("North Clinic", CopyOutcome::Gains)
        ]
    );
    let harbor_code: String = sqlx::query_scalar(
        "SELECT payer_code FROM payers WHERE company_id = $1 AND name = 'Cigna'",
    )
    .bind(harbor)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(harbor_code, "CG01");

    // Deleting: a payer claims use stays; otherwise its copies stay, as the children's own.
    let aetna = payer(&lists(&router, &ada).await, "Aetna Commercial").clone();
    sqlx::query("UPDATE claims SET payer_id = $1 WHERE id = (SELECT min(id) FROM claims WHERE org_id = (SELECT org_id FROM payers WHERE id = $1))")
        .bind(aetna.id)
        .execute(&pool)
        .await
        .unwrap();
    let in_use = call(
        &router,
        &ada,
        "delete_entry",
        &format!(
            "catalog=payers&entry_id={}&version={}",
            aetna.id, aetna.version
        ),
    )
    .await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert!(in_use.body.contains(ENTRY_IN_USE));
    let medicare = payer(&lists(&router, &ada).await, "Medicare B").clone();
    let _: String = call_ok(
        &router,
        &ada,
        "delete_entry",
        &format!(
            "catalog=payers&entry_id={}&version={}",
            medicare.id, medicare.version
        ),
    )
    .await;
    act_in(&router, &pool, &ada, "North Clinic").await;
    let north_view = lists(&router, &ada).await;
    assert_eq!(payer(&north_view, "Medicare B").copy_of, None);
    assert_eq!(audit_count(&pool, "payer.delete").await, 1);
    assert_eq!(audit_count(&pool, "payer.create").await, 1);
    assert_eq!(audit_count(&pool, "payer.update").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn nobody_else_changes_the_lists_and_everyone_reads_only_where_they_act(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    act_in(&router, &pool, &ada, "Northwind Health Partners").await;
    let parent = lists(&router, &ada).await;
    let medicare = payer(&parent, "Medicare Part B").clone();
    let north = company_id(&pool, "North Clinic").await;
    let changes = [
        (
            "save_entry",
            "catalog=payers&entry_id=&version=0&name=Sneaky&detail=SN01".to_owned(),
        ),
        (
            "save_entry",
            format!(
                "catalog=payers&entry_id={}&version={}&name=Sneaky&detail=SN01",
                medicare.id, medicare.version
            ),
        ),
        (
            "delete_entry",
            format!(
                "catalog=payers&entry_id={}&version={}",
                medicare.id, medicare.version
            ),
        ),
        ("plan_copy", children_form("payers", medicare.id, &[north])),
        ("copy_down", children_form("payers", medicare.id, &[north])),
    ];
    expect_status(&router, "", &changes, StatusCode::UNAUTHORIZED).await;
    assert_eq!(
        call(&router, "", "list_catalog", "").await.status,
        StatusCode::UNAUTHORIZED
    );

    // An Administrator acting in a child: reads the child's copies, changes nothing.
    act_in(&router, &pool, &ada, "North Clinic").await;
    let at_north = lists(&router, &ada).await;
    assert!(!at_north.manage && at_north.children.is_empty());
    assert_eq!(
        payer(&at_north, "Medicare Part B").copy_of.as_deref(),
        Some("Medicare Part B")
    );
    expect_status(&router, &ada, &changes, StatusCode::FORBIDDEN).await;

    // Pat reads South Clinic's copies where he acts, and may change nothing.
    let pat =
        session_cookie(&sign_in(&router, "pat.partner@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    let at_south = lists(&router, &pat).await;
    assert_eq!(at_south.company, "South Clinic");
    assert!(!at_south.manage);
    expect_status(&router, &pat, &changes, StatusCode::FORBIDDEN).await;
    // Staff of a vendor act in no company of their own.
    let victor =
        session_cookie(&sign_in(&router, "victor.staff@claimwise.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &victor, "list_catalog", "").await.status,
        StatusCode::FORBIDDEN
    );

    // Riverside's Administrator at her parent: Northwind's entries are not found,
    // Northwind's children are no children of hers.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    expect_status(&router, &rosa, &changes[1..3], StatusCode::NOT_FOUND).await;
    let her_payer: i64 = sqlx::query_scalar(
        "INSERT INTO payers (org_id, company_id, name, payer_code)
         SELECT c.org_id, c.id, 'Riverside Mutual', 'RM01' FROM companies c
           JOIN organizations o ON o.id = c.org_id
          WHERE o.name LIKE 'Riverside%' AND c.parent_id IS NULL RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let foreign_child = invalid_call(
        &router,
        &rosa,
        "plan_copy",
        &children_form("payers", her_payer, &[north]),
    )
    .await;
    assert_eq!(foreign_child.get(Field::Children), Some(CHILDREN_MESSAGE));

    // Bad input from the rightful Administrator changes nothing either.
    act_in(&router, &pool, &ada, "Northwind Health Partners").await;
    assert_eq!(
        call(
            &router,
            &ada,
            "save_entry",
            "catalog=claims&entry_id=&version=0&name=X&detail=XX"
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let no_children = invalid_call(
        &router,
        &ada,
        "plan_copy",
        &children_form("payers", medicare.id, &[]),
    )
    .await;
    assert_eq!(no_children.get(Field::Children), Some(CHILDREN_MESSAGE));
    let parent_as_child = company_id(&pool, "Northwind Health Partners").await;
    let to_parent = invalid_call(
        &router,
        &ada,
        "copy_down",
        &children_form("payers", medicare.id, &[parent_as_child]),
    )
    .await;
    assert_eq!(to_parent.get(Field::Children), Some(CHILDREN_MESSAGE));
    assert_eq!(lists(&router, &ada).await, parent);
    for action in [
        "payer.create",
        "payer.update",
        "payer.delete",
        "payer.copy_down",
    ] {
        assert_eq!(audit_count(&pool, action).await, 0, "{action}");
    }
}
