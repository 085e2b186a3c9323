//! `bench run`: starts the release server as a child process on
//! loopback against the seeded database, measures each figure beside its
//! reference in the same run, stops the server, and prints one table.

use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    str::FromStr,
    time::{Duration, Instant},
};

use app::{
    model::{
        access::{OrgIndex, effective_access},
        ids::{OrgId, UserId},
        permission::Permission,
        policy::{Action, can},
    },
    org::db::{load_session_user, load_snapshot, load_user},
    state::SessionPolicy,
    state::{AppState, MailSettings},
    users::UsersPage,
};
use axum::{Router, body::Body, http::Request};
use chrono::Utc;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;
use tower_sessions::{SessionStore, session::Id};

use server::{cli::DatabaseArgs, database::Database, query_counter};

use crate::{
    BENCH_ADMINS, BENCH_ORG, BENCH_PASSWORD, BENCH_TOTP_SECRET, RunArgs,
    client::{Client, form_value},
    stats::{Samples, show},
};

type Outcome<T> = Result<T, String>;

/// One line of the table.
struct Line {
    what: String,
    result: String,
    reference: String,
    target: String,
    met: Option<bool>,
}

fn line(what: &str, result: String, reference: String, target: &str, met: Option<bool>) -> Line {
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
    let lines = result?;
    println!("{}", table(&lines));
    Ok(())
}

async fn measure(
    pool: &PgPool,
    url: &str,
    database: &DatabaseArgs,
    args: &RunArgs,
) -> Outcome<Vec<Line>> {
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
    eprintln!(
        "bench: {BENCH_ORG} with {users} users; {}",
        machine(pool).await
    );
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
    Ok(lines)
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

/// `effective_access` + `can`, timed one check at a time.
async fn policy(pool: &PgPool, org: OrgId, target: UserId) -> Outcome<Vec<Line>> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let snapshot = load_snapshot(&mut conn, org)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no organization")?;
    let user = load_user(&mut conn, target)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no user")?;
    let index = OrgIndex::new(&snapshot);
    let company = snapshot
        .companies
        .iter()
        .find(|c| Some(c.id) == user.default_company)
        .ok_or("the user has no default company")?;
    let mut allowed = 0;
    let samples: Vec<Duration> = (0..100_000)
        .map(|_| {
            let start = Instant::now();
            let access = effective_access(std::hint::black_box(&user), &index, Utc::now());
            let ok = can(
                &access,
                Action::Use {
                    company,
                    permission: Permission::ClaimsView,
                },
            )
            .is_ok();
            let took = start.elapsed();
            allowed += usize::from(ok);
            took
        })
        .collect();
    let checks = Samples::new(samples);
    let index_build = Samples::new(
        (0..1_000)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(OrgIndex::new(std::hint::black_box(&snapshot)));
                start.elapsed()
            })
            .collect(),
    );
    let p99 = checks.at(0.99);
    Ok(vec![
        line(
            &format!(
                "policy check (effective_access + can), {} companies, {} roles: p50 / p99",
                snapshot.companies.len(),
                snapshot.roles.len()
            ),
            format!("{} / {}", show(checks.at(0.5)), show(p99)),
            format!("{allowed} of {} allowed", checks.len()),
            "p99 ≤ 10 µs",
            Some(p99 <= Duration::from_micros(10)),
        ),
        line(
            "building the policy's lookup index (once per request): p50",
            show(index_build.at(0.5)),
            String::new(),
            "",
            None,
        ),
    ])
}

async fn round_trip(pool: &PgPool) -> Outcome<Samples> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let mut samples = Vec::with_capacity(2_000);
    for _ in 0..2_000 {
        let start = Instant::now();
        sqlx::query("SELECT 1")
            .execute(&mut *conn)
            .await
            .map_err(|e| e.to_string())?;
        samples.push(start.elapsed());
    }
    Ok(Samples::new(samples))
}

