//! Hostile input, generated: every registered server function that takes
//! input gets 10,000 requests built from a valid form with fields replaced
//! by what an attacker or a broken client sends -- overlong strings,
//! control, invisible and mixed-script characters, SQL and HTML
//! metacharacters, out-of-range numbers, malformed percent-encoding and
//! invalid UTF-8, missing, repeated and deeply nested fields -- through the
//! whole router against PostgreSQL, as a caller who may use the function.
//!
//! Every answer must be a success (the input was valid after all) or a
//! refusal the user can read (`AppError` with its message, never a server
//! fault), no request may panic the server, and a refused request changes
//! nothing: no audit event (every change writes one, `audit_walk.rs`) but
//! the record of a failed sign-in, and across a function's refusals not one
//! row of any table. The cases are
//! the same on every run (a fixed seed), so a failure can be replayed.

use crate::common;

use std::collections::BTreeSet;

use app::error::AppError;
use common::{Reply, company_id, encode, enrolled_admin_session, org_id, user_id};
use futures_util::{StreamExt, stream};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRng, TestRunner},
};
use server::demo::{CUSTOMER, SECOND_CUSTOMER};
use sqlx::PgPool;

/// Cases per function (the issue asks for at least 10,000 per form);
/// `HOSTILE_CASES` sets fewer for a quick local run.
fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// Cases generated and checked together, and how many are in flight.
const BATCH: u32 = 250;
const IN_FLIGHT: usize = 8;

/// Registered functions that read no input at all, so a hostile body has
/// nothing to reach (extra fields are ignored by the decoder).
const NO_INPUT: &[&str] = &[
    "common_passwords",
    "who_am_i",
    "load_profile",
    "two_factor_status",
    "list_catalog",
    "list_companies",
    "new_user_options",
    "locked_users",
    "list_undelivered_mail",
    "list_roles",
    "permissions_by_page",
    "system_status",
    "vendor_settings",
    "account_offer",
    "list_tickets",
    "support_contacts",
    "load_service_type",
    "load_mailbox",
    "sign_out",
    "begin_two_factor",
    "new_recovery_codes",
    "return_to_vendor",
    "platform_staff",
    "vendor_link_requests",
];

/// Who sends a function's forms.
#[derive(Clone, Copy)]
enum As {
    Visitor,
    Customer,
    Vendor,
    /// A Platform Administrator.
    Platform,
}

/// One text a hostile client puts where a field's value goes, already in
/// the body's encoding (so it can be malformed on purpose).
fn hostile_value() -> impl Strategy<Value = String> {
    let texts = prop_oneof![
        // Overlong (far past every field's limit; bodies past the size
        // limit are `http.rs`'s).
        (1usize..5_000, "[a-zA-Z ]").prop_map(|(n, c)| c.repeat(n)),
        Just("x".repeat(20_000)),
        // Control, invisible and direction-changing characters.
        "[\\x00-\\x1f\\x7f\u{200b}\u{200e}\u{202e}\u{2066}\u{feff}]{1,8}",
        "[a-z]{0,5}[\\x00\\n\\r\\t\u{202e}][a-z]{0,5}",
        // Mixed scripts and lookalikes, combining marks, emoji.
        "[a-zа-яα-ω\u{0301}\u{0336}😀]{1,40}",
        // SQL and HTML metacharacters, alone and in known payloads.
        "['\";\\\\%_<>&/*=-]{1,20}",
        prop::sample::select(vec![
            "' OR '1'='1",
            "1; DROP TABLE users; --",
            "\\'; SELECT pg_sleep(5); --",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "{{7*7}}${7*7}",
            "../../etc/passwd",
            "%00",
            "null",
            "[]",
        ])
        .prop_map(str::to_owned),
        // Numbers out of range or not numbers at all.
        prop::sample::select(vec![
            "-1",
            "0",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "1e309",
            "NaN",
            "0x10",
            " 12 ",
            "12.5",
            "2026-02-30",
            "99999-01-01",
            "",
        ])
        .prop_map(str::to_owned),
        // Anything at all.
        any::<String>(),
    ];
    prop_oneof![
        4 => texts.prop_map(|text| encode(&text)),
        // Malformed encodings: stray and short escapes, invalid UTF-8.
        1 => prop::sample::select(vec![
            "%", "%z", "%zz", "%c3%28", "%ff%fe", "%e2%82", "%ed%a0%80", "%C0%AF", "%%", "+%",
        ])
        .prop_map(str::to_owned),
    ]
}

