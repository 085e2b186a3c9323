//! `bench run`: starts the release server as a child process on
//! loopback against the seeded database, measures each figure beside its
//! reference in the same run, stops the server, and prints one table.

use app::model::ids::{OrgId, UserId};
use sqlx::PgPool;

use server::{cli::DatabaseArgs, database::Database};

use crate::{BENCH_ORG, RunArgs, stats::show};
use crate::{
    browser::wasm_size,
    in_process::{policy, round_trip},
    load::against_server,
    process::{Server, cold_start},
};

pub(crate) type Outcome<T> = Result<T, String>;

/// One line of the table.
pub(crate) struct Line {
    pub(crate) what: String,
    pub(crate) result: String,
    pub(crate) reference: String,
    pub(crate) target: String,
    pub(crate) met: Option<bool>,
}

pub(crate) fn line(
    what: &str,
    result: String,
    reference: String,
    target: &str,
    met: Option<bool>,
) -> Line {
    Line {
        what: what.to_owned(),
        result,
        reference,
        target: target.to_owned(),
        met,
    }
}

pub async fn run(database: &DatabaseArgs, args: &RunArgs) -> Outcome<()> {
    let url = match database.database_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => url.to_owned(),
        None => server::database::private_cluster(database)
            .map_err(|e| e.to_string())?
            .url(),
    };
    let db = Database::open(database).await.map_err(|e| e.to_string())?;
    let result = async {
        server::database::migrate(db.pool())
            .await
            .map_err(|e| e.to_string())?;
        // Sessions of earlier runs would count as this run's live sessions.
        sqlx::query("DELETE FROM tower_sessions.session")
            .execute(db.pool())
            .await
            .map_err(|e| e.to_string())?;
        measure(db.pool(), &url, database, args).await
    }
    .await;
    db.close().await;
    let (lines, machine) = result?;
    println!("{}", table(&lines));
    crate::record::save(&args.json, &crate::record::to_json(&lines, &machine))
}

async fn measure(
    pool: &PgPool,
    url: &str,
    database: &DatabaseArgs,
    args: &RunArgs,
) -> Outcome<(Vec<Line>, String)> {
    let org: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(BENCH_ORG)
        .fetch_optional(pool)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no benchmark data here: run `bench seed` (or ./bench.sh) first")?;
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE org_id = $1")
        .bind(org)
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    let machine = machine(pool).await;
    eprintln!("bench: {BENCH_ORG} with {users} users; {machine}");
    let mut lines = vec![];
    // A partner with a role and directly picked companies: the policy's
    // most expensive case, and the user the Edit User page loads.
    let target: i64 = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN user_companies uc ON uc.user_id = u.id
         WHERE u.org_id = $1 AND u.role_id IS NOT NULL ORDER BY u.id LIMIT 1",
    )
    .bind(org)
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;

    eprintln!("bench: policy check");
    lines.extend(policy(pool, OrgId(org), UserId(target)).await?);
    eprintln!("bench: PostgreSQL round trip");
    let round_trip = round_trip(pool).await?;
    lines.push(line(
        "PostgreSQL round trip (SELECT 1), p50 / p99",
        format!(
            "{} / {}",
            show(round_trip.at(0.5)),
            show(round_trip.at(0.99))
        ),
        "reference".into(),
        "",
        None,
    ));

    eprintln!("bench: starting the server");
    let server = Server::start(&args.server, url).await?;
    let outcome = against_server(pool, &server, (org, users), target, args).await;
    let rss = server.stop();
    let mut measured = outcome?;
    lines.append(&mut measured);
    if let Some(note) = rss {
        eprintln!("bench: {note}");
    }

    eprintln!("bench: cold start");
    lines.push(cold_start(&args.server, database).await?);
    lines.push(wasm_size(&args.site_pkg));
    Ok((lines, format!("{machine}; {users} users")))
}

async fn machine(pool: &PgPool) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or("unknown memory".to_owned(), |kb| {
            format!("{:.0} GiB", kb as f64 / 1_048_576.0)
        });
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(pool)
        .await
        .unwrap_or_default();
    format!("{cores} cores, {memory}, PostgreSQL {version}")
}

fn table(lines: &[Line]) -> String {
    let mut out = String::from(
        "| measure | result | reference (same run) | target | |\n|---|---|---|---|---|\n",
    );
    for l in lines {
        let verdict = match l.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {verdict} |\n",
            l.what, l.result, l.reference, l.target
        ));
    }
    out
}
