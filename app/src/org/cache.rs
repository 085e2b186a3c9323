//! The policy's snapshot of each organization, cached in this server
//! process under the organization's `access_version` (migration 0013),
//! which the database moves with every change the snapshot holds. Each
//! request reads the version (with the session's user, or in a statement
//! of its own) and reuses the cached snapshot only at that very version:
//! no server serves a stale snapshot, however many share the database.
//! A cached snapshot keeps its lookup tables, built once.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use sqlx::PgConnection;

use super::db::load_snapshot_versioned;
use crate::model::{access::OrgSnapshot, ids::OrgId};

/// Organizations kept at once; past that the cache starts over.
const CAPACITY: usize = 1_024;

#[derive(Default, Debug)]
pub struct SnapshotCache(Mutex<HashMap<OrgId, (i64, Arc<OrgSnapshot>)>>);

impl SnapshotCache {
    fn get(&self, org: OrgId, version: i64) -> Option<Arc<OrgSnapshot>> {
        let map = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(&org)
            .filter(|(cached, _)| *cached == version)
            .map(|(_, snapshot)| Arc::clone(snapshot))
    }

    fn put(&self, org: OrgId, version: i64, snapshot: Arc<OrgSnapshot>) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.len() >= CAPACITY && !map.contains_key(&org) {
            map.clear();
        }
        // A slower request that read an older version must not replace a newer one.
        if map.get(&org).is_none_or(|(cached, _)| *cached <= version) {
            map.insert(org, (version, snapshot));
        }
    }
}

/// The organization's snapshot, from the cache when it is current.
pub async fn snapshot(
    cache: &SnapshotCache,
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Option<Arc<OrgSnapshot>>, sqlx::Error> {
    let version = sqlx::query_scalar!(
        "SELECT access_version FROM organizations WHERE id = $1",
        org.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    match version {
        Some(version) => snapshot_at(cache, conn, org, version).await,
        None => Ok(None),
    }
}

/// The organization's snapshot at `version` or newer, the version having
/// been read already (with the session's user).
pub async fn snapshot_at(
    cache: &SnapshotCache,
    conn: &mut PgConnection,
    org: OrgId,
    version: i64,
) -> Result<Option<Arc<OrgSnapshot>>, sqlx::Error> {
    if let Some(hit) = cache.get(org, version) {
        return Ok(Some(hit));
    }
    // The version read with the data, which may be newer than the one above.
    let Some((snapshot, version)) = load_snapshot_versioned(conn, org).await? else {
        return Ok(None);
    };
    let snapshot = Arc::new(snapshot.indexed());
    cache.put(org, version, Arc::clone(&snapshot));
    Ok(Some(snapshot))
}
