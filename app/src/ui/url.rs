//! Addresses: query strings, `data:` downloads, and which paths a sign-in
//! may return to.

/// Percent-encodes a value for a query string or a `data:` address (RFC
/// 3986 unreserved characters are kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A `data:` address that downloads `csv` as a file.
pub fn csv_download(csv: &str) -> String {
    format!("data:text/csv;charset=utf-8,{}", encode(csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_pass_unencoded() {
        assert_eq!(encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(
            encode("50% & \"é\"\r\n"),
            "50%25%20%26%20%22%C3%A9%22%0D%0A"
        );
        assert_eq!(
            csv_download("\"A\",1"),
            "data:text/csv;charset=utf-8,%22A%22%2C1"
        );
    }
}

/// `next` if it is a page of this site to return to after signing in: a
/// path starting with a single '/', with no backslash or control character
/// (which browsers may read as another host), not the sign-in page itself,
/// and of a sane length. Anything else is ignored, so a link can never send
/// a user who signs in to another site.
pub fn same_site_path(next: &str) -> Option<&str> {
    let fits = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048
        && next != "/sign-in"
        && !next.starts_with("/sign-in?");
    fits.then_some(next)
}

#[cfg(test)]
mod same_site_tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        for kept in [
            "/",
            "/users",
            "/users/7?tab=permissions",
            "/claims?status=denied&after=3",
        ] {
            assert_eq!(same_site_path(kept), Some(kept));
        }
        for refused in [
            "",
            "users",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\tevil",
            "/\nLocation: x",
            "javascript:alert(1)",
            "/sign-in",
            "/sign-in?next=/users",
        ] {
            assert_eq!(same_site_path(refused), None, "{refused:?}");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(3000))), None);
    }
}
