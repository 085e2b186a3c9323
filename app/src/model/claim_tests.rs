//! Tests of `model::claim`.

use super::*;

#[test]
fn each_action_fits_only_its_statuses() {
    use ClaimStatus::*;
    let allowed = |action: ClaimAction| -> Vec<ClaimStatus> {
        ClaimStatus::ALL
            .into_iter()
            .filter(|s| action.fits(*s).is_ok())
            .collect()
    };
    assert_eq!(allowed(ClaimAction::Edit), [Draft, Denied]);
    assert_eq!(allowed(ClaimAction::PostPayment), [Submitted, Denied]);
    assert_eq!(allowed(ClaimAction::Refund), [Paid]);
    assert_eq!(allowed(ClaimAction::Delete), [Draft]);
    assert_eq!(
        ClaimAction::Refund.fits(Draft),
        Err("Only paid claims can be refunded.")
    );
}

#[test]
fn each_action_needs_its_own_permission() {
    let permissions: Vec<Permission> = ClaimAction::ALL
        .into_iter()
        .map(ClaimAction::permission)
        .collect();
    assert_eq!(
        permissions,
        [
            Permission::ClaimsEdit,
            Permission::PaymentsPost,
            Permission::ClaimsRefund,
            Permission::ClaimsDelete
        ]
    );
}

#[test]
fn money_reads_and_writes_dollars() {
    assert_eq!(money(12_500), "$125.00");
    assert_eq!(money(123_456_789), "$1,234,567.89");
    assert_eq!(money(5), "$0.05");
    assert_eq!(parse_money("125"), Ok(12_500));
    assert_eq!(parse_money(" $1,250.5 "), Ok(125_050));
    assert_eq!(parse_money("0.07"), Ok(7));
    for bad in ["", "abc", "1.234", "-5", "12..0", "99999999", "1000000.01"] {
        assert_eq!(parse_money(bad), Err(AMOUNT_MESSAGE), "{bad:?}");
    }
    assert_eq!(parse_money("1000000"), Ok(100_000_000));
}

#[test]
fn statuses_round_trip_through_their_keys() {
    for status in ClaimStatus::ALL {
        assert_eq!(ClaimStatus::from_key(status.key()), Some(status));
    }
    assert_eq!(ClaimStatus::from_key("lost"), None);
}
