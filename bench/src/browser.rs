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
            "≤ 400 ms",
            Some(get("interactive_ms", "p50") <= 400.0),
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
