//! Payers and facilities: one set of statements for both lists, whose
//! table and second column come from `Catalog::table` (fixed strings,
//! never input), so the SQL is built, not static.

use sqlx::PgConnection;

use crate::model::{
    catalog::{Catalog, EntryInput},
    ids::{CompanyId, EntryId, OrgId},
    org::Company,
};

/// An entry as the page lists it.
#[derive(sqlx::FromRow)]
pub struct Row {
    pub id: EntryId,
    pub name: String,
    pub detail: String,
    pub copy_of: Option<String>,
    pub version: i32,
}

/// The entries of `company`'s list, by name.
pub async fn entries(
    conn: &mut PgConnection,
    catalog: Catalog,
    company: &Company,
) -> Result<Vec<Row>, sqlx::Error> {
    let (table, column) = catalog.table();
    sqlx::query_as(&format!(
        "SELECT e.id, e.name, e.{column} AS detail, s.name AS copy_of, e.version
         FROM {table} e LEFT JOIN {table} s ON s.id = e.source_id
         WHERE e.company_id = $1 AND e.org_id = $2 ORDER BY lower(e.name), e.id"
    ))
    .bind(company.id)
    .bind(company.org)
    .fetch_all(conn)
    .await
}

/// The entry `id` of `company`, locked, with its version.
pub async fn locked(
    conn: &mut PgConnection,
    catalog: Catalog,
    company: CompanyId,
    id: EntryId,
) -> Result<Option<(EntryInput, i32)>, sqlx::Error> {
    let (table, column) = catalog.table();
    let row: Option<(String, String, i32)> = sqlx::query_as(&format!(
        "SELECT name, {column}, version FROM {table} WHERE id = $1 AND company_id = $2 FOR UPDATE"
    ))
    .bind(id)
    .bind(company)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name, detail, version)| (EntryInput { name, detail }, version)))
}

/// Adds an entry to `company`'s list, a copy of `source` if given;
/// returns its id.
pub async fn insert(
    conn: &mut PgConnection,
    catalog: Catalog,
    org: OrgId,
    company: CompanyId,
    entry: &EntryInput,
    source: Option<EntryId>,
) -> Result<EntryId, sqlx::Error> {
    let (table, column) = catalog.table();
    sqlx::query_scalar(&format!(
        "INSERT INTO {table} (org_id, company_id, name, {column}, source_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    ))
    .bind(org)
    .bind(company)
    .bind(&entry.name)
    .bind(&entry.detail)
    .bind(source)
    .fetch_one(conn)
    .await
}

/// Rewrites the entry `id`.
pub async fn update(
    conn: &mut PgConnection,
    catalog: Catalog,
    id: EntryId,
    entry: &EntryInput,
) -> Result<(), sqlx::Error> {
    let (table, column) = catalog.table();
    sqlx::query(&format!(
        "UPDATE {table} SET name = $1, {column} = $2, version = version + 1 WHERE id = $3"
    ))
    .bind(&entry.name)
    .bind(&entry.detail)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the entry `id` (its copies stay, as their companies' own).
pub async fn delete(
    conn: &mut PgConnection,
    catalog: Catalog,
    id: EntryId,
) -> Result<(), sqlx::Error> {
    let (table, _) = catalog.table();
    sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks the companies, in one order: one copy-down per child at a time
/// (two at once would both add).
pub async fn lock_companies(conn: &mut PgConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT id FROM companies WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(())
}

/// `child`'s copy of `source` (the first, if several), and whether another
/// of its entries already has the source's name.
pub async fn copy_in(
    conn: &mut PgConnection,
    catalog: Catalog,
    child: CompanyId,
    source: EntryId,
    name: &str,
) -> Result<(Option<(EntryId, EntryInput)>, bool), sqlx::Error> {
    let (table, column) = catalog.table();
    let copy: Option<(EntryId, String, String)> = sqlx::query_as(&format!(
        "SELECT id, name, {column} FROM {table} WHERE company_id = $1 AND source_id = $2
         ORDER BY id LIMIT 1"
    ))
    .bind(child)
    .bind(source)
    .fetch_optional(&mut *conn)
    .await?;
    let named_alike: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE company_id = $1 AND lower(name) = lower($2)
                          AND id IS DISTINCT FROM $3)"
    ))
    .bind(child)
    .bind(name)
    .bind(copy.as_ref().map(|c| c.0))
    .fetch_one(conn)
    .await?;
    Ok((
        copy.map(|(id, name, detail)| (id, EntryInput { name, detail })),
        named_alike,
    ))
}
