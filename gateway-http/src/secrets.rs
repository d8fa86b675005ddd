//! Files of secrets (`tokens FILE`, `keys FILE`, `secret_file FILE`): one
//! per line, blank lines and `#` comments skipped, surrounding white space
//! and the `\r` of CRLF files ignored. The checker reads them with this rule
//! when the gateway is built, and the gateway when it starts.

/// The secrets of a file's text.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_crlf_are_skipped() {
        let secrets: Vec<&str> = lines("# tokens\r\n\r\n  first \r\nsecond\n#third\n").collect();
        assert_eq!(secrets, ["first", "second"]);
    }
}
