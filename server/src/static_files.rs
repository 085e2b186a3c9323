//! How long browsers keep what they download. The release site's files
//! carry their content hash in their names (scripts/build-site.sh), so a
//! browser may keep them for a year without asking again: a new release
//! has new names. Pages are asked for again each time (`no-cache`), and so
//! is any file whose name carries no hash. The files are sent brotli- or
//! gzip-compressed from their precompressed copies (tower-http's
//! `ServeDir` picks the copy the browser accepts, server/src/router.rs).

use std::path::Path;

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;

/// For a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For pages and files whose names do not change: ask each time.
pub const REVALIDATE: &str = "no-cache";

/// The list of hashed names the site build writes into the site root.
const HASH_LIST: &str = "hash.txt";

/// Makes the pages name the hashed files when the site was built with
/// hashes (a release build); a development site keeps the plain names.
/// Leptos looks the list up beside the server binary unless given an
/// absolute path, so any binary can serve any site.
pub fn use_hashed_names(options: &mut LeptosOptions) {
    let list = Path::new(options.site_root.as_ref()).join(HASH_LIST);
    let Ok(list) = std::path::absolute(list) else {
        return;
    };
    options.hash_files = list.is_file();
    if options.hash_files {
        options.hash_file = list.to_string_lossy().into();
    }
}

/// Whether a request path names a file whose name carries its content hash:
/// under `/pkg/`, with a 22-character base64url segment between dots (an
/// MD5 digest, as cargo-leptos writes it: `portcullis.<hash>.wasm`).
pub fn is_hashed(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let mut parts = file.split('.');
    // The first part is the name itself, the last the extension.
    parts.next();
    let middle: Vec<&str> = parts.collect();
    middle.split_last().is_some_and(|(_, segments)| {
        segments.iter().any(|segment| {
            segment.len() == 22
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    })
}

/// Sets `Cache-Control` where the handler did not. A file from the site
/// root is the one answer with `Last-Modified`.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let is_file = response.headers().contains_key(header::LAST_MODIFIED);
    if is_file {
        // Each file is sent in the encoding the browser accepts, so a cache
        // between must keep one copy per encoding.
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let success = response.status().is_success();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let value = if hashed && success {
        IMMUTABLE
    } else if is_page || is_file {
        REVALIDATE
    } else {
        return response;
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        for path in [
            "/pkg/portcullis.AbCdEfGhIjKlMnOpQrStUv.wasm",
            "/pkg/portcullis.AbCdEfGh-jKlMnOpQrSt_v.js",
            "/pkg/split_users_page.0123456789abcdefghijkl.wasm",
            "/pkg/__wasm_split.0123456789abcdefghijkl.js",
            "/pkg/__wasm_split_manifest.0123456789abcdefghijkl.json",
        ] {
            assert!(is_hashed(path), "{path}");
        }
    }

    #[test]
    fn plain_names_and_other_places_are_not() {
        for path in [
            "/pkg/portcullis.wasm",
            "/pkg/portcullis.css",
            // 21 and 23 characters.
            "/pkg/portcullis.AbCdEfGhIjKlMnOpQrStU.wasm",
            "/pkg/portcullis.AbCdEfGhIjKlMnOpQrStUvW.wasm",
            // A character outside base64url.
            "/pkg/portcullis.AbCdEfGhIjKlMnOpQrSt+v.wasm",
            // The hash must not be the extension.
            "/pkg/portcullis.AbCdEfGhIjKlMnOpQrStUv",
            "/favicon.svg",
            "/users",
            "/other/portcullis.AbCdEfGhIjKlMnOpQrStUv.wasm",
        ] {
            assert!(!is_hashed(path), "{path}");
        }
    }
}
