//! RFC 4180 CSV lines, safe to open in a spreadsheet: every field quoted,
//! inner quotes doubled, and a leading =, +, - or @ prefixed with ' so no
//! name a user typed ever runs as a formula.

/// One field, quoted and defused.
pub fn field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// One line of fields, with its CRLF ending.
pub fn line<S: AsRef<str>>(fields: impl IntoIterator<Item = S>) -> String {
    let mut line = fields
        .into_iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "\"plain\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)"] {
            assert_eq!(field(formula), format!("\"'{formula}\""));
        }
        assert_eq!(line(["a", "b,c"]), "\"a\",\"b,c\"\r\n");
    }
}
