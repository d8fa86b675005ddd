//! The request line of each head, read as the client sent it.

/// The request line of the current head, read as it arrives:
/// `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3), so no
/// control character (CR only right before the LF), no TAB, and exactly two
/// spaces; the request-target has no whitespace (§3.2). Empty lines before
/// it are skipped (§2.2).
#[derive(Debug, Clone, Copy)]
pub(super) struct RequestLine {
    /// Still reading it (its LF not seen yet).
    open: bool,
    spaces: u8,
    /// A CR was seen: only the LF may follow.
    cr: bool,
    /// Bytes of the line seen, without a CR.
    len: usize,
    pub(super) refused: Option<&'static str>,
}

impl RequestLine {
    pub(super) const fn new() -> RequestLine {
        RequestLine { open: true, spaces: 0, cr: false, len: 0, refused: None }
    }

    pub(super) fn saw(&mut self, mut bytes: &[u8]) {
        while self.open && !bytes.is_empty() {
            let (line, rest) = match memchr::memchr(b'\n', bytes) {
                Some(end) => (&bytes[..end], Some(&bytes[end + 1..])),
                None => (bytes, None),
            };
            for &byte in line {
                match byte {
                    b' ' => self.spaces = self.spaces.saturating_add(1),
                    b'\r' if !self.cr => {
                        self.cr = true;
                        continue;
                    }
                    0..=0x1f | 0x7f => self.refuse("control character or TAB in the request line"),
                    _ => {}
                }
                if self.cr {
                    self.refuse("CR inside the request line");
                }
                self.len += 1;
            }
            let Some(rest) = rest else { return };
            if self.len == 0 {
                // An empty line before the request line.
                *self = RequestLine { refused: self.refused, ..RequestLine::new() };
            } else {
                if self.spaces != 2 {
                    self.refuse("whitespace in the request target");
                }
                self.open = false;
            }
            bytes = rest;
        }
    }

    fn refuse(&mut self, reason: &'static str) {
        self.refused.get_or_insert(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_line(reads: &[&[u8]]) -> Option<&'static str> {
        let mut line = RequestLine::new();
        for read in reads {
            line.saw(read);
        }
        line.refused
    }

    #[test]
    fn request_lines() {
        assert_eq!(request_line(&[b"GET /a?b=c HTTP/1.1\r\nHost: a\r\n\r\n"]), None);
        assert_eq!(request_line(&[b"GET /a", b"?b HTTP/1", b".1\r", b"\nX: a b\tc\r\n"]), None);
        assert_eq!(request_line(&[b"\r\nGET / HTTP/1.1\r\n"]), None);
        assert_eq!(request_line(&[b"GET /\xc3\xa9 HTTP/1.1\r\n"]), None);
        for bad in [
            &b"POST /\r\r\rapi/p HTTP/1.1\r\n"[..],
            b"GET /a\x0bb HTTP/1.1\r\n",
            b"GET /a\tb HTTP/1.1\r\n",
            b"GET /a b HTTP/1.1\r\n",
            b"GET  /a HTTP/1.1\r\n",
            b"GET /a\x7f HTTP/1.1\r\n",
            b"GET /a HTTP/1.1\r\r\n",
        ] {
            assert!(request_line(&[bad]).is_some(), "{}", String::from_utf8_lossy(bad));
        }
        // Split over reads, the CR of the target is still seen.
        assert!(request_line(&[b"GET /a\r", b"b HTTP/1.1\r\n"]).is_some());
    }
}
