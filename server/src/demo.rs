//! Demo data for trying Portcullis out. Idempotent: running it again adds
//! only what is missing (matched by natural keys: names, emails) and never
//! changes what a user edited. One transaction, one audit event.

use std::fmt;

use app::{
    audit::db::{Actor, Event, record},
    model::{permission::Permission, role::RoleTemplate},
};
use sqlx::{PgConnection, PgPool};

/// The customer organization at the heart of the demo.
pub const CUSTOMER: &str = "Northwind Health Partners";
/// A second customer, created by the vendor (vendor-owned).
pub const SECOND_CUSTOMER: &str = "Riverside Family Practice";
pub const VENDOR: &str = "Claimwise Billing Services";
/// Every demo user's password (documented in the README).
pub const DEMO_PASSWORD: &str = "portcullis-demo";

const CHILDREN: [&str; 4] = [
    "North Clinic",
    "South Clinic",
    "East Clinic",
    "Harbor Imaging",
];

/// A demo user: (first, last, email, account type, user type, role, home or
/// default company, direct companies, support user, active).
struct DemoUser {
    first: &'static str,
    last: &'static str,
    email: &'static str,
    admin: bool,
    customer_type: bool,
    role: Option<RoleTemplate>,
    default_company: Option<&'static str>,
    direct: &'static [&'static str],
    support: bool,
    active: bool,
}

const NORTHWIND_USERS: [DemoUser; 7] = [
    DemoUser {
        first: "Ada",
        last: "Admin",
        email: "ada.admin@northwind.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Ben",
        last: "Backup",
        email: "ben.backup@northwind.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: Some("North Clinic"),
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Pat",
        last: "Partner",
        email: "pat.partner@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::FrontOffice),
        default_company: Some("South Clinic"),
        direct: &["East Clinic"],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Cathy",
        last: "Customer",
        email: "cathy.customer@northwind.example",
        admin: false,
        customer_type: true,
        role: Some(RoleTemplate::Provider),
        default_company: Some("North Clinic"),
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Sam",
        last: "Support",
        email: "sam.support@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::PaymentPoster),
        default_company: Some("North Clinic"),
        direct: &["North Clinic"],
        support: true,
        active: true,
    },
    DemoUser {
        first: "Ivy",
        last: "Inactive",
        email: "ivy.inactive@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::Standard),
        default_company: Some("East Clinic"),
        direct: &["East Clinic"],
        support: false,
        active: false,
    },
    DemoUser {
        first: "Mia",
        last: "Manager",
        email: "mia.manager@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::SelfServiceManager),
        default_company: Some("Harbor Imaging"),
        direct: &["Harbor Imaging", "South Clinic"],
        support: false,
        active: true,
    },
];

/// Roles whose members inherit companies (seed 004's "Biller" example).
const ROLE_COMPANIES: [(RoleTemplate, &[&str]); 1] =
    [(RoleTemplate::FrontOffice, &["North Clinic", "South Clinic"])];

const PAYERS: [(&str, &str); 3] = [
    ("Medicare Part B", "MCRB"),
    ("Blue Shield of the Coast", "BSC01"),
    ("Aetna Commercial", "AETNA"),
];
const FACILITIES: [(&str, &str); 2] = [
    ("Northwind Surgery Center", "Portland"),
    ("Northwind Day Clinic", "Salem"),
];
/// Children that get copies of the parent's payers and facilities.
const COPIED_TO: [&str; 2] = ["North Clinic", "South Clinic"];
const CLAIM_STATUSES: [&str; 5] = ["draft", "submitted", "paid", "denied", "refunded"];
const PATIENTS: [&str; 5] = [
    "Alex Morgan",
    "Jamie Rivera",
    "Casey Nguyen",
    "Riley Patel",
    "Jordan Smith",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organizations_added: u64,
    pub organizations_total: i64,
    pub users_added: u64,
    pub rows_added: u64,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Demo data is loaded: {} organizations ({} added now), {} users added, {} rows added in all.",
            self.organizations_total, self.organizations_added, self.users_added, self.rows_added
        )
    }
}

