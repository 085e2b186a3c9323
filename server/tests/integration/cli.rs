//! The `portcullis` binary as an operator meets it: bad configuration gives
//! one clear sentence and a non-zero exit; commands work on a real database.

use crate::common;

use std::process::{Command, Output};

use sqlx::{ConnectOptions, PgPool};

fn portcullis(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "off");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// Asserts a failed run that printed exactly one `portcullis: …` line
/// containing `expected`, and no panic.
#[track_caller]
fn assert_clear_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(lines[0].starts_with("portcullis: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "expected {expected:?} in: {stderr}"
    );
}

#[test]
fn help_lists_the_commands() {
    let output = portcullis(&["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "migrate", "seed-demo", "db", "admin"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    // The benchmark is a binary of its own (bench/), not part of the product.
    assert!(!help.contains("bench"), "a bench command in:\n{help}");
    let bench = portcullis(&["bench", "--help"], &[]);
    assert!(!bench.status.success(), "portcullis bench still runs");
}

#[test]
fn a_database_url_that_is_not_postgres_is_refused() {
    let output = portcullis(
        &["migrate"],
        &[("DATABASE_URL", "mysql://root@localhost/db")],
    );
    assert_clear_failure(&output, "DATABASE_URL is not a valid PostgreSQL URL");
}

#[test]
fn a_malformed_database_url_is_refused() {
    let output = portcullis(
        &["migrate"],
        &[("DATABASE_URL", "postgres://user@host:notaport/db")],
    );
    assert_clear_failure(&output, "DATABASE_URL is not a valid PostgreSQL URL");
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let output = portcullis(
        &["migrate"],
        &[("DATABASE_URL", "postgres://me:s3cret@127.0.0.1:1/db")],
    );
    assert_clear_failure(
        &output,
        "could not connect to the database at 127.0.0.1:1, database db",
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("s3cret"));
}

#[test]
fn a_port_in_use_is_reported_before_any_database_work() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    // The URL points nowhere: reaching the database would fail differently.
    let output = portcullis(
        &["serve", "--listen", &addr],
        &[("DATABASE_URL", "postgres://x@127.0.0.1:1/db")],
    );
    assert_clear_failure(&output, &format!("the address {addr} is already in use"));
}

#[test]
fn an_invalid_listen_address_is_refused_by_the_parser() {
    let output = portcullis(&["serve", "--listen", "localhost"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("invalid value 'localhost' for '--listen")
    );
}

#[test]
fn an_unusable_data_directory_is_reported() {
    let output = portcullis(
        &["migrate", "--data-dir", "/proc/portcullis-cannot-live-here"],
        &[],
    );
    assert_clear_failure(
        &output,
        "the data directory /proc/portcullis-cannot-live-here cannot be used",
    );
}

#[test]
fn missing_postgresql_binaries_are_reported() {
    let dir = common::scratch_dir("cli-missing-binaries");
    let output = portcullis(
        &[
            "migrate",
            "--pg-bin-dir",
            "/nonexistent/postgresql/bin",
            "--data-dir",
            dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_clear_failure(
        &output,
        "no PostgreSQL server binaries (initdb and pg_ctl) were found in /nonexistent",
    );
}

#[sqlx::test(migrations = false)]
async fn migrate_and_seed_demo_work_on_a_named_database(pool: PgPool) {
    let url = pool.connect_options().to_url_lossy().to_string();
    let migrate = portcullis(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let latest = app::db::MIGRATOR.iter().map(|m| m.version).max().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&migrate.stdout).trim(),
        format!("The database schema is at version {latest}.")
    );

    for added in ["5 added now", "0 added now"] {
        let seed = portcullis(&["seed-demo"], &[("DATABASE_URL", &url)]);
        assert!(
            seed.status.success(),
            "{}",
            String::from_utf8_lossy(&seed.stderr)
        );
        assert!(String::from_utf8_lossy(&seed.stdout).contains(added));
    }
    assert_eq!(common::organization_count(&pool).await, 5);
}
