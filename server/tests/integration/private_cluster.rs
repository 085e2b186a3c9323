//! The private PostgreSQL cluster: created once, reused, socket-only, stopped
//! cleanly, and served from by `portcullis serve` until SIGTERM.

use crate::common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use server::embedded_pg::PrivateCluster;
use sqlx::{ConnectOptions, Connection};

#[tokio::test]
async fn a_cluster_is_created_once_reused_with_its_data_and_stopped() {
    let dir = common::scratch_dir("cluster-lifecycle");
    let cluster = PrivateCluster::new(&dir, None).unwrap();

    assert!(
        cluster.start().await.unwrap(),
        "the first start starts the server"
    );
    assert!(
        !cluster.start().await.unwrap(),
        "a second start finds it running"
    );

    let mut conn = cluster.connect_options().connect().await.unwrap();
    let listen: String = sqlx::query_scalar("SHOW listen_addresses")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(listen, "", "no TCP port is opened");
    sqlx::raw_sql("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    cluster.stop().await.unwrap();
    assert!(
        cluster.connect_options().connect().await.is_err(),
        "stopped means unreachable"
    );

    assert!(cluster.start().await.unwrap());
    let mut conn = cluster.connect_options().connect().await.unwrap();
    let kept: i32 = sqlx::query_scalar("SELECT v FROM kept")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(kept, 42, "the data survives a restart");
    conn.close().await.unwrap();
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn concurrent_starts_take_turns_and_only_the_owner_can_reach_the_socket() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::scratch_dir("cluster-concurrent");
    let first = PrivateCluster::new(&dir, None).unwrap();
    let second = PrivateCluster::new(&dir, None).unwrap();
    let (a, b) = tokio::join!(first.start(), second.start());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a ^ b, "exactly one of two racing starts starts the server");

    let mut conn = first.connect_options().connect().await.unwrap();
    let socket_mode: String = sqlx::query_scalar("SHOW unix_socket_permissions")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(socket_mode, "0700");
    conn.close().await.unwrap();
    for folder in ["postgres", "run"] {
        let mode = std::fs::metadata(dir.join(folder))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{folder} is closed to others: {mode:o}");
    }
    first.stop().await.unwrap();
}

#[test]
fn serve_starts_its_own_database_answers_and_stops_both_on_sigterm() {
    let dir = common::scratch_dir("serve-sigterm");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.to_str().unwrap(),
        ])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    let addr = ready
        .strip_prefix("Portcullis is ready on http://")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {ready}"))
        .to_owned();
    eprintln!("cold start with a new cluster: {:?}", started.elapsed());

    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""database":"reachable""#), "{response}");

    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status}");

    // It stopped the cluster it had started: nothing listens on the socket.
    let cluster = PrivateCluster::new(&dir, None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(
        runtime
            .block_on(cluster.connect_options().connect())
            .is_err()
    );
}
