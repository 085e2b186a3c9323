//! The table as JSON, kept between runs, and the change of each figure
//! against the previous run's: the numbers of a result are compared in
//! order ("0.88 ms / 1.36 ms" has two), as a percentage.

use std::path::Path;

use serde_json::{Value, json};

use crate::run::Line;

/// The numbers in a result, in order: "4.27 ms / 4.49 ms" gives 4.27 and
/// 4.49, "478/s on 2 cores" gives 478 and 2.
pub(crate) fn numbers(text: &str) -> Vec<f64> {
    let mut found = vec![];
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if c == ',' && !current.is_empty() {
            // A thousands separator: "1,000".
        } else if !current.is_empty() {
            if let Ok(n) = current.trim_end_matches('.').parse() {
                found.push(n);
            }
            current.clear();
        }
    }
    found
}

pub(crate) fn to_json(lines: &[Line], machine: &str) -> Value {
    json!({
        "machine": machine,
        "measured_at": chrono::Utc::now().to_rfc3339(),
        "lines": lines.iter().map(|l| json!({
            "measure": l.what,
            "result": l.result,
            "values": numbers(&l.result),
            "reference": l.reference,
            "target": l.target,
            "met": l.met,
        })).collect::<Vec<_>>(),
    })
}

/// Each measure of `now` also in `before`, with its results side by side
/// and the change of each number.
pub(crate) fn changes(before: &Value, now: &Value) -> String {
    let empty = vec![];
    let lines = |v: &Value| v["lines"].as_array().unwrap_or(&empty).clone();
    let previous = lines(before);
    let mut out = format!(
        "Against the previous run ({}):\n\n| measure | before | now | change |\n|---|---|---|---|\n",
        before["measured_at"].as_str().unwrap_or("unknown time")
    );
    for line in lines(now) {
        let Some(old) = previous.iter().find(|p| p["measure"] == line["measure"]) else {
            continue;
        };
        let values = |v: &Value| -> Vec<f64> {
            v["values"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        let (was, is) = (values(old), values(&line));
        let change = if was.len() == is.len() && !was.is_empty() {
            was.iter()
                .zip(&is)
                .map(|(a, b)| match *a == 0.0 {
                    true => "–".to_owned(),
                    false => format!("{:+.0}%", (b - a) / a * 100.0),
                })
                .collect::<Vec<_>>()
                .join(" / ")
        } else {
            "not comparable".to_owned()
        };
        out.push_str(&format!(
            "| {} | {} | {} | {change} |\n",
            line["measure"].as_str().unwrap_or(""),
            old["result"].as_str().unwrap_or(""),
            line["result"].as_str().unwrap_or(""),
        ));
    }
    out
}

/// Writes the run to `path`, first printing its change against the run
/// already there (kept beside it as `.previous.json`).
pub(crate) fn save(path: &Path, run: &Value) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    if let Ok(text) = std::fs::read_to_string(path) {
        match serde_json::from_str::<Value>(&text) {
            Ok(before) => println!("{}", changes(&before, run)),
            Err(e) => eprintln!(
                "bench: the previous run in {} is unreadable: {e}",
                path.display()
            ),
        }
        std::fs::rename(path, path.with_extension("previous.json"))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let text = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("bench: the table is also in {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::line;

    #[test]
    fn numbers_are_read_in_order() {
        assert_eq!(numbers("4.27 ms / 4.49 ms"), vec![4.27, 4.49]);
        assert_eq!(
            numbers("239 per core (478/s on 2 cores, 4783 requests), p99 66.38 ms"),
            vec![239.0, 478.0, 2.0, 4783.0, 99.0, 66.38]
        );
        assert_eq!(numbers("1,000,000 users."), vec![1_000_000.0]);
        assert!(numbers("not built").is_empty());
    }

    #[test]
    fn changes_compare_each_number_of_the_same_measure() {
        let before = to_json(
            &[
                line("a", "10 ms / 20 ms".into(), String::new(), "", Some(true)),
                line("gone", "1".into(), String::new(), "", None),
            ],
            "m",
        );
        let now = to_json(
            &[
                line("a", "5 ms / 30 ms".into(), String::new(), "", Some(true)),
                line("new", "1".into(), String::new(), "", None),
            ],
            "m",
        );
        let text = changes(&before, &now);
        assert!(
            text.contains("| a | 10 ms / 20 ms | 5 ms / 30 ms | -50% / +50% |"),
            "{text}"
        );
        assert!(!text.contains("gone") && !text.contains("| new"), "{text}");
    }
}