/// The release server, a child process on a free loopback port.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    async fn start(binary: &Path, url: &str) -> Outcome<Self> {
        let addr = free_port()?;
        let child = Command::new(binary)
            .args(["serve", "--listen", &addr.to_string()])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("start the server: {e}"))?;
        let server = Self { child, addr };
        if let Err(e) = wait_until_serving(addr, "/healthz", Duration::from_secs(60)).await {
            server.stop();
            return Err(e);
        }
        Ok(server)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server (SIGTERM, then waits); its peak memory if known.
    fn stop(mut self) -> Option<String> {
        let peak = memory(self.pid(), "VmHWM:");
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: sending a signal to our own child process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.child.wait();
        peak.map(|kb| format!("server peak memory {:.0} MB", kb as f64 / 1024.0))
    }
}

fn free_port() -> Outcome<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map_err(|e| e.to_string())
}

/// A line of /proc/<pid>/status, in kB.
fn memory(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn wait_until_serving(addr: SocketAddr, path: &str, limit: Duration) -> Outcome<Duration> {
    let start = Instant::now();
    loop {
        if let Ok(mut client) = Client::connect(addr).await
            && let Ok(answer) = client.get(path).await
            && answer.status.is_success()
        {
            return Ok(start.elapsed());
        }
        if start.elapsed() > limit {
            return Err(format!(
                "the server on {addr} did not answer {path} within {limit:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn totp(offset: i64) -> Outcome<String> {
    let totp = totp_rs::Builder::new()
        .with_secret(BENCH_TOTP_SECRET.to_vec())
        .build()
        .map_err(|e| e.to_string())?;
    let now = u64::try_from(Utc::now().timestamp() + offset).map_err(|e| e.to_string())?;
    Ok(totp.generate(now).to_string())
}

/// Signs Administrator `k` in with both factors on a fresh connection.
async fn admin_client(addr: SocketAddr, k: usize) -> Outcome<Client> {
    let mut client = Client::connect(addr).await?;
    client
        .call(
            "sign_in",
            format!("email=admin{k}%40bench.example&password={BENCH_PASSWORD}"),
        )
        .await?
        .ok("sign in")?;
    // A code is accepted once per Administrator: a run right after another
    // takes the next step's code (one step of clock skew is allowed).
    for offset in [0, 30] {
        let answer = client
            .call("verify_two_factor", format!("code={}", totp(offset)?))
            .await?;
        if answer.status.is_success() || answer.status.is_redirection() {
            return Ok(client);
        }
    }
    Err(format!(
        "admin{k} could not pass two-factor sign-in; wait a minute and run again"
    ))
}

async fn against_server(
    pool: &PgPool,
    server: &Server,
    (org, users): (i64, i64),
    target: i64,
    args: &RunArgs,
) -> Outcome<Vec<Line>> {
    let addr = server.addr;
    let mut lines = vec![];
    let clients = usize::from(args.clients);
    eprintln!("bench: signing in {clients} Administrators");
    let mut admins = Vec::with_capacity(clients);
    for k in 0..clients {
        admins.push(admin_client(addr, k).await?);
    }

    // Edit User's load, against the same statements on a plain connection.
    eprintln!("bench: Edit User load");
    let first = &mut admins[0];
    let form = format!("user_id={target}");
    for _ in 0..50 {
        first
            .call("load_user", form.clone())
            .await?
            .ok("load_user")?;
    }
    let mut samples = Vec::with_capacity(1_000);
    for _ in 0..1_000 {
        let start = Instant::now();
        first
            .call("load_user", form.clone())
            .await?
            .ok("load_user")?;
        samples.push(start.elapsed());
    }
    let load = Samples::new(samples);
    let cookie = first.cookie().ok_or("no session cookie")?.to_owned();
    let floor = floor(pool, &cookie, org, target).await?;
    let trips = round_trips(pool, BENCH_ADMINS - 1, target).await?;
    let (p50, p99) = (load.at(0.5), load.at(0.99));
    let ratio = p50.as_secs_f64() / floor.at(0.5).as_secs_f64();
    lines.push(line(
        "Edit User load (`load_user` over loopback HTTP): p50 / p99",
        format!("{} / {}", show(p50), show(p99)),
        format!(
            "same statements on a plain connection: {} / {} ({ratio:.1}×)",
            show(floor.at(0.5)),
            show(floor.at(0.99))
        ),
        "p50 ≤ 1 ms, p99 ≤ 5 ms, ≤ 5× the floor",
        Some(p50 <= Duration::from_millis(1) && p99 <= Duration::from_millis(5) && ratio <= 5.0),
    ));
    lines.push(line(
        "Edit User load: database round trips per request",
        trips.0.to_string(),
        format!("Users page: {}", trips.1),
        "≤ 3",
        Some(trips.0 <= 3),
    ));

    // The Users page at this size: search, and the next page of it.
    eprintln!("bench: Users page search and next page");
    let list = |search: &str, after: Option<app::model::ids::UserId>| {
        format!(
            "search={}&status=&account_type={}",
            form_value(search),
            after.map(|a| format!("&after={a}")).unwrap_or_default()
        )
    };
    let page: UsersPage = serde_json::from_slice(
        &first
            .call("list_users", list("smith", None))
            .await?
            .ok("list_users")?,
    )
    .map_err(|e| e.to_string())?;
    let after = page.next_after.ok_or("the search has one page only")?;
    for (what, form) in [
        (
            "Users page, first page (no search): p50 / p95",
            list("", None),
        ),
        (
            &format!(
                "Users page, search \"smith\" ({} matches): p50 / p95",
                page.total
            ),
            list("smith", None),
        ),
        (
            "Users page, next page of that search: p50 / p95",
            list("smith", Some(after)),
        ),
        (
            "Users page, search with no match: p50 / p95",
            list("nobody-here", None),
        ),
    ] {
        let mut samples = Vec::with_capacity(200);
        for _ in 0..200 {
            let start = Instant::now();
            first
                .call("list_users", form.clone())
                .await?
                .ok("list_users")?;
            samples.push(start.elapsed());
        }
        let s = Samples::new(samples);
        lines.push(line(
            what,
            format!("{} / {}", show(s.at(0.5)), show(s.at(0.95))),
            format!("{users} users"),
            "p95 ≤ 100 ms",
            Some(s.at(0.95) <= Duration::from_millis(100)),
        ));
    }

    // Throughput: every client asks for the first page, bounded in requests and time.
    eprintln!("bench: throughput with {clients} clients");
    let limit = Duration::from_secs(args.seconds);
    let per_client = 40_000 / clients;
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for mut client in admins.drain(..) {
        let form = list("", None);
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_client);
            while samples.len() < per_client && started.elapsed() < limit {
                let start = Instant::now();
                client
                    .call("list_users", form.clone())
                    .await?
                    .ok("list_users")?;
                samples.push(start.elapsed());
            }
            Ok::<_, String>((samples, client))
        }));
    }
    let mut all = vec![];
    let mut first_client = None;
    for task in tasks {
        let (samples, client) = task.await.map_err(|e| e.to_string())??;
        all.extend(samples);
        first_client.get_or_insert(client);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let throughput = all.len() as f64 / elapsed;
    let per_core = throughput / cores as f64;
    let s = Samples::new(all);
    lines.push(line(
        &format!("Users list throughput, {clients} signed-in clients: requests/s per core, p99"),
        format!(
            "{per_core:.0} per core ({throughput:.0}/s on {cores} cores, {} requests), p99 {}",
            s.len(),
            show(s.at(0.99))
        ),
        "load generator on the same cores".into(),
        "≥ 1,000/s per core, p99 ≤ 20 ms",
        Some(per_core >= 1_000.0 && s.at(0.99) <= Duration::from_millis(20)),
    ));

    eprintln!("bench: sign-ins against raw argon2");
    lines.push(sign_ins(pool, addr).await?);

    eprintln!("bench: {} live sessions", args.sessions);
    lines.push(sessions(pool, server, org, args).await?);

    if let Some(client) = first_client
        && let Some(line) = page_timing(addr, client.cookie(), &args.page_timing_script).await
    {
        lines.extend(line);
    }
    Ok(lines)
}

/// The statements one `load_user` request runs, sent through a plain
/// connection: the session, the caller's row and checks, the organization
/// snapshot's version (the snapshot itself cached, as in the server), the
/// target's row and its edit row. (A session that did not change is not
/// written back.)
async fn floor(pool: &PgPool, cookie: &str, org: i64, target: i64) -> Outcome<Samples> {
    let e = |e: sqlx::Error| e.to_string();
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    let id =
        Id::from_str(cookie.split_once('=').map_or("", |(_, v)| v)).map_err(|e| e.to_string())?;
    let mut conn = pool.acquire().await.map_err(e)?;
    let cache = app::org::cache::SnapshotCache::default();
    let mut samples = Vec::with_capacity(1_000);
    for round in 0..1_050 {
        let start = Instant::now();
        let record = store
            .load(&id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the session is gone")?;
        let auth = record
            .data
            .get("auth")
            .and_then(|v| v.get("user"))
            .and_then(serde_json::Value::as_i64)
            .ok_or("the session has no user")?;
        load_session_user(&mut conn, UserId(auth))
            .await
            .map_err(e)?;
        app::org::cache::snapshot(&cache, &mut conn, OrgId(org))
            .await
            .map_err(e)?;
        load_user(&mut conn, UserId(target)).await.map_err(e)?;
        app::users::db::edit_row(&mut conn, UserId(target), OrgId(org))
            .await
            .map_err(e)?;
        if round >= 50 {
            samples.push(start.elapsed());
        }
    }
    Ok(Samples::new(samples))
}

/// Statements sent for one `load_user` and one `list_users` request, counted
/// in this process through the same router.
async fn round_trips(pool: &PgPool, admin: usize, target: i64) -> Outcome<(usize, usize)> {
    let router = server::router::app(AppState {
        pool: pool.clone(),
        leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
        sessions: SessionPolicy::default(),
        mail: MailSettings {
            public_url: "http://bench.test".to_owned(),
            dev_mailbox: false,
            smtp: false,
        },
        snapshots: Default::default(),
    });
    let mut cookie = oneshot(
        &router,
        "",
        "sign_in",
        &format!("email=admin{admin}%40bench.example&password={BENCH_PASSWORD}"),
    )
    .await?
    .1
    .ok_or("no session cookie")?;
    let mut verified = false;
    for offset in [0, 30] {
        let (ok, rotated) = oneshot(
            &router,
            &cookie,
            "verify_two_factor",
            &format!("code={}", totp(offset)?),
        )
        .await?;
        if ok {
            cookie = rotated.unwrap_or(cookie);
            verified = true;
            break;
        }
    }
    if !verified {
        return Err("the counting Administrator could not sign in".into());
    }
    let mut counted = vec![];
    for (endpoint, form) in [
        ("load_user", format!("user_id={target}")),
        ("list_users", "search=&status=&account_type=".to_owned()),
    ] {
        // Once to warm up, once counted.
        oneshot(&router, &cookie, endpoint, &form).await?;
        let (reply, statements) =
            query_counter::count(oneshot(&router, &cookie, endpoint, &form)).await;
        let (ok, _) = reply?;
        if !ok {
            return Err(format!("{endpoint} failed in process"));
        }
        counted.push(statements);
    }
    Ok((counted[0], counted[1]))
}

/// One in-process call: whether it succeeded, and the session cookie set.
async fn oneshot(
    router: &Router,
    cookie: &str,
    endpoint: &str,
    form: &str,
) -> Outcome<(bool, Option<String>)> {
    let request = Request::post(format!("/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "bench.test")
        .header("origin", "http://bench.test")
        .header("cookie", cookie)
        .body(Body::from(form.to_owned()))
        .map_err(|e| e.to_string())?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("portcullis="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    let status = response.status();
    Ok((status.is_success() || status.is_redirection(), cookie))
}

/// Sign-ins per second through the server against argon2 verifications per
/// second of the same hash on one thread, each for about five seconds.
async fn sign_ins(pool: &PgPool, addr: SocketAddr) -> Outcome<Line> {
    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'signin@bench.example'")
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
    let hashes = tokio::task::spawn_blocking(move || {
        use argon2::{Argon2, PasswordHash, PasswordVerifier};
        let parsed = PasswordHash::new(&stored).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let mut n = 0_u32;
        while n < 500 && start.elapsed() < Duration::from_secs(5) {
            Argon2::default()
                .verify_password(BENCH_PASSWORD.as_bytes(), &parsed)
                .map_err(|e| e.to_string())?;
            n += 1;
        }
        Ok::<_, String>(f64::from(n) / start.elapsed().as_secs_f64())
    })
    .await
    .map_err(|e| e.to_string())??;
    let mut client = Client::connect(addr).await?;
    let form = format!("email=signin%40bench.example&password={BENCH_PASSWORD}");
    let start = Instant::now();
    let mut n = 0_u32;
    while n < 500 && start.elapsed() < Duration::from_secs(5) {
        client.set_cookie(None);
        client.call("sign_in", form.clone()).await?.ok("sign_in")?;
        n += 1;
    }
    let sign_ins = f64::from(n) / start.elapsed().as_secs_f64();
    let ratio = sign_ins / hashes;
    Ok(line(
        "sign-ins per second (one client, production argon2id parameters)",
        format!("{sign_ins:.1}/s ({ratio:.2}× the raw hash)"),
        format!("raw argon2id verifications: {hashes:.1}/s"),
        "≥ 0.9× the raw hash",
        Some(ratio >= 0.9),
    ))
}

/// Signs `args.sessions` users in (their hashes are cheap), has each
/// session make a request, and reads the server's resident memory.
async fn sessions(pool: &PgPool, server: &Server, org: i64, args: &RunArgs) -> Outcome<Line> {
    let before = memory(server.pid(), "VmRSS:").unwrap_or_default();
    let emails: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM users WHERE org_id = $1 AND account_type = 'standard'
           AND email <> 'signin@bench.example' ORDER BY id LIMIT $2",
    )
    .bind(org)
    .bind(i64::from(args.sessions))
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let workers = usize::from(args.clients).max(1);
    let mut tasks = vec![];
    for chunk in emails.chunks(emails.len().div_ceil(workers).max(1)) {
        let chunk = chunk.to_vec();
        let addr = server.addr;
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await?;
            let mut cookies = Vec::with_capacity(chunk.len());
            for email in chunk {
                client.set_cookie(None);
                client
                    .call(
                        "sign_in",
                        format!("email={}&password={BENCH_PASSWORD}", form_value(&email)),
                    )
                    .await?
                    .ok("sign_in")?;
                cookies.push(client.cookie().map(str::to_owned));
            }
            // Every session comes back once: live, not just created.
            for cookie in cookies {
                client.set_cookie(cookie);
                client
                    .call("who_am_i", String::new())
                    .await?
                    .ok("who_am_i")?;
            }
            Ok::<_, String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session WHERE expiry_date > now()")
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
    let rss = memory(server.pid(), "VmRSS:").unwrap_or_default();
    let mb = |kb: u64| kb as f64 / 1024.0;
    Ok(line(
        &format!("server resident memory with {live} live sessions"),
        format!("{:.0} MB", mb(rss)),
        format!("{:.0} MB before the sessions", mb(before)),
        "≤ 150 MB",
        Some(mb(rss) <= 150.0),
    ))
}

/// First paint and time to interactive of the Users page in headless
/// Chromium, by the Playwright script; `None` when node or the script is
/// missing.
async fn page_timing(addr: SocketAddr, cookie: Option<&str>, script: &str) -> Option<Vec<Line>> {
    if script.is_empty() || !std::path::Path::new(script).exists() {
        eprintln!("bench: no page-timing script at {script:?}; skipped");
        return None;
    }
    eprintln!("bench: Users page in headless Chromium");
    let output = tokio::process::Command::new("node")
        .args([script, &format!("http://{addr}"), "-", "-", "20"])
        .env("PAGE_TIMING_COOKIE", cookie.unwrap_or_default())
        .output()
        .await;
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "bench: page timing failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("bench: cannot run node ({e}); page timing skipped");
            return None;
        }
    };
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let get = |k: &str, q: &str| json[k][q].as_f64().unwrap_or(f64::NAN);
    Some(vec![
        line(
            "Users page first paint (server-rendered), headless Chromium: p50 / p95",
            format!(
                "{:.0} ms / {:.0} ms",
                get("first_paint_ms", "p50"),
                get("first_paint_ms", "p95")
            ),
            format!(
                "a tiny static page in the same browser: {:.0} ms / {:.0} ms",
                get("static_first_paint_ms", "p50"),
                get("static_first_paint_ms", "p95")
            ),
            "≤ 100 ms",
            Some(get("first_paint_ms", "p50") <= 100.0),
        ),
        line(
            "Users page time to interactive (hydrated): p50 / p95",
            format!(
                "{:.0} ms / {:.0} ms",
                get("interactive_ms", "p50"),
                get("interactive_ms", "p95")
            ),
            "20 loads".into(),
            "≤ 400 ms",
            Some(get("interactive_ms", "p50") <= 400.0),
        ),
    ])
}

/// A fresh private cluster, migrations and the first page, from a new
/// process in an empty data directory.
async fn cold_start(binary: &Path, database: &DatabaseArgs) -> Outcome<Line> {
    let dir = database
        .data_dir
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("bench-cold-start");
    let _ = std::fs::remove_dir_all(&dir);
    let addr = free_port()?;
    let start = Instant::now();
    let mut child = Command::new(binary)
        .arg("--data-dir")
        .arg(&dir)
        .args(["serve", "--listen", &addr.to_string()])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let served = wait_until_serving(addr, "/", Duration::from_secs(60)).await;
    let took = start.elapsed();
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    served?;
    Ok(line(
        "cold start: initdb + start PostgreSQL + migrations + first page",
        format!("{:.2} s", took.as_secs_f64()),
        String::new(),
        "≤ 5 s",
        Some(took <= Duration::from_secs(5)),
    ))
}

fn wasm_size(pkg: &std::path::Path) -> Line {
    let wasm = pkg.join("portcullis.wasm");
    let Ok(raw) = std::fs::metadata(&wasm).map(|m| m.len()) else {
        return line(
            "WASM bundle",
            format!("not built ({})", wasm.display()),
            String::new(),
            "≤ 250 KB brotli",
            None,
        );
    };
    let brotli = Command::new("brotli")
        .args(["-c", "-q", "11"])
        .arg(&wasm)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| o.stdout.len() as u64);
    let kb = |b: u64| b as f64 / 1000.0;
    match brotli {
        Some(b) => line(
            "WASM main bundle, raw / brotli",
            format!("{:.0} KB / {:.0} KB", kb(raw), kb(b)),
            String::new(),
            "≤ 250 KB brotli",
            Some(b <= 250_000),
        ),
        None => line(
            "WASM main bundle, raw",
            format!("{:.0} KB (brotli not installed)", kb(raw)),
            String::new(),
            "≤ 250 KB brotli",
            None,
        ),
    }
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
