//! What is measured inside this process: the policy, one database round
//! trip, and the statements a request sends (counted, and their floor).

use std::{
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
};
use axum::{Router, body::Body, http::Request};
use chrono::Utc;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;
use tower_sessions::{SessionStore, session::Id};

use server::query_counter;

use crate::{
    BENCH_PASSWORD,
    load::totp,
    run::{Line, Outcome, line},
    stats::{Samples, show},
};

/// `effective_access` + `can`, timed one check at a time.
pub(crate) async fn policy(pool: &PgPool, org: OrgId, target: UserId) -> Outcome<Vec<Line>> {
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
    // What a request does: the snapshot from the cache (at the version the
    // session's statement read), its kept lookup tables, the check.
    let cache = app::org::cache::SnapshotCache::default();
    let version: i64 = sqlx::query_scalar("SELECT access_version FROM organizations WHERE id = $1")
        .bind(org.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let mut per_request = Vec::with_capacity(100_000);
    for round in 0..101_000 {
        let start = Instant::now();
        let cached = app::org::cache::snapshot_at(&cache, &mut conn, org, version)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no organization")?;
        let index = OrgIndex::new(&cached);
        let access = effective_access(std::hint::black_box(&user), &index, Utc::now());
        std::hint::black_box(
            can(
                &access,
                Action::Use {
                    company,
                    permission: Permission::ClaimsView,
                },
            )
            .is_ok(),
        );
        // The first round loads the snapshot into the cache.
        if round >= 1_000 {
            per_request.push(start.elapsed());
        }
    }
    let per_request = Samples::new(per_request);
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
            "per-request authorization (cached snapshot + its lookup tables + check): p50 / p99",
            format!(
                "{} / {}",
                show(per_request.at(0.5)),
                show(per_request.at(0.99))
            ),
            format!(
                "building the lookup tables afresh instead: p50 {}",
                show(index_build.at(0.5))
            ),
            "p99 ≤ 5 µs",
            Some(per_request.at(0.99) <= Duration::from_micros(5)),
        ),
    ])
}

pub(crate) async fn round_trip(pool: &PgPool) -> Outcome<Samples> {
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

/// The statements one `load_user` request runs, sent through a plain
/// connection: the session, the caller's row and checks with the
/// organization snapshot's version (the snapshot itself cached, as in the
/// server), the target's row with the page's extras. (A session that did
/// not change is not written back.)
pub(crate) async fn floor(pool: &PgPool, cookie: &str, org: i64, target: i64) -> Outcome<Samples> {
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
        let caller = load_session_user(&mut conn, UserId(auth))
            .await
            .map_err(e)?
            .ok_or("the session's user is gone")?;
        app::org::cache::snapshot_at(&cache, &mut conn, OrgId(org), caller.org_version)
            .await
            .map_err(e)?;
        app::users::db::edit_row(&mut conn, UserId(target))
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
pub(crate) async fn round_trips(
    pool: &PgPool,
    admin: usize,
    target: i64,
) -> Outcome<(usize, usize)> {
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
        account_offer: std::sync::Arc::new(server::account_offer::default_offer()),
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
pub(crate) async fn oneshot(
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
