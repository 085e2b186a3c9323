//! Demo data for trying Portcullis out. Each demo organization is created
//! whole or not at all: an organization that already exists (matched by
//! name) is left exactly as its users edited it, so seeding again changes
//! nothing. One transaction, one audit event.

use std::{collections::HashMap, fmt};

use app::{
    audit::db::{Event, record},
    model::{catalog::Catalog, role::RoleTemplate},
    principal::Actor,
};
use sqlx::{PgConnection, PgPool};

mod data;
use data::*;

/// The customer organization at the heart of the demo.
pub const CUSTOMER: &str = "Northwind Health Partners";
/// A second customer, created by the vendor (vendor-owned).
pub const SECOND_CUSTOMER: &str = "Riverside Family Practice";
pub const VENDOR: &str = "Claimwise Billing Services";
/// A second vendor: Northwind's request to link with it is pending.
pub const SECOND_VENDOR: &str = "Meridian Revenue Partners";
/// The platform that runs Portcullis, with its staff.
pub const PLATFORM: &str = "Portcullis Platform";
/// Every demo user's password (documented in the README).
pub const DEMO_PASSWORD: &str = "portcullis-demo";

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

    let vendor = org(conn, VENDOR, "vendor", &mut report).await?;
    let northwind = org(conn, CUSTOMER, "customer", &mut report).await?;
    let riverside = org(conn, SECOND_CUSTOMER, "customer", &mut report).await?;
    let meridian = org(conn, SECOND_VENDOR, "vendor", &mut report).await?;
    // One platform per database: a database that has one (from
    // `admin create-operator`) keeps it, without the demo's staff.
    let platform = platform_org(conn, &mut report).await?;

    if report.organizations_added > 0 {
        // One hash for every demo user keeps seeding fast.
        let hash = app::auth::password::hash(DEMO_PASSWORD.to_owned())
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
            .0;
        if vendor.created {
            let mut seeder = Seeder::new(conn, vendor.id, &hash, &mut report);
            seeder.users(&VENDOR_USERS).await?;
        }
        if northwind.created {
            let mut seeder = Seeder::new(conn, northwind.id, &hash, &mut report);
            seeder.companies(CUSTOMER, &CHILDREN).await?;
            seeder.roles().await?;
            seeder.users(&NORTHWIND_USERS).await?;
            seeder.catalog().await?;
            seeder.claims().await?;
        }
        if meridian.created {
            let mut seeder = Seeder::new(conn, meridian.id, &hash, &mut report);
            seeder.users(&SECOND_VENDOR_USERS).await?;
        }
        if let Some(platform) = platform.as_ref().filter(|p| p.created) {
            let mut seeder = Seeder::new(conn, platform.id, &hash, &mut report);
            seeder.users(&PLATFORM_USERS).await?;
        }
        if riverside.created {
            let mut seeder = Seeder::new(conn, riverside.id, &hash, &mut report);
            seeder
                .companies(SECOND_CUSTOMER, &["Riverside Pediatrics"])
                .await?;
            seeder.users(&RIVERSIDE_USERS).await?;
        }
        // Northwind chose All Support; Riverside was created by the vendor (Full).
        for (customer, owned, tier) in [
            (&northwind, false, "all_support"),
            (&riverside, true, "full"),
        ] {
            if !(customer.created || vendor.created) {
                continue;
            }
            report.rows_added += sqlx::query!(
                "INSERT INTO vendor_links (vendor_id, customer_id, vendor_owned, tier) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
                vendor.id,
                customer.id,
                owned,
                tier
            )
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
        // Tickets last: one asks the vendor for help, which needs the link.
        if northwind.created {
            let mut seeder = Seeder::new(conn, northwind.id, &hash, &mut report);
            seeder.tickets(vendor.id).await?;
        }
        if vendor.created {
            report.rows_added += vendor_ticket(conn, vendor.id).await?;
        }
        if northwind.created || meridian.created {
            // Northwind's Administrator asked to link with Meridian, agreeing
            // to Limited Access; Meridian has not consented yet.
            report.rows_added += sqlx::query!(
                "INSERT INTO vendor_link_requests (customer_id, vendor_id, requested_by,
                     customer_consent_by, customer_consent_at, max_tier)
                 SELECT $1, $2, id, id, now(), 'limited' FROM users
                 WHERE email = 'ada.admin@northwind.example'
                 ON CONFLICT DO NOTHING",
                northwind.id,
                meridian.id
            )
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
    }

    report.organizations_total =
        sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM organizations"#)
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

/// The demo's platform organization, unless the database has one already.
async fn platform_org(
    conn: &mut PgConnection,
    report: &mut SeedReport,
) -> Result<Option<DemoOrg>, sqlx::Error> {
    let existing = sqlx::query_scalar!("SELECT id FROM organizations WHERE kind = 'platform'")
        .fetch_optional(&mut *conn)
        .await?;
    match existing {
        Some(id) => Ok(Some(DemoOrg { id, created: false })),
        None => org(conn, PLATFORM, "platform", report).await.map(Some),
    }
}

/// Claimwise's Vendor Support ticket to the platform, from Vera.
async fn vendor_ticket(conn: &mut PgConnection, vendor: i64) -> Result<u64, sqlx::Error> {
    let (subject, message) = VENDOR_TICKET;
    Ok(sqlx::query!(
        "INSERT INTO support_tickets (org_id, subject, message, opened_by)
         SELECT $1, $2, $3, id FROM users WHERE email = 'vera.vendor@claimwise.example'",
        vendor,
        subject,
        message
    )
    .execute(conn)
    .await?
    .rows_affected())
}

struct DemoOrg {
    id: i64,
    created: bool,
}

async fn org(
    conn: &mut PgConnection,
    name: &str,
    kind: &str,
    report: &mut SeedReport,
) -> Result<DemoOrg, sqlx::Error> {
    let inserted = sqlx::query_scalar!(
        "INSERT INTO organizations (name, kind) VALUES ($1, $2) ON CONFLICT (lower(name)) DO NOTHING RETURNING id",
        name,
        kind
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        report.organizations_added += 1;
        report.rows_added += 1;
        return Ok(DemoOrg { id, created: true });
    }
    let id = sqlx::query_scalar!(
        "SELECT id FROM organizations WHERE lower(name) = lower($1)",
        name
    )
    .fetch_one(conn)
    .await?;
    Ok(DemoOrg { id, created: false })
}

/// Fills one newly created organization; the maps resolve the demo's names.
struct Seeder<'a> {
    conn: &'a mut PgConnection,
    org: i64,
    password_hash: &'a str,
    report: &'a mut SeedReport,
    companies: HashMap<&'static str, i64>,
    roles: HashMap<RoleTemplate, i64>,
}

