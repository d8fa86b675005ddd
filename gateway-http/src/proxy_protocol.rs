//! Where a PROXY protocol header ends (HAProxy's proxy-protocol.txt, v1 and
//! v2), so that a listener reads exactly the header and not one byte of
//! the request after it. Parsing the addresses is left to the `ppp` crate
//! (the runtime); this decides how many bytes to read next, and refuses
//! what cannot be a header as early as possible. A receiver must not guess
//! whether a header is there: on a `proxy_protocol` listener anything else
//! is refused.

/// The v2 signature: `\r\n\r\n\0\r\nQUIT\n`.
pub const V2_SIGNATURE: &[u8; 12] = b"\r\n\r\n\0\r\nQUIT\n";
/// The longest v1 header, CRLF included.
pub const V1_MAX: usize = 107;
/// The longest v2 header: 16 bytes and a 16-bit length.
pub const V2_MAX: usize = 16 + u16::MAX as usize;

/// What to do with the bytes read so far (the first `n` of the connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// Read until `n` bytes in all (never past the header's end).
    Read(usize),
    /// The header is the first `n` bytes.
    Done(usize),
    /// Not a PROXY protocol header.
    Invalid(&'static str),
}

/// Decides from the bytes read so far. Start with an empty slice and read
/// until [`Frame::Read`]'s count each time: the first read is 12 bytes
/// (shorter than any header: `PROXY UNKNOWN\r\n` is 15), then a v2 header's
/// length field, then the rest of it; a v1 header is read a byte at a time
/// to its CRLF.
pub fn frame(bytes: &[u8]) -> Frame {
    const V1_PREFIX: &[u8] = b"PROXY ";
    if bytes.len() < V2_SIGNATURE.len() {
        let start = &bytes[..bytes.len().min(V1_PREFIX.len())];
        if !V1_PREFIX.starts_with(start) && !V2_SIGNATURE.starts_with(bytes) {
            return Frame::Invalid("not a PROXY protocol header");
        }
        return Frame::Read(V2_SIGNATURE.len());
    }
    if bytes.starts_with(V2_SIGNATURE) {
        if bytes.len() < 16 {
            return Frame::Read(16);
        }
        if bytes[12] >> 4 != 2 {
            return Frame::Invalid("PROXY v2: unknown version");
        }
        if bytes[12] & 0x0f > 1 {
            return Frame::Invalid("PROXY v2: unknown command");
        }
        let total = 16 + usize::from(u16::from_be_bytes([bytes[14], bytes[15]]));
        return if bytes.len() < total { Frame::Read(total) } else { Frame::Done(total) };
    }
    if !bytes.starts_with(V1_PREFIX) {
        return Frame::Invalid("not a PROXY protocol header");
    }
    // The first read of a v1 line: printable ASCII but for its last byte.
    if bytes.len() == V2_SIGNATURE.len() && !bytes[..bytes.len() - 1].iter().all(|b| b.is_ascii_graphic() || *b == b' ')
    {
        return Frame::Invalid("PROXY v1: not printable ASCII");
    }
    // Then only the last byte is new: a CR must be followed by LF, and LF
    // must follow a CR.
    let last = bytes[bytes.len() - 1];
    let before = bytes[bytes.len() - 2];
    match (before, last) {
        (b'\r', b'\n') => Frame::Done(bytes.len()),
        (b'\r', _) => Frame::Invalid("PROXY v1: CR without LF"),
        (_, b'\n') => Frame::Invalid("PROXY v1: LF without CR"),
        _ if bytes.len() >= V1_MAX => Frame::Invalid("PROXY v1: longer than 107 bytes"),
        _ if !(last == b'\r' || last.is_ascii_graphic() || last == b' ') => {
            Frame::Invalid("PROXY v1: not printable ASCII")
        }
        _ => Frame::Read(bytes.len() + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` as a listener would, and returns what it decided.
    fn run(input: &[u8]) -> Frame {
        let mut read = 0;
        loop {
            match frame(&input[..read]) {
                Frame::Read(n) if n <= input.len() => read = n,
                Frame::Read(n) => return Frame::Read(n),
                done => return done,
            }
        }
    }

    #[test]
    fn headers_end_where_they_end() {
        let v1 = b"PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\nGET / HTTP/1.1\r\n";
        assert_eq!(run(v1), Frame::Done(45));
        assert_eq!(run(b"PROXY UNKNOWN\r\nGET"), Frame::Done(15));
        let mut v2 = V2_SIGNATURE.to_vec();
        v2.extend_from_slice(&[0x21, 0x11, 0, 12, 192, 0, 2, 1, 198, 51, 100, 1, 0xdc, 0x04, 0x01, 0xbb]);
        v2.extend_from_slice(b"GET / HTTP/1.1\r\n");
        assert_eq!(run(&v2), Frame::Done(28));
    }

    #[test]
    fn anything_else_is_refused_early() {
        assert_eq!(run(b"GET / HTTP/1.1\r\n"), Frame::Invalid("not a PROXY protocol header"));
        assert_eq!(frame(b"G"), Frame::Invalid("not a PROXY protocol header"));
        assert_eq!(run(b"PROXY TCP4 1.2.3.4\n"), Frame::Invalid("PROXY v1: LF without CR"));
        assert_eq!(run(b"PROXY TCP4 1.2.3.4\rX"), Frame::Invalid("PROXY v1: CR without LF"));
        assert_eq!(run(b"PROXY \r\nGET / HTTP/1.1"), Frame::Invalid("PROXY v1: not printable ASCII"));
        let long = [b"PROXY ".as_slice(), &[b'1'; 120]].concat();
        assert_eq!(run(&long), Frame::Invalid("PROXY v1: longer than 107 bytes"));
        let mut v2 = V2_SIGNATURE.to_vec();
        v2.extend_from_slice(&[0x31, 0x11, 0, 0]);
        assert_eq!(run(&v2), Frame::Invalid("PROXY v2: unknown version"));
        // Incomplete input asks for more, never for more than the header.
        assert_eq!(run(b"PROXY TCP4"), Frame::Read(12));
    }
}
