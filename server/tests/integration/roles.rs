//! Roles: creating from a template or scratch, editing permissions and the
//! companies members inherit (in effect on their next request), deleting
//! with members moved in one transaction, the permissions-by-page matrix,
//! optimistic concurrency, audit, and every refusal.

use crate::common;

use app::{
    error::AppError,
    model::{
        page::{Opens, PageMatrix},
        permission::Permission,
        role::{Family, ROLE_NAME_MESSAGE, RoleTemplate, ServiceType},
        validation::Field,
    },
    roles::{
        MOVE_TO_MESSAGE, MatrixOf, MatrixView, ROLE_CHANGED_ELSEWHERE, ROLE_COMPANY_MESSAGE,
        ROLE_NAME_TAKEN, ROLE_SAVED, RoleEditor, RolesOverview, SELF_SERVICE_HAS_CUSTOMERS,
        TEMPLATE_MESSAGE, TEMPLATE_NOT_OFFERED, members_need_a_new_role,
        service_type::ServiceTypeSetting,
    },
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call, me,
    session_cookie, sign_in, user_id,
};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";

async fn overview(router: &Router, cookie: &str) -> RolesOverview {
    call_ok(router, cookie, "list_roles", "").await
}

async fn editor(router: &Router, cookie: &str, id: i64) -> RoleEditor {
    call_ok(router, cookie, "load_role", &format!("role_id={id}")).await
}

fn role_id(overview: &RolesOverview, name: &str) -> i64 {
    overview.roles.iter().find(|r| r.name == name).unwrap().id.0
}

fn company(editor: &RoleEditor, name: &str) -> i64 {
    editor
        .all_companies
        .iter()
        .find(|(_, n)| n == name)
        .unwrap()
        .0
        .0
}

