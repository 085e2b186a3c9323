//! The Users page and Edit User's Profile tab: search, filters and keyset
//! paging (every order) scoped to the caller's organization; saving with optimistic
//! concurrency; deactivation ends sessions; the last active Administrator
//! stays; every refusal.

use crate::common;

use app::{
    error::AppError,
    model::validation::{FIRST_NAME_MESSAGE, Field},
    profile::EMAIL_TAKEN,
    users::{EditableUser, LAST_ADMINISTRATOR, USER_CHANGED_ELSEWHERE, USER_SAVED, UsersPage},
};
use axum::{Router, http::StatusCode};
use common::{
    app, audit_count, call, conflict, conflicting_call, enrolled_admin_session, invalid,
    invalid_call, session_cookie, sign_in, user_id,
};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const PAT: &str = "pat.partner@northwind.example";

async fn list(router: &Router, cookie: &str, form: &str) -> UsersPage {
    let reply = call(router, cookie, "list_users", form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn emails(page: &UsersPage) -> Vec<&str> {
    page.users.iter().map(|u| u.email.as_str()).collect()
}

async fn load(router: &Router, cookie: &str, id: i64) -> EditableUser {
    let reply = call(router, cookie, "load_user", &format!("user_id={id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn profile_form(u: &EditableUser, first: &str, status: &str) -> String {
    format!(
        "user_id={}&version={}&first_name={first}&last_name={}&email={}&status={status}",
        u.id,
        u.version,
        u.last_name,
        u.email.replace('@', "%40")
    )
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_list_searches_filters_and_pages_within_the_organization(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;

    let all = list(&router, &ada, "search=&status=&account_type=").await;
    assert_eq!(all.total, 7, "Northwind's users only");
    assert_eq!(all.active_administrators, 2);
    let last_names: Vec<String> = all
        .users
        .iter()
        .map(|u| u.name.split(' ').nth(1).unwrap().to_owned())
        .collect();
    let mut sorted = last_names.clone();
    sorted.sort();
    assert_eq!(last_names, sorted, "name order");
    let ada_row = all.users.iter().find(|u| u.email == ADA).unwrap();
    assert!(ada_row.administrator && ada_row.two_factor);

    assert_eq!(
        emails(&list(&router, &ada, "search=BACKUP&status=&account_type=").await),
        ["ben.backup@northwind.example"]
    );
    assert_eq!(
        list(&router, &ada, "search=%25&status=&account_type=")
            .await
            .total,
        0,
        "% is literal"
    );
    assert_eq!(
        emails(&list(&router, &ada, "search=&status=inactive&account_type=").await),
        ["ivy.inactive@northwind.example"]
    );
    assert_eq!(
        list(&router, &ada, "search=&status=&account_type=administrator")
            .await
            .total,
        2
    );

    // Keyset paging over 120 more users: every user once, in order.
    sqlx::raw_sql(
        "INSERT INTO users (org_id, first_name, last_name, email)
         SELECT o.id, 'Zed', 'Zulu' || lpad(n::text, 3, '0'), 'zed' || n || '@northwind.example'
         FROM organizations o, generate_series(1, 120) n WHERE o.name = 'Northwind Health Partners'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut seen = vec![];
    let mut after = String::new();
    loop {
        let page = list(
            &router,
            &ada,
            &format!("search=&status=&account_type={after}"),
        )
        .await;
        assert_eq!(page.total, 127);
        assert!(page.users.len() <= 50);
        seen.extend(page.users.iter().map(|u| u.id));
        match page.next_after {
            Some(id) => after = format!("&after={id}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 127);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 127, "no user twice");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn callers_without_a_users_permission_and_other_organizations_are_refused(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = user_id(&pool, PAT).await;
    let list_form = "search=&status=&account_type=";
    let load_form = format!("user_id={pat}");
    let save_form = format!(
        "user_id={pat}&version=1&first_name=Eve&last_name=Partner&email=pat.partner%40northwind.example&status=active"
    );
    for (endpoint, form) in [
        ("list_users", list_form),
        ("load_user", &load_form),
        ("update_user_profile", &save_form),
    ] {
        assert_eq!(
            call(&router, "", endpoint, form).await.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}"
        );
    }
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    for (endpoint, form) in [
        ("list_users", list_form),
        ("load_user", &load_form),
        ("update_user_profile", &save_form),
    ] {
        assert_eq!(
            call(&router, &cathy, endpoint, form).await.status,
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
    let ben_halfway =
        session_cookie(&sign_in(&router, "ben.backup@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &ben_halfway, "list_users", list_form)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Riverside's Administrator sees Riverside only; Northwind's users do not exist for her.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    assert_eq!(
        emails(&list(&router, &rosa, list_form).await),
        ["rosa.rivers@riverside.example"]
    );
    assert_eq!(
        call(&router, &rosa, "load_user", &load_form).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&router, &rosa, "update_user_profile", &save_form)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Bad input.
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    assert!(
        invalid_call(
            &router,
            &ada,
            "list_users",
            "search=&status=gone&account_type="
        )
        .await
        .get(Field::Status)
        .is_some()
    );
    assert_eq!(
        call(
            &router,
            &ada,
            "list_users",
            "search=&status=&account_type=&after=x"
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&router, &ada, "load_user", "user_id=999999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(audit_count(&pool, "user.update").await, 0);
    let name: String = sqlx::query_scalar("SELECT first_name FROM users WHERE id = $1")
        .bind(pat)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Pat");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn saving_checks_input_and_versions_and_is_audited(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let pat = load(&router, &ada, user_id(&pool, PAT).await).await;

    let bad = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "P4t", "active"),
    )
    .await;
    assert_eq!(
        invalid(&bad).get(Field::FirstName),
        Some(FIRST_NAME_MESSAGE)
    );
    let bad_status = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "Patricia", "asleep"),
    )
    .await;
    assert!(invalid(&bad_status).get(Field::Status).is_some());
    let taken = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "Patricia", "active").replace("pat.partner%40", "cathy.customer%40"),
    )
    .await;
    assert_eq!(invalid(&taken).get(Field::Email), Some(EMAIL_TAKEN));
    assert_eq!(load(&router, &ada, pat.id.0).await, pat, "nothing changed");

    let saved = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "Patricia", "active"),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        serde_json::from_str::<String>(&saved.body).unwrap(),
        USER_SAVED
    );
    // A second Administrator's form, opened before the save, is refused.
    let stale = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "Patty", "active"),
    )
    .await;
    assert_eq!(conflict(&stale), USER_CHANGED_ELSEWHERE);
    let now = load(&router, &ada, pat.id.0).await;
    assert_eq!(
        (now.first_name.as_str(), now.version),
        ("Patricia", pat.version + 1)
    );
    assert_eq!(audit_count(&pool, "user.update").await, 1);
    let (before, after): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("SELECT before, after FROM audit_events WHERE action = 'user.update'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (before["first_name"].as_str(), after["first_name"].as_str()),
        (Some("Pat"), Some("Patricia"))
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn deactivation_signs_out_at_once_and_the_last_administrator_stays(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let pat_session = session_cookie(&sign_in(&router, PAT, DEMO_PASSWORD).await).unwrap();
    let pat = load(&router, &ada, user_id(&pool, PAT).await).await;
    let off = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&pat, "Pat", "inactive"),
    )
    .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        call(&router, &pat_session, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&router, PAT, DEMO_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Ben may be deactivated (Ada stays); then Ada is the last one.
    let ben = load(
        &router,
        &ada,
        user_id(&pool, "ben.backup@northwind.example").await,
    )
    .await;
    let ben_off = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&ben, "Ben", "inactive"),
    )
    .await;
    assert_eq!(ben_off.status, StatusCode::OK, "{}", ben_off.body);
    let me = load(&router, &ada, user_id(&pool, ADA).await).await;
    let last = call(
        &router,
        &ada,
        "update_user_profile",
        &profile_form(&me, "Ada", "inactive"),
    )
    .await;
    assert_eq!(conflict(&last), LAST_ADMINISTRATOR);
    assert_eq!(
        call(&router, &ada, "load_profile", "").await.status,
        StatusCode::OK,
        "still signed in, still active"
    );
    assert_eq!(
        list(&router, &ada, "search=&status=&account_type=")
            .await
            .active_administrators,
        1
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn fifty_parallel_deactivations_never_leave_an_organization_without_an_administrator(
    pool: PgPool,
) {
    server::demo::seed(&pool).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE account_type = 'administrator' AND email LIKE '%@northwind.example'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), 2);
    let mut tasks = vec![];
    for n in 0..50 {
        let pool = pool.clone();
        let id = ids[n % 2];
        let change = if n % 4 < 2 {
            "status = 'inactive'"
        } else {
            "account_type = 'standard'"
        };
        tasks.push(tokio::spawn(async move {
            sqlx::query(&format!("UPDATE users SET {change} WHERE id = $1"))
                .bind(id)
                .execute(&pool)
                .await
                .is_ok()
        }));
    }
    let mut succeeded = 0;
    for task in tasks {
        succeeded += usize::from(task.await.unwrap());
    }
    assert!(succeeded >= 1);
    let active_admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE account_type = 'administrator' AND status = 'active' AND email LIKE '%@northwind.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(active_admins, 1, "one went, one stayed");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn fifty_parallel_demotions_in_the_permissions_editor_leave_an_administrator(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    // Fifty Administrators: Ada, Ben and 48 more like Ben.
    sqlx::query(
        "INSERT INTO users OVERRIDING SYSTEM VALUE
         SELECT (jsonb_populate_record(NULL::users, to_jsonb(u) || jsonb_build_object(
             'id', (SELECT max(id) FROM users) + n,
             'email', 'admin' || n || '@northwind.example'))).*
         FROM users u, generate_series(1, 48) n WHERE u.email = 'ben.backup@northwind.example'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let router = app(pool.clone());
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let (ben, _) = enrolled_admin_session(&router, "ben.backup@northwind.example").await;
    let north = common::company_id(&pool, "North Clinic").await;
    let role: i64 = sqlx::query_scalar("SELECT role_id FROM users WHERE email = $1")
        .bind(PAT)
        .fetch_one(&pool)
        .await
        .unwrap();
    let admins: Vec<(i64, String, i32)> = sqlx::query_as(
        "SELECT id, email, version FROM users
         WHERE account_type = 'administrator' AND email LIKE '%@northwind.example'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(admins.len(), 50);
    // Ben demotes Ada; Ada demotes everyone else, all at once.
    let tasks: Vec<_> = admins
        .into_iter()
        .map(|(id, email, version)| {
            let router = router.clone();
            let caller = if email == ADA { ben.clone() } else { ada.clone() };
            let form = format!(
                "user_id={id}&version={version}&account_type=standard&user_type=partner&company_id={north}&role_id={role}"
            );
            tokio::spawn(async move { call(&router, &caller, "update_user_permissions", &form).await })
        })
        .collect();
    let mut demoted = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        if reply.status.is_success() {
            demoted += 1;
            continue;
        }
        // Refused with a reason: the last Administrator, or a caller
        // demoted meanwhile.
        assert!(
            matches!(
                reply.status,
                StatusCode::CONFLICT | StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{} {}",
            reply.status,
            reply.body
        );
        let error: AppError = serde_json::from_str(&reply.body).unwrap();
        assert!(!error.to_string().is_empty());
    }
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE account_type = 'administrator' AND status = 'active'
         AND email LIKE '%@northwind.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(left >= 1, "no Administrator left");
    assert_eq!(
        demoted + left,
        50,
        "each demotion either happened or did not"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'user.permissions'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, demoted, "one event per demotion made");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_why_panel_explains_each_company_and_permission(pool: PgPool) {
    use app::users::WhyView;
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let explain = |id: i64| {
        let router = router.clone();
        let ada = ada.clone();
        async move {
            let reply = call(&router, &ada, "explain_user", &format!("user_id={id}")).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<WhyView>(&reply.body).unwrap()
        }
    };
    let pat = explain(user_id(&pool, PAT).await).await;
    let access: Vec<(&str, &str)> = pat
        .companies
        .iter()
        .map(|c| (c.name.as_str(), c.access.as_str()))
        .collect();
    assert_eq!(access.len(), 3, "{access:?}");
    let east = pat
        .companies
        .iter()
        .find(|c| c.name == "East Clinic")
        .unwrap();
    assert_eq!(east.access, "direct assignment");
    let north = pat
        .companies
        .iter()
        .find(|c| c.name == "North Clinic")
        .unwrap();
    assert_eq!(north.access, "role \u{201c}Front Office\u{201d}");
    assert!(
        north
            .permissions
            .iter()
            .any(|(p, why)| p == "Claims: view" && why.contains("Front Office")),
        "{:?}",
        north.permissions
    );

    let ada_why = explain(user_id(&pool, ADA).await).await;
    assert_eq!(ada_why.companies.len(), 5);
    assert!(
        ada_why
            .companies
            .iter()
            .all(|c| c.access == "Administrator")
    );
    let ivy = explain(user_id(&pool, "ivy.inactive@northwind.example").await).await;
    assert!(ivy.inactive && ivy.companies.is_empty());

    // Refused for everyone else, and across organizations.
    let pat_id = user_id(&pool, PAT).await;
    let form = format!("user_id={pat_id}");
    assert_eq!(
        call(&router, "", "explain_user", &form).await.status,
        StatusCode::UNAUTHORIZED
    );
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &cathy, "explain_user", &form).await.status,
        StatusCode::FORBIDDEN
    );
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    assert_eq!(
        call(&router, &rosa, "explain_user", &form).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&router, &ada, "explain_user", "user_id=x")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

async fn permissions(router: &Router, cookie: &str, id: i64) -> app::users::PermissionsView {
    let reply = call(
        router,
        cookie,
        "load_user_permissions",
        &format!("user_id={id}"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn company_id(view: &app::users::PermissionsView, name: &str) -> app::model::ids::CompanyId {
    view.companies.iter().find(|(_, n)| n == name).unwrap().0
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_permissions_tab_saves_all_or_nothing(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let pat_id = user_id(&pool, PAT).await;
    let pat = permissions(&router, &ada, pat_id).await;
    let (east, north, harbor) = (
        company_id(&pat, "East Clinic"),
        company_id(&pat, "North Clinic"),
        company_id(&pat, "Harbor Imaging"),
    );
    assert_eq!(pat.direct, [east]);
    let role = pat.role_id.unwrap();
    let save = |form: String| {
        let router = router.clone();
        let ada = ada.clone();
        async move { call(&router, &ada, "update_user_permissions", &form).await }
    };
    let base = |version: i32, company: app::model::ids::CompanyId, picked: &str| {
        format!(
            "user_id={pat_id}&version={version}&account_type=standard&user_type=partner&company_id={company}&role_id={role}{picked}"
        )
    };

    // A default company the user would not have is refused; nothing changes.
    let bad = save(base(pat.version, harbor, &format!("&companies[0]={east}"))).await;
    assert_eq!(
        invalid(&bad).get(Field::Company),
        Some(app::users::DEFAULT_COMPANY_MESSAGE)
    );
    assert_eq!(permissions(&router, &ada, pat_id).await, pat);

    // Pick Harbor instead of East (sparse indices, as unticked boxes leave
    // them), and North, which the role also gives: a direct pick of its own.
    let role_companies = &pat.roles.iter().find(|r| r.id == role).unwrap().companies;
    assert!(role_companies.contains(&north), "the demo role gives North");
    let saved = save(base(
        pat.version,
        harbor,
        &format!("&companies[2]={harbor}&companies[4]={north}&support_user=on"),
    ))
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let both = permissions(&router, &ada, pat_id).await;
    let mut picked = both.direct.clone();
    picked.sort();
    let mut expected = vec![harbor, north];
    expected.sort();
    assert_eq!(
        (picked, both.company_id, both.support_user),
        (expected, Some(harbor), true),
        "a direct pick the role also gives is kept"
    );
    assert_eq!(audit_count(&pool, "user.permissions").await, 1);

    // Resending the same form changes nothing; leaving North out removes
    // the direct pick alone (the role still gives it).
    let again = save(base(
        both.version,
        harbor,
        &format!("&companies[2]={harbor}&companies[4]={north}&support_user=on"),
    ))
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let same = permissions(&router, &ada, pat_id).await;
    assert_eq!(same.direct.len(), 2, "an unchanged save keeps every pick");
    let saved = save(base(
        same.version,
        harbor,
        &format!("&companies[2]={harbor}&support_user=on"),
    ))
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let now = permissions(&router, &ada, pat_id).await;
    assert_eq!(
        (now.direct.clone(), now.company_id, now.role_id),
        (vec![harbor], Some(harbor), Some(role))
    );

    // The old form is stale now.
    let stale = save(base(
        pat.version,
        harbor,
        &format!("&companies[0]={harbor}"),
    ))
    .await;
    assert_eq!(conflict(&stale), USER_CHANGED_ELSEWHERE);

    // A self-service role needs a Partner; a Customer needs their company.
    let self_service = now.roles.iter().find(|r| r.self_service).unwrap().id;
    let customer = format!(
        "user_id={pat_id}&version={}&account_type=standard&user_type=customer&company_id={north}&role_id={self_service}",
        now.version
    );
    assert_eq!(
        invalid(&save(customer).await).get(Field::Role),
        Some(app::users::SELF_SERVICE_NEEDS_PARTNER)
    );
    let homeless = format!(
        "user_id={pat_id}&version={}&account_type=standard&user_type=customer&company_id=&role_id=",
        now.version
    );
    assert_eq!(
        invalid(&save(homeless).await).get(Field::Company),
        Some(app::users::COMPANY_MESSAGE)
    );
    let garbage = format!(
        "user_id={pat_id}&version={}&account_type=standard&user_type=partner&company_id=x&role_id=",
        now.version
    );
    assert_eq!(save(garbage).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        permissions(&router, &ada, pat_id).await,
        now,
        "refusals change nothing"
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_permissions_tab_keeps_an_administrator_and_refuses_outsiders(pool: PgPool) {
    let (router, rosa) = common::demo_admin(&pool, "rosa.rivers@riverside.example").await;
    let rosa_id = user_id(&pool, "rosa.rivers@riverside.example").await;
    let me = permissions(&router, &rosa, rosa_id).await;
    let demote = format!(
        "user_id={rosa_id}&version={}&account_type=standard&user_type=partner&company_id=&role_id=",
        me.version
    );
    assert_eq!(
        conflicting_call(&router, &rosa, "update_user_permissions", &demote).await,
        LAST_ADMINISTRATOR
    );

    let pat_id = user_id(&pool, PAT).await;
    let form = format!("user_id={pat_id}");
    assert_eq!(
        call(&router, "", "load_user_permissions", &form)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&router, &rosa, "load_user_permissions", &form)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &cathy, "load_user_permissions", &form)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let save = format!(
        "user_id={pat_id}&version=1&account_type=administrator&user_type=partner&company_id=&role_id="
    );
    for cookie in ["", cathy.as_str(), rosa.as_str()] {
        assert_ne!(
            call(&router, cookie, "update_user_permissions", &save)
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(audit_count(&pool, "user.permissions").await, 0);
}

async fn bulk(
    router: &Router,
    cookie: &str,
    action: &str,
    ids: &[i64],
    extra: &str,
) -> common::Reply {
    let picked: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("&users[{}]={id}", i * 2))
        .collect();
    call(
        router,
        cookie,
        "bulk_update_users",
        &format!("action={action}{picked}&role_id=&company_id={extra}"),
    )
    .await
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bulk_actions_are_all_or_nothing_and_say_what_changed(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let pat = user_id(&pool, PAT).await;
    let sam = user_id(&pool, "sam.support@northwind.example").await;
    let ivy = user_id(&pool, "ivy.inactive@northwind.example").await;
    let ben = user_id(&pool, "ben.backup@northwind.example").await;
    let ada_id = user_id(&pool, ADA).await;
    let pat_session = session_cookie(&sign_in(&router, PAT, DEMO_PASSWORD).await).unwrap();

    let off = bulk(&router, &ada, "deactivate", &[pat, sam, ivy], "").await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        serde_json::from_str::<String>(&off.body).unwrap(),
        "2 users deactivated and signed out everywhere."
    );
    assert_eq!(
        call(&router, &pat_session, "load_profile", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let on = bulk(&router, &ada, "activate", &[pat, sam, ivy], "").await;
    assert_eq!(
        serde_json::from_str::<String>(&on.body).unwrap(),
        "3 users activated."
    );

    // Deactivating both Administrators would leave none: nothing changes.
    let both = bulk(&router, &ada, "deactivate", &[pat, ben, ada_id], "").await;
    assert_eq!(both.status, StatusCode::CONFLICT, "{}", both.body);
    let active: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE id = ANY($1) AND status = 'active'")
            .bind([pat, ben, ada_id])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(active, 3, "all or nothing");

    let harbor: i64 = sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Harbor Imaging'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let cathy = user_id(&pool, "cathy.customer@northwind.example").await;
    let added = bulk(
        &router,
        &ada,
        "add_company",
        &[pat, sam, cathy, ben],
        &harbor.to_string(),
    )
    .await;
    assert!(
        serde_json::from_str::<String>(&added.body)
            .unwrap()
            .starts_with("2 users got the company")
    );
    assert_eq!(audit_count(&pool, "user.bulk").await, 3);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bulk_actions_refuse_outsiders_and_bad_input(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = user_id(&pool, PAT).await;
    assert_eq!(
        bulk(&router, "", "deactivate", &[pat], "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        bulk(&router, &cathy, "deactivate", &[pat], "").await.status,
        StatusCode::FORBIDDEN
    );
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    assert_eq!(
        bulk(&router, &rosa, "deactivate", &[pat], "").await.status,
        StatusCode::NOT_FOUND
    );
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    assert!(
        invalid(&bulk(&router, &ada, "deactivate", &[], "").await)
            .get(Field::Users)
            .is_some()
    );
    assert!(
        invalid(&bulk(&router, &ada, "explode", &[pat], "").await)
            .get(Field::Action)
            .is_some()
    );
    assert!(
        invalid(&bulk(&router, &ada, "add_company", &[pat], "").await)
            .get(Field::Company)
            .is_some()
    );
    let riverside: i64 =
        sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Riverside Pediatrics'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        invalid(&bulk(&router, &ada, "add_company", &[pat], &riverside.to_string()).await)
            .get(Field::Company)
            .is_some()
    );
    assert_eq!(audit_count(&pool, "user.bulk").await, 0);
    assert_eq!(
        call(&router, &ada, "load_user", &format!("user_id={pat}"))
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_list_filters_by_role_and_by_who_may_act_in_a_company(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let id = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let front_office = id("SELECT id FROM roles WHERE name = 'Front Office'").await;
    let north = id("SELECT id FROM companies WHERE name = 'North Clinic'").await;
    let by_role = list(
        &router,
        &ada,
        &format!("search=&status=&account_type=&role={front_office}"),
    )
    .await;
    assert_eq!(emails(&by_role), [PAT]);
    let in_north = list(
        &router,
        &ada,
        &format!("search=&status=&account_type=&company={north}"),
    )
    .await;
    let mut found = emails(&in_north);
    found.sort_unstable();
    // Administrators, the Customer at home there, Pat by role, Sam by pick.
    assert_eq!(
        found,
        [
            ADA,
            "ben.backup@northwind.example",
            "cathy.customer@northwind.example",
            PAT,
            "sam.support@northwind.example"
        ]
    );
    assert_eq!(in_north.total, 5);
    assert_eq!(
        call(
            &router,
            &ada,
            "list_users",
            "search=&status=&account_type=&role=x"
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
}

/// Every user of a listing, page after page.
async fn all_pages(router: &Router, cookie: &str, form: &str) -> Vec<(i64, String, String)> {
    let mut seen = vec![];
    let mut after = String::new();
    loop {
        let page = list(router, cookie, &format!("{form}{after}")).await;
        assert!(page.users.len() as i64 <= app::users::PAGE_SIZE);
        seen.extend(
            page.users
                .iter()
                .map(|u| (u.id.0, u.name.to_lowercase(), u.email.clone())),
        );
        match page.next_after {
            Some(id) => after = format!("&after={id}"),
            None => break,
        }
    }
    seen
}

/// The demo data and 120 more Northwind users: names and emails in
/// different orders, some names alike, over three pages (127 in all).
async fn demo_with_alike_users(pool: &PgPool) {
    server::demo::seed(pool).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO users (org_id, first_name, last_name, email, created_at)
         SELECT o.id, 'Zed', 'Alike' || (n % 7), 'u' || lpad((200 - n)::text, 3, '0') || '@northwind.example',
                now() - n * interval '1 minute'
         FROM organizations o, generate_series(1, 120) n WHERE o.name = 'Northwind Health Partners'",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_order_pages_through_every_user_once(pool: PgPool) {
    demo_with_alike_users(&pool).await;
    let router = app(pool.clone());
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let base = "search=&status=&account_type=";

    let by_name = all_pages(&router, &ada, &format!("{base}&sort=name")).await;
    assert_eq!(by_name.len(), 127);
    assert_eq!(
        all_pages(&router, &ada, base).await,
        by_name,
        "name order is the default"
    );
    let mut unique: Vec<i64> = by_name.iter().map(|u| u.0).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 127, "no user twice");

    let mut z_to_a = all_pages(&router, &ada, &format!("{base}&sort=name_desc")).await;
    z_to_a.reverse();
    assert_eq!(z_to_a, by_name, "Z to A is name order backwards");

    let by_email = all_pages(&router, &ada, &format!("{base}&sort=email")).await;
    let emails: Vec<&str> = by_email.iter().map(|u| u.2.as_str()).collect();
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);
    assert_eq!(by_email.len(), 127);

    let newest = all_pages(&router, &ada, &format!("{base}&sort=newest")).await;
    let expected: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE o.name = 'Northwind Health Partners' ORDER BY u.created_at DESC, u.id DESC",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(newest.iter().map(|u| u.0).collect::<Vec<_>>(), expected);

    // Sorting works with the filters, and an unknown order is refused.
    let searched = all_pages(
        &router,
        &ada,
        "search=alike3&status=&account_type=&sort=email",
    )
    .await;
    assert!(!searched.is_empty() && searched.iter().all(|u| u.1.contains("alike3")));
    assert_eq!(
        invalid_call(&router, &ada, "list_users", &format!("{base}&sort=salary"))
            .await
            .get(Field::Sort),
        Some(app::users::SORT_MESSAGE)
    );
}

/// Every plan of the list finds the same users: walking the sort's index,
/// sorting the matches, and a probe of the next users in order, which
/// either finds a full page (the sorted matches' first) or gives up with
/// fewer (the start of them), after which the list sorts the matches. In
/// each order, from the start and after a cursor, dense and sparse.
#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_plan_of_the_list_finds_the_same_users(pool: PgPool) {
    use app::{
        model::ids::OrgId,
        users::{
            COUNT_LIMIT, UserSort,
            db::{ListFilter, Plan, listing, page, page_by},
        },
    };
    demo_with_alike_users(&pool).await;
    let org: OrgId =
        sqlx::query_scalar("SELECT id FROM organizations WHERE name = 'Northwind Health Partners'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let limit = 11;
    let (mut found, mut gave_up) = (0, 0);
    for sort in UserSort::ALL {
        // Dense everywhere, dense in a stretch, a few early, none.
        for search in ["", "northwind", "alike3", "ada", "nobody-at-all"] {
            let filter = ListFilter {
                org,
                search,
                status: "",
                account_type: "",
                role: None,
                company: None,
                scope: None,
            };
            let ids = |rows: Vec<app::users::db::ListRow>| {
                rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
            };
            let from_start = ids(page_by(&mut conn, &filter, sort, None, limit, Plan::Sort)
                .await
                .unwrap());
            let cursors = [None, from_start.get(3).copied()];
            for after in cursors {
                let sorted = ids(page_by(&mut conn, &filter, sort, after, limit, Plan::Sort)
                    .await
                    .unwrap());
                let walked = ids(page_by(&mut conn, &filter, sort, after, limit, Plan::Walk)
                    .await
                    .unwrap());
                let case = format!("{sort:?} {search:?} after {after:?}");
                assert_eq!(walked, sorted, "{case}");
                for users in [1, 10, 40, 1_000] {
                    let probed =
                        ids(
                            page_by(&mut conn, &filter, sort, after, limit, Plan::Probe(users))
                                .await
                                .unwrap(),
                        );
                    if probed.len() as i64 == limit {
                        found += 1;
                        assert_eq!(probed, sorted, "{case}, probe of {users}");
                    } else {
                        gave_up += 1;
                        assert!(
                            probed.len() as i64 <= limit && probed.len() <= users as usize,
                            "{case}"
                        );
                        assert_eq!(
                            probed[..],
                            sorted[..probed.len()],
                            "{case}, probe of {users}"
                        );
                    }
                }
                // Counted past the limit: a probe first, the sort when it gives up.
                let paged = ids(
                    page(&mut conn, &filter, sort, after, limit, COUNT_LIMIT + 1)
                        .await
                        .unwrap(),
                );
                assert_eq!(paged, sorted, "{case}, probe then sort");
            }
        }
    }
    // The page with its counts: in one statement from the start, and past
    // the last user (no row to carry the counts) counted apart.
    let everyone = ListFilter {
        org,
        search: "",
        status: "",
        account_type: "",
        role: None,
        company: None,
        scope: None,
    };
    let (counts, rows) = listing(
        &mut conn,
        &everyone,
        UserSort::Name,
        None,
        limit,
        COUNT_LIMIT + 1,
    )
    .await
    .unwrap();
    assert_eq!((counts.matching, rows.len() as i64), (127, limit));
    assert!(counts.active_administrators >= 1);
    let all = page_by(
        &mut conn,
        &everyone,
        UserSort::Name,
        None,
        1_000,
        Plan::Sort,
    )
    .await
    .unwrap();
    let last = all.last().unwrap().id;
    let (past, rows) = listing(
        &mut conn,
        &everyone,
        UserSort::Name,
        Some(last),
        limit,
        COUNT_LIMIT + 1,
    )
    .await
    .unwrap();
    assert!(rows.is_empty());
    assert_eq!(
        (past.matching, past.active_administrators),
        (127, counts.active_administrators)
    );
    assert!(
        found > 0 && gave_up > 0,
        "both outcomes of a probe: {found} found, {gave_up} gave up"
    );
}

/// A search or filter is counted up to COUNT_LIMIT ("More than 10,000
/// users"); the whole organization is counted exactly, from the count the
/// database keeps.
#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_search_is_counted_up_to_the_limit_and_everyone_exactly(pool: PgPool) {
    use app::users::COUNT_LIMIT;
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let added = COUNT_LIMIT + 5;
    sqlx::query(
        "INSERT INTO users (org_id, first_name, last_name, email)
         SELECT o.id, 'Many', 'Manyfold', 'many' || n || '@northwind.example'
         FROM organizations o, generate_series(1, $1) n WHERE o.name = 'Northwind Health Partners'",
    )
    .bind(added)
    .execute(&pool)
    .await
    .unwrap();

    let everyone = list(&router, &ada, "search=&status=&account_type=").await;
    assert_eq!((everyone.total, everyone.more), (added + 7, false));
    assert!(everyone.next_after.is_some());

    let searched = list(&router, &ada, "search=manyfold&status=&account_type=").await;
    assert_eq!((searched.total, searched.more), (COUNT_LIMIT, true));
    assert_eq!(searched.users.len(), 50);
    let filtered = list(&router, &ada, "search=&status=active&account_type=").await;
    assert_eq!((filtered.total, filtered.more), (COUNT_LIMIT, true));

    // At the limit exactly, the count is exact.
    sqlx::query("DELETE FROM users WHERE email IN (SELECT 'many' || n || '@northwind.example' FROM generate_series(1, 5) n)")
        .execute(&pool)
        .await
        .unwrap();
    let at_limit = list(&router, &ada, "search=manyfold&status=&account_type=").await;
    assert_eq!((at_limit.total, at_limit.more), (COUNT_LIMIT, false));
}
