//! Load against the running server: requests, sign-ins and sessions,
//! from clients signed in with both factors.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use app::users::UsersPage;
use chrono::Utc;
use sqlx::PgPool;

use crate::{
    BENCH_ADMINS, BENCH_PASSWORD, BENCH_TOTP_SECRET, RunArgs,
    browser::{lighthouse, page_timing},
    client::{Client, form_value},
    in_process::{floor, round_trips},
    process::{Server, memory},
    run::{Line, Outcome, line},
    stats::{Samples, show},
};

pub(crate) fn totp(offset: i64) -> Outcome<String> {
    let totp = totp_rs::Builder::new()
        .with_secret(BENCH_TOTP_SECRET.to_vec())
        .build()
        .map_err(|e| e.to_string())?;
    let now = u64::try_from(Utc::now().timestamp() + offset).map_err(|e| e.to_string())?;
    Ok(totp.generate(now).to_string())
}

/// Signs Administrator `k` in with both factors on a fresh connection.
pub(crate) async fn admin_client(addr: SocketAddr, k: usize) -> Outcome<Client> {
    signed_in(addr, &format!("admin{k}@bench.example")).await
}

/// A client signed in as the generated Administrator `email`, past the
/// two-factor step.
async fn signed_in(addr: SocketAddr, email: &str) -> Outcome<Client> {
    let mut client = Client::connect(addr).await?;
    client
        .call(
            "sign_in",
            format!("email={}&password={BENCH_PASSWORD}", form_value(email)),
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
        "{email} could not pass two-factor sign-in; wait a minute and run again"
    ))
}

pub(crate) async fn against_server(
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
        "database round trips per request: Edit User load / Users page",
        format!("{} / {}", trips.0, trips.1),
        "the session's own load included".into(),
        "≤ 3 each",
        Some(trips.0 <= 3 && trips.1 <= 3),
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
        let s = timed(first, "list_users", &form).await?;
        lines.push(list_line(what, &s, format!("{users} users")));
    }

    // The vendor's Manage Accounts over its linked accounts.
    eprintln!("bench: Manage Accounts");
    let mut vendor = signed_in(addr, "vendor@bench.example").await?;
    let accounts = |search: &str| format!("search={}", form_value(search));
    let listed: app::accounts::AccountsPage = serde_json::from_slice(
        &vendor
            .call("linked_accounts", accounts(""))
            .await?
            .ok("linked_accounts")?,
    )
    .map_err(|e| e.to_string())?;
    for (what, form) in [
        (
            format!(
                "Manage Accounts, first page ({} linked accounts): p50 / p95",
                listed.total
            ),
            accounts(""),
        ),
        (
            "Manage Accounts, search \"medical group 0001\": p50 / p95".to_owned(),
            accounts("medical group 0001"),
        ),
    ] {
        let s = timed(&mut vendor, "linked_accounts", &form).await?;
        lines.push(list_line(&what, &s, "one vendor".into()));
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

    let cookie = first_client.as_ref().and_then(Client::cookie);
    if let Some(cookie) = cookie {
        eprintln!("bench: CPU per request under wrk");
        let form = list("", None);
        if let Some(line) =
            crate::cpu::per_request(pool, server.child.id(), addr, cookie, &form, args.seconds)
                .await?
        {
            lines.push(line);
        }
    }

    eprintln!("bench: sign-ins against raw argon2");
    lines.push(sign_ins(pool, addr).await?);

    eprintln!("bench: {} live sessions", args.sessions);
    lines.push(sessions(pool, server, org, args).await?);

    if cookie.is_some()
        && let Some(timing) = page_timing(addr, cookie, &args.page_timing_script).await
    {
        lines.extend(timing);
    }
    if let Some(scores) = lighthouse(addr, cookie, target, &args.lighthouse).await {
        lines.extend(scores);
    }
    Ok(lines)
}

/// 200 calls of `endpoint` with `form`, one at a time, each timed.
async fn timed(client: &mut Client, endpoint: &str, form: &str) -> Outcome<Samples> {
    let mut samples = Vec::with_capacity(200);
    for _ in 0..200 {
        let start = Instant::now();
        client.call(endpoint, form.to_owned()).await?.ok(endpoint)?;
        samples.push(start.elapsed());
    }
    Ok(Samples::new(samples))
}

/// A list page's line: p50 / p95 against the lists' target.
fn list_line(what: &str, s: &Samples, reference: String) -> Line {
    line(
        what,
        format!("{} / {}", show(s.at(0.5)), show(s.at(0.95))),
        reference,
        "p95 ≤ 50 ms",
        Some(s.at(0.95) <= Duration::from_millis(50)),
    )
}

/// Sign-ins per second through the server against argon2 verifications per
/// second of the same hash on one thread, each for about five seconds.
pub(crate) async fn sign_ins(pool: &PgPool, addr: SocketAddr) -> Outcome<Line> {
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
pub(crate) async fn sessions(
    pool: &PgPool,
    server: &Server,
    org: i64,
    args: &RunArgs,
) -> Outcome<Line> {
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
