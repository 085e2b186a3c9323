//! The Portcullis server: command line, HTTP router, database start-up.
//! `main.rs` only parses the command line; everything here is testable.

pub mod account_offer;
pub mod admin;
pub mod bad_request;
pub mod cli;
pub mod csrf;
pub mod database;
pub mod demo;
pub mod embedded_pg;
pub mod error;
pub mod health;
pub mod mailer;
pub mod query_counter;
pub mod request_id;
pub mod router;
pub mod security_headers;
pub mod serve;
pub mod session_store;
pub mod static_files;
pub mod telemetry;

use clap::Parser;
use cli::{Cli, Command, DbCommand};
use error::StartupError;

/// Runs `work` to completion on a multi-threaded runtime and turns its
/// outcome into the process's exit code: one sentence saying what is wrong
/// and what to do, after `program: `, and no backtrace. (The `portcullis`
/// binary, and the `bench` one built on this library.)
pub fn main_with<E: std::fmt::Display>(
    program: &str,
    work: impl std::future::Future<Output = Result<(), E>>,
) -> std::process::ExitCode {
    telemetry::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{program}: could not start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{program}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs one command of the command line to completion.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    let command = match cli.command {
        Some(command) => command,
        // No subcommand: serve, with every serve flag at its default.
        None => Cli::parse_from(["portcullis", "serve"])
            .command
            .unwrap_or(Command::Migrate),
    };
    match command {
        Command::Serve(args) => serve::serve(&cli.database, &args).await,
        Command::Migrate => {
            let database = database::Database::open(&cli.database).await?;
            let result = database::migrate(database.pool()).await;
            database.close().await;
            let version = result?;
            println!("The database schema is at version {version}.");
            Ok(())
        }
        Command::SeedDemo => {
            let database = database::Database::open(&cli.database).await?;
            let result = seed_demo(database.pool()).await;
            database.close().await;
            result
        }
        Command::Admin(command) => {
            let database = database::Database::open(&cli.database).await?;
            let result = admin_command(database.pool(), command).await;
            database.close().await;
            result
        }
        Command::Db(DbCommand::Start) => {
            let cluster = database::private_cluster(&cli.database)?;
            cluster.start().await?;
            println!("DATABASE_URL={}", cluster.url());
            Ok(())
        }
        Command::Db(DbCommand::Stop) => {
            let cluster = database::private_cluster(&cli.database)?;
            cluster.stop().await?;
            println!(
                "The private PostgreSQL cluster in {} is stopped.",
                cluster.data_dir().display()
            );
            Ok(())
        }
    }
}

async fn admin_command(
    pool: &sqlx::PgPool,
    command: admin::AdminCommand,
) -> Result<(), StartupError> {
    database::migrate(pool).await?;
    let said = admin::run(pool, command)
        .await
        .map_err(|e| StartupError::Admin(e.to_string()))?;
    println!("{said}");
    Ok(())
}

async fn seed_demo(pool: &sqlx::PgPool) -> Result<(), StartupError> {
    database::migrate(pool).await?;
    let report = demo::seed(pool)
        .await
        .map_err(|e| StartupError::Seed(e.to_string()))?;
    println!("{report}");
    Ok(())
}
