//! The rules on a raw HTTP/1.x request head, as received: line ends,
//! folding, framing fields, limits, and the syntax of `Host`. They catch
//! what a parser that reconciles as it goes (Pingora drops `Content-Length`
//! beside `Transfer-Encoding`, takes bare LF line ends) has already
//! smoothed over. `gateway_runtime::strict` applies them to every HTTP/1
//! request; docs/security.md lists each with its status and RFC section.

/// Limits on the request head, from `server { }` (defaults as nginx's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request line, without its CRLF (`max_request_line`; 414).
    pub request_line: usize,
    /// Most header fields (`max_headers`; 431).
    pub headers: usize,
    /// Largest request head, request line and fields with their line ends
    /// (`max_header_size`; 431).
    pub head_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits { request_line: 8 * 1024, headers: 100, head_bytes: 32 * 1024 };
}

/// The defaults of `server { http2 { } }`, for the checker and the runtime:
/// streams open at once (nginx's 128), streams a client may reset before
/// the gateway takes them (the `h2` crate's 20: rapid reset), streams reset
/// for a client's errors (the `h2` crate's 1024).
pub const HTTP2_MAX_CONCURRENT_STREAMS: u32 = 128;
pub const HTTP2_MAX_PENDING_RESETS: usize = 20;
pub const HTTP2_MAX_ERROR_RESETS: usize = 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// Why a request is refused: its status and what was wrong (for the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

/// `Err` with `status` and `reason`.
pub const fn refuse<T>(status: u16, reason: &'static str) -> Result<T, Refusal> {
    Err(Refusal { status, reason })
}

/// A `tchar` of RFC 9110 §5.6.2 (tokens: field names, options, codings).
pub fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The bytes of a registered name in `Host` (RFC 3986 §3.2.2): unreserved
/// characters, `%` of percent-encodings, and sub-delimiters.
const HOST_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'%'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            );
        byte += 1;
    }
    table
};

/// `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): a registered
/// name of unreserved characters, percent-encodings and sub-delimiters, or
/// an IP literal in brackets; a port of digits.
pub fn valid_host(host: &[u8]) -> bool {
    let rest = match host.first() {
        None => return false,
        Some(b'[') => match host.iter().position(|byte| *byte == b']') {
            Some(close) => {
                let literal = &host[1..close];
                let valid = !literal.is_empty()
                    && literal.iter().all(|byte| byte.is_ascii_hexdigit() || matches!(byte, b':' | b'.'))
                    || literal.first() == Some(&b'v');
                if !valid {
                    return false;
                }
                &host[close + 1..]
            }
            None => return false,
        },
        // One pass: the name runs up to the first byte that cannot be in
        // one (`:` cannot), and must not be empty.
        Some(_) => match host.iter().position(|byte| !HOST_NAME[usize::from(*byte)]) {
            Some(0) => return false,
            Some(end) => &host[end..],
            None => &[],
        },
    };
    match rest.split_first() {
        None => true,
        Some((b':', digits)) => digits.len() <= 5 && digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// Fields a client may not name in `Connection`: the proxy would remove
/// them (RFC 9110 §7.6.1) though they route, frame or trace the request.
const PROTECTED: [&[u8]; 6] =
    [b"host", b"content-length", b"forwarded", b"x-forwarded-for", b"x-forwarded-host", b"x-forwarded-proto"];

/// The options of one `Connection` field value: tokens (RFC 9110 §5.6.2),
/// fewer than ten over all the request's values (`count`; as Pingora, which
/// refuses the same after routing), none protected.
pub fn check_connection(value: &[u8], count: &mut usize) -> Result<(), Refusal> {
    for option in value.split(|byte| *byte == b',').map(trim).filter(|option| !option.is_empty()) {
        *count += 1;
        if *count >= 10 {
            return refuse(400, "too many Connection options");
        }
        if !option.iter().all(|byte| is_tchar(*byte)) {
            return refuse(400, "Connection option is not a token");
        }
        if PROTECTED.iter().any(|name| option.eq_ignore_ascii_case(name)) {
            return refuse(400, "Connection names a protected field");
        }
    }
    Ok(())
}

/// What the raw pass learnt of a head it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Head<'a> {
    /// The value of its one `Host` field, without surrounding whitespace.
    pub host: Option<&'a [u8]>,
}

/// The rules on the raw HTTP/1.x request head: line ends, folding,
/// framing fields, limits, NUL, one `Host`, `Connection` options. What
/// follows the head's empty line is not looked at.
pub fn check_head<'a>(head: &'a [u8], limits: &Limits) -> Result<Head<'a>, Refusal> {
    if head.len() > limits.head_bytes {
        return refuse(431, "request head too large");
    }
    let mut lines = Lines { rest: head };
    let Some(request_line) = lines.next() else { return refuse(400, "no request line") };
    let request_line = request_line?;
    if request_line.len() > limits.request_line {
        return refuse(414, "request line too long");
    }
    let mut fields = 0usize;
    let mut content_length: Option<&[u8]> = None;
    let mut transfer_encoding: Option<&[u8]> = None;
    let mut host: Option<&[u8]> = None;
    let mut connection_options = 0;
    for line in lines {
        let line = line?;
        let Some(first) = line.first() else { break };
        if matches!(first, b' ' | b'\t') {
            return refuse(400, "folded header line");
        }
        fields += 1;
        if fields > limits.headers {
            return refuse(431, "too many header fields");
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return refuse(400, "header line without a colon");
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        // The names that matter, told apart by their length first.
        match name.len() {
            4 if name.eq_ignore_ascii_case(b"host") => {
                if host.is_some() {
                    return refuse(400, "more than one Host field");
                }
                host = Some(trim(value));
            }
            10 if name.eq_ignore_ascii_case(b"connection") => check_connection(value, &mut connection_options)?,
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                let value = trim(value);
                if content_length.is_some() {
                    return refuse(400, "more than one Content-Length");
                }
                if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                    return refuse(400, "invalid Content-Length");
                }
                content_length = Some(value);
            }
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                if transfer_encoding.is_some() {
                    return refuse(400, "more than one Transfer-Encoding");
                }
                transfer_encoding = Some(trim(value));
            }
            _ => {}
        }
    }
    let accepted = Head { host };
    match (content_length, transfer_encoding) {
        (Some(_), Some(_)) => refuse(400, "Content-Length with Transfer-Encoding"),
        (None, Some(coding)) if coding.eq_ignore_ascii_case(b"chunked") => Ok(accepted),
        (None, Some(codings)) => {
            // `chunked` once, last; codings before it are not implemented
            // (RFC 9112 §6.1: 501); anything else is malformed.
            let codings: Vec<&[u8]> = codings.split(|byte| *byte == b',').map(trim).collect();
            let chunked = |coding: &[u8]| coding.eq_ignore_ascii_case(b"chunked");
            if codings.iter().any(|coding| coding.is_empty() || !coding.iter().all(|byte| is_tchar(*byte))) {
                refuse(400, "invalid Transfer-Encoding")
            } else if codings.iter().filter(|coding| chunked(coding)).count() != 1
                || !codings.last().is_some_and(|coding| chunked(coding))
            {
                refuse(400, "chunked not once and last in Transfer-Encoding")
            } else {
                refuse(501, "transfer coding other than chunked")
            }
        }
        _ => Ok(accepted),
    }
}

