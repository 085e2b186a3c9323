//! What brute force buys an attacker, measured: the throttle driven with a
//! moved clock by an attacker who tries one account from a fresh network
//! address every 20 seconds for a day (a botnet: the per-address limit
//! never bites), trying whenever the throttle lets them.

use app::auth::throttle::{Gate, MAX_FAILURES, check, lock_duration, record_failure};
use chrono::{Duration, Utc};
use sqlx::PgPool;

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn an_attacker_gets_five_tries_per_account_per_fifteen_minutes(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let start = Utc::now();
    let mut tries = vec![];
    for n in 0..(24 * 60 * 3) {
        let now = start + Duration::seconds(20 * n);
        let client = format!("10.{}.{}.{}", n / 65_536, (n / 256) % 256, n % 256);
        if check(&mut conn, "victim@example.com", &client, now)
            .await
            .unwrap()
            == Gate::Open
        {
            record_failure(&mut conn, "victim@example.com", &client, now)
                .await
                .unwrap();
            tries.push(now);
        }
    }
    // The most tries in any 15 minutes.
    let most = tries
        .iter()
        .map(|from| {
            tries
                .iter()
                .filter(|t| **t >= *from && **t < *from + Duration::minutes(15))
                .count()
        })
        .max()
        .unwrap();
    assert_eq!(most, MAX_FAILURES as usize);
    // In a day: five tries before each lock, the locks doubling from 15
    // minutes (15, 30, 60, ... 960 minutes).
    let mut expected_locks = 0;
    let mut elapsed = Duration::zero();
    while elapsed < Duration::hours(24) {
        expected_locks += 1;
        elapsed += lock_duration(expected_locks);
    }
    assert_eq!(expected_locks, 7);
    assert_eq!(
        tries.len(),
        7 * MAX_FAILURES as usize,
        "{} tries in a day",
        tries.len()
    );
}
