//! Addresses built in the UI: query strings and `data:` downloads.

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
