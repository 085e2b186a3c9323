//! The release server as a child process on loopback, and its cold start.

use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use server::cli::DatabaseArgs;

use crate::{
    client::Client,
    run::{Line, Outcome, line},
};

/// The release server, a child process on a free loopback port.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
}

impl Server {
    pub(crate) async fn start(binary: &Path, url: &str) -> Outcome<Self> {
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

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server (SIGTERM, then waits); its peak memory if known.
    pub(crate) fn stop(mut self) -> Option<String> {
        let peak = memory(self.pid(), "VmHWM:");
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: sending a signal to our own child process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.child.wait();
        peak.map(|kb| format!("server peak memory {:.0} MB", kb as f64 / 1024.0))
    }
}

pub(crate) fn free_port() -> Outcome<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map_err(|e| e.to_string())
}

/// A line of /proc/<pid>/status, in kB.
pub(crate) fn memory(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub(crate) async fn wait_until_serving(
    addr: SocketAddr,
    path: &str,
    limit: Duration,
) -> Outcome<Duration> {
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

/// A fresh private cluster, migrations and the first page, from a new
/// process in an empty data directory.
pub(crate) async fn cold_start(binary: &Path, database: &DatabaseArgs) -> Outcome<Line> {
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