/// The editor's form as the browser posts it, with the given permissions
/// and companies.
fn save_form(e: &RoleEditor, name: &str, permissions: &[Permission], companies: &[i64]) -> String {
    let mut form = format!(
        "role_id={}&version={}&name={}&description={}",
        e.id,
        e.version,
        name.replace(' ', "+"),
        e.description.replace(' ', "+")
    );
    if e.self_service {
        form.push_str("&self_service=on");
    }
    for (i, p) in permissions.iter().enumerate() {
        form.push_str(&format!("&permissions[{i}]={}", p.key()));
    }
    for (i, c) in companies.iter().enumerate() {
        form.push_str(&format!("&companies[{i}]={c}"));
    }
    form
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn roles_are_created_from_templates_or_scratch(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;

    let before = overview(&router, &ada).await;
    assert_eq!(before.templates.len(), RoleTemplate::ALL.len());
    let front_office = before
        .roles
        .iter()
        .find(|r| r.name == "Front Office")
        .unwrap();
    assert_eq!(front_office.members, 1, "Pat");
    assert_eq!(front_office.companies, 2);

    let id: i64 = call_ok(
        &router,
        &ada,
        "create_role",
        "name=+Biller+&description=Posts+claims&template=practice_admin",
    )
    .await;
    let biller = editor(&router, &ada, id).await;
    assert_eq!(biller.name, "Biller");
    assert_eq!(
        biller.permissions,
        RoleTemplate::PracticeAdmin.permissions()
    );
    assert_eq!(biller.members, 0);
    let scratch: i64 = call_ok(
        &router,
        &ada,
        "create_role",
        "name=Empty&description=&template=",
    )
    .await;
    assert!(editor(&router, &ada, scratch).await.permissions.is_empty());
    // Northwind is RevServe: the Self-Service family is not offered, and
    // asking for one of its templates creates nothing.
    assert_eq!(before.service_type, ServiceType::RevServe);
    let offered: Vec<RoleTemplate> = before
        .templates
        .iter()
        .filter(|c| c.offered)
        .map(|c| c.template)
        .collect();
    assert!(offered.contains(&RoleTemplate::FrontOffice));
    assert!(!offered.contains(&RoleTemplate::PartnerAdmin), "RevEquip's");
    assert!(!offered.contains(&RoleTemplate::SelfServiceManager));
    let refused = invalid_call(
        &router,
        &ada,
        "create_role",
        "name=Managers&description=&template=self_service_manager",
    )
    .await;
    assert_eq!(refused.get(Field::Template), Some(TEMPLATE_NOT_OFFERED));
    assert_eq!(audit_count(&pool, "role.create").await, 2);
    // Once the organization is Self-Service, it is.
    let setting: ServiceTypeSetting = call_ok(&router, &ada, "load_service_type", "").await;
    assert!(setting.editable);
    let saved = call(
        &router,
        &ada,
        "set_service_type",
        &format!("service_type=self_service&version={}", setting.version),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // A second save from the same page (the version it read) is refused.
    let stale = call(
        &router,
        &ada,
        "set_service_type",
        &format!("service_type=revequip&version={}", setting.version),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let bad = call(
        &router,
        &ada,
        "set_service_type",
        &format!("service_type=self-service&version={}", setting.version + 1),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(audit_count(&pool, "organization.service_type").await, 1);
    let now = overview(&router, &ada).await;
    assert_eq!(now.service_type, ServiceType::SelfService);
    assert!(
        now.templates
            .iter()
            .filter(|c| c.offered)
            .all(|c| c.template.self_service() || c.template == RoleTemplate::Standard)
    );
    let self_service: i64 = call_ok(
        &router,
        &ada,
        "create_role",
        "name=Managers&description=&template=self_service_manager",
    )
    .await;
    assert!(editor(&router, &ada, self_service).await.self_service);
    // The EMR restriction is stored with its role and shown in the editor.
    let set = call(
        &router,
        &ada,
        "set_service_type",
        &format!("service_type=revequip&version={}", setting.version + 1),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let emr: i64 = call_ok(
        &router,
        &ada,
        "create_role",
        "name=Front+desk+billing&description=&template=front_office_billing_emr",
    )
    .await;
    let emr = editor(&router, &ada, emr).await;
    assert_eq!(
        emr.withheld.iter().collect::<Vec<_>>(),
        [Permission::ReportsPaymentBalancing]
    );
    assert_eq!(audit_count(&pool, "role.create").await, 4);

    // Bad input: each field says what is wrong, and nothing is created.
    let taken = invalid_call(
        &router,
        &ada,
        "create_role",
        "name=biller&description=&template=",
    )
    .await;
    assert_eq!(taken.get(Field::RoleName), Some(ROLE_NAME_TAKEN));
    let blank = invalid_call(
        &router,
        &ada,
        "create_role",
        "name=+++&description=&template=boss",
    )
    .await;
    assert_eq!(blank.get(Field::RoleName), Some(ROLE_NAME_MESSAGE));
    assert_eq!(blank.get(Field::Template), Some(TEMPLATE_MESSAGE));
    assert_eq!(
        overview(&router, &ada).await.roles.len(),
        before.roles.len() + 4
    );
    assert_eq!(audit_count(&pool, "role.create").await, 4);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_role_change_reaches_members_on_their_next_request(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    // Pat: Front Office (North, South by role) plus East picked directly.
    let pat =
        session_cookie(&sign_in(&router, "pat.partner@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        me(&router, &pat).await.company_names(),
        ["East Clinic", "North Clinic", "South Clinic"]
    );
    assert!(!me(&router, &pat).await.sees_users);

    let id = role_id(&overview(&router, &ada).await, "Front Office");
    let e = editor(&router, &ada, id).await;
    let (north, east, harbor) = (
        company(&e, "North Clinic"),
        company(&e, "East Clinic"),
        company(&e, "Harbor Imaging"),
    );
    // Drop South, add East (Pat also holds it directly) and Harbor; grant Users: view.
    let mut permissions: Vec<Permission> = e.permissions.iter().collect();
    permissions.push(Permission::UsersView);
    let saved = call(
        &router,
        &ada,
        "update_role",
        &save_form(&e, "Front Desk", &permissions, &[north, east, harbor]),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains(ROLE_SAVED));

    // Same session, no new sign-in: South is gone, Harbor came, East stays.
    let now = me(&router, &pat).await;
    assert_eq!(
        now.company_names(),
        ["East Clinic", "Harbor Imaging", "North Clinic"]
    );
    assert!(now.sees_users, "the new permission applies at once");

    // Removing East from the role leaves it to Pat, who holds it directly.
    let e = editor(&router, &ada, id).await;
    assert_eq!(e.name, "Front Desk");
    let saved = call(
        &router,
        &ada,
        "update_role",
        &save_form(&e, "Front Desk", &permissions, &[north]),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        me(&router, &pat).await.company_names(),
        ["East Clinic", "North Clinic"]
    );

    // Audited with before and after.
    let (before, after): (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "SELECT before, after FROM audit_events WHERE action = 'role.update' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(before["name"], "Front Office");
    assert_eq!(after["name"], "Front Desk");
    assert!(
        after["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "users.view")
    );
    assert_eq!(audit_count(&pool, "role.update").await, 2);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn saving_a_role_checks_input_versions_and_self_service(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let roles = overview(&router, &ada).await;
    let id = role_id(&roles, "Front Office");
    let e = editor(&router, &ada, id).await;
    let permissions: Vec<Permission> = e.permissions.iter().collect();

    // Another organization's company, a duplicate name, an unknown permission.
    let riverside_company: i64 = sqlx::query_scalar(
        "SELECT c.id FROM companies c JOIN organizations o ON o.id = c.org_id WHERE o.name LIKE 'Riverside%' LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let foreign = invalid_call(
        &router,
        &ada,
        "update_role",
        &save_form(&e, "Front Office", &permissions, &[riverside_company]),
    )
    .await;
    assert_eq!(foreign.get(Field::Company), Some(ROLE_COMPANY_MESSAGE));
    let taken = invalid_call(
        &router,
        &ada,
        "update_role",
        &save_form(&e, "Provider", &permissions, &[]),
    )
    .await;
    assert_eq!(taken.get(Field::RoleName), Some(ROLE_NAME_TAKEN));
    let unknown = call(
        &router,
        &ada,
        "update_role",
        &format!(
            "{}&permissions[9]=claims.launch",
            save_form(&e, "Front Office", &permissions, &[])
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);

    // Provider is Cathy's role, and Cathy is a Customer-type user.
    let provider = editor(&router, &ada, role_id(&roles, "Provider")).await;
    let provider_permissions: Vec<Permission> = provider.permissions.iter().collect();
    let form = format!(
        "{}&self_service=on",
        save_form(&provider, "Provider", &provider_permissions, &[])
    );
    let customers = invalid_call(&router, &ada, "update_role", &form).await;
    assert_eq!(
        customers.get(Field::SelfService),
        Some(SELF_SERVICE_HAS_CUSTOMERS)
    );

    // Nothing changed so far; then two editors of one version: the second loses.
    assert_eq!(editor(&router, &ada, id).await, e);
    assert_eq!(audit_count(&pool, "role.update").await, 0);
    let (ben, _) = enrolled_admin_session(&router, "ben.backup@northwind.example").await;
    let first = call(
        &router,
        &ben,
        "update_role",
        &save_form(&e, "Front Office", &[], &[]),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = call(
        &router,
        &ada,
        "update_role",
        &save_form(&e, "Reception", &permissions, &[]),
    )
    .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    match serde_json::from_str(&second.body).unwrap() {
        AppError::Conflict(message) => assert_eq!(message, ROLE_CHANGED_ELSEWHERE),
        other => panic!("{other:?}"),
    }
    assert_eq!(editor(&router, &ada, id).await.name, "Front Office");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn deleting_a_role_moves_its_members_in_one_transaction(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let roles = overview(&router, &ada).await;
    let front_office = editor(&router, &ada, role_id(&roles, "Front Office")).await;
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    let delete = |e: &RoleEditor, move_to: &str| {
        format!("role_id={}&version={}&move_to={move_to}", e.id, e.version)
    };

    // With a member and nowhere to go: kept, with the count.
    let kept = invalid_call(&router, &ada, "delete_role", &delete(&front_office, "")).await;
    assert_eq!(
        kept.get(Field::MoveTo),
        Some(members_need_a_new_role(1).as_str())
    );
    let to_itself = invalid_call(
        &router,
        &ada,
        "delete_role",
        &delete(&front_office, &front_office.id.to_string()),
    )
    .await;
    assert_eq!(to_itself.get(Field::MoveTo), Some(MOVE_TO_MESSAGE));
    // Cathy (Customer-type) cannot be moved into a self-service role: nothing moves.
    let provider = editor(&router, &ada, role_id(&roles, "Provider")).await;
    let managers = role_id(&roles, "Self-Service Manager");
    let refused = invalid_call(
        &router,
        &ada,
        "delete_role",
        &delete(&provider, &managers.to_string()),
    )
    .await;
    assert_eq!(refused.get(Field::MoveTo), Some(SELF_SERVICE_HAS_CUSTOMERS));
    assert_eq!(overview(&router, &ada).await.roles.len(), roles.roles.len());
    assert_eq!(audit_count(&pool, "role.delete").await, 0);

    // Moved to Standard and deleted together.
    let standard = role_id(&roles, "Standard");
    let done = call(
        &router,
        &ada,
        "delete_role",
        &delete(&front_office, &standard.to_string()),
    )
    .await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.body
    );
    let role_of_pat: Option<i64> = sqlx::query_scalar("SELECT role_id FROM users WHERE id = $1")
        .bind(pat)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role_of_pat, Some(standard));
    assert_eq!(
        call(
            &router,
            &ada,
            "load_role",
            &format!("role_id={}", front_office.id)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let after: serde_json::Value =
        sqlx::query_scalar("SELECT after FROM audit_events WHERE action = 'role.delete'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(after["members_moved"], serde_json::json!([pat]));
    assert_eq!(after["moved_to"]["name"], "Standard");

    // A role without members goes without a question.
    let empty: i64 = call_ok(
        &router,
        &ada,
        "create_role",
        "name=Temp&description=&template=",
    )
    .await;
    let e = editor(&router, &ada, empty).await;
    let gone = call(&router, &ada, "delete_role", &delete(&e, "")).await;
    assert!(
        gone.status.is_success() || gone.status.is_redirection(),
        "{}",
        gone.body
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_matrix_follows_the_roles(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    // By default, the family of the organization's service type.
    let family: MatrixView = call_ok(&router, &ada, "permissions_by_page", "").await;
    assert_eq!(family.of, MatrixOf::Family(Family::RevServeRevEquip));
    assert_eq!(family.matrix.roles.len(), 8);
    let own = || async {
        let view: MatrixView = call_ok(&router, &ada, "permissions_by_page", "of=own_roles").await;
        assert_eq!(view.of, MatrixOf::OwnRoles);
        view.matrix
    };
    let matrix = own().await;
    let column = |m: &PageMatrix, role: &str| m.roles.iter().position(|r| r == role).unwrap();
    let cell = |m: &PageMatrix, page: &str, role: &str| {
        m.rows.iter().find(|r| r.page == page).unwrap().cells[column(m, role)]
    };
    assert_eq!(
        cell(&matrix, "Payments", "Partner Payment Poster"),
        Opens::Yes
    );
    assert_eq!(cell(&matrix, "Payments", "Provider"), Opens::No);
    assert_eq!(cell(&matrix, "Roles", "Practice Admin"), Opens::No);
    assert_eq!(
        cell(&matrix, "Users (User Management)", "Practice Admin"),
        Opens::Yes
    );
    let emr = "Front Office Billing – EMR Access Restriction";
    assert_eq!(
        cell(&matrix, "Payment balancing report", emr),
        Opens::Withheld
    );
    // An unknown matrix is refused.
    let unknown = call(&router, &ada, "permissions_by_page", "of=everyone").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);

    // Granting Payments: view to Provider shows in the matrix at once.
    let provider = editor(
        &router,
        &ada,
        role_id(&overview(&router, &ada).await, "Provider"),
    )
    .await;
    let mut permissions: Vec<Permission> = provider.permissions.iter().collect();
    permissions.push(Permission::PaymentsView);
    let saved = call(
        &router,
        &ada,
        "update_role",
        &save_form(&provider, "Provider", &permissions, &[]),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(cell(&own().await, "Payments", "Provider"), Opens::Yes);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_the_organizations_administrators_reach_roles(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let roles = overview(&router, &ada).await;
    let id = role_id(&roles, "Front Office");
    let e = editor(&router, &ada, id).await;
    let calls = [
        ("list_roles", String::new()),
        (
            "create_role",
            "name=Sneaky&description=&template=practice_admin".to_owned(),
        ),
        ("load_role", format!("role_id={id}")),
        (
            "update_role",
            save_form(&e, "Sneaky", &Permission::ALL, &[]),
        ),
        (
            "delete_role",
            format!("role_id={id}&version={}&move_to=", e.version),
        ),
        ("permissions_by_page", String::new()),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    // Mia holds Users: view; that is no Administrator.
    let mia =
        session_cookie(&sign_in(&router, "mia.manager@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    expect_status(&router, &mia, &calls, StatusCode::FORBIDDEN).await;
    // Riverside's Administrator: Northwind's roles do not exist for her.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    expect_status(&router, &rosa, &calls[2..5], StatusCode::NOT_FOUND).await;
    assert!(
        overview(&router, &rosa)
            .await
            .roles
            .iter()
            .all(|r| r.id.0 != id)
    );
    assert_eq!(editor(&router, &ada, id).await, e);
    assert_eq!(audit_count(&pool, "role.create").await, 0);
    assert_eq!(audit_count(&pool, "role.update").await, 0);
    assert_eq!(audit_count(&pool, "role.delete").await, 0);
}

/// The PDF's text, as poppler's `pdftotext` (an independent reader) finds
/// it, with the layout kept so a row reads as a line.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = common::scratch_dir("matrix-pdf");
    let file = dir.join("matrix.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils, installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_matrix_downloads_as_a_pdf_whose_text_is_the_matrix(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let get = |path: &'static str| {
        let (router, ada) = (router.clone(), ada.clone());
        async move {
            let request = axum::http::Request::get(path)
                .header("cookie", ada)
                .body(axum::body::Body::empty())
                .unwrap();
            let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
            let status = response.status();
            let kind = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, kind, body.to_vec())
        }
    };
    let (status, kind, pdf) = get("/permissions-by-page.pdf?of=revserve_revequip").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind.as_deref(), Some("application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Permissions by page: RevServe & RevEquip"),
        "{text}"
    );
    assert!(text.contains("Northwind Health Partners"), "{text}");
    // Every template of the family is named in the legend, none of the other.
    for template in Family::RevServeRevEquip.templates() {
        assert!(
            text.contains(template.name()),
            "{} missing:\n{text}",
            template.name()
        );
    }
    assert!(!text.contains("Self-Service Admin"), "{text}");
    // Each page is a row; the EMR restriction's column says withheld.
    let matrix = app::model::page::PageMatrix::of_family(Family::RevServeRevEquip);
    for row in &matrix.rows {
        assert!(text.contains(&row.page), "{} missing", row.page);
    }
    let balancing = text
        .lines()
        .find(|l| l.trim_start().starts_with("Payment balancing report"))
        .unwrap();
    assert!(balancing.contains("withheld"), "{balancing}");
    let words: Vec<&str> = balancing.split_whitespace().collect();
    let cells = &words[words.len() - 1 - matrix.roles.len()..];
    let expected: Vec<&str> = std::iter::once("yes")
        .chain(
            matrix
                .rows
                .iter()
                .find(|r| r.page == "Payment balancing report")
                .unwrap()
                .cells
                .iter()
                .map(|c| c.label()),
        )
        .collect();
    assert_eq!(cells, expected, "{balancing}");

    // The organization's own roles: every one of them, a page per ten.
    let (status, _, pdf) = get("/permissions-by-page.pdf?of=own_roles").await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    for role in ["Front Office", "Self-Service Manager", "Standard"] {
        assert!(text.contains(role), "{role} missing");
    }
    assert!(text.contains("page 2 of 2"), "{text}");
    // A matrix that does not exist is refused.
    let (status, _, _) = get("/permissions-by-page.pdf?of=everyone").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
