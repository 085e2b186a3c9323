//! Sign-ins per second on one core, against the raw argon2id rate measured
//! in the same run: the whole endpoint (throttle check, account lookup,
//! hash verification on the blocking pool, session row, audit event) should
//! cost little beyond the hash itself. Target: ratio ≥ 0.9.
//!
//! `cargo bench -p bench --bench sign_in` (uses DATABASE_URL if set, else a
//! private cluster in target/bench-db).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use app::{
    auth::password,
    state::{AppState, MailSettings, SessionPolicy},
};
use axum::{body::Body, http::Request};
use leptos::prelude::LeptosOptions;
use server::{demo::DEMO_PASSWORD, embedded_pg::PrivateCluster};
use sqlx::{PgPool, postgres::PgPoolOptions};
use tower::ServiceExt;

const ROUNDS: usize = 60;

async fn pool() -> (PgPool, Option<PrivateCluster>) {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return (PgPool::connect(&url).await.unwrap(), None);
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-db");
    let cluster = PrivateCluster::new(&dir, None).unwrap();
    let started = cluster.start().await.unwrap();
    let pool = PgPoolOptions::new()
        .connect_with(cluster.connect_options())
        .await
        .unwrap();
    (pool, started.then_some(cluster))
}

fn rate(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

fn main() {
    // One worker thread and one blocking thread: "per core".
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (pool, cluster) = pool().await;
        app::db::MIGRATOR.run(&pool).await.unwrap();
        server::demo::seed(&pool).await.unwrap();
        let router = server::router::app(AppState {
            pool: pool.clone(),
            leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
            sessions: SessionPolicy::default(),
            mail: MailSettings {
                public_url: "http://portcullis.test".to_owned(),
                dev_mailbox: false,
                smtp: false,
            },
            snapshots: Default::default(),
            account_offer: std::sync::Arc::new(server::account_offer::default_offer()),
        });
        let stored: String = sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE email = 'pat.partner@northwind.example'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();

        // Warm-up: connections, caches, the hash's memory.
        for _ in 0..3 {
            assert!(
                password::verify(
                    DEMO_PASSWORD.to_owned(),
                    Some(password::PasswordHashString(stored.clone()))
                )
                .await
            );
        }
        let started = Instant::now();
        for _ in 0..ROUNDS {
            assert!(
                password::verify(
                    DEMO_PASSWORD.to_owned(),
                    Some(password::PasswordHashString(stored.clone()))
                )
                .await
            );
        }
        let raw = rate(ROUNDS, started.elapsed());

        let form = format!("email=pat.partner%40northwind.example&password={DEMO_PASSWORD}");
        let sign_in = || {
            Request::post("/api/sign_in")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "portcullis.test")
                .header("origin", "http://portcullis.test")
                .body(Body::from(form.clone()))
                .unwrap()
        };
        for _ in 0..3 {
            let reply = router.clone().oneshot(sign_in()).await.unwrap();
            assert!(
                reply.headers().contains_key("set-cookie"),
                "{}",
                reply.status()
            );
        }
        let started = Instant::now();
        for _ in 0..ROUNDS {
            let reply = router.clone().oneshot(sign_in()).await.unwrap();
            assert!(
                reply.headers().contains_key("set-cookie"),
                "{}",
                reply.status()
            );
        }
        let full = rate(ROUNDS, started.elapsed());

        println!("sign-in benchmark, one core, {ROUNDS} rounds each:");
        println!("  raw argon2id verifications: {raw:8.1} /s");
        println!("  full sign-ins (endpoint):   {full:8.1} /s");
        println!(
            "  ratio:                      {:8.3} (target >= 0.9)",
            full / raw
        );
        pool.close().await;
        if let Some(cluster) = cluster {
            cluster.stop().await.unwrap();
        }
    });
}
