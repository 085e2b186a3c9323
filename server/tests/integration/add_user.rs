//! Add User: a new user of the caller's organization, invited by email to
//! choose a password through the same single-use link as a reset.

use crate::common;

use app::{
    auth::reset_api::PasswordLink,
    mail::MailView,
    model::validation::{EMAIL_MESSAGE, Field},
    profile::EMAIL_TAKEN,
    users::{COMPANY_MESSAGE, NewUserChoices, SELF_SERVICE_NEEDS_PARTNER},
};
use axum::{Router, http::StatusCode};
use common::{audit_count, call, enrolled_admin_session, invalid, session_cookie, sign_in};
use server::demo::DEMO_PASSWORD;
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";

async fn options(router: &Router, cookie: &str) -> NewUserChoices {
    let reply = call(router, cookie, "new_user_options", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn company(options: &NewUserChoices, name: &str) -> i64 {
    options
        .companies
        .iter()
        .find(|(_, n)| n == name)
        .unwrap()
        .0
        .0
}

fn role(options: &NewUserChoices, name: &str) -> i64 {
    options
        .roles
        .iter()
        .find(|(_, n, _)| n == name)
        .unwrap()
        .0
        .0
}

fn form(email: &str, account_type: &str, user_type: &str, company: &str, role: &str) -> String {
    format!(
        "first_name=Nora&last_name=New&email={}&account_type={account_type}&user_type={user_type}&company_id={company}&role_id={role}",
        email.replace('@', "%40")
    )
}

async fn users(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_new_user_is_invited_and_chooses_a_password_through_the_link(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let opts = options(&router, &ada).await;
    assert_eq!(opts.companies.len(), 5, "Northwind's companies only");
    let north = company(&opts, "North Clinic");
    let biller = role(&opts, "Front Office");

    let added = call(
        &router,
        &ada,
        "add_user",
        &form(
            "nora.new@northwind.example",
            "standard",
            "customer",
            &north.to_string(),
            &biller.to_string(),
        ),
    )
    .await;
    assert!(
        added.status.is_success() || added.status.is_redirection(),
        "{}",
        added.body
    );
    let id: i64 = serde_json::from_str(&added.body).unwrap();
    let (default_company, role_id, direct, hash): (Option<i64>, Option<i64>, i64, Option<String>) = sqlx::query_as(
        "SELECT default_company_id, role_id, (SELECT count(*) FROM user_companies WHERE user_id = u.id), password_hash
         FROM users u WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (default_company, role_id, direct, hash),
        (Some(north), Some(biller), 1, None)
    );
    assert_eq!(audit_count(&pool, "user.create").await, 1);

    let mail: Vec<MailView> =
        serde_json::from_str(&call(&router, "", "load_mailbox", "").await.body).unwrap();
    assert_eq!(mail[0].to, "nora.new@northwind.example");
    assert_eq!(
        mail[0].subject,
        "You are invited to Northwind Health Partners on Portcullis"
    );
    let token = mail[0]
        .link()
        .unwrap()
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned();
    // Not signed in before choosing a password.
    assert_eq!(
        sign_in(&router, "nora.new@northwind.example", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let link: PasswordLink = serde_json::from_str(
        &call(
            &router,
            "",
            "check_password_link",
            &format!("token={token}"),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(link.invitation);
    let set = call(
        &router,
        "",
        "reset_password",
        &format!("token={token}&new_password=nora+chooses+well&confirm_password=nora+chooses+well"),
    )
    .await;
    assert!(
        set.status.is_success() || set.status.is_redirection(),
        "{}",
        set.body
    );
    assert!(
        session_cookie(&sign_in(&router, "nora.new@northwind.example", "nora chooses well").await)
            .is_some()
    );
    assert_eq!(audit_count(&pool, "auth.invitation_accept").await, 1);
}

/// The companies picked for the user `id`, by name.
async fn picked(pool: &PgPool, id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT c.name FROM user_companies uc JOIN companies c ON c.id = uc.company_id
         WHERE uc.user_id = $1 ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_partner_gets_the_companies_picked_and_a_customer_the_acting_one(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let opts = options(&router, &ada).await;
    let (north, south, east) = (
        company(&opts, "North Clinic"),
        company(&opts, "South Clinic"),
        company(&opts, "East Clinic"),
    );
    // The form presets a Customer's company to the one Ada acts in.
    call(
        &router,
        &ada,
        "switch_company",
        &format!("company_id={east}"),
    )
    .await;
    assert_eq!(options(&router, &ada).await.acting.map(|c| c.0), Some(east));

    // A Partner: the companies ticked, and the default among them even
    // when not ticked.
    let partner = format!(
        "{}&companies[0]={north}&companies[1]={east}",
        form(
            "nora.new@northwind.example",
            "standard",
            "partner",
            &south.to_string(),
            ""
        )
    );
    let added = call(&router, &ada, "add_user", &partner).await;
    let id: i64 = serde_json::from_str(&added.body).unwrap();
    assert_eq!(
        picked(&pool, id).await,
        ["East Clinic", "North Clinic", "South Clinic"]
    );
    let default: Option<i64> =
        sqlx::query_scalar("SELECT default_company_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(default, Some(south));
    let after: serde_json::Value = sqlx::query_scalar(
        "SELECT after FROM audit_events WHERE action = 'user.create' AND target_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut logged: Vec<i64> = serde_json::from_value(after["companies"].clone()).unwrap();
    logged.sort();
    let mut expected = vec![north, south, east];
    expected.sort();
    assert_eq!(logged, expected);

    // A Customer: its one company; companies ticked besides are ignored.
    let customer = format!(
        "{}&companies[0]={north}",
        form(
            "cora.new@northwind.example",
            "standard",
            "customer",
            &east.to_string(),
            ""
        )
    );
    let added = call(&router, &ada, "add_user", &customer).await;
    let id: i64 = serde_json::from_str(&added.body).unwrap();
    assert_eq!(picked(&pool, id).await, ["East Clinic"]);
    // An Administrator: every company, none picked.
    let admin = format!(
        "{}&companies[0]={north}",
        form(
            "al.new@northwind.example",
            "administrator",
            "partner",
            "",
            ""
        )
    );
    let added = call(&router, &ada, "add_user", &admin).await;
    let id: i64 = serde_json::from_str(&added.body).unwrap();
    assert!(picked(&pool, id).await.is_empty());
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bad_input_is_refused_and_nothing_is_created_or_mailed(pool: PgPool) {
    let (router, ada) = common::demo_admin(&pool, ADA).await;
    let opts = options(&router, &ada).await;
    let north = company(&opts, "North Clinic").to_string();
    let self_service = role(&opts, "Self-Service Manager").to_string();
    let before = users(&pool).await;

    let taken = call(
        &router,
        &ada,
        "add_user",
        &form(
            "pat.partner@northwind.example",
            "standard",
            "partner",
            &north,
            "",
        ),
    )
    .await;
    assert_eq!(invalid(&taken).get(Field::Email), Some(EMAIL_TAKEN));
    let bad_email = call(
        &router,
        &ada,
        "add_user",
        &form("nora@", "standard", "partner", &north, ""),
    )
    .await;
    assert_eq!(invalid(&bad_email).get(Field::Email), Some(EMAIL_MESSAGE));
    let no_company = call(
        &router,
        &ada,
        "add_user",
        &form("nora.new@northwind.example", "standard", "customer", "", ""),
    )
    .await;
    assert_eq!(
        invalid(&no_company).get(Field::Company),
        Some(COMPANY_MESSAGE)
    );
    let customer_self_service = call(
        &router,
        &ada,
        "add_user",
        &form(
            "nora.new@northwind.example",
            "standard",
            "customer",
            &north,
            &self_service,
        ),
    )
    .await;
    assert_eq!(
        invalid(&customer_self_service).get(Field::Role),
        Some(SELF_SERVICE_NEEDS_PARTNER)
    );
    let bad_types = call(
        &router,
        &ada,
        "add_user",
        &form("nora.new@northwind.example", "root", "alien", &north, ""),
    )
    .await;
    let errors = invalid(&bad_types);
    assert!(errors.get(Field::AccountType).is_some() && errors.get(Field::UserType).is_some());
    // Another organization's company.
    let riverside: i64 =
        sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Riverside Pediatrics'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let foreign = call(
        &router,
        &ada,
        "add_user",
        &form(
            "nora.new@northwind.example",
            "standard",
            "partner",
            &riverside.to_string(),
            "",
        ),
    )
    .await;
    assert_eq!(invalid(&foreign).get(Field::Company), Some(COMPANY_MESSAGE));
    // Another organization's company among a Partner's picks.
    let foreign_pick = call(
        &router,
        &ada,
        "add_user",
        &format!(
            "{}&companies[0]={riverside}",
            form(
                "nora.new@northwind.example",
                "standard",
                "partner",
                &north,
                ""
            )
        ),
    )
    .await;
    assert_eq!(
        invalid(&foreign_pick).get(Field::Company),
        Some(COMPANY_MESSAGE)
    );
    let garbage = call(
        &router,
        &ada,
        "add_user",
        &form(
            "nora.new@northwind.example",
            "standard",
            "partner",
            "north",
            "",
        ),
    )
    .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);

    assert_eq!(users(&pool).await, before);
    let mail: Vec<MailView> =
        serde_json::from_str(&call(&router, "", "load_mailbox", "").await.body).unwrap();
    assert!(mail.is_empty());
    assert_eq!(audit_count(&pool, "user.create").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_an_administrator_adds_users_to_their_own_organization(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let form = form(
        "nora.new@northwind.example",
        "administrator",
        "partner",
        "",
        "",
    );
    assert_eq!(
        call(&router, "", "add_user", &form).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&router, "", "new_user_options", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let cathy =
        session_cookie(&sign_in(&router, "cathy.customer@northwind.example", DEMO_PASSWORD).await)
            .unwrap();
    assert_eq!(
        call(&router, &cathy, "add_user", &form).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&router, &cathy, "new_user_options", "").await.status,
        StatusCode::FORBIDDEN
    );
    // Rosa adds to Riverside, never to Northwind: the new user is hers.
    let (rosa, _) = enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    let added = call(&router, &rosa, "add_user", &form).await;
    let id: i64 = serde_json::from_str(&added.body).unwrap();
    let org: String = sqlx::query_scalar(
        "SELECT o.name FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(org, "Riverside Family Practice");
}
