//! W3C Trace Context `traceparent` (Trace Context Level 1, §3.2): parsed
//! strictly, since an invalid one must start a new trace (and drop
//! `tracestate`) rather than be forwarded.
//!
//! `version-traceid-parentid-flags`, lower-case hex: version `00` is exactly
//! 55 characters; a higher version (not `ff`) may carry more after `-`;
//! all-zero ids are invalid. Surrounding spaces and tabs are trimmed.

/// A valid `traceparent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceParent {
    pub trace_id: [u8; 16],
    pub parent_id: [u8; 8],
    pub flags: u8,
}

impl TraceParent {
    /// Bit 0: the caller may have recorded its part of the trace.
    pub fn sampled(&self) -> bool {
        self.flags & 1 == 1
    }
}

/// Parses one `traceparent` value; `None` if it is not valid.
pub fn parse(value: &[u8]) -> Option<TraceParent> {
    let value = value.trim_ascii();
    if value.len() < 55 {
        return None;
    }
    let version = hex::<1>(&value[0..2])?;
    if version[0] == 0xff || value[2] != b'-' || value[35] != b'-' || value[52] != b'-' {
        return None;
    }
    if version[0] == 0 && value.len() != 55 {
        return None;
    }
    if value.len() > 55 && value[55] != b'-' {
        return None;
    }
    let trace_id = hex::<16>(&value[3..35])?;
    let parent_id = hex::<8>(&value[36..52])?;
    let flags = hex::<1>(&value[53..55])?[0];
    if trace_id == [0; 16] || parent_id == [0; 8] {
        return None;
    }
    Some(TraceParent { trace_id, parent_id, flags })
}

/// Lower-case hex digits into `N` bytes.
fn hex<const N: usize>(text: &[u8]) -> Option<[u8; N]> {
    if text.len() != N * 2 {
        return None;
    }
    let digit = |byte: u8| match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    };
    let mut out = [0; N];
    for (index, pair) in text.chunks_exact(2).enumerate() {
        out[index] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// The `traceparent` value for these ids: `00-TRACE-SPAN-FLAGS`.
pub fn format(trace_id: &[u8; 16], span_id: &[u8; 8], flags: u8) -> String {
    let mut out = String::with_capacity(55);
    out.push_str("00-");
    for byte in trace_id {
        push_hex(&mut out, *byte);
    }
    out.push('-');
    for byte in span_id {
        push_hex(&mut out, *byte);
    }
    out.push('-');
    push_hex(&mut out, flags);
    out
}

fn push_hex(out: &mut String, byte: u8) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push(DIGITS[usize::from(byte >> 4)] as char);
    out.push(DIGITS[usize::from(byte & 15)] as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn valid_values_parse_and_format_back() {
        let parsed = parse(VALID.as_bytes()).expect("valid");
        assert!(parsed.sampled());
        assert_eq!(format(&parsed.trace_id, &parsed.parent_id, parsed.flags), VALID);
        assert!(parse(format!("  {VALID}\t").as_bytes()).is_some(), "spaces around are trimmed");
        let unsampled = parse(b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").expect("valid");
        assert!(!unsampled.sampled());
        let future = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-comes-next";
        assert_eq!(parse(future.as_bytes()).map(|parsed| parsed.flags), Some(9), "a later version may add fields");
    }

    #[test]
    fn invalid_values_are_refused() {
        for value in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            assert_eq!(parse(value.as_bytes()), None, "{value}");
        }
    }
}
