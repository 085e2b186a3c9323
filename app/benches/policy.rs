//! The policy check (`effective_access` + `can`) on an organization of 1,000
//! companies and 200 roles. Criterion measures the mean; a second pass times
//! single checks to report p50 and p99, the figures the README quotes.
//! Run: `cargo bench -p app --bench policy`.

use std::{collections::BTreeSet, hint::black_box, time::Instant};

use app::model::{
    access::{OrgIndex, OrgSnapshot, effective_access},
    ids::{CompanyId, OrgId, RoleId, UserId},
    org::{Company, OrgKind, Organization},
    permission::{Permission, PermissionSet},
    policy::{Action, can},
    role::Role,
    user::{AccountType, User, UserStatus, UserType},
};
use chrono::Utc;
use criterion::Criterion;

const COMPANIES: i64 = 1_000;
const ROLES: i64 = 200;
const ORG: OrgId = OrgId(1);

fn organization() -> OrgSnapshot {
    let companies = (0..COMPANIES)
        .map(|i| Company {
            id: CompanyId(i),
            org: ORG,
            name: format!("Company {i:04}"),
            parent: (i > 0).then_some(CompanyId(0)),
            active: i % 50 != 49,
        })
        .collect();
    // Each role carries 25 companies and a varying permission set.
    let roles = (0..ROLES)
        .map(|r| Role {
            id: RoleId(r),
            org: ORG,
            name: format!("Role {r}"),
            description: String::new(),
            permissions: Permission::ALL
                .into_iter()
                .filter(|p| (r + *p as i64) % 3 != 0)
                .collect::<PermissionSet>(),
            companies: (0..25)
                .map(|k| CompanyId((r * 5 + k * 37) % COMPANIES))
                .collect(),
            self_service: false,
            withheld: PermissionSet::EMPTY,
            version: 1,
        })
        .collect();
    OrgSnapshot {
        org: Organization {
            id: ORG,
            name: "Bench Health".into(),
            kind: OrgKind::Customer,
            suspended: false,
        },
        companies,
        roles,
        vendor_links: vec![],
        lookup: Default::default(),
    }
    // Shared between requests, as the server's snapshot cache keeps it.
    .indexed()
}

fn user(account_type: AccountType, user_type: UserType) -> User {
    User {
        id: UserId(1),
        org: ORG,
        first_name: "Bench".into(),
        last_name: "User".into(),
        email: "bench@example.com".into(),
        status: UserStatus::Active,
        account_type,
        user_type,
        default_company: Some(CompanyId(500)),
        support_user: false,
        role: Some(RoleId(123)),
        direct_companies: (0..20)
            .map(|k| CompanyId(k * 41 % COMPANIES))
            .collect::<BTreeSet<_>>(),
        version: 1,
    }
}

fn cases() -> [(&'static str, User); 3] {
    [
        (
            "administrator",
            user(AccountType::Administrator, UserType::Partner),
        ),
        (
            "partner, role with 25 companies + 20 direct",
            user(AccountType::Standard, UserType::Partner),
        ),
        (
            "customer type",
            user(AccountType::Standard, UserType::Customer),
        ),
    ]
}

/// One authorization as a server function does it: compute the access,
/// then ask about one company and permission.
fn check(user: &User, index: &OrgIndex<'_>, company: &Company) -> bool {
    let access = effective_access(user, index, Utc::now());
    can(
        &access,
        Action::Use {
            company,
            permission: Permission::ClaimsView,
        },
    )
    .is_ok()
}

fn percentiles(snapshot: &OrgSnapshot) {
    let index = OrgIndex::new(snapshot);
    let company = &snapshot.companies[500];
    println!("\npolicy check (effective_access + can), 1,000 companies, 200 roles:");
    println!("{:<46} {:>9} {:>9}", "user", "p50", "p99");
    for (name, user) in cases() {
        let mut samples: Vec<u128> = (0..100_000)
            .map(|_| {
                let start = Instant::now();
                black_box(check(black_box(&user), &index, company));
                start.elapsed().as_nanos()
            })
            .collect();
        samples.sort_unstable();
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize] as f64 / 1_000.0;
        println!("{name:<46} {:>7.2}µs {:>7.2}µs", at(0.50), at(0.99));
    }
    let mut samples: Vec<u128> = (0..2_000)
        .map(|_| {
            let start = Instant::now();
            black_box(OrgIndex::new(black_box(snapshot)));
            start.elapsed().as_nanos()
        })
        .collect();
    samples.sort_unstable();
    println!(
        "{:<46} {:>7.2}µs {:>7.2}µs   (once per request, not per check)",
        "building the lookup index",
        samples[samples.len() / 2] as f64 / 1_000.0,
        samples[samples.len() * 99 / 100] as f64 / 1_000.0
    );
}

fn main() {
    let snapshot = organization();
    let index = OrgIndex::new(&snapshot);
    let company = &snapshot.companies[500];
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("policy_check");
    for (name, user) in cases() {
        group.bench_function(name, |b| {
            b.iter(|| check(black_box(&user), &index, company))
        });
    }
    group.finish();
    criterion.final_summary();
    percentiles(&snapshot);
}
