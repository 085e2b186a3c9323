//! What the browser gets: page timing in headless Chromium, and the
//! WASM bundle's size.

use std::{net::SocketAddr, process::Command};

use crate::run::{Line, line};

/// First paint and time to interactive of the Users page in headless
/// Chromium, by the Playwright script; `None` when node or the script is
/// missing.
pub(crate) async fn page_timing(
    addr: SocketAddr,
    cookie: Option<&str>,
    script: &str,
) -> Option<Vec<Line>> {
    if script.is_empty() || !std::path::Path::new(script).exists() {
        eprintln!("bench: no page-timing script at {script:?}; skipped");
        return None;
    }
    eprintln!("bench: Users page in headless Chromium");
    let output = tokio::process::Command::new("node")
        .args([script, &format!("http://{addr}"), "-", "-", "20"])
        .env("PAGE_TIMING_COOKIE", cookie.unwrap_or_default())
        .output()
        .await;
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "bench: page timing failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("bench: cannot run node ({e}); page timing skipped");
            return None;
        }
    };
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let get = |k: &str, q: &str| json[k][q].as_f64().unwrap_or(f64::NAN);
    Some(vec![
        line(
            "Users page first paint (server-rendered), headless Chromium: p50 / p95",
            format!(
                "{:.0} ms / {:.0} ms",
                get("first_paint_ms", "p50"),
                get("first_paint_ms", "p95")
            ),
            format!(
                "a tiny static page in the same browser: {:.0} ms / {:.0} ms",
                get("static_first_paint_ms", "p50"),
                get("static_first_paint_ms", "p95")
            ),
            "≤ 100 ms",
            Some(get("first_paint_ms", "p50") <= 100.0),
        ),
        line(
            "Users page time to interactive (hydrated): p50 / p95",
            format!(
                "{:.0} ms / {:.0} ms",
                get("interactive_ms", "p50"),
                get("interactive_ms", "p95")
            ),
            "20 loads".into(),
            "≤ 200 ms",
            Some(get("interactive_ms", "p50") <= 200.0),
        ),
    ])
}

/// The main bundle's file: its name carries the content hash listed in the
/// site's `hash.txt` (scripts/build-site.sh).
fn main_bundle(pkg: &std::path::Path) -> std::path::PathBuf {
    let hashes = pkg
        .parent()
        .map(|site| site.join("hash.txt"))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    match hashes.lines().find_map(|l| l.strip_prefix("wasm:")) {
        Some(hash) => pkg.join(format!("portcullis.{}.wasm", hash.trim())),
        None => pkg.join("portcullis.wasm"),
    }
}

pub(crate) fn wasm_size(pkg: &std::path::Path) -> Line {
    let wasm = main_bundle(pkg);
    let Ok(raw) = std::fs::metadata(&wasm).map(|m| m.len()) else {
        return line(
            "WASM bundle",
            format!("not built ({})", wasm.display()),
            String::new(),
            "≤ 200 KB brotli",
            None,
        );
    };
    let brotli = Command::new("brotli")
        .args(["-c", "-q", "11"])
        .arg(&wasm)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| o.stdout.len() as u64);
    let kb = |b: u64| b as f64 / 1000.0;
    match brotli {
        Some(b) => line(
            "WASM main bundle, raw / brotli",
            format!("{:.0} KB / {:.0} KB", kb(raw), kb(b)),
            String::new(),
            "≤ 200 KB brotli",
            Some(b <= 200_000),
        ),
        None => line(
            "WASM main bundle, raw",
            format!("{:.0} KB (brotli not installed)", kb(raw)),
            String::new(),
            "≤ 200 KB brotli",
            None,
        ),
    }
}

