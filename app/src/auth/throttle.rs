//! Brute-force protection for sign-in, on by default: an email is locked for
//! 15 minutes after 5 failures in a row (twice as long at each new lock, at
//! most a day), and a client address is refused after 20 failures in 15
//! minutes. Keyed by the typed email, so unknown emails behave exactly like
//! real ones. State lives in PostgreSQL and updates are single atomic
//! statements, so parallel attempts on several servers count correctly.
//!
//! Security-sensitive.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

pub const MAX_FAILURES: i32 = 5;
pub const CLIENT_LIMIT: i64 = 20;

fn base_lock() -> Duration {
    Duration::minutes(15)
}

fn client_window() -> Duration {
    Duration::minutes(15)
}

/// Whether a sign-in may be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    EmailLocked { until: DateTime<Utc> },
    ClientLimited,
}

impl Gate {
    /// The words for the user; the same whether or not the account exists.
    pub fn message(self) -> Option<String> {
        match self {
            Gate::Open => None,
            Gate::EmailLocked { until } => Some(format!(
                "Too many failed sign-ins for this email address. Try again after {} UTC.",
                until.format("%H:%M")
            )),
            Gate::ClientLimited => Some(
                "Too many failed sign-ins from your network. Try again in 15 minutes.".to_owned(),
            ),
        }
    }
}

/// How long the `nth` lock (1-based) lasts: 15 min, 30, 60, … at most a day.
pub fn lock_duration(nth: i32) -> Duration {
    let doublings = (nth - 1).clamp(0, 10) as u32;
    (base_lock() * 2_i32.pow(doublings)).min(Duration::hours(24))
}

/// Whether `email` may try to sign in from `client` now (one statement:
/// it runs before every sign-in).
pub async fn check(
    conn: &mut PgConnection,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Gate, sqlx::Error> {
    let state = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM sign_in_failures WHERE client = $1 AND failed_at > $2)
                    AS "recent!",
                  (SELECT locked_until FROM sign_in_lockouts WHERE email = $3)
                    AS "locked_until: DateTime<Utc>""#,
        client,
        (now - client_window()) as _,
        email,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(if state.recent >= CLIENT_LIMIT {
        Gate::ClientLimited
    } else {
        match state.locked_until {
            Some(until) if until > now => Gate::EmailLocked { until },
            _ => Gate::Open,
        }
    })
}

/// Counts a failure; returns the end of the lock when this failure locked
/// the email.
pub async fn record_failure(
    conn: &mut PgConnection,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    // Old rows are of no use to the window; keep the table small as we go.
    sqlx::query!(
        "DELETE FROM sign_in_failures WHERE failed_at < $1",
        (now - Duration::days(1)) as _
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO sign_in_failures (client, failed_at) VALUES ($1, $2)",
        client,
        now as _
    )
    .execute(&mut *conn)
    .await?;
    let counted = sqlx::query!(
        "INSERT INTO sign_in_lockouts (email, failures, updated_at) VALUES ($1, 1, $2)
         ON CONFLICT (email) DO UPDATE
             SET failures = sign_in_lockouts.failures + 1, updated_at = $2
         RETURNING failures, lockouts",
        email,
        now as _
    )
    .fetch_one(&mut *conn)
    .await?;
    if counted.failures < MAX_FAILURES {
        return Ok(None);
    }
    let until = now + lock_duration(counted.lockouts + 1);
    sqlx::query!(
        "UPDATE sign_in_lockouts SET failures = 0, lockouts = lockouts + 1, locked_until = $2, updated_at = $3
         WHERE email = $1",
        email,
        until as _,
        now as _
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(until))
}

/// A successful sign-in forgets the email's failures and locks.
pub async fn record_success(conn: &mut PgConnection, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sign_in_lockouts WHERE email = $1", email)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Lifts a lock (an Administrator's or the operator's unlock); true when
/// there was one.
pub async fn unlock(conn: &mut PgConnection, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM sign_in_lockouts WHERE email = lower($1)",
        email
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