/// What a hostile client does to one form: replaces some fields' values,
/// drops or repeats fields, adds fields the form does not have, nests.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(prop::sample::Index, String),
    ReplaceAll(Vec<String>),
    Drop(prop::sample::Index),
    Repeat(prop::sample::Index, String),
    Unknown(String, String),
    Nest(prop::sample::Index, usize),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        6 => (any::<prop::sample::Index>(), hostile_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => prop::collection::vec(hostile_value(), 1..12).prop_map(Mutation::ReplaceAll),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Drop),
        1 => (any::<prop::sample::Index>(), hostile_value()).prop_map(|(i, v)| Mutation::Repeat(i, v)),
        1 => ("[a-z_\\[\\]0-9%]{1,20}", hostile_value()).prop_map(|(k, v)| Mutation::Unknown(k, v)),
        1 => (any::<prop::sample::Index>(), 1usize..12).prop_map(|(i, depth)| Mutation::Nest(i, depth)),
    ];
    prop::collection::vec(one, 1..4)
}

/// `template`'s fields with `mutations` applied, as a form body.
fn hostile_form(template: &str, mutations: &[Mutation]) -> String {
    let mut fields: Vec<(String, String)> = template
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect();
    for mutation in mutations {
        let len = fields.len();
        match mutation {
            Mutation::Replace(i, value) if len > 0 => fields[i.index(len)].1 = value.clone(),
            Mutation::ReplaceAll(values) => {
                for (field, value) in fields.iter_mut().zip(values.iter().cycle()) {
                    field.1 = value.clone();
                }
            }
            Mutation::Drop(i) if len > 0 => {
                fields.remove(i.index(len));
            }
            Mutation::Repeat(i, value) if len > 0 => {
                let key = fields[i.index(len)].0.clone();
                fields.push((key, value.clone()));
            }
            Mutation::Nest(i, depth) if len > 0 => {
                fields[i.index(len)].0.push_str(&"[a]".repeat(*depth));
            }
            Mutation::Unknown(key, value) => fields.push((key.clone(), value.clone())),
            _ => {}
        }
    }
    fields
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Everything a refused request could change, but for what it records on
/// purpose (failed sign-ins and their lockouts).
async fn fingerprint(pool: &PgPool) -> String {
    let ignoring = common::Ignoring {
        actions: AUDITED_REFUSALS,
        lockouts: true,
        ..Default::default()
    };
    common::fingerprint(pool, &ignoring).await
}

/// Refusals that are recorded on purpose: failed sign-ins and second
/// factors, and the lockout they lead to.
const AUDITED_REFUSALS: &[&str] = &[
    "auth.sign_in_failed",
    "auth.second_factor_failed",
    "auth.lockout",
];

/// A refusal must be one the user can read: the error type's own answer,
/// with a message, never a server fault.
fn assert_readable_refusal(reply: &Reply, endpoint: &str, form: &str) {
    let shown = || {
        format!(
            "{endpoint} {}: {} for {form:.300}",
            reply.status, reply.body
        )
    };
    assert!(
        !reply.status.is_server_error(),
        "a server fault: {}",
        shown()
    );
    assert!(reply.status.is_client_error(), "{}", shown());
    let error: AppError = serde_json::from_str(&reply.body)
        .unwrap_or_else(|_| panic!("not an error the page can show: {}", shown()));
    assert!(!error.to_string().trim().is_empty(), "{}", shown());
    if let AppError::Invalid(fields) = &error {
        assert!(!fields.is_empty(), "no field named: {}", shown());
    }
}

/// The functions are fuzzed in three parts, each against a database of its
/// own, so the test threads share the work: a part takes every third form
/// of the list, in its order.
const PARTS: usize = 3;

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn hostile_input_never_faults_and_refusals_change_nothing_part_1(pool: PgPool) {
    fuzz(pool, 0).await;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn hostile_input_never_faults_and_refusals_change_nothing_part_2(pool: PgPool) {
    fuzz(pool, 1).await;
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn hostile_input_never_faults_and_refusals_change_nothing_part_3(pool: PgPool) {
    fuzz(pool, 2).await;
}

async fn fuzz(pool: PgPool, part: usize) {
    let (router, ada) = common::demo_admin(&pool, "ada.admin@northwind.example").await;
    let (vera, _) = enrolled_admin_session(&router, "vera.vendor@claimwise.example").await;
    let (paula, _) = enrolled_admin_session(&router, "paula.platform@portcullis.example").await;
    let meridian = org_id(&pool, server::demo::SECOND_VENDOR).await;
    let north = company_id(&pool, "North Clinic").await;
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let claimwise = org_id(&pool, server::demo::VENDOR).await;
    let int = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let role = int("SELECT role_id FROM users WHERE email = 'pat.partner@northwind.example'").await;
    let claim = int("SELECT id FROM claims WHERE status = 'draft' ORDER BY id LIMIT 1").await;
    let ticket = int("SELECT id FROM support_tickets ORDER BY id LIMIT 1").await;
    let payer = int("SELECT id FROM payers ORDER BY id LIMIT 1").await;
    let event = int("SELECT max(id) FROM audit_events").await;
    let filters =
        "filters[status]=&filters[payer]=&filters[from]=&filters[to]=&filters[min]=&filters[max]=";

    // A valid form for every function that takes input, sent by a caller
    // who may use it (the audit walk calls each of these successfully).
    let forms: Vec<(&str, As, String)> = vec![
        ("sign_in", As::Visitor, "email=ben.backup%40northwind.example&password=portcullis+demo".into()),
        ("request_password_reset", As::Visitor, "email=pat.partner%40northwind.example".into()),
        ("check_password_link", As::Visitor, "token=abcdef0123456789".into()),
        ("reset_password", As::Visitor, "token=abcdef0123456789&new_password=violet+harbour+lantern&confirm_password=violet+harbour+lantern".into()),
        ("list_users", As::Customer, "search=&status=&account_type=".into()),
        ("load_user", As::Customer, format!("user_id={pat}")),
        ("load_user_permissions", As::Customer, format!("user_id={pat}")),
        ("explain_user", As::Customer, format!("user_id={pat}")),
        ("sign_in_lock", As::Customer, format!("user_id={pat}")),
        ("unlock_sign_in", As::Customer, format!("user_id={pat}")),
        ("send_mail_again", As::Customer, "mail_id=1".into()),
        ("invitation_link", As::Customer, "mail_id=1".into()),
        ("load_role", As::Customer, format!("role_id={role}")),
        ("list_audit", As::Customer, "action=&actor=&vendor=&from=&to=&before=".into()),
        ("load_audit_event", As::Customer, format!("event_id={event}")),
        ("switch_company", As::Customer, format!("company_id={north}")),
        ("list_claims", As::Customer, filters.into()),
        ("export_claims", As::Customer, filters.into()),
        ("load_claim", As::Customer, format!("claim_id={claim}")),
        ("edit_claim", As::Customer, format!("claim_id={claim}&version=1&patient=Eve+Example&service_date=2026-10-02&amount=12.50")),
        ("act_on_claim", As::Customer, format!("claim_id={claim}&version=1&action=post_payment")),
        ("save_entry", As::Customer, format!("catalog=payers&entry_id={payer}&version=1&name=Cigna&detail=ci01")),
        ("plan_copy", As::Customer, format!("catalog=payers&entry_id={payer}&children[0]={north}")),
        ("copy_down", As::Customer, format!("catalog=payers&entry_id={payer}&children[0]={north}")),
        ("delete_entry", As::Customer, format!("catalog=payers&entry_id={payer}&version=1")),
        ("create_company", As::Customer, "name=West+Clinic".into()),
        ("update_company", As::Customer, format!("company_id={north}&version=1&name=North+Clinic&status=active")),
        ("create_role", As::Customer, "name=Biller&description=Posts+claims&template=practice_admin".into()),
        ("set_service_type", As::Customer, "service_type=revequip&version=1".into()),
        ("update_role", As::Customer, format!("role_id={role}&version=1&name=Front&description=Desk&permissions[0]=claims.view&companies[0]={north}")),
        ("delete_role", As::Customer, format!("role_id={role}&version=1&move_to=")),
        ("add_user", As::Customer, format!("first_name=New&last_name=Person&email=new%40northwind.example&account_type=standard&user_type=partner&company_id={north}&role_id={role}&companies[0]={north}")),
        ("update_user_profile", As::Customer, format!("user_id={pat}&version=1&first_name=Pat&last_name=Partner&email=pat.partner%40northwind.example&status=active")),
        ("update_user_permissions", As::Customer, format!("user_id={pat}&version=1&account_type=standard&user_type=partner&company_id={north}&role_id={role}&companies[0]={north}")),
        ("bulk_update_users", As::Customer, format!("action=deactivate&users[0]={pat}&role_id=&company_id=")),
        ("open_ticket", As::Customer, "subject=Payer+rejects+NPI&message=Since+Monday&claims=NC-0001".into()),
        ("search_help", As::Customer, "query=vendor+access".into()),
        ("suggest_help", As::Customer, "subject=locked+out".into()),
        ("help_article", As::Customer, "slug=vendor-access".into()),
        ("load_ticket", As::Customer, format!("ticket_id={ticket}")),
        ("comment_on_ticket", As::Customer, format!("ticket_id={ticket}&body=More+detail")),
        ("ask_vendor_for_help", As::Customer, format!("ticket_id={ticket}&vendor_id={claimwise}")),
        ("set_ticket_status", As::Customer, format!("ticket_id={ticket}&version=1&status=waiting")),
        ("cc_on_ticket", As::Customer, format!("ticket_id={ticket}&user_id={pat}")),
        ("set_vendor_access", As::Customer, format!("vendor_id={claimwise}&version=1&tier=full&length=1h&until=&reverts_to=all_support")),
        ("revert_vendor_access", As::Customer, format!("vendor_id={claimwise}&version=1")),
        ("linked_accounts", As::Vendor, "search=".into()),
        ("account_claims", As::Vendor, format!("customer_id={riverside}")),
        ("load_account", As::Vendor, format!("customer_id={riverside}")),
        ("save_account_settings", As::Vendor, format!("customer_id={riverside}&version=1&professional_claims=on")),
        ("send_password_link", As::Vendor, format!("customer_id={riverside}&user_id={pat}")),
        ("create_api_key", As::Vendor, format!("customer_id={riverside}&name=Billing+sync")),
        ("revoke_api_key", As::Vendor, format!("customer_id={riverside}&key_id=1")),
        ("add_account", As::Vendor, "name=Lakeside+Clinic&settings[professional_claims]=on&contact[first_name]=Lena&contact[last_name]=Lake&contact[email]=lena%40lakeside.example&contact[phone]=503-555-0142&plan=starter".into()),
        ("switch_to_account", As::Vendor, format!("customer_id={northwind}")),
        ("request_vendor_link", As::Customer, format!("other={claimwise}&max_tier=limited")),
        ("consent_to_link", As::Customer, "request_id=1&version=1&max_tier=limited".into()),
        ("decline_link", As::Customer, "request_id=1&version=2".into()),
        ("unlink_vendor", As::Customer, format!("other={meridian}")),
        ("platform_organizations", As::Platform, "search=north&kind=customer".into()),
        ("load_organization", As::Platform, format!("org_id={riverside}")),
        ("create_organization", As::Platform, "kind=vendor&name=Acme+Billing&first_name=Olga&last_name=Owens&email=olga%40acme.example".into()),
        ("rename_organization", As::Platform, format!("org_id={riverside}&version=1&name=Riverside+Health")),
        ("set_organization_suspended", As::Platform, format!("org_id={riverside}&version=1&suspended=true")),
        ("add_platform_staff", As::Platform, "first_name=Tina&last_name=Tech&email=tina%40portcullis.example&role=support_agent".into()),
        ("support_desk", As::Platform, "organization=north&status=open&age=7&assignee=me".into()),
        ("load_desk_view", As::Platform, format!("ticket_id={ticket}")),
        ("assign_ticket", As::Platform, format!("ticket_id={ticket}&version=1&assignee=")),
        ("open_ticket_for", As::Platform, format!("org_id={northwind}&subject=Verification&message=We+called+back.")),
        ("propose_change", As::Platform, format!("ticket_id={ticket}&change=make_support_user&user_id={pat}&reason=Asked+by+Ada")),
        ("decide_change", As::Platform, "change_id=1&approve=true".into()),
        ("complete_vendor_link", As::Platform, "request_id=1&version=1&tier=limited".into()),
        // Last: one's own sign-in and account.
        ("verify_two_factor", As::Customer, "code=123456".into()),
        ("confirm_two_factor", As::Customer, "code=123456".into()),
        ("change_password", As::Customer, "current_password=wrong+guess+here&new_password=violet+harbour+lantern&confirm_password=violet+harbour+lantern".into()),
        ("update_profile", As::Customer, "first_name=Ada&last_name=Admin&email=ada.admin%40northwind.example&version=1".into()),
    ];

    // Every registered function is either fuzzed here or reads no input.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let covered: BTreeSet<String> = forms
        .iter()
        .map(|(endpoint, _, _)| (*endpoint).to_owned())
        .chain(NO_INPUT.iter().map(|e| (*e).to_owned()))
        .collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(missing.is_empty(), "no hostile forms for {missing:?}");

    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = mutations();
    let mut accepted_total = 0usize;
    for (endpoint, who, template) in forms.iter().skip(part).step_by(PARTS) {
        let cookie = match who {
            As::Visitor => "",
            As::Customer => ada.as_str(),
            As::Vendor => vera.as_str(),
            As::Platform => paula.as_str(),
        };
        let before = fingerprint(&pool).await;
        let mut accepted = 0usize;
        let mut sent = 0u32;
        while sent < cases() {
            // A batch at a time, a few requests in flight (the database
            // works while the router decodes); each request carries its
            // own id, which the audit log records, so a refused request
            // that wrote an event is found whatever else ran beside it.
            let batch: Vec<(String, String)> = (sent..cases().min(sent + BATCH))
                .map(|n| {
                    let mutation = strategy.new_tree(&mut runner).unwrap().current();
                    (
                        format!("hostile-{endpoint}-{n}"),
                        hostile_form(template, &mutation),
                    )
                })
                .collect();
            sent += BATCH;
            let replies: Vec<(String, String, Reply)> = stream::iter(batch)
                .map(|(id, form)| {
                    let router = router.clone();
                    async move {
                        let headers = [("cookie", cookie), ("x-request-id", id.as_str())];
                        let reply = common::post_form_with(
                            router,
                            &format!("/api/{endpoint}"),
                            &form,
                            &headers,
                        )
                        .await;
                        (id, form, reply)
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .collect()
                .await;
            let mut refused = Vec::new();
            for (id, form, reply) in &replies {
                if reply.status.is_success() {
                    accepted += 1;
                } else {
                    assert_readable_refusal(reply, endpoint, form);
                    refused.push(id.clone());
                }
            }
            let written: Vec<(String, String)> = sqlx::query_as(
                "SELECT request_id, action FROM audit_events
                 WHERE request_id = ANY($1) AND action <> ALL($2)",
            )
            .bind(&refused)
            .bind(AUDITED_REFUSALS)
            .fetch_all(&pool)
            .await
            .unwrap();
            if let Some((id, action)) = written.first() {
                let form = &replies.iter().find(|(i, _, _)| i == id).unwrap().1;
                panic!("{endpoint}: a refused request wrote {action}: {form:.300}");
            }
        }
        if accepted == 0 {
            assert_eq!(
                fingerprint(&pool).await,
                before,
                "{endpoint}: refused requests changed something"
            );
        }
        eprintln!("{endpoint}: {} cases, {accepted} accepted", cases());
        accepted_total += accepted;
    }
    eprintln!("accepted in part {}: {accepted_total}", part + 1);
}
