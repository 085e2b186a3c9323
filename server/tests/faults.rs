//! PostgreSQL restarted under a working server: meanwhile every request is
//! answered with a clear temporary error (503, nothing changed), the server
//! recovers by itself once the database is back, and no write it
//! acknowledged is lost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use app::error::AppError;
use axum::http::StatusCode;
use common::{call, ok, signed_in};
use server::embedded_pg::PrivateCluster;
use sqlx::postgres::PgPoolOptions;

const SAM: &str = "sam.support@northwind.example";

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
    server::demo::seed(&pool).await.unwrap();
    let router = common::app(pool.clone());
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

    let stored: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM support_tickets WHERE id = ANY($1) ORDER BY id")
            .bind(&acknowledged)
            .fetch_all(&pool)
            .await
            .unwrap();
    acknowledged.sort_unstable();
    assert_eq!(stored, acknowledged, "every acknowledged write is stored");
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
