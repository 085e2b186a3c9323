//! The benchmark organization: one customer with a parent company and its
//! children, roles carrying 25 companies each, and the users, written with
//! COPY in one transaction. Every user's password is [`BENCH_PASSWORD`];
//! most carry a deliberately cheap hash so that the run can sign in
//! thousands of sessions quickly, and one (`signin@bench.example`) the
//! production parameters, for the sign-in benchmark.

use std::fmt::Write as _;

use argon2::{
    Algorithm, Argon2, Params, PasswordHasher, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use sqlx::{PgConnection, PgPool};

use crate::{BENCH_ADMINS, BENCH_ORG, BENCH_PASSWORD, BENCH_TOTP_SECRET, BENCH_VENDOR, SeedArgs};

const FIRST: [&str; 40] = [
    "Ada", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mia",
    "Noor", "Omar", "Pia", "Quin", "Rosa", "Sam", "Tara", "Uma", "Vic", "Wes", "Xia", "Yara",
    "Zed", "Abel", "Bea", "Cole", "Dina", "Emil", "Flo", "Gil", "Hugo", "Iris", "Jai", "Kit",
    "Lou", "Max", "Nia",
];
const LAST: [&str; 50] = [
    "Smith",
    "Jones",
    "Garcia",
    "Chen",
    "Okafor",
    "Novak",
    "Silva",
    "Khan",
    "Muller",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Patel",
    "Ivanova",
    "Haddad",
    "Larsen",
    "Moreau",
    "Tanaka",
    "Dubois",
    "Fischer",
    "Costa",
    "Reyes",
    "Murphy",
    "Kelly",
    "Schmidt",
    "Horvat",
    "Berg",
    "Lindqvist",
    "Yilmaz",
    "Sato",
    "Abebe",
    "Mensah",
    "Quispe",
    "Varga",
    "Popescu",
    "Jensen",
    "Walsh",
    "Byrne",
    "Ortiz",
    "Flores",
    "Wong",
    "Kim",
    "Park",
    "Singh",
    "Das",
    "Ali",
    "Cruz",
    "Vargas",
    "Romero",
    "Hughes",
];
/// Permission sets the roles rotate through.
const PERMISSIONS: [&str; 4] = [
    "{claims.view,users.view}",
    "{claims.view,claims.edit,payments.view}",
    "{claims.view,claims.post,payments.view,payments.post,reports.aging}",
    "{users.view,users.manage,reports.productivity}",
];
/// Rows per COPY message.
const CHUNK: u32 = 20_000;

pub async fn seed(pool: &PgPool, args: &SeedArgs) -> Result<String, String> {
    let organization = seed_organization(pool, args).await?;
    let vendor = seed_vendor(pool, args).await?;
    let size: String =
        sqlx::query_scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
    Ok(format!(
        "{organization}\n{vendor}\nThe database takes {size}."
    ))
}

/// The vendor, its Administrator, and the other organizations: small
/// customers (a parent company and an Administrator each), the first
/// `linked` of them linked to the vendor at rotating tiers. Once.
async fn seed_vendor(pool: &PgPool, args: &SeedArgs) -> Result<String, String> {
    let e = |e: sqlx::Error| e.to_string();
    let there: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(BENCH_VENDOR)
        .fetch_optional(pool)
        .await
        .map_err(e)?;
    if there.is_some() {
        return Ok(format!("{BENCH_VENDOR} is already there."));
    }
    let started = std::time::Instant::now();
    let cheap = hash(Params::new(1024, 1, 1, None).map_err(|e| e.to_string())?)?;
    let mut tx = pool.begin().await.map_err(e)?;
    let vendor: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, kind) VALUES ($1, 'vendor') RETURNING id",
    )
    .bind(BENCH_VENDOR)
    .fetch_one(&mut *tx)
    .await
    .map_err(e)?;
    sqlx::query(
        "WITH admin AS (
                INSERT INTO users (org_id, first_name, last_name, email, account_type, password_hash)
                VALUES ($1, 'Vendor', 'Admin', 'vendor@bench.example', 'administrator', $2)
                RETURNING id)
         INSERT INTO user_totp (user_id, secret, confirmed_at) SELECT id, $3, now() FROM admin",
    )
    .bind(vendor)
    .bind(&cheap)
    .bind(BENCH_TOTP_SECRET.as_slice())
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    let customers = args.organizations.saturating_sub(2);
    copy(
        &mut tx,
        "COPY organizations (name, kind) FROM STDIN",
        0..customers,
        |i, line| {
            let last = LAST[i as usize % LAST.len()];
            let _ = writeln!(line, "{last} Medical Group {i:06}\tcustomer");
        },
    )
    .await?;
    // Each customer's parent company and Administrator, in set statements.
    sqlx::query(
        "INSERT INTO companies (org_id, name)
         SELECT id, name FROM organizations WHERE name LIKE '% Medical Group %' AND kind = 'customer'",
    )
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    sqlx::query(
        "INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type,
                            default_company_id, password_hash)
         SELECT o.id, 'Office', 'Manager', 'manager' || o.id || '@customers.bench.example',
                'administrator', 'customer', c.id, $1
         FROM organizations o JOIN companies c ON c.org_id = o.id
         WHERE o.name LIKE '% Medical Group %' AND o.kind = 'customer'",
    )
    .bind(&cheap)
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    let linked = sqlx::query(
        "INSERT INTO vendor_links (vendor_id, customer_id, tier, vendor_owned)
         SELECT $1, id, (ARRAY['full', 'all_support', 'limited', 'no_access'])[1 + (n % 4)], n % 2 = 0
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM organizations
               WHERE name LIKE '% Medical Group %' AND kind = 'customer') c
         WHERE n <= $2",
    )
    .bind(vendor)
    .bind(i64::from(args.linked))
    .execute(&mut *tx)
    .await
    .map_err(e)?
    .rows_affected();
    tx.commit().await.map_err(e)?;
    sqlx::query("ANALYZE").execute(pool).await.map_err(e)?;
    Ok(format!(
        "{BENCH_VENDOR}: linked to {linked} of {customers} other customer organizations in {:.0?}.",
        started.elapsed()
    ))
}

