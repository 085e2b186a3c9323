//! Cost per request: the server's and PostgreSQL's CPU time, read from
//! /proc, per Users-page request while `wrk` (a load generator outside
//! this process, Debian's) keeps 16 connections busy. On a machine of two
//! cores a generator races the server for them, so requests per second
//! say little; CPU seconds per request do not depend on who else runs.

use std::{net::SocketAddr, process::Stdio, time::Duration};

use sqlx::PgPool;

use crate::run::{Line, Outcome, line};

/// CPU seconds (user + system) `pid` has used, all its threads; its
/// parent's pid beside.
fn cpu_and_parent(pid: u32) -> Option<(f64, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command's name, in parentheses: state, ppid, … utime and
    // stime are the 12th and 13th fields from there (proc(5)).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some((ticks as f64 / per_second, fields.get(1)?.parse().ok()?))
}

/// CPU seconds of the PostgreSQL cluster: the postmaster and every
/// process it started (backends, writers, autovacuum).
fn cluster_cpu(postmaster: u32) -> f64 {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    processes
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let (cpu, parent) = cpu_and_parent(pid)?;
            (pid == postmaster || parent == postmaster).then_some(cpu)
        })
        .sum()
}

/// wrk's figures: requests done, failed answers, and the 99th percentile.
struct Wrk {
    requests: u64,
    failed: u64,
    p99: Duration,
}

fn parse_wrk(output: &str) -> Option<Wrk> {
    let requests = output
        .lines()
        .find(|l| l.contains(" requests in "))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let failed = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map_or(Some(0), |n| n.trim().parse().ok())?;
    let p99 = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .and_then(|t| parse_duration(t.trim()))?;
    Some(Wrk {
        requests,
        failed,
        p99,
    })
}

/// wrk's "812.00us", "12.34ms", "1.02s".
fn parse_duration(text: &str) -> Option<Duration> {
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        return None;
    };
    Some(Duration::from_secs_f64(number.parse::<f64>().ok()? * scale))
}

/// The Users page (`form`, the list's first page) under `wrk` for
/// `seconds`, 16 connections of the signed-in `cookie`: server + cluster
/// CPU per request, and the p99 latency. `None` when wrk is missing.
pub(crate) async fn per_request(
    pool: &PgPool,
    server: u32,
    addr: SocketAddr,
    cookie: &str,
    form: &str,
    seconds: u64,
) -> Outcome<Option<Line>> {
    let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    let postmaster = u32::try_from(backend)
        .ok()
        .and_then(cpu_and_parent)
        .map(|(_, parent)| parent)
        .ok_or("cannot read the PostgreSQL backend's /proc entry")?;
    let script = std::env::temp_dir().join(format!("portcullis-bench-{}.lua", std::process::id()));
    let quote = |text: &str| format!("{text:?}");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = {}\n\
             wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n\
             wrk.headers[\"Origin\"] = {}\nwrk.headers[\"Cookie\"] = {}\n",
            quote(form),
            quote(&format!("http://{addr}")),
            quote(cookie)
        ),
    )
    .map_err(|e| e.to_string())?;

    let server_before = cpu_and_parent(server).ok_or("the server is gone")?.0;
    let cluster_before = cluster_cpu(postmaster);
    let output = tokio::process::Command::new("wrk")
        .args(["-t1", "-c16", &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(&script)
        .arg(format!("http://{addr}/api/list_users"))
        .stdin(Stdio::null())
        .output()
        .await;
    let _ = std::fs::remove_file(&script);
    let output = match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => return Err(format!("wrk: {}", String::from_utf8_lossy(&o.stderr))),
        Err(e) => {
            eprintln!("bench: cannot run wrk ({e}); CPU per request skipped");
            return Ok(None);
        }
    };
    let server_cpu = cpu_and_parent(server).ok_or("the server is gone")?.0 - server_before;
    let cluster_cpu = cluster_cpu(postmaster) - cluster_before;
    let wrk = parse_wrk(&output).ok_or_else(|| format!("cannot read wrk's output:\n{output}"))?;
    if wrk.failed > 0 || wrk.requests == 0 {
        return Err(format!(
            "{} of {} requests failed under wrk",
            wrk.failed, wrk.requests
        ));
    }
    let per = |cpu: f64| cpu * 1000.0 / wrk.requests as f64;
    let total = per(server_cpu + cluster_cpu);
    Ok(Some(line(
        "Users page under wrk (16 connections): server + PostgreSQL CPU per request; p99",
        format!(
            "{total:.2} ms (server {:.2} + PostgreSQL {:.2}), {:.0} requests/s; p99 {:.1} ms",
            per(server_cpu),
            per(cluster_cpu),
            wrk.requests as f64 / seconds as f64,
            wrk.p99.as_secs_f64() * 1000.0
        ),
        format!("{} requests; wrk on the same cores", wrk.requests),
        "≤ 1 ms CPU (≥ 1,000/s per core), p99 ≤ 20 ms",
        Some(total <= 1.0 && wrk.p99 <= Duration::from_millis(20)),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrks_report() {
        let report = "Running 5s test @ http://127.0.0.1:3000/api/list_users
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.91ms    2.10ms  31.20ms   80.00%
    Req/Sec     2.03k   120.00     2.30k    70.00%
  Latency Distribution
     50%    7.50ms
     75%    8.90ms
     90%   10.40ms
     99%   15.02ms
  10112 requests in 5.00s, 95.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2021.40
Transfer/sec:     19.01MB
";
        let wrk = parse_wrk(report).unwrap();
        assert_eq!(wrk.requests, 10112);
        assert_eq!(wrk.failed, 3);
        assert_eq!(wrk.p99, Duration::from_micros(15_020));
        assert_eq!(parse_duration("812.00us"), Some(Duration::from_micros(812)));
        assert_eq!(parse_duration("1.50s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("12"), None);
    }

    #[test]
    fn reads_this_process_cpu_and_parent() {
        let me = std::process::id();
        let (cpu, parent) = cpu_and_parent(me).unwrap();
        assert!(cpu >= 0.0);
        assert_eq!(parent, std::os::unix::process::parent_id());
        // Work shows up.
        let start = std::time::Instant::now();
        let mut x = 0_u64;
        while start.elapsed() < Duration::from_millis(200) {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        std::hint::black_box(x);
        let (later, _) = cpu_and_parent(me).unwrap();
        assert!(later > cpu, "{cpu} -> {later}");
    }
}
