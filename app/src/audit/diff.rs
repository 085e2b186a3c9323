//! Before and after of an audit event as a readable list of changed fields.

use serde_json::Value;

use super::Change;

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// The top-level fields whose values differ between `before` and `after`
/// (objects; anything else counts as one field named "value"), in name
/// order; a field only on one side shows as added or removed.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let as_object = |v: Option<&Value>| -> serde_json::Map<String, Value> {
        match v {
            Some(Value::Object(map)) => map.clone(),
            Some(other) => [("value".to_owned(), other.clone())].into_iter().collect(),
            None => serde_json::Map::new(),
        }
    };
    let (before, after) = (as_object(before), as_object(after));
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| Change {
            field: f.clone(),
            before: before.get(f).map(shown),
            after: after.get(f).map(shown),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_changed_fields_are_listed_by_name() {
        let before = json!({ "tier": "limited", "expires_at": null, "version": 1, "name": "Same" });
        let after = json!({ "tier": "full", "expires_at": "2026-11-24T16:05:00Z", "version": 2, "name": "Same" });
        let list = changes(Some(&before), Some(&after));
        let fields: Vec<&str> = list.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["expires_at", "tier", "version"]);
        assert_eq!(list[0].before.as_deref(), Some("—"));
        assert_eq!(list[1].before.as_deref(), Some("limited"));
        assert_eq!(list[1].after.as_deref(), Some("full"));
        assert_eq!(list[2].after.as_deref(), Some("2"));
    }

    #[test]
    fn one_sided_events_show_what_was_added_or_removed() {
        let created = changes(None, Some(&json!({ "name": "West Clinic" })));
        assert_eq!(
            created,
            [Change {
                field: "name".into(),
                before: None,
                after: Some("West Clinic".into())
            }]
        );
        let removed = changes(Some(&json!({ "name": "West Clinic" })), None);
        assert_eq!(removed[0].after, None);
        assert!(changes(None, None).is_empty());
        let scalar = changes(Some(&json!(3)), Some(&json!(4)));
        assert_eq!(scalar[0].field, "value");
    }
}