pub async fn seed(pool: &PgPool) -> Result<SeedReport, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut report = SeedReport::default();
    let conn: &mut PgConnection = &mut tx;

    let northwind = org(conn, CUSTOMER, "customer", &mut report).await?;
    let riverside = org(conn, SECOND_CUSTOMER, "customer", &mut report).await?;
    let vendor = org(conn, VENDOR, "vendor", &mut report).await?;

    let parent = company(conn, northwind, CUSTOMER, None, &mut report).await?;
    for child in CHILDREN {
        company(conn, northwind, child, Some(parent), &mut report).await?;
    }
    let riverside_parent = company(conn, riverside, SECOND_CUSTOMER, None, &mut report).await?;
    company(
        conn,
        riverside,
        "Riverside Pediatrics",
        Some(riverside_parent),
        &mut report,
    )
    .await?;

    for template in RoleTemplate::ALL {
        role(conn, northwind, template, &mut report).await?;
    }
    for (template, companies) in ROLE_COMPANIES {
        let role_id = role(conn, northwind, template, &mut report).await?;
        for name in companies {
            let company_id = company_id(conn, northwind, name).await?;
            report.rows_added += sqlx::query(
                "INSERT INTO role_companies (role_id, company_id, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(role_id)
            .bind(company_id)
            .bind(northwind)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
    }

    for u in &NORTHWIND_USERS {
        user(conn, northwind, u, &mut report).await?;
    }
    let riverside_admin = DemoUser {
        first: "Rosa",
        last: "Rivers",
        email: "rosa.rivers@riverside.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    };
    user(conn, riverside, &riverside_admin, &mut report).await?;
    for vendor_user in [
        DemoUser {
            first: "Vera",
            last: "Vendor",
            email: "vera.vendor@claimwise.example",
            admin: true,
            customer_type: false,
            role: None,
            default_company: None,
            direct: &[],
            support: false,
            active: true,
        },
        DemoUser {
            first: "Victor",
            last: "Staff",
            email: "victor.staff@claimwise.example",
            admin: false,
            customer_type: false,
            role: None,
            default_company: None,
            direct: &[],
            support: false,
            active: true,
        },
    ] {
        user(conn, vendor, &vendor_user, &mut report).await?;
    }

    // Demo users who never set a password get the documented one; one hash
    // for all of them keeps seeding fast.
    let hash = app::auth::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    report.rows_added += sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = now()
         WHERE password_hash IS NULL AND org_id = ANY($2)",
    )
    .bind(&hash.0)
    .bind([northwind, riverside, vendor])
    .execute(&mut *conn)
    .await?
    .rows_affected();

    // Northwind chose All Support; Riverside was created by the vendor (Full).
    for (customer, owned, tier) in [(northwind, false, "all_support"), (riverside, true, "full")] {
        report.rows_added += sqlx::query(
            "INSERT INTO vendor_links (vendor_id, customer_id, vendor_owned, tier) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(vendor)
        .bind(customer)
        .bind(owned)
        .bind(tier)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }

    catalog(conn, northwind, parent, &mut report).await?;
    let mut claim_companies = vec![(parent, CUSTOMER)];
    for child in CHILDREN {
        claim_companies.push((company_id(conn, northwind, child).await?, child));
    }
    for (company, name) in claim_companies {
        claims(conn, northwind, company, name, &mut report).await?;
    }

    report.organizations_total = sqlx::query_scalar("SELECT count(*) FROM organizations")
        .fetch_one(&mut *conn)
        .await?;
    if report.rows_added > 0 {
        let after = serde_json::json!({
            "organizations_added": report.organizations_added,
            "users_added": report.users_added,
            "rows_added": report.rows_added,
        });
        let event = Event {
            org: None,
            action: "demo.seed",
            target_type: "database",
            target_id: None,
            before: None,
            after: Some(after),
        };
        record(conn, &Actor::operator("seed-demo"), event).await?;
    }
    tx.commit().await?;
    Ok(report)
}

async fn org(
    conn: &mut PgConnection,
    name: &str,
    kind: &str,
    report: &mut SeedReport,
) -> Result<i64, sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO organizations (name, kind) VALUES ($1, $2) ON CONFLICT (lower(name)) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_some() {
        report.organizations_added += 1;
        report.rows_added += 1;
    }
    match inserted {
        Some(id) => Ok(id),
        None => {
            sqlx::query_scalar("SELECT id FROM organizations WHERE lower(name) = lower($1)")
                .bind(name)
                .fetch_one(conn)
                .await
        }
    }
}

async fn company_id(conn: &mut PgConnection, org: i64, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM companies WHERE org_id = $1 AND lower(name) = lower($2)")
        .bind(org)
        .bind(name)
        .fetch_one(conn)
        .await
}

async fn company(
    conn: &mut PgConnection,
    org: i64,
    name: &str,
    parent: Option<i64>,
    report: &mut SeedReport,
) -> Result<i64, sqlx::Error> {
    report.rows_added += sqlx::query(
        "INSERT INTO companies (org_id, name, parent_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(name)
    .bind(parent)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    company_id(conn, org, name).await
}

async fn role(
    conn: &mut PgConnection,
    org: i64,
    template: RoleTemplate,
    report: &mut SeedReport,
) -> Result<i64, sqlx::Error> {
    let keys: Vec<&str> = template.permissions().iter().map(Permission::key).collect();
    report.rows_added += sqlx::query(
        "INSERT INTO roles (org_id, name, description, permissions, self_service, template)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(template.name())
    .bind(template.description())
    .bind(&keys)
    .bind(template.self_service())
    .bind(template.key())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query_scalar("SELECT id FROM roles WHERE org_id = $1 AND lower(name) = lower($2)")
        .bind(org)
        .bind(template.name())
        .fetch_one(conn)
        .await
}

async fn user(
    conn: &mut PgConnection,
    org: i64,
    u: &DemoUser,
    report: &mut SeedReport,
) -> Result<(), sqlx::Error> {
    let role_id = match u.role {
        Some(template) => Some(role(conn, org, template, report).await?),
        None => None,
    };
    let default_company = match u.default_company {
        Some(name) => Some(company_id(conn, org, name).await?),
        None => None,
    };
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (org_id, first_name, last_name, email, status, account_type, user_type,
                            default_company_id, role_id, support_user)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (lower(email)) DO NOTHING RETURNING id",
    )
    .bind(org)
    .bind(u.first)
    .bind(u.last)
    .bind(u.email)
    .bind(if u.active { "active" } else { "inactive" })
    .bind(if u.admin { "administrator" } else { "standard" })
    .bind(if u.customer_type {
        "customer"
    } else {
        "partner"
    })
    .bind(default_company)
    .bind(role_id)
    .bind(u.support)
    .fetch_optional(&mut *conn)
    .await?;
    // Only a user created now gets the demo assignments: never re-add a
    // company an Administrator removed since.
    let Some(user_id) = inserted else {
        return Ok(());
    };
    report.users_added += 1;
    report.rows_added += 1;
    for name in u.direct {
        let company = company_id(conn, org, name).await?;
        report.rows_added += sqlx::query(
            "INSERT INTO user_companies (user_id, company_id, org_id) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(company)
        .bind(org)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(())
}

/// The parent company's catalog tables: payers and facilities.
#[derive(Clone, Copy)]
enum Catalog {
    Payers,
    Facilities,
}

impl Catalog {
    /// (table, the column besides the name); fixed strings, never input.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Catalog::Payers => ("payers", "payer_code"),
            Catalog::Facilities => ("facilities", "city"),
        }
    }
}

/// Payers and facilities at the parent, copied down to some children.
async fn catalog(
    conn: &mut PgConnection,
    org: i64,
    parent: i64,
    report: &mut SeedReport,
) -> Result<(), sqlx::Error> {
    let mut targets = vec![];
    for child in COPIED_TO {
        targets.push(company_id(conn, org, child).await?);
    }
    let entries = PAYERS
        .iter()
        .map(|(name, code)| (Catalog::Payers, *name, *code));
    let entries = entries.chain(
        FACILITIES
            .iter()
            .map(|(name, city)| (Catalog::Facilities, *name, *city)),
    );
    for (catalog, name, detail) in entries {
        let (table, column) = catalog.table();
        report.rows_added += sqlx::query(&format!(
            "INSERT INTO {table} (org_id, company_id, name, {column}) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
        ))
        .bind(org)
        .bind(parent)
        .bind(name)
        .bind(detail)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        // Each copy remembers the parent's row it came from.
        for child in &targets {
            report.rows_added += sqlx::query(&format!(
                "INSERT INTO {table} (org_id, company_id, name, {column}, source_id)
                 SELECT org_id, $2, name, {column}, id FROM {table} WHERE company_id = $1 AND lower(name) = lower($3)
                 ON CONFLICT DO NOTHING"
            ))
            .bind(parent)
            .bind(child)
            .bind(name)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
    }
    Ok(())
}

/// Five claims per company, one in each status.
async fn claims(
    conn: &mut PgConnection,
    org: i64,
    company: i64,
    name: &str,
    report: &mut SeedReport,
) -> Result<(), sqlx::Error> {
    let prefix: String = name.chars().filter(char::is_ascii_uppercase).collect();
    for (i, (status, patient)) in CLAIM_STATUSES.iter().zip(PATIENTS).enumerate() {
        report.rows_added += sqlx::query(
            "INSERT INTO claims (org_id, company_id, claim_number, patient_name, service_date, amount_cents, status)
             VALUES ($1, $2, $3, $4, DATE '2026-10-01' + $5::int, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(org)
        .bind(company)
        .bind(format!("{prefix}-{:04}", i + 1))
        .bind(patient)
        .bind(i as i32 * 3)
        .bind(12_500_i64 + i as i64 * 4_250)
        .bind(status)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(())
}
