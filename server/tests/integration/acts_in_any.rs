//! The one SQL rendition of "who may act in these companies"
//! (`org::db::acts_in_any`, used by the Users page's filters and reach and
//! the Companies page's member counts) answers exactly as the policy does:
//! random organizations — companies active or not, roles carrying
//! companies, Administrators, Customers and Partners with picks — stored
//! in PostgreSQL, then for random sets of the organization's active
//! companies, the users the SQL finds are the users whose `UserTarget`
//! shares one of them. The cases are the same on every run (a fixed seed).

use std::collections::BTreeSet;

use app::{
    model::{
        access::{CompanyScope, OrgIndex, UserTarget},
        ids::{CompanyId, OrgId, UserId},
    },
    org::db::{acts_in_any, load_snapshot, load_user},
};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRng, TestRunner},
};
use sqlx::PgPool;

/// Organizations generated and checked.
const CASES: u32 = 60;

/// One user of a generated organization, by index into its companies and
/// roles.
#[derive(Debug, Clone)]
struct UserSpec {
    administrator: bool,
    customer: bool,
    /// The Customer's home or the Partner's default company.
    default_company: Option<usize>,
    role: Option<usize>,
    picks: BTreeSet<usize>,
}

#[derive(Debug, Clone)]
struct OrgSpec {
    /// Whether each child company is active (the parent always is).
    children: Vec<bool>,
    /// The companies each role carries.
    roles: Vec<BTreeSet<usize>>,
    users: Vec<UserSpec>,
    /// Sets of companies to ask about.
    queries: Vec<BTreeSet<usize>>,
}

fn org_spec() -> impl Strategy<Value = OrgSpec> {
    (1usize..6, 0usize..4).prop_flat_map(|(children, roles)| {
        let companies = children + 1;
        let index_set = move || prop::collection::btree_set(0..companies, 0..=companies);
        let user = (
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0..companies),
            prop::option::of(0..roles.max(1)),
            index_set(),
        )
            .prop_map(
                move |(administrator, customer, default_company, role, picks)| {
                    UserSpec {
                        administrator,
                        // A Customer has a home company (a constraint says so).
                        customer: customer && default_company.is_some(),
                        default_company,
                        role: role.filter(|_| roles > 0),
                        picks,
                    }
                },
            );
        (
            prop::collection::vec(any::<bool>(), children),
            prop::collection::vec(index_set(), roles),
            prop::collection::vec(user, 1..12),
            prop::collection::vec(index_set(), 1..8),
        )
            .prop_map(|(children, roles, users, queries)| OrgSpec {
                children,
                roles,
                users,
                queries,
            })
    })
}

/// Stores the organization; returns its id, its companies' ids (parent
/// first) and its users' ids.
async fn store(pool: &PgPool, n: u32, spec: &OrgSpec) -> (OrgId, Vec<CompanyId>, Vec<UserId>) {
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, kind) VALUES ($1, 'customer') RETURNING id",
    )
    .bind(format!("Generated {n}"))
    .fetch_one(pool)
    .await
    .unwrap();
    let parent: i64 = sqlx::query_scalar(
        "INSERT INTO companies (org_id, name) VALUES ($1, 'Parent') RETURNING id",
    )
    .bind(org)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut companies = vec![CompanyId(parent)];
    for (i, active) in spec.children.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (org_id, parent_id, name, active) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(org)
        .bind(parent)
        .bind(format!("Child {i}"))
        .bind(active)
        .fetch_one(pool)
        .await
        .unwrap();
        companies.push(CompanyId(id));
    }
    let mut roles = vec![];
    for (i, carried) in spec.roles.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO roles (org_id, name, description, permissions) VALUES ($1, $2, '', '{}')
             RETURNING id",
        )
        .bind(org)
        .bind(format!("Role {i}"))
        .fetch_one(pool)
        .await
        .unwrap();
        for c in carried {
            sqlx::query(
                "INSERT INTO role_companies (role_id, company_id, org_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(companies[*c].0)
            .bind(org)
            .execute(pool)
            .await
            .unwrap();
        }
        roles.push(id);
    }
    let mut users = vec![];
    for (i, u) in spec.users.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type,
                                default_company_id, role_id)
             VALUES ($1, 'Gen', 'User', $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org)
        .bind(format!("user{i}@org{n}.example"))
        .bind(if u.administrator {
            "administrator"
        } else {
            "standard"
        })
        .bind(if u.customer { "customer" } else { "partner" })
        .bind(u.default_company.map(|c| companies[c].0))
        .bind(u.role.map(|r| roles[r]))
        .fetch_one(pool)
        .await
        .unwrap();
        for c in &u.picks {
            sqlx::query(
                "INSERT INTO user_companies (user_id, company_id, org_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(companies[*c].0)
            .bind(org)
            .execute(pool)
            .await
            .unwrap();
        }
        users.push(UserId(id));
    }
    (OrgId(org), companies, users)
}

/// The users of `org` the SQL rule finds for `ids`.
async fn found_by_sql(pool: &PgPool, org: OrgId, ids: &[i64]) -> BTreeSet<UserId> {
    let sql = format!(
        "SELECT u.id FROM users u WHERE u.org_id = $1 AND {}",
        acts_in_any("$2::bigint[]")
    );
    sqlx::query_scalar::<_, i64>(&sql)
        .bind(org.0)
        .bind(ids)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(UserId)
        .collect()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_sql_rule_finds_exactly_whom_the_policy_lets_act_there(pool: PgPool) {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[7; 32]),
    );
    let mut asked = 0;
    for n in 0..CASES {
        let spec = org_spec().new_tree(&mut runner).unwrap().current();
        let (org, companies, users) = store(&pool, n, &spec).await;
        let mut conn = pool.acquire().await.unwrap();
        let snapshot = load_snapshot(&mut conn, org).await.unwrap().unwrap();
        let index = OrgIndex::new(&snapshot);
        let mut targets = vec![];
        for id in &users {
            let user = load_user(&mut conn, *id).await.unwrap().unwrap();
            targets.push((user.id, UserTarget::of(&user, &index)));
        }
        let active: Vec<usize> = (0..companies.len())
            .filter(|c| *c == 0 || spec.children[c - 1])
            .collect();
        for query in &spec.queries {
            // What callers ask about: their own companies or a company of
            // the organization they may act in, all active.
            let ids: BTreeSet<CompanyId> = query
                .iter()
                .filter(|c| active.contains(c))
                .map(|c| companies[*c])
                .collect();
            let expected: BTreeSet<UserId> = targets
                .iter()
                .filter(|(_, target)| match &target.companies {
                    CompanyScope::All(_) => !ids.is_empty(),
                    CompanyScope::Listed(theirs) => !theirs.is_disjoint(&ids),
                })
                .map(|(id, _)| *id)
                .collect();
            let raw: Vec<i64> = ids.iter().map(|c| c.0).collect();
            assert_eq!(
                found_by_sql(&pool, org, &raw).await,
                expected,
                "organization {spec:?}, companies {ids:?}"
            );
            asked += 1;
        }
    }
    assert!(asked >= CASES, "every organization was asked about");
}