impl<'a> Seeder<'a> {
    fn new(
        conn: &'a mut PgConnection,
        org: i64,
        password_hash: &'a str,
        report: &'a mut SeedReport,
    ) -> Self {
        Seeder {
            conn,
            org,
            password_hash,
            report,
            companies: HashMap::new(),
            roles: HashMap::new(),
        }
    }

    fn company(&self, name: &str) -> Result<i64, sqlx::Error> {
        self.companies
            .get(name)
            .copied()
            .ok_or_else(|| sqlx::Error::Protocol(format!("demo company {name} is not seeded")))
    }

    async fn companies(
        &mut self,
        parent: &'static str,
        children: &[&'static str],
    ) -> Result<(), sqlx::Error> {
        let parent_id = self.insert_company(parent, None).await?;
        for child in children {
            self.insert_company(child, Some(parent_id)).await?;
        }
        Ok(())
    }

    async fn insert_company(
        &mut self,
        name: &'static str,
        parent: Option<i64>,
    ) -> Result<i64, sqlx::Error> {
        let id = sqlx::query_scalar!(
            "INSERT INTO companies (org_id, name, parent_id) VALUES ($1, $2, $3) RETURNING id",
            self.org,
            name,
            parent
        )
        .fetch_one(&mut *self.conn)
        .await?;
        self.report.rows_added += 1;
        self.companies.insert(name, id);
        Ok(id)
    }

    /// Every role template, and the companies some roles carry.
    async fn roles(&mut self) -> Result<(), sqlx::Error> {
        for template in RoleTemplate::ALL {
            let keys: Vec<String> = template
                .permissions()
                .iter()
                .map(|p| p.key().to_owned())
                .collect();
            let withheld: Vec<String> = template
                .withheld()
                .iter()
                .map(|p| p.key().to_owned())
                .collect();
            let id = sqlx::query_scalar!(
                "INSERT INTO roles (org_id, name, description, permissions, withheld, self_service, template)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                self.org,
                template.name(),
                template.description(),
                &keys,
                &withheld,
                template.self_service(),
                template.key()
            )
            .fetch_one(&mut *self.conn)
            .await?;
            self.report.rows_added += 1;
            self.roles.insert(template, id);
        }
        for (template, companies) in ROLE_COMPANIES {
            let role = self.roles.get(&template).copied();
            for name in companies {
                let company = self.company(name)?;
                self.link("role_companies", "role_id", role, company)
                    .await?;
            }
        }
        Ok(())
    }

    async fn users(&mut self, users: &[DemoUser]) -> Result<(), sqlx::Error> {
        for u in users {
            let role = u.role.and_then(|t| self.roles.get(&t).copied());
            let default_company = u
                .default_company
                .map(|name| self.company(name))
                .transpose()?;
            // A demo email already taken elsewhere is skipped, not overwritten.
            let inserted = sqlx::query_scalar!(
                "INSERT INTO users (org_id, first_name, last_name, email, status, account_type, user_type,
                                    default_company_id, role_id, support_user, password_hash, password_changed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
                 ON CONFLICT (lower(email)) DO NOTHING RETURNING id",
                self.org,
                u.first,
                u.last,
                u.email,
                if u.active { "active" } else { "inactive" },
                if u.admin { "administrator" } else { "standard" },
                if u.customer_type { "customer" } else { "partner" },
                default_company,
                role,
                u.support,
                self.password_hash
            )
            .fetch_optional(&mut *self.conn)
            .await?;
            let Some(user_id) = inserted else {
                continue;
            };
            self.report.users_added += 1;
            self.report.rows_added += 1;
            for name in u.direct {
                let company = self.company(name)?;
                self.link("user_companies", "user_id", Some(user_id), company)
                    .await?;
            }
        }
        Ok(())
    }

    /// A row of a company link table (role_companies, user_companies);
    /// the table and column are fixed strings, never input.
    async fn link(
        &mut self,
        table: &str,
        column: &str,
        owner: Option<i64>,
        company: i64,
    ) -> Result<(), sqlx::Error> {
        let Some(owner) = owner else { return Ok(()) };
        self.report.rows_added += sqlx::query(&format!(
            "INSERT INTO {table} ({column}, company_id, org_id) VALUES ($1, $2, $3)"
        ))
        .bind(owner)
        .bind(company)
        .bind(self.org)
        .execute(&mut *self.conn)
        .await?
        .rows_affected();
        Ok(())
    }

    /// Payers and facilities at the parent, copied down to some children;
    /// each copy remembers the parent's row it came from.
    async fn catalog(&mut self) -> Result<(), sqlx::Error> {
        let parent = self.company(CUSTOMER)?;
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
            let source: i64 = sqlx::query_scalar(&format!(
                "INSERT INTO {table} (org_id, company_id, name, {column}) VALUES ($1, $2, $3, $4) RETURNING id"
            ))
            .bind(self.org)
            .bind(parent)
            .bind(name)
            .bind(detail)
            .fetch_one(&mut *self.conn)
            .await?;
            self.report.rows_added += 1;
            for child in COPIED_TO {
                let child = self.company(child)?;
                self.report.rows_added += sqlx::query(&format!(
                    "INSERT INTO {table} (org_id, company_id, name, {column}, source_id) VALUES ($1, $2, $3, $4, $5)"
                ))
                .bind(self.org)
                .bind(child)
                .bind(name)
                .bind(detail)
                .bind(source)
                .execute(&mut *self.conn)
                .await?
                .rows_affected();
            }
        }
        Ok(())
    }