/// The lines of a request head, up to its empty line; a line must end
/// with CRLF, and hold neither CR, LF nor NUL.
struct Lines<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Lines<'a> {
    type Item = Result<&'a [u8], Refusal>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        Some(match memchr::memchr3(b'\r', b'\n', 0, rest) {
            Some(end) if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') => {
                self.rest = &rest[end + 2..];
                Ok(&rest[..end])
            }
            Some(end) if rest[end] == 0 => refuse(400, "NUL in the request head"),
            Some(_) => refuse(400, "line not ended by CRLF"),
            None => refuse(400, "unterminated line"),
        })
    }
}

/// Without optional whitespace (spaces and tabs) around it.
pub fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|byte| !matches!(byte, b' ' | b'\t')).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|byte| !matches!(byte, b' ' | b'\t')).map_or(start, |end| end + 1);
    &bytes[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head<'_>, Refusal> {
        check_head(text.as_bytes(), &Limits::DEFAULT)
    }

    fn status(result: Result<Head<'_>, Refusal>) -> u16 {
        result.map_or_else(|refusal| refusal.status, |_| 200)
    }

    #[test]
    fn framing_fields() {
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\n\r\n")), 200);
        assert_eq!(status(head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n")), 200);
        assert_eq!(status(head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n")), 200);
        assert_eq!(status(head("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")), 501);
        assert_eq!(
            status(head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")),
            400
        );
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")), 400);
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: x-custom, chunked\r\n\r\n")), 501);
        assert_eq!(status(head("POST / HTTP/1.1\r\nTransfer-Encoding: gzip,, chunked\r\n\r\n")), 400);
    }

    #[test]
    fn host_nul_and_connection() {
        assert_eq!(head("GET / HTTP/1.1\r\nHOST:  a.b:80 \r\n\r\n").map(|head| head.host), Ok(Some(&b"a.b:80"[..])));
        assert_eq!(head("GET / HTTP/1.0\r\n\r\n").map(|head| head.host), Ok(None));
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n")), 400);
        assert_eq!(status(head("GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Private\r\n\r\n")), 200);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, x-forwarded-for\r\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: \"host\"\r\n\r\n")), 400);
        assert_eq!(
            status(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: a,b,c,d,e\r\nConnection: f,g,h,i,j\r\n\r\n")),
            400
        );
    }

    #[test]
    fn line_ends_and_folding() {
        assert_eq!(status(head("GET / HTTP/1.1\nHost: a\r\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\n\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  2\r\n\r\n")), 400);
        assert_eq!(status(head("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n")), 400);
    }

    #[test]
    fn limits() {
        let limits = Limits { request_line: 20, headers: 2, head_bytes: 100 };
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(10));
        assert_eq!(status(check_head(long.as_bytes(), &limits)), 414);
        assert_eq!(status(check_head(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", &limits)), 200);
        assert_eq!(status(check_head(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", &limits)), 431);
        let big = format!("GET / HTTP/1.1\r\nA: {}\r\n\r\n", "x".repeat(100));
        assert_eq!(status(check_head(big.as_bytes(), &limits)), 431);
    }

    #[test]
    fn hosts() {
        for good in ["example.com", "example.com:8080", "127.0.0.1", "[::1]:443", "[2001:db8::1]", "a_b.c-d", "a:"] {
            assert!(valid_host(good.as_bytes()), "{good}");
        }
        for bad in [
            "",
            "exa mple.com",
            "a\tb",
            "a/b",
            "a\\b",
            "a?b",
            "a#b",
            "a@b",
            ":80",
            "a:8x",
            "a:123456",
            "a:b:80",
            "a:80:90",
            "a:80 ",
            "[::1]x",
            "[::1]:8x",
            "[::1",
            "[zz]",
            "a\u{e9}b",
            "a\"b",
        ] {
            assert!(!valid_host(bad.as_bytes()), "{bad}");
        }
    }
}
