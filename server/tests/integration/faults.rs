//! PostgreSQL restarted under a working server: meanwhile every request is
//! answered with a clear temporary error (503, nothing changed), the server
//! recovers by itself once the database is back, and no write it
//! acknowledged is lost.

use crate::common;

use std::time::Duration;

use app::error::AppError;
use axum::http::StatusCode;
use common::{call, ok, signed_in};
use server::embedded_pg::PrivateCluster;
use sqlx::postgres::PgPoolOptions;

const SAM: &str = "sam.support@northwind.example";

/// Every ticket whose opening was acknowledged is in the database.
async fn assert_all_stored(pool: &sqlx::PgPool, mut acknowledged: Vec<i64>) {
    let stored: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM support_tickets WHERE id = ANY($1) ORDER BY id")
            .bind(&acknowledged)
            .fetch_all(pool)
            .await
            .unwrap();
    acknowledged.sort_unstable();
    assert_eq!(stored, acknowledged, "every acknowledged write is stored");
}

#[tokio::test]
async fn a_database_restart_is_a_clear_temporary_error_and_loses_no_acknowledged_write() {
    let dir = common::scratch_dir("fault-restart");
    let cluster = PrivateCluster::new(&dir, None).unwrap();
    cluster.start().await.unwrap();
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(1))
        .connect_with(cluster.connect_options())
        .await
        .unwrap();
    app::db::MIGRATOR.run(&pool).await.unwrap();
    let router = common::demo_app(&pool).await;
    let sam = signed_in(&router, SAM).await;
    let open = |n: usize| {
        let router = router.clone();
        let sam = sam.clone();
        async move {
            call(
                &router,
                &sam,
                "open_ticket",
                &format!("subject=Ticket+{n}&message=Written+while+testing&claims="),
            )
            .await
        }
    };
    let mut acknowledged: Vec<i64> = vec![];
    for n in 0..5 {
        acknowledged.push(ok(open(n).await));
    }

    cluster.stop().await.unwrap();
    for n in 100..103 {
        let down = open(n).await;
        assert_eq!(
            down.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            down.body
        );
        assert_eq!(
            serde_json::from_str::<AppError>(&down.body).unwrap(),
            AppError::Unavailable
        );
    }

    cluster.start().await.unwrap();
    let mut recovered = false;
    for n in 200..250 {
        let reply = open(n).await;
        if reply.status.is_success() {
            acknowledged.push(serde_json::from_str(&reply.body).unwrap());
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "the server came back without a restart");
    for n in 300..305 {
        acknowledged.push(ok(open(n).await));
    }

    assert_all_stored(&pool, acknowledged).await;
    let during: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM support_tickets WHERE subject IN ('Ticket 100', 'Ticket 101', 'Ticket 102')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(during, 0, "nothing refused was written");
    pool.close().await;
    cluster.stop().await.unwrap();
}

/// What one client saw: every answer's status, and the tickets acknowledged.
#[derive(Default)]
struct Seen {
    statuses: Vec<StatusCode>,
    acknowledged: Vec<i64>,
    /// Whether a request succeeded after the database came back.
    recovered: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_and_sixteen_clients_ride_out_a_database_restart() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };

    let dir = common::scratch_dir("fault-restart-many");
    let cluster = PrivateCluster::new(&dir, None).unwrap();
    cluster.start().await.unwrap();
    let connect = || {
        PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(1))
            .connect_with(cluster.connect_options())
    };
    let pool = connect().await.unwrap();
    app::db::MIGRATOR.run(&pool).await.unwrap();
    server::demo::seed(&pool).await.unwrap();
    // Two server processes: each its own pool and caches, one database.
    let servers = [
        common::app(pool.clone()),
        common::app(connect().await.unwrap()),
    ];
    let sam = signed_in(&servers[0], SAM).await;
    let restarted = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..16)
        .map(|client| {
            let router = servers[client % 2].clone();
            let (sam, restarted, stop) = (sam.clone(), restarted.clone(), stop.clone());
            tokio::spawn(async move {
                let mut seen = Seen::default();
                let mut n = 0;
                // Bounded: stops when told, or after 1,000 requests.
                while !stop.load(Ordering::SeqCst) && n < 1_000 {
                    let after_restart = restarted.load(Ordering::SeqCst);
                    let form = format!(
                        "subject=Client+{client}+ticket+{n}&message=During+a+restart&claims="
                    );
                    let reply = call(&router, &sam, "open_ticket", &form).await;
                    seen.statuses.push(reply.status);
                    if reply.status.is_success() {
                        seen.acknowledged
                            .push(serde_json::from_str(&reply.body).unwrap());
                        seen.recovered |= after_restart;
                    } else {
                        assert_eq!(
                            serde_json::from_str::<AppError>(&reply.body).ok(),
                            Some(AppError::Unavailable),
                            "client {client}: {} {}",
                            reply.status,
                            reply.body
                        );
                    }
                    n += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                seen
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.stop().await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.start().await.unwrap();
    restarted.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);

    let mut acknowledged = vec![];
    let mut unavailable = 0;
    for (client, handle) in clients.into_iter().enumerate() {
        let seen = handle.await.unwrap();
        assert!(seen.recovered, "client {client} never got through again");
        for status in &seen.statuses {
            assert!(
                status.is_success() || *status == StatusCode::SERVICE_UNAVAILABLE,
                "client {client}: {status}"
            );
        }
        unavailable += seen
            .statuses
            .iter()
            .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
            .count();
        acknowledged.extend(seen.acknowledged);
    }
    assert!(
        unavailable >= 16,
        "the outage was seen: {unavailable} answers"
    );
    assert_all_stored(&pool, acknowledged).await;
    pool.close().await;
    cluster.stop().await.unwrap();
}