async fn seed_organization(pool: &PgPool, args: &SeedArgs) -> Result<String, String> {
    let e = |e: sqlx::Error| e.to_string();
    if let Some(users) = sqlx::query_scalar::<_, i64>(
        "SELECT count(u.id) FROM organizations o LEFT JOIN users u ON u.org_id = o.id
         WHERE o.name = $1 GROUP BY o.id",
    )
    .bind(BENCH_ORG)
    .fetch_optional(pool)
    .await
    .map_err(e)?
    {
        return if users == i64::from(args.users) {
            Ok(format!("{BENCH_ORG} is already there with {users} users."))
        } else {
            Err(format!(
                "{BENCH_ORG} is already there with {users} users, not {}: use another data directory (or delete this one)",
                args.users
            ))
        };
    }
    let started = std::time::Instant::now();
    let cheap = hash(
        // Cheap on purpose (1 MiB, one pass): only for generated users.
        Params::new(1024, 1, 1, None).map_err(|e| e.to_string())?,
    )?;
    let production = hash(Params::default())?;

    let mut tx = pool.begin().await.map_err(e)?;
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, kind) VALUES ($1, 'customer') RETURNING id",
    )
    .bind(BENCH_ORG)
    .fetch_one(&mut *tx)
    .await
    .map_err(e)?;
    let parent: i64 =
        sqlx::query_scalar("INSERT INTO companies (org_id, name) VALUES ($1, $2) RETURNING id")
            .bind(org)
            .bind(BENCH_ORG)
            .fetch_one(&mut *tx)
            .await
            .map_err(e)?;
    copy(
        &mut tx,
        "COPY companies (org_id, parent_id, name) FROM STDIN",
        1..args.companies,
        |i, line| {
            let _ = writeln!(line, "{org}\t{parent}\tClinic {i:05}");
        },
    )
    .await?;
    let children: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM companies WHERE org_id = $1 AND parent_id IS NOT NULL ORDER BY id",
    )
    .bind(org)
    .fetch_all(&mut *tx)
    .await
    .map_err(e)?;

    copy(
        &mut tx,
        "COPY roles (org_id, name, description, permissions) FROM STDIN",
        0..args.roles,
        |r, line| {
            let permissions = PERMISSIONS[r as usize % PERMISSIONS.len()];
            let _ = writeln!(line, "{org}\tRole {r:04}\tGenerated\t{permissions}");
        },
    )
    .await?;
    let roles: Vec<i64> = sqlx::query_scalar("SELECT id FROM roles WHERE org_id = $1 ORDER BY id")
        .bind(org)
        .fetch_all(&mut *tx)
        .await
        .map_err(e)?;
    // Role r carries 25 consecutive children, starting at 25·r (wrapping).
    let company_of = |r: usize, k: usize| children[(r * 25 + k) % children.len()];
    copy(
        &mut tx,
        "COPY role_companies (role_id, company_id, org_id) FROM STDIN",
        0..args.roles * 25,
        |n, line| {
            let (r, k) = ((n / 25) as usize, (n % 25) as usize);
            let _ = writeln!(line, "{}\t{}\t{org}", roles[r], company_of(r, k));
        },
    )
    .await?;

    // The Administrators come first, then the one production-hash user,
    // then standard Partners in roles. Checked row by row, users' foreign
    // keys kept a 10M load busy for over 40 minutes after its last row;
    // set aside, each is checked once, in one join, when put back.
    let users_aside = set_aside(&mut tx, "users").await?;
    let admins = BENCH_ADMINS as u32;
    copy(
        &mut tx,
        "COPY users (org_id, first_name, last_name, email, account_type, user_type, default_company_id, role_id, password_hash) FROM STDIN",
        0..args.users,
        |i, line| {
            if i < admins {
                let _ = writeln!(
                    line,
                    "{org}\tBench\tAdmin {i}\tadmin{i}@bench.example\tadministrator\tpartner\t\\N\t\\N\t{cheap}"
                );
            } else if i == admins {
                let _ = writeln!(
                    line,
                    "{org}\tSign\tIn\tsignin@bench.example\tstandard\tpartner\t{}\t{}\t{production}",
                    company_of(0, 0),
                    roles[0]
                );
            } else {
                let first = FIRST[i as usize % FIRST.len()];
                let last = LAST[(i as usize / FIRST.len()) % LAST.len()];
                let r = i as usize % roles.len();
                let _ = writeln!(
                    line,
                    "{org}\t{first}\t{last}\t{}.{}.{i}@bench.example\tstandard\tpartner\t{}\t{}\t{cheap}",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    company_of(r, 0),
                    roles[r]
                );
            }
        },
    )
    .await?;
    put_back(&mut tx, users_aside).await?;
    // One user in five also has two companies picked directly.
    let user_companies_aside = set_aside(&mut tx, "user_companies").await?;
    sqlx::query(
        // The children numbered 0..n and joined by number: an array of
        // them, subscripted per user, was aggregated anew for every user
        // (a nested loop's rescan), an hour at 10M users.
        "WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
                    FROM companies WHERE org_id = $1 AND parent_id IS NOT NULL)
         INSERT INTO user_companies (user_id, company_id, org_id)
         SELECT u.id, c.id, u.org_id
         FROM users u CROSS JOIN (VALUES (1), (7)) AS m(k)
              JOIN c ON c.i = (u.id * m.k) % (SELECT count(*) FROM c)
         WHERE u.org_id = $1 AND u.account_type = 'standard' AND u.id % 5 = 0
         ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    put_back(&mut tx, user_companies_aside).await?;
    sqlx::query(
        "INSERT INTO user_totp (user_id, secret, confirmed_at)
         SELECT id, $2, now() FROM users WHERE org_id = $1 AND account_type = 'administrator'",
    )
    .bind(org)
    .bind(BENCH_TOTP_SECRET.as_slice())
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    tx.commit().await.map_err(e)?;
    sqlx::query("ANALYZE").execute(pool).await.map_err(e)?;
    Ok(format!(
        "{BENCH_ORG}: {} users, {} companies, {} roles in {:.0?}.",
        args.users,
        args.companies,
        args.roles,
        started.elapsed()
    ))
}

