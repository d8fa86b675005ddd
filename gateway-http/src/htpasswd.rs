//! htpasswd files (`auth basic { users FILE }`): one `user:hash` per line,
//! read by the checker (every line, with a precise error) when the gateway
//! is built and by the gateway when it starts.
//!
//! Only hashes a maintained crate verifies safely are accepted: bcrypt
//! (`$2a$`, `$2b$`, `$2y$`, what `htpasswd -B` writes) and SHA-crypt (`$5$`,
//! `$6$`). Apache's MD5 (`$apr1$`), `{SHA}`, DES `crypt` and plain text are
//! refused with the command that makes a bcrypt line instead: the first
//! three are fast to brute-force, and DES reads only 8 characters.

/// How a password is hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Bcrypt,
    ShaCrypt,
}

/// One user of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The line number, from 1.
    pub line: usize,
    pub user: &'a str,
    pub hash: &'a str,
    pub scheme: Scheme,
}

/// A line that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// The users of a file; every line that cannot be used is an error (blank
/// lines and `#` comments are skipped, `\r` of CRLF files is ignored).
pub fn parse(text: &str) -> Result<Vec<Entry<'_>>, Vec<LineError>> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim_end_matches('\r').trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let mut fail = |message: String| errors.push(LineError { line, message });
        let Some((user, hash)) = content.split_once(':') else {
            fail("expected `user:hash`".to_string());
            continue;
        };
        if user.is_empty() || user.bytes().any(|byte| byte.is_ascii_control()) {
            fail("a user name must be non-empty, without control characters".to_string());
            continue;
        }
        if let Some(first) = entries.iter().find(|entry| entry.user == user) {
            fail(format!("user `{user}` is already defined at line {}", first.line));
            continue;
        }
        match scheme(hash) {
            Ok(scheme) => entries.push(Entry { line, user, hash, scheme }),
            Err(reason) => fail(format!("user `{user}`: {reason}; make a bcrypt line with `htpasswd -nB {user}`")),
        }
    }
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// The scheme of a hash, or why it is refused.
fn scheme(hash: &str) -> Result<Scheme, &'static str> {
    let bcrypt = ["$2a$", "$2b$", "$2y$"].iter().any(|prefix| hash.starts_with(prefix));
    if bcrypt && hash.len() == 60 {
        return Ok(Scheme::Bcrypt);
    }
    if bcrypt {
        return Err("a bcrypt hash is 60 characters long");
    }
    if (hash.starts_with("$5$") || hash.starts_with("$6$")) && hash[3..].contains('$') {
        return Ok(Scheme::ShaCrypt);
    }
    Err(if hash.starts_with("$apr1$") {
        "Apache MD5 (`$apr1$`) hashes are fast to brute-force and not accepted"
    } else if hash.starts_with("{SHA}") {
        "`{SHA}` hashes are unsalted SHA-1 and not accepted"
    } else if hash.starts_with('$') {
        "unknown hash scheme (bcrypt `$2y$` and SHA-crypt `$5$`/`$6$` are accepted)"
    } else {
        "plain-text passwords and DES crypt are not accepted"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BCRYPT: &str = "$2y$05$c4WoMPo3SXsafkva.HHa6uXQZWr7oboPiC2bT/r7q1BB8I2s0BRqC";

    #[test]
    fn bcrypt_and_sha_crypt_lines_are_read_with_comments_and_crlf() {
        let text = format!("# admins\r\nalice:{BCRYPT}\r\n\r\nbob:$6$salt$abc\n");
        let entries = parse(&text).expect("valid file");
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].line, entries[0].user, entries[0].scheme), (2, "alice", Scheme::Bcrypt));
        assert_eq!(entries[0].hash, BCRYPT);
        assert_eq!((entries[1].line, entries[1].user, entries[1].scheme), (4, "bob", Scheme::ShaCrypt));
    }

    #[test]
    fn weak_or_broken_lines_are_errors_with_their_line() {
        let text = format!(
            "a:$apr1$xyz$abc\nb:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nc:plain\nd\n:{BCRYPT}\ne:$2y$05$short\nf:{BCRYPT}\nf:{BCRYPT}\n"
        );
        let errors = parse(&text).expect_err("invalid file");
        let lines: Vec<usize> = errors.iter().map(|error| error.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6, 8]);
        assert!(errors[0].message.contains("$apr1$") && errors[0].message.contains("htpasswd -nB a"));
        assert!(errors[6].message.contains("already defined at line 7"), "{}", errors[6].message);
    }
}
