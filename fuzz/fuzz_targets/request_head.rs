//! The strict rules on raw request heads, and the `Host` syntax, on any
//! bytes: they must not panic, and a head they accept must keep to them:
//! every line ended by CRLF, at most one Content-Length and no
//! Transfer-Encoding beside it, at most one Host, no NUL, within the limits.

#![no_main]

use gateway_http::head::{Limits, check_head, valid_host};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = valid_host(data);
    let limits = Limits { request_line: 64, headers: 8, head_bytes: 512 };
    let Ok(accepted) = check_head(data, &limits) else {
        return;
    };
    assert!(data.len() <= limits.head_bytes);
    let head_end = data.windows(4).position(|window| window == b"\r\n\r\n").map_or(data.len(), |at| at + 2);
    let head = &data[..head_end];
    assert!(!head.contains(&0));
    for line in head.split(|byte| *byte == b'\n').filter(|line| !line.is_empty()) {
        assert!(line.ends_with(b"\r") && !line[..line.len() - 1].contains(&b'\r'), "{:?}", String::from_utf8_lossy(line));
    }
    let fields: Vec<&[u8]> = head.split(|byte| *byte == b'\n').skip(1).filter(|line| line.len() > 1).collect();
    assert!(fields.len() <= limits.headers);
    let named = |name: &[u8]| {
        fields.iter().filter(|line| line.len() > name.len() && line[..name.len()].eq_ignore_ascii_case(name) && line[name.len()] == b':').count()
    };
    assert!(named(b"content-length") <= 1);
    assert!(named(b"content-length") == 0 || named(b"transfer-encoding") == 0);
    assert!(named(b"host") <= 1);
    assert_eq!(accepted.host.is_some(), named(b"host") == 1);
});