/// What [`set_aside`] took off a table: the statements that put it back.
struct SetAside(Vec<String>);

/// Drops `table`'s own foreign keys and the indexes no constraint owns
/// (inside the seed's transaction, so a failed load loses nothing), read
/// from the catalog so that the seed follows the migrations. Unique and
/// primary-key constraints stay: other tables' foreign keys need them.
async fn set_aside(tx: &mut PgConnection, table: &str) -> Result<SetAside, String> {
    let e = |e: sqlx::Error| format!("setting {table}'s constraints aside: {e}");
    let found: Vec<(String, String)> = sqlx::query_as(
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                       pg_get_constraintdef(oid))
         FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'
         UNION ALL
         SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
         FROM pg_index i
         WHERE indrelid = $1::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await
    .map_err(e)?;
    let mut restore = Vec::with_capacity(found.len());
    for (drop, create) in found {
        sqlx::query(&drop).execute(&mut *tx).await.map_err(e)?;
        restore.push(create);
    }
    Ok(SetAside(restore))
}

/// Builds each index in one sort and checks each foreign key in one join.
async fn put_back(tx: &mut PgConnection, aside: SetAside) -> Result<(), String> {
    sqlx::query("SET LOCAL maintenance_work_mem = '1GB'")
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    for statement in aside.0 {
        sqlx::query(&statement)
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("{statement}: {e}"))?;
    }
    Ok(())
}

fn hash(params: Params) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(BENCH_PASSWORD.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Streams `rows` through one COPY, `CHUNK` rows per message.
async fn copy(
    conn: &mut PgConnection,
    statement: &str,
    rows: std::ops::Range<u32>,
    mut line: impl FnMut(u32, &mut String),
) -> Result<(), String> {
    let mut copy = conn
        .copy_in_raw(statement)
        .await
        .map_err(|e| format!("{statement}: {e}"))?;
    let mut buffer = String::new();
    for i in rows {
        line(i, &mut buffer);
        if (i + 1) % CHUNK == 0 {
            copy.send(std::mem::take(&mut buffer).into_bytes())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.into_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    copy.finish()
        .await
        .map_err(|e| format!("{statement}: {e}"))?;
    Ok(())
}
