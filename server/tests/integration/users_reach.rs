//! The Users page for non-Administrators: Users: view shows, and Users:
//! manage also lets one change the profile of, the Standard users who share
//! one of the caller's companies; everything else stays with Administrators.

use crate::common;

use app::{
    model::validation::{FIRST_NAME_MESSAGE, Field},
    users::{EditableUser, NewUserChoices, PermissionsView, USER_SAVED, UsersPage},
};
use axum::http::StatusCode;
use common::{app, audit_count, call, call_ok, invalid_call, signed_in, user_id};
use sqlx::PgPool;

/// Self-Service Manager (Users: view) in Harbor Imaging and South Clinic.
const MIA: &str = "mia.manager@northwind.example";
/// Payment Poster in North Clinic; promoted below to Practice Admin (Users: manage).
const SAM: &str = "sam.support@northwind.example";

async fn first_name(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT first_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn rename_form(u: &EditableUser, first: &str) -> String {
    format!(
        "user_id={}&version={}&first_name={first}&last_name={}&email={}&status={}",
        u.id,
        u.version,
        u.last_name,
        u.email.replace('@', "%40"),
        if u.active { "active" } else { "inactive" }
    )
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn users_view_sees_only_users_who_share_a_company_and_changes_nothing(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let mia = signed_in(&router, MIA).await;

    let page: UsersPage =
        call_ok(&router, &mia, "list_users", "search=&status=&account_type=").await;
    let emails: Vec<&str> = page.users.iter().map(|u| u.email.as_str()).collect();
    // Pat by his role's South Clinic; the Administrators act everywhere.
    assert_eq!(
        emails,
        [
            "ada.admin@northwind.example",
            "ben.backup@northwind.example",
            MIA,
            "pat.partner@northwind.example"
        ]
    );
    assert_eq!(page.total, 4, "the count is of what she may see");
    assert!(!page.administer);
    // Searching cannot reach past her companies either.
    let cathy_search: UsersPage = call_ok(
        &router,
        &mia,
        "list_users",
        "search=cathy&status=&account_type=",
    )
    .await;
    assert_eq!(cathy_search.total, 0);

    // The filters offer her own companies only.
    let choices: NewUserChoices = call_ok(&router, &mia, "new_user_options", "").await;
    let names: Vec<&str> = choices.companies.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["Harbor Imaging", "South Clinic"]);

    // Pat: readable, not editable.
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    let pat_view: EditableUser =
        call_ok(&router, &mia, "load_user", &format!("user_id={pat}")).await;
    assert!(!pat_view.may_edit && !pat_view.administer);
    let permissions: PermissionsView = call_ok(
        &router,
        &mia,
        "load_user_permissions",
        &format!("user_id={pat}"),
    )
    .await;
    assert!(!permissions.editable);
    assert_eq!(
        call(&router, &mia, "explain_user", &format!("user_id={pat}"))
            .await
            .status,
        StatusCode::OK
    );
    let reply = call(
        &router,
        &mia,
        "update_user_profile",
        &rename_form(&pat_view, "Patrick"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(reply.body.contains("UsersManage"), "{}", reply.body);

    // Cathy (North Clinic only) does not exist for her.
    let cathy = user_id(&pool, "cathy.customer@northwind.example").await;
    for endpoint in ["load_user", "load_user_permissions", "explain_user"] {
        assert_eq!(
            call(&router, &mia, endpoint, &format!("user_id={cathy}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    // Administrators' own tools stay closed.
    for (endpoint, form) in [
        ("bulk_update_users", format!("action=deactivate&role_id=&company_id=&users[0]={pat}")),
        (
            "add_user",
            "first_name=New&last_name=Person&email=new%40northwind.example&account_type=standard&user_type=partner&company_id=&role_id="
                .to_owned(),
        ),
        (
            "update_user_permissions",
            format!("user_id={pat}&version={}&account_type=administrator&user_type=partner&company_id=&role_id=", permissions.version),
        ),
        ("unlock_sign_in", format!("user_id={pat}")),
    ] {
        assert_eq!(
            call(&router, &mia, endpoint, &form).await.status,
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
    assert_eq!(first_name(&pool, pat).await, "Pat");
    let pat_type: String = sqlx::query_scalar("SELECT account_type FROM users WHERE id = $1")
        .bind(pat)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pat_type, "standard", "not promoted");
    assert_eq!(audit_count(&pool, "user.update").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn users_manage_changes_standard_users_in_reach_only(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    sqlx::query(
        "UPDATE users SET role_id = (SELECT r.id FROM roles r WHERE r.org_id = users.org_id AND r.template = 'practice_admin')
         WHERE email = $1",
    )
    .bind(SAM)
    .execute(&pool)
    .await
    .unwrap();
    let router = app(pool.clone());
    let sam = signed_in(&router, SAM).await;
    let load = |id: i64| {
        let (router, sam) = (router.clone(), sam.clone());
        async move {
            call_ok::<EditableUser>(&router, &sam, "load_user", &format!("user_id={id}")).await
        }
    };

    // Cathy, at home in North Clinic: Sam may rename her.
    let cathy = user_id(&pool, "cathy.customer@northwind.example").await;
    let cathy_view = load(cathy).await;
    assert!(cathy_view.may_edit && !cathy_view.administer);
    let saved = call(
        &router,
        &sam,
        "update_user_profile",
        &rename_form(&cathy_view, "Catherine"),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains(USER_SAVED));
    assert_eq!(first_name(&pool, cathy).await, "Catherine");
    assert_eq!(audit_count(&pool, "user.update").await, 1);

    // Bad input from him is refused the same way, with nothing changed.
    let fresh = load(cathy).await;
    let errors = invalid_call(
        &router,
        &sam,
        "update_user_profile",
        &rename_form(&fresh, "C4thy"),
    )
    .await;
    assert_eq!(errors.get(Field::FirstName), Some(FIRST_NAME_MESSAGE));
    assert_eq!(first_name(&pool, cathy).await, "Catherine");

    // An Administrator he may see but not change.
    let ada = user_id(&pool, "ada.admin@northwind.example").await;
    let ada_view = load(ada).await;
    assert!(!ada_view.may_edit);
    let refused = call(
        &router,
        &sam,
        "update_user_profile",
        &rename_form(&ada_view, "Eve"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(first_name(&pool, ada).await, "Ada");

    // Ivy (East Clinic only) is out of his reach: not found, unchanged.
    let ivy = user_id(&pool, "ivy.inactive@northwind.example").await;
    let form = format!(
        "user_id={ivy}&version=1&first_name=Eve&last_name=Inactive&email=ivy.inactive%40northwind.example&status=active"
    );
    assert_eq!(
        call(&router, &sam, "update_user_profile", &form)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(first_name(&pool, ivy).await, "Ivy");

    // A promotion between his reading and his saving is caught on the
    // locked row (raw SQL here, so not even the version gives it away).
    let stale = load(cathy).await;
    assert!(stale.may_edit);
    sqlx::query("UPDATE users SET account_type = 'administrator' WHERE id = $1")
        .bind(cathy)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        call(
            &router,
            &sam,
            "update_user_profile",
            &rename_form(&stale, "Cat")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(first_name(&pool, cathy).await, "Catherine");
    assert_eq!(audit_count(&pool, "user.update").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_vendor_reaches_no_customers_users(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // ClaimWise's Administrator: her own organization only (switching into a
    // customer with Full Access comes with the vendor console).
    let (vera, _) = common::enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    let page: UsersPage = call_ok(
        &router,
        &vera,
        "list_users",
        "search=&status=&account_type=",
    )
    .await;
    assert!(
        page.users
            .iter()
            .all(|u| u.email.ends_with("@claimwise.example")),
        "{:?}",
        page.users
    );
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    for (endpoint, form) in [
        ("load_user", format!("user_id={pat}")),
        ("load_user_permissions", format!("user_id={pat}")),
        ("explain_user", format!("user_id={pat}")),
        (
            "update_user_profile",
            format!(
                "user_id={pat}&version=1&first_name=Eve&last_name=Partner&email=pat.partner%40northwind.example&status=inactive"
            ),
        ),
    ] {
        assert_eq!(
            call(&router, &vera, endpoint, &form).await.status,
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    let bulk = call(
        &router,
        &vera,
        "bulk_update_users",
        &format!("action=deactivate&role_id=&company_id=&users[0]={pat}"),
    )
    .await;
    assert_ne!(bulk.status, StatusCode::OK, "{}", bulk.body);
    // Her staff, without Users permissions, are refused outright.
    let victor = signed_in(&router, "victor.staff@claimwise.example").await;
    assert_eq!(
        call(
            &router,
            &victor,
            "list_users",
            "search=&status=&account_type="
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(pat)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "active");
    assert_eq!(first_name(&pool, pat).await, "Pat");
}