/// Lighthouse 12.2.3's scores (performance, accessibility, best
/// practices) of the sign-in, start, Users and Edit User pages, one line
/// each, in Debian's Chromium (`CHROME_PATH`); `None` when `lighthouse` is
/// empty (bench.sh installs it). The signed-in pages get `cookie`.
pub(crate) async fn lighthouse(
    addr: SocketAddr,
    cookie: Option<&str>,
    user: i64,
    lighthouse: &str,
) -> Option<Vec<Line>> {
    if lighthouse.is_empty() {
        eprintln!("bench: no --lighthouse given; Lighthouse skipped");
        return None;
    }
    let pages = [
        ("sign-in", "/sign-in".to_owned(), false),
        ("start", "/".to_owned(), true),
        ("Users", "/users".to_owned(), true),
        ("Edit User", format!("/users/{user}"), true),
    ];
    let mut lines = vec![];
    for (name, path, signed_in) in pages {
        eprintln!("bench: Lighthouse, {name} page");
        let headers = match (signed_in, cookie) {
            (true, Some(cookie)) => serde_json::json!({ "Cookie": cookie }).to_string(),
            _ => "{}".to_owned(),
        };
        // Lighthouse loses a page's trace now and then (NO_NAVSTART): once more.
        let url = format!("http://{addr}{path}");
        let mut report = self::report(lighthouse, &url, &headers).await;
        if matches!(report, Err(Some(_))) {
            report = self::report(lighthouse, &url, &headers).await;
        }
        let (result, reference, met) = match report {
            Ok(report) => scores(&report),
            Err(Some(failure)) => ("not measured".to_owned(), failure, None),
            Err(None) => return None,
        };
        lines.push(line(
            &format!("Lighthouse, {name} page: performance / accessibility / best practices"),
            result,
            reference,
            "≥ 95 / 100 / 100",
            met,
        ));
    }
    Some(lines)
}

/// A report's three scores (out of 100), the audits that cost points
/// (for the reader), and whether the targets are met.
fn scores(report: &serde_json::Value) -> (String, String, Option<bool>) {
    let score = |category: &str| {
        report["categories"][category]["score"]
            .as_f64()
            .map(|s| (s * 100.0).round() as u32)
    };
    let scores = [
        score("performance"),
        score("accessibility"),
        score("best-practices"),
    ];
    let shown = scores.map(|s| s.map_or("–".to_owned(), |s| s.to_string()));
    let missed: Vec<&str> = report["audits"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, a)| {
            a["score"].as_f64().is_some_and(|s| s < 0.9)
                && matches!(a["scoreDisplayMode"].as_str(), Some("binary" | "numeric"))
        })
        .map(|(id, _)| id.as_str())
        .collect();
    (
        shown.join(" / "),
        if missed.is_empty() {
            "mobile emulation, simulated throttling".to_owned()
        } else {
            format!("below 0.9: {}", missed.join(", "))
        },
        Some(matches!(scores, [Some(p), Some(100), Some(100)] if p >= 95)),
    )
}

/// One Lighthouse run's JSON report of `url`; `Err(None)` when Lighthouse
/// cannot be run at all, `Err(Some(why))` when this run failed.
async fn report(
    lighthouse: &str,
    url: &str,
    headers: &str,
) -> Result<serde_json::Value, Option<String>> {
    let output = tokio::process::Command::new(lighthouse)
        .arg(url)
        .args([
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--only-categories=performance,accessibility,best-practices",
            "--output=json",
            "--quiet",
        ])
        .arg(format!("--extra-headers={headers}"))
        .output()
        .await;
    match output {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout)
            .map_err(|_| Some("Lighthouse's report is not JSON".to_owned())),
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            eprintln!("bench: Lighthouse failed on {url}: {why}");
            let first = why
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("failed");
            Err(Some(first.chars().take(120).collect()))
        }
        Err(e) => {
            eprintln!("bench: cannot run {lighthouse} ({e}); Lighthouse skipped");
            Err(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scores;
    use serde_json::json;

    #[test]
    fn reads_a_reports_scores_and_what_cost_points() {
        let report = json!({
            "categories": {
                "performance": { "score": 0.954 },
                "accessibility": { "score": 1.0 },
                "best-practices": { "score": 1.0 }
            },
            "audits": {
                "target-size": { "score": 0.0, "scoreDisplayMode": "binary" },
                "interactive": { "score": 0.95, "scoreDisplayMode": "numeric" },
                "diagnostics": { "score": 0.0, "scoreDisplayMode": "informative" }
            }
        });
        assert_eq!(
            scores(&report),
            (
                "95 / 100 / 100".to_owned(),
                "below 0.9: target-size".to_owned(),
                Some(true)
            )
        );
        let short = json!({
            "categories": {
                "performance": { "score": 0.99 },
                "accessibility": { "score": 0.95 }
            },
            "audits": {}
        });
        let (shown, reference, met) = scores(&short);
        assert_eq!(shown, "99 / 95 / –");
        assert_eq!(reference, "mobile emulation, simulated throttling");
        assert_eq!(met, Some(false));
    }
}
