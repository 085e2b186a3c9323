//! Unit tests of `ticket.rs`.

use super::*;

fn input(subject: &str, message: &str, claims: &str) -> TicketInput {
    TicketInput {
        subject: subject.to_owned(),
        message: message.to_owned(),
        claims: claims.to_owned(),
    }
}

fn fields(result: Result<ValidTicket, FieldErrors>) -> Vec<Field> {
    result.unwrap_err().0.keys().copied().collect()
}

#[test]
fn a_ticket_is_trimmed_and_its_claims_are_distinct_and_upper_case() {
    let ticket = validate_ticket(&input(
        "  Denied by Medicare ",
        "Line one\nline two\tend",
        "nc-0004, NC-0004  sc-0001",
    ))
    .unwrap();
    assert_eq!(ticket.subject, "Denied by Medicare");
    assert_eq!(ticket.message, "Line one\nline two\tend");
    assert_eq!(ticket.claim_numbers, ["NC-0004", "SC-0001"]);
    assert!(
        validate_ticket(&input("Hi", "Help", ""))
            .unwrap()
            .claim_numbers
            .is_empty()
    );
}

#[test]
fn bad_tickets_name_each_field_at_fault() {
    assert_eq!(
        fields(validate_ticket(&input(" ", "x", ""))),
        [Field::Subject]
    );
    assert_eq!(
        fields(validate_ticket(&input(&"s".repeat(201), "x", ""))),
        [Field::Subject]
    );
    assert_eq!(
        fields(validate_ticket(&input("a\nb", "x", ""))),
        [Field::Subject]
    );
    assert_eq!(
        fields(validate_ticket(&input("s", "", ""))),
        [Field::Message]
    );
    assert_eq!(
        fields(validate_ticket(&input("s", &"m".repeat(5001), ""))),
        [Field::Message]
    );
    assert_eq!(
        fields(validate_ticket(&input("s", "bell\u{7}", ""))),
        [Field::Message]
    );
    assert_eq!(
        fields(validate_ticket(&input("s", "m", "NC-0001; DROP"))),
        [Field::Claims]
    );
    let eleven: Vec<String> = (1..=11).map(|i| format!("NC-{i:04}")).collect();
    assert_eq!(
        fields(validate_ticket(&input("s", "m", &eleven.join(",")))),
        [Field::Claims]
    );
    assert_eq!(
        fields(validate_ticket(&input("", "", "<b>"))),
        [Field::Subject, Field::Message, Field::Claims]
    );
}

#[test]
fn the_longest_allowed_texts_pass() {
    let ticket = validate_ticket(&input(&"é".repeat(200), &"m".repeat(5000), "")).unwrap();
    assert_eq!(ticket.subject.chars().count(), 200);
    assert_eq!(
        validate_comment(&"c".repeat(5000)).map(|c| c.len()),
        Ok(5000)
    );
}

#[test]
fn comments_must_say_something() {
    assert_eq!(validate_comment("  Thanks!\n"), Ok("Thanks!".to_owned()));
    for bad in ["", "   ", "\u{0}", &"c".repeat(5001)] {
        let errors = validate_comment(bad).unwrap_err();
        assert_eq!(errors.get(Field::Comment), Some(COMMENT_MESSAGE));
    }
}

#[test]
fn ticket_statuses_round_trip_their_keys() {
    for status in TicketStatus::ALL {
        assert_eq!(TicketStatus::from_key(status.key()), Some(status));
    }
    assert_eq!(TicketStatus::from_key("deleted"), None);
}
