//! Delegated user administration through the server functions: a Standard
//! user whose role gives Users: add (Practice Admin) adds and changes
//! users within their own access, and every attempt beyond it is refused
//! with the policy's reason and changes nothing.

use crate::common;

use app::{model::policy::Denied, users::NewUserChoices};
use axum::{Router, http::StatusCode};
use common::{audit_count, call, call_ok, company_id, enrolled_admin_session, signed_in, user_id};
use sqlx::PgPool;

const PAT: &str = "pat.partner@northwind.example";

/// Pat becomes a Practice Admin acting in North and East Clinic.
async fn delegated_pat(pool: &PgPool) -> (Router, String) {
    let router = common::demo_app(pool).await;
    sqlx::query(
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Practice Admin'
                                      AND org_id = users.org_id),
                          default_company_id = (SELECT id FROM companies WHERE name = 'East Clinic')
         WHERE email = $1",
    )
    .bind(PAT)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO user_companies (user_id, company_id, org_id)
         SELECT u.id, c.id, u.org_id FROM users u, companies c
         WHERE u.email = $1 AND c.name = 'North Clinic'",
    )
    .bind(PAT)
    .execute(pool)
    .await
    .unwrap();
    let pat = signed_in(&router, PAT).await;
    (router, pat)
}

async fn role(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM roles WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn users(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn form(email: &str, account_type: &str, company: i64, role: &str, companies: &[i64]) -> String {
    let mut form = format!(
        "first_name=Dee&last_name=Delegate&email={}&account_type={account_type}&user_type=partner&company_id={company}&role_id={role}",
        email.replace('@', "%40")
    );
    for (i, c) in companies.iter().enumerate() {
        form += &format!("&companies[{i}]={c}");
    }
    form
}

/// The policy's reason in a refusal's body.
fn refused_for(reply: &common::Reply, reason: &Denied) {
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let said: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(said, app::error::AppError::Forbidden(reason.clone()));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_practice_admin_adds_users_within_their_own_access_only(pool: PgPool) {
    let (router, pat) = delegated_pat(&pool).await;
    let (north, south) = (
        company_id(&pool, "North Clinic").await,
        company_id(&pool, "South Clinic").await,
    );
    let provider = role(&pool, "Provider").await;
    // The form offers Standard users and the roles Pat may give.
    let options: NewUserChoices = call_ok(&router, &pat, "new_user_options", "").await;
    assert!(options.delegated);
    assert!(
        options
            .grantable
            .contains(&app::model::ids::RoleId(provider))
    );
    let partner_admin = role(&pool, "Partner Admin").await;
    assert!(
        !options
            .grantable
            .contains(&app::model::ids::RoleId(partner_admin))
    );

    // Beyond Pat's own access: refused with the reason, nothing made.
    let before = (users(&pool).await, audit_count(&pool, "user.create").await);
    let cases = [
        (
            form("dee@northwind.example", "administrator", north, "", &[]),
            Denied::DelegatedStandardOnly,
        ),
        (
            form(
                "dee@northwind.example",
                "standard",
                south,
                &provider.to_string(),
                &[],
            ),
            Denied::DelegatedBeyondCompanies,
        ),
        (
            form(
                "dee@northwind.example",
                "standard",
                north,
                &provider.to_string(),
                &[south],
            ),
            Denied::DelegatedBeyondCompanies,
        ),
        (
            // Front Office carries North and South; Pat has no South.
            form(
                "dee@northwind.example",
                "standard",
                north,
                &role(&pool, "Front Office").await.to_string(),
                &[],
            ),
            Denied::DelegatedBeyondCompanies,
        ),
    ];
    for (form, reason) in &cases {
        refused_for(&call(&router, &pat, "add_user", form).await, reason);
    }
    let beyond = call(
        &router,
        &pat,
        "add_user",
        &form(
            "dee@northwind.example",
            "standard",
            north,
            &partner_admin.to_string(),
            &[],
        ),
    )
    .await;
    assert_eq!(beyond.status, StatusCode::FORBIDDEN, "{}", beyond.body);
    assert!(
        beyond.body.contains("DelegatedBeyondPermission"),
        "{}",
        beyond.body
    );
    assert_eq!(
        (users(&pool).await, audit_count(&pool, "user.create").await),
        before
    );

    // Within it: added, by Pat, in the audit log.
    let id: i64 = call_ok(
        &router,
        &pat,
        "add_user",
        &form(
            "dee@northwind.example",
            "standard",
            north,
            &provider.to_string(),
            &[],
        ),
    )
    .await;
    let actor: i64 = sqlx::query_scalar(
        "SELECT actor_user_id FROM audit_events WHERE action = 'user.create' AND target_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(actor, user_id(&pool, PAT).await);

    // Changing Dee: within Pat's access yes; a Support User or East+South no.
    let version = |id: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT version FROM users WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let change = |id: i64, version: i32, extra: &str| {
        format!(
            "user_id={id}&version={version}&account_type=standard&user_type=partner&company_id={north}&role_id={provider}&companies[0]={north}{extra}"
        )
    };
    let support = call(
        &router,
        &pat,
        "update_user_permissions",
        &change(id, version(id).await, "&support_user=on"),
    )
    .await;
    refused_for(&support, &Denied::DelegatedNoSupportUser);
    let wider = call(
        &router,
        &pat,
        "update_user_permissions",
        &change(id, version(id).await, &format!("&companies[1]={south}")),
    )
    .await;
    refused_for(&wider, &Denied::DelegatedBeyondCompanies);
    let east = company_id(&pool, "East Clinic").await;
    let saved = call(
        &router,
        &pat,
        "update_user_permissions",
        &change(id, version(id).await, &format!("&companies[1]={east}")),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // Users above Pat are not Pat's to change: an Administrator, a Support
    // User, someone in South Clinic.
    for (email, reason) in [
        (
            "ben.backup@northwind.example",
            Denied::DelegatedStandardOnly,
        ),
        (
            "sam.support@northwind.example",
            Denied::DelegatedNoSupportUser,
        ),
        ("mia.manager@northwind.example", Denied::DelegatedAboveYou),
    ] {
        let target = user_id(&pool, email).await;
        let reply = call(
            &router,
            &pat,
            "update_user_permissions",
            &change(target, version(target).await, ""),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{email}: {}",
            reply.body
        );
        let said: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(said, app::error::AppError::Forbidden(reason), "{email}");
    }
    assert_eq!(audit_count(&pool, "user.permissions").await, 1);

    // An Administrator still makes Administrators and Support Users.
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    let made = call(
        &router,
        &ada,
        "update_user_permissions",
        &change(id, version(id).await, "&support_user=on"),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn without_users_add_a_standard_user_adds_nobody(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // Mia: Self-Service Manager, Users: view but not add.
    let mia = signed_in(&router, "mia.manager@northwind.example").await;
    let north = company_id(&pool, "North Clinic").await;
    let before = users(&pool).await;
    let reply = call(
        &router,
        &mia,
        "add_user",
        &form("dee@northwind.example", "standard", north, "", &[]),
    )
    .await;
    refused_for(&reply, &Denied::AdministratorsOnly);
    let options: NewUserChoices = call_ok(&router, &mia, "new_user_options", "").await;
    assert!(!options.delegated && options.grantable.is_empty());
    assert_eq!(users(&pool).await, before);
}
