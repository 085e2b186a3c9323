//! Claims: listed, filtered, exported and changed only in the company the
//! session acts in, each action with its own permission and only in the
//! statuses it fits; audited; every refusal.

use crate::common;

use app::{
    claims::{AMOUNT_ORDER_MESSAGE, ClaimDetail, ClaimsPage, DATE_MESSAGE, DATE_ORDER_MESSAGE},
    model::{
        claim::{AMOUNT_MESSAGE, ClaimStatus},
        validation::Field,
    },
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, company_id, enrolled_admin_session, expect_status, invalid_call,
    signed_in,
};
use sqlx::PgPool;

const NO_FILTERS: &str =
    "filters[status]=&filters[payer]=&filters[from]=&filters[to]=&filters[min]=&filters[max]=";

async fn list(router: &Router, cookie: &str, form: &str) -> ClaimsPage {
    call_ok(router, cookie, "list_claims", form).await
}

/// The demo claim of `company` in `status` (one of each per company).
async fn claim(pool: &PgPool, company: &str, status: ClaimStatus) -> (i64, i32) {
    sqlx::query_as(
        "SELECT c.id, c.version FROM claims c JOIN companies co ON co.id = c.company_id
         WHERE co.name = $1 AND c.status = $2",
    )
    .bind(company)
    .bind(status.key())
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn status_of(pool: &PgPool, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM claims WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap()
}

fn act(id: i64, version: i32, action: &str) -> String {
    format!("claim_id={id}&version={version}&action={action}")
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_list_shows_the_acting_companys_claims_with_filters_and_pages(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let pat = signed_in(&router, "pat.partner@northwind.example").await;

    let south = list(&router, &pat, NO_FILTERS).await;
    assert_eq!(south.company, "South Clinic");
    assert_eq!(south.total, 5);
    assert!(south.claims.iter().all(|c| c.number.starts_with("SC-")));
    let dates: Vec<&str> = south
        .claims
        .iter()
        .map(|c| c.service_date.as_str())
        .collect();
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first);

    let paid = list(
        &router,
        &pat,
        &NO_FILTERS.replace("filters[status]=", "filters[status]=paid"),
    )
    .await;
    assert_eq!(paid.claims.len(), 1);
    assert_eq!(paid.claims[0].status, ClaimStatus::Paid);
    // Service dates are 2026-10-01 + 0, 3, 6, 9, 12 days; amounts 125.00 + 42.50 steps.
    let window = NO_FILTERS
        .replace("filters[from]=", "filters[from]=2026-10-04")
        .replace("filters[to]=", "filters[to]=2026-10-10");
    assert_eq!(
        list(&router, &pat, &window).await.total,
        3,
        "10-04, 10-07 and 10-10: both ends count"
    );
    let amounts = NO_FILTERS
        .replace("filters[min]=", "filters[min]=150")
        .replace("filters[max]=", "filters[max]=$210.00");
    assert_eq!(list(&router, &pat, &amounts).await.total, 2);

    // Bad filters: each field says what is wrong.
    let bad = invalid_call(
        &router,
        &pat,
        "list_claims",
        &NO_FILTERS
            .replace("filters[from]=", "filters[from]=2026-13-01")
            .replace("filters[min]=", "filters[min]=lots")
            .replace("filters[status]=", "filters[status]=lost"),
    )
    .await;
    assert_eq!(bad.get(Field::DateFrom), Some(DATE_MESSAGE));
    assert_eq!(bad.get(Field::AmountMin), Some(AMOUNT_MESSAGE));
    assert!(bad.get(Field::Status).is_some());
    let reversed = invalid_call(
        &router,
        &pat,
        "list_claims",
        &NO_FILTERS
            .replace("filters[from]=", "filters[from]=2026-10-10")
            .replace("filters[to]=", "filters[to]=2026-10-01")
            .replace("filters[min]=", "filters[min]=10")
            .replace("filters[max]=", "filters[max]=5"),
    )
    .await;
    assert_eq!(reversed.get(Field::DateTo), Some(DATE_ORDER_MESSAGE));
    assert_eq!(reversed.get(Field::AmountMax), Some(AMOUNT_ORDER_MESSAGE));

    // Keyset paging over 120 more claims: every claim once.
    let south_id = company_id(&pool, "South Clinic").await;
    sqlx::query(
        "INSERT INTO claims (org_id, company_id, claim_number, patient_name, service_date, amount_cents)
         SELECT org_id, id, 'SX-' || lpad(n::text, 4, '0'), 'Patient ' || n, DATE '2026-01-01' + (n % 40), 1000 * n
         FROM companies, generate_series(1, 120) n WHERE id = $1",
    )
    .bind(south_id)
    .execute(&pool)
    .await
    .unwrap();
    let mut seen = vec![];
    let mut after = String::new();
    loop {
        let page = list(&router, &pat, &format!("{NO_FILTERS}{after}")).await;
        assert_eq!(page.total, 125);
        seen.extend(page.claims.iter().map(|c| c.id));
        match page.next_after {
            Some(id) => after = format!("&after={id}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (125, 125));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn each_action_needs_its_permission_and_a_fitting_status(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // Sam: Payment Poster in North Clinic (Payments: post, no refund, no delete).
    let sam = signed_in(&router, "sam.support@northwind.example").await;
    let (submitted, v) = claim(&pool, "North Clinic", ClaimStatus::Submitted).await;
    let posted: String = call_ok(
        &router,
        &sam,
        "act_on_claim",
        &act(submitted, v, "post_payment"),
    )
    .await;
    assert_eq!(posted, "The claim is now paid.");
    assert_eq!(status_of(&pool, submitted).await.as_deref(), Some("paid"));
    // The same form again: the version moved on.
    assert_eq!(
        call(
            &router,
            &sam,
            "act_on_claim",
            &act(submitted, v, "post_payment")
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    expect_status(
        &router,
        &sam,
        &[("act_on_claim", act(submitted, v + 1, "refund"))],
        StatusCode::FORBIDDEN,
    )
    .await;
    // Nor may he change a claim (Claims: edit).
    let (north_draft, ndv) = claim(&pool, "North Clinic", ClaimStatus::Draft).await;
    let change = format!(
        "claim_id={north_draft}&version={ndv}&patient=Eve&service_date=2026-10-02&amount=1"
    );
    expect_status(
        &router,
        &sam,
        &[("edit_claim", change)],
        StatusCode::FORBIDDEN,
    )
    .await;
    let detail: ClaimDetail = call_ok(
        &router,
        &sam,
        "load_claim",
        &format!("claim_id={submitted}"),
    )
    .await;
    assert_eq!(detail.claim.status, ClaimStatus::Paid);

    // Ada, an Administrator acting in North Clinic, may do anything the status allows.
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    let north = company_id(&pool, "North Clinic").await;
    let _: String = call_ok(
        &router,
        &ada,
        "switch_company",
        &format!("company_id={north}"),
    )
    .await;
    let refunded: String = call_ok(
        &router,
        &ada,
        "act_on_claim",
        &act(submitted, v + 1, "refund"),
    )
    .await;
    assert_eq!(refunded, "The claim is now refunded.");
    let (paid, pv) = claim(&pool, "North Clinic", ClaimStatus::Paid).await;
    let wrong = call(&router, &ada, "act_on_claim", &act(paid, pv, "delete")).await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert!(wrong.body.contains("Only draft claims"), "{}", wrong.body);
    let (draft, dv) = claim(&pool, "North Clinic", ClaimStatus::Draft).await;
    let deleted = call(&router, &ada, "act_on_claim", &act(draft, dv, "delete")).await;
    assert!(
        deleted.status.is_success() || deleted.status.is_redirection(),
        "{}",
        deleted.body
    );
    assert_eq!(status_of(&pool, draft).await, None);

    // Pat edits South Clinic's draft; not a paid one; and deletes nothing.
    let pat = signed_in(&router, "pat.partner@northwind.example").await;
    let (south_draft, sv) = claim(&pool, "South Clinic", ClaimStatus::Draft).await;
    let edit = |id: i64, version: i32, amount: &str| {
        format!(
            "claim_id={id}&version={version}&patient=Alex+Morgan-Reyes&service_date=2026-10-02&amount={amount}"
        )
    };
    let saved: String = call_ok(
        &router,
        &pat,
        "edit_claim",
        &edit(south_draft, sv, "130.25"),
    )
    .await;
    assert_eq!(saved, "The claim has been saved.");
    let cents: i64 = sqlx::query_scalar("SELECT amount_cents FROM claims WHERE id = $1")
        .bind(south_draft)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(cents, 13_025);
    let bad = invalid_call(
        &router,
        &pat,
        "edit_claim",
        &edit(south_draft, sv + 1, "a lot"),
    )
    .await;
    assert_eq!(bad.get(Field::Amount), Some(AMOUNT_MESSAGE));
    let (south_paid, spv) = claim(&pool, "South Clinic", ClaimStatus::Paid).await;
    let (south_submitted, _) = claim(&pool, "South Clinic", ClaimStatus::Submitted).await;
    assert_eq!(
        call(&router, &pat, "edit_claim", &edit(south_paid, spv, "1"))
            .await
            .status,
        StatusCode::CONFLICT
    );
    expect_status(
        &router,
        &pat,
        &[
            ("act_on_claim", act(south_draft, sv + 1, "delete")),
            ("act_on_claim", act(south_paid, spv, "refund")),
            // Posting payments is a payment poster's (Payments: post).
            ("act_on_claim", act(south_submitted, 1, "post_payment")),
            ("export_claims", NO_FILTERS.to_owned()),
        ],
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(status_of(&pool, south_draft).await.is_some());
    assert_eq!(
        status_of(&pool, south_submitted).await.as_deref(),
        Some("submitted")
    );

    // Claims of a company one does not act in are not found, whatever the id.
    expect_status(
        &router,
        &pat,
        &[
            ("load_claim", format!("claim_id={paid}")),
            ("edit_claim", edit(paid, pv, "1")),
        ],
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        call(
            &router,
            &pat,
            "act_on_claim",
            &act(south_draft, sv + 1, "launch")
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(audit_count(&pool, "claim.post_payment").await, 1);
    assert_eq!(audit_count(&pool, "claim.refund").await, 1);
    assert_eq!(audit_count(&pool, "claim.delete").await, 1);
    assert_eq!(audit_count(&pool, "claim.edit").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn exports_need_the_permission_and_are_audited(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    // Mia: Self-Service Manager (Claims: export) in Harbor Imaging.
    let mia = signed_in(&router, "mia.manager@northwind.example").await;
    let csv: String = call_ok(&router, &mia, "export_claims", NO_FILTERS).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        r#""Claim","Patient","Payer","Service date","Amount","Status""#
    );
    assert_eq!(lines.len(), 6);
    assert!(lines[1..].iter().all(|l| l.starts_with("\"HI-")), "{csv}");
    assert!(csv.contains("\"$125.00\""));
    assert_eq!(audit_count(&pool, "claims.export").await, 1);

    // Nobody signed in: nothing at all.
    let (id, version) = claim(&pool, "Harbor Imaging", ClaimStatus::Paid).await;
    expect_status(
        &router,
        "",
        &[
            ("list_claims", NO_FILTERS.to_owned()),
            ("export_claims", NO_FILTERS.to_owned()),
            ("load_claim", format!("claim_id={id}")),
            ("act_on_claim", act(id, version, "refund")),
            (
                "edit_claim",
                format!(
                    "claim_id={id}&version={version}&patient=X&service_date=2026-10-01&amount=1"
                ),
            ),
        ],
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // A vendor's staff act in no company: refused.
    let victor = signed_in(&router, "victor.staff@claimwise.example").await;
    assert_eq!(
        call(&router, &victor, "list_claims", NO_FILTERS)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(status_of(&pool, id).await.as_deref(), Some("paid"));
    assert_eq!(audit_count(&pool, "claims.export").await, 1);
}
