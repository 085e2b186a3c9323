//! The Content-Security-Policy of every response (security-sensitive).
//! Pages allow only their own files and the scripts that carry the page's
//! nonce (the hydration script and the resources' data); WASM needs
//! `'wasm-unsafe-eval'` to compile, and nothing else is loosened. No page
//! may be framed, so no other site can overlay clicks on "Save permissions"
//! or "Switch to account".

use leptos::prelude::*;

/// The policy, allowing the scripts that carry `nonce`; without one (every
/// answer that is not a page) no script runs at all.
pub fn policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'none'".to_owned(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Gives the page being rendered its policy, naming the nonce leptos put
/// on the page's scripts. Called from the shell, so every rendered page has
/// it (error pages included).
pub fn set_for_page() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy(Some(&nonce.to_string()))) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn scripts_need_the_nonce_and_nothing_is_loosened() {
        let page = policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        for directive in [
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
            "form-action 'self'",
        ] {
            assert!(page.contains(directive), "{directive} in {page}");
        }
        assert!(!page.contains("unsafe-inline") && !page.contains("'unsafe-eval'"));
        assert!(policy(None).contains("script-src 'none'"));
    }
}
