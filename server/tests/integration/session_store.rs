//! The session store's one-statement `create`: a new session is stored in
//! the store's own format (the store reads it back), and an id already
//! taken is never overwritten: the new session gets another.

use std::collections::HashMap;

use server::session_store::Sessions;
use sqlx::PgPool;
use tower_sessions::{
    SessionStore,
    cookie::time::{Duration, OffsetDateTime},
    session::{Id, Record},
};

fn record(key: &str) -> Record {
    Record {
        id: Id::default(),
        data: HashMap::from([(key.to_owned(), serde_json::json!(key))]),
        expiry_date: OffsetDateTime::now_utc() + Duration::hours(1),
    }
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_new_session_is_stored_once_under_an_id_of_its_own(pool: PgPool) {
    let sessions = Sessions::new(pool.clone());
    let mut first = record("first");
    sessions.create(&mut first).await.unwrap();
    assert_eq!(sessions.load(&first.id).await.unwrap(), Some(first.clone()));

    let mut second = Record {
        id: first.id,
        ..record("second")
    };
    sessions.create(&mut second).await.unwrap();
    assert_ne!(second.id, first.id, "a taken id is replaced");
    assert_eq!(sessions.load(&first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(sessions.load(&second.id).await.unwrap(), Some(second));
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 2);
}