    /// Five claims per company, one in each status.
    /// Support tickets: one asking the vendor for help (what Limited Access
    /// shows), one not (All Support and up), one closed; opened by Sam,
    /// the Support User, about some North Clinic claims.
    async fn tickets(&mut self, vendor: i64) -> Result<(), sqlx::Error> {
        for (subject, message, status, claims, ask_vendor) in DEMO_TICKETS {
            let id = sqlx::query_scalar!(
                "INSERT INTO support_tickets (org_id, subject, message, status, opened_by)
                 SELECT $1, $2, $3, $4, id FROM users WHERE email = 'sam.support@northwind.example'
                 RETURNING id",
                self.org,
                subject,
                message,
                status
            )
            .fetch_one(&mut *self.conn)
            .await?;
            self.report.rows_added += 1;
            let claims: Vec<String> = claims.iter().map(|c| (*c).to_owned()).collect();
            self.report.rows_added += sqlx::query!(
                "INSERT INTO support_ticket_claims (ticket_id, claim_id, org_id)
                 SELECT $1, id, org_id FROM claims WHERE org_id = $2 AND claim_number = ANY($3)",
                id,
                self.org,
                &claims
            )
            .execute(&mut *self.conn)
            .await?
            .rows_affected();
            if ask_vendor {
                self.report.rows_added += sqlx::query!(
                    "INSERT INTO support_ticket_vendor_help (ticket_id, org_id, vendor_id, requested_by)
                     SELECT $1, $2, $3, opened_by FROM support_tickets WHERE id = $1",
                    id,
                    self.org,
                    vendor
                )
                .execute(&mut *self.conn)
                .await?
                .rows_affected();
            }
        }
        Ok(())
    }

    async fn claims(&mut self) -> Result<(), sqlx::Error> {
        let mut companies: Vec<(&'static str, i64)> = self
            .companies
            .iter()
            .map(|(name, id)| (*name, *id))
            .collect();
        companies.sort_by_key(|(_, id)| *id);
        for (name, company) in companies {
            let prefix: String = name.chars().filter(char::is_ascii_uppercase).collect();
            for (i, (status, patient)) in CLAIM_STATUSES.iter().zip(PATIENTS).enumerate() {
                self.report.rows_added += sqlx::query!(
                    "INSERT INTO claims (org_id, company_id, claim_number, patient_name, service_date, amount_cents, status)
                     VALUES ($1, $2, $3, $4, DATE '2026-10-01' + $5::int, $6, $7)",
                    self.org,
                    company,
                    format!("{prefix}-{:04}", i + 1),
                    patient,
                    i as i32 * 3,
                    12_500_i64 + i as i64 * 4_250,
                    status
                )
                .execute(&mut *self.conn)
                .await?
                .rows_affected();
            }
        }
        Ok(())
    }
}
