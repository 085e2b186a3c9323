//! `bench`: a large organization generated with COPY, and one run that
//! measures the finished product -- the release `portcullis` binary, started
//! as a child process -- against it, each figure beside its reference
//! measured in the same run. Load goes to loopback only and every loop is
//! bounded in requests and time. A workspace member of its own, so the
//! product carries none of it.

mod browser;
mod client;
mod cpu;
mod in_process;
mod load;
mod process;
mod record;
mod run;
mod seed;
mod stats;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};
use server::cli::DatabaseArgs;

#[derive(Debug, Parser)]
#[command(name = "bench", about = "Benchmarks of Portcullis (see bench.sh)")]
struct Cli {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    command: BenchCommand,
}

/// The generated organization; `bench run` finds its data by this name.
pub const BENCH_ORG: &str = "Bench Health";
/// The generated vendor, linked to `SeedArgs::linked` customer accounts;
/// its Administrator is `vendor@bench.example`.
pub const BENCH_VENDOR: &str = "Bench Vendor";
/// Every generated user's password.
pub const BENCH_PASSWORD: &str = "bench-password";
/// The authenticator key of the generated Administrators (20 bytes).
pub const BENCH_TOTP_SECRET: &[u8; 20] = b"portcullis-bench-key";
/// Administrators generated, one per concurrent client: an Administrator's
/// authenticator code is accepted once, so each client signs in as its own.
pub const BENCH_ADMINS: usize = 64;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate the benchmark organization into the database (with COPY).
    /// Give it its own data directory: `bench --data-dir target/bench-db seed`.
    Seed(SeedArgs),
    /// Measure everything against the seeded database and print one table.
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Users in the organization.
    #[arg(long, default_value_t = 1_000_000,
          value_parser = clap::value_parser!(u32).range(1_000..=50_000_000))]
    pub users: u32,
    /// Companies: one parent and the rest its children.
    #[arg(long, default_value_t = 1_000,
          value_parser = clap::value_parser!(u32).range(26..=100_000))]
    pub companies: u32,
    /// Roles, each carrying 25 companies.
    #[arg(long, default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub roles: u32,
    /// Organizations in all: the benchmark organization, the benchmark
    /// vendor, and small customer organizations for the rest.
    #[arg(long, default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(2..=1_000_000))]
    pub organizations: u32,
    /// Customer organizations linked to the benchmark vendor (its Manage
    /// Accounts list).
    #[arg(long, default_value_t = 5_000,
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub linked: u32,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Concurrent signed-in clients in the throughput test.
    #[arg(long, default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=BENCH_ADMINS as i64))]
    pub clients: u16,
    /// Upper bound on the throughput test's length, in seconds.
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=120))]
    pub seconds: u64,
    /// Live sessions held while the server's memory is read.
    #[arg(long, default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub sessions: u32,
    /// The page-timing script (Users page in headless Chromium); skipped
    /// when empty or when node is missing.
    #[arg(long, default_value = "end2end/bench/page-timing.mjs")]
    pub page_timing_script: String,
    /// The `lighthouse` command (npm lighthouse 12.2.3, which bench.sh
    /// installs); Lighthouse is skipped when empty.
    #[arg(long, env = "PORTCULLIS_LIGHTHOUSE", default_value = "")]
    pub lighthouse: String,
    /// The built site, for the WASM bundle's size.
    #[arg(long, default_value = "target/site/pkg")]
    pub site_pkg: PathBuf,
    /// The server measured: the release build.
    #[arg(long, default_value = "target/release/portcullis")]
    pub server: PathBuf,
    /// Where the table is also written as JSON; the run there before is
    /// compared with this one and kept beside it.
    #[arg(long, default_value = "target/bench/results.json")]
    pub json: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    server::main_with("bench", command(&cli.database, cli.command))
}

async fn command(database: &DatabaseArgs, command: BenchCommand) -> Result<(), String> {
    match command {
        BenchCommand::Seed(args) => {
            let db = server::database::Database::open(database)
                .await
                .map_err(|e| e.to_string())?;
            let result = async {
                server::database::migrate(db.pool())
                    .await
                    .map_err(|e| e.to_string())?;
                seed::seed(db.pool(), &args).await
            }
            .await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
        BenchCommand::Run(args) => run::run(database, &args).await,
    }
}
