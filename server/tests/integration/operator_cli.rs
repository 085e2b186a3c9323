//! `portcullis admin …` against a real PostgreSQL: bootstrap on an empty
//! database only; break-glass reactivation only when every Administrator
//! of the organization is inactive; list-orgs; unlock-user. Each refusal
//! is one clear sentence, a non-zero exit and no change.

use crate::common;

use std::process::{Command, Output};

use sqlx::{ConnectOptions, PgPool};

fn admin(pool: &PgPool, args: &[&str]) -> Output {
    let url = pool.connect_options().to_url_lossy().to_string();
    Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .arg("admin")
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "off")
        .env_remove("PORTCULLIS_PUBLIC_URL")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// One `portcullis: …` line containing `expected`, exit code 1 (clap's own
/// usage errors exit with 2).
#[track_caller]
fn refused(output: &Output, code: i32, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in: {stderr}"
    );
}

async fn audit(pool: &PgPool, action: &str) -> i64 {
    common::audit_count(pool, action).await
}

#[test]
fn admin_help_lists_its_commands() {
    let output = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["admin", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for command in [
        "bootstrap",
        "create-operator",
        "reactivate",
        "list-orgs",
        "unlock-user",
    ] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bootstrap_creates_the_first_organization_and_refuses_a_second_time(pool: PgPool) {
    let args = [
        "bootstrap",
        "--organization",
        "Harbor Health",
        "--first-name",
        "Hana",
        "--last-name",
        "Harbor",
        "--email",
        "Hana@Harbor.example",
        "--public-url",
        "https://console.example",
    ];
    let said = stdout(&admin(&pool, &args));
    assert!(
        said.contains(
            "Created Harbor Health and its Administrator Hana Harbor <hana@harbor.example>"
        ),
        "{said}"
    );
    assert!(
        said.contains("https://console.example/reset-password?token="),
        "{said}"
    );
    let (kind, admins): (String, i64) = sqlx::query_as(
        "SELECT o.kind, (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.account_type = 'administrator')
         FROM organizations o",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), admins), ("customer", 1));
    assert_eq!(audit(&pool, "operator.bootstrap").await, 1);
    // A second bootstrap changes nothing.
    refused(&admin(&pool, &args), 1, "already has 1 organization");
    assert_eq!(common::organization_count(&pool).await, 1);
    assert!(stdout(&admin(&pool, &["list-orgs"])).contains("Harbor Health"));
}

fn operator(email: &str) -> Vec<&str> {
    vec![
        "create-operator",
        "--first-name",
        "Paul",
        "--last-name",
        "Operator",
        "--email",
        email,
        "--public-url",
        "https://console.example",
    ]
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn create_operator_starts_the_platform_on_any_database(pool: PgPool) {
    // An empty database: the platform and its first Platform Administrator.
    let said = stdout(&admin(&pool, &operator("Paul@Ops.example")));
    assert!(
        said.contains("Created the platform Portcullis Platform, and its Platform Administrator Paul Operator <paul@ops.example>"),
        "{said}"
    );
    assert!(
        said.contains("https://console.example/reset-password?token="),
        "{said}"
    );
    let (kind, admins): (String, i64) = sqlx::query_as(
        "SELECT o.kind, (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.account_type = 'administrator')
         FROM organizations o",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), admins), ("platform", 1));
    assert_eq!(audit(&pool, "operator.create_operator").await, 1);
    // Bootstrap still works beside it (the platform is not a customer).
    let bootstrap = [
        "bootstrap",
        "--organization",
        "Harbor Health",
        "--first-name",
        "Hana",
        "--last-name",
        "Harbor",
        "--email",
        "hana@harbor.example",
    ];
    stdout(&admin(&pool, &bootstrap));
    // Again: a second operator in the same platform; a taken email or bad
    // input is refused and changes nothing.
    let said = stdout(&admin(&pool, &operator("olga@ops.example")));
    assert!(
        said.contains("Found the platform Portcullis Platform"),
        "{said}"
    );
    refused(
        &admin(&pool, &operator("hana@harbor.example")),
        1,
        "already signs in",
    );
    refused(&admin(&pool, &operator("nope")), 1, "Enter a valid email");
    let mut bad = operator("x@ops.example");
    bad.extend(["--platform", " "]);
    refused(&admin(&pool, &bad), 1, "--platform");
    let platform_admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users u JOIN organizations o ON o.id = u.org_id WHERE o.kind = 'platform'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(platform_admins, 2);
    assert_eq!(common::organization_count(&pool).await, 2);
    assert_eq!(audit(&pool, "operator.create_operator").await, 2);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn bad_bootstrap_arguments_are_refused_and_create_nothing(pool: PgPool) {
    let bad_email = [
        "bootstrap",
        "--organization",
        "X Health",
        "--first-name",
        "Hana",
        "--last-name",
        "Harbor",
        "--email",
        "not-an-email",
    ];
    refused(&admin(&pool, &bad_email), 1, "Enter a valid email");
    let bad_name = [
        "bootstrap",
        "--organization",
        " ",
        "--first-name",
        "Hana",
        "--last-name",
        "Harbor",
        "--email",
        "h@x.example",
    ];
    refused(&admin(&pool, &bad_name), 1, "--organization");
    let missing = ["bootstrap", "--organization", "X"];
    refused(&admin(&pool, &missing), 2, "--first-name");
    assert_eq!(common::organization_count(&pool).await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn break_glass_needs_every_administrator_inactive(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    let reactivate = |email: &'static str| {
        [
            "reactivate",
            "--email",
            email,
            "--ticket",
            "SUP-1234",
            "--reason",
            "Both admins left the practice",
        ]
    };
    // Ben is active: Ada (made inactive) must be reactivated by him.
    sqlx::query("UPDATE users SET status = 'inactive' WHERE email = 'ada.admin@northwind.example'")
        .execute(&pool)
        .await
        .unwrap();
    refused(
        &admin(&pool, &reactivate("ada.admin@northwind.example")),
        1,
        "still has active Administrators (Ben Backup <ben.backup@northwind.example>)",
    );
    refused(
        &admin(&pool, &reactivate("pat.partner@northwind.example")),
        1,
        "is not an Administrator",
    );
    refused(
        &admin(&pool, &reactivate("ben.backup@northwind.example")),
        1,
        "already active",
    );
    refused(
        &admin(&pool, &reactivate("nobody@northwind.example")),
        1,
        "no user with the email",
    );
    let no_ticket = [
        "reactivate",
        "--email",
        "ada.admin@northwind.example",
        "--ticket",
        " ",
        "--reason",
        "x",
    ];
    refused(&admin(&pool, &no_ticket), 1, "--ticket must say something");
    assert_eq!(audit(&pool, "operator.reactivate").await, 0);

    // Every Administrator inactive (forced past the console's rule, as a
    // data repair would): break-glass works, once.
    sqlx::query("ALTER TABLE users DISABLE TRIGGER USER")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE users SET status = 'inactive' WHERE email = 'ben.backup@northwind.example'",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("ALTER TABLE users ENABLE TRIGGER USER")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO user_totp (user_id, secret, confirmed_at) SELECT id, '\\x000102030405060708090a0b0c0d0e0f', now() FROM users WHERE email = 'ada.admin@northwind.example'")
        .execute(&pool)
        .await
        .unwrap();
    let said = stdout(&admin(&pool, &reactivate("ada.admin@northwind.example")));
    assert!(said.contains("Reactivated Ada Admin <ada.admin@northwind.example>, Administrator of Northwind Health Partners (ticket SUP-1234)"), "{said}");
    assert!(
        said.contains("/reset-password?token=")
            && said.contains("reactivate the organization's other Administrators"),
        "{said}"
    );
    let (status, password, totp): (String, bool, i64) = sqlx::query_as(
        "SELECT status, password_hash IS NOT NULL, (SELECT count(*) FROM user_totp t WHERE t.user_id = u.id)
         FROM users u WHERE email = 'ada.admin@northwind.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), password, totp), ("active", false, 0));
    let (label, after): (String, serde_json::Value) = sqlx::query_as(
        "SELECT actor_label, after FROM audit_events WHERE action = 'operator.reactivate'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(label.contains("SUP-1234"), "{label}");
    assert_eq!(after["reason"], "Both admins left the practice");
    // Now Ada is active: Ben comes back through her, not break-glass.
    refused(
        &admin(&pool, &reactivate("ben.backup@northwind.example")),
        1,
        "still has active Administrators (Ada Admin",
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn unlock_user_lifts_a_lockout_and_says_when_there_is_none(pool: PgPool) {
    server::demo::seed(&pool).await.unwrap();
    refused(
        &admin(
            &pool,
            &["unlock-user", "--email", "pat.partner@northwind.example"],
        ),
        1,
        "is not locked out",
    );
    sqlx::query("INSERT INTO sign_in_lockouts (email, failures, lockouts, locked_until) VALUES ('pat.partner@northwind.example', 0, 1, now() + interval '15 minutes')")
        .execute(&pool)
        .await
        .unwrap();
    let said = stdout(&admin(
        &pool,
        &["unlock-user", "--email", "Pat.Partner@northwind.example"],
    ));
    assert_eq!(
        said.trim(),
        "pat.partner@northwind.example may sign in again."
    );
    assert_eq!(audit(&pool, "operator.unlock").await, 1);
    let listed = stdout(&admin(&pool, &["list-orgs"]));
    assert!(
        listed
            .lines()
            .any(|l| l.contains("Northwind Health Partners") && l.contains("customer")),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.contains("Claimwise Billing Services") && l.contains("vendor")),
        "{listed}"
    );
}
