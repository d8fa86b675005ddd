//! The framing of each request body, read as the client sent it: a head
//! with a `Transfer-Encoding` field has a chunked body (`strict` refuses
//! every other coding), which is checked byte by byte
//! ([`gateway_http::chunked`]) as it passes through the connection guard.

use gateway_http::chunked::Chunked;

/// What the guard knows of the current request's body.
#[derive(Debug, Clone, Default)]
pub(super) struct Framing {
    /// Progress through [`TRANSFER_ENCODING`] at the start of the current
    /// head line; `None` on the request line or once a line does not match.
    matched: Option<u8>,
    chunked: bool,
    body: Body,
}

#[derive(Debug, Clone, Default)]
enum Body {
    /// Not chunked, or its head is not over.
    #[default]
    Other,
    Chunked(Chunked),
    Refused(&'static str),
}

/// A field line that starts so is the `Transfer-Encoding` field (`strict`
/// refuses white space before the colon).
const TRANSFER_ENCODING: &[u8] = b"transfer-encoding:";

impl Framing {
    /// Bytes of the head (up to its empty line, or all of a read that does
    /// not reach it).
    pub(super) fn saw_head(&mut self, mut bytes: &[u8]) {
        loop {
            if let Some(matched) = self.matched {
                let want = &TRANSFER_ENCODING[usize::from(matched)..];
                let take = want.len().min(bytes.len());
                self.matched = None;
                if bytes[..take].eq_ignore_ascii_case(&want[..take]) {
                    if take == want.len() {
                        self.chunked = true;
                    } else {
                        // `take` < 18: the read ends inside the name.
                        self.matched = Some(matched + take as u8);
                        return;
                    }
                }
            }
            match memchr::memchr(b'\n', bytes) {
                Some(end) => {
                    bytes = &bytes[end + 1..];
                    self.matched = Some(0);
                }
                None => return,
            }
        }
    }

    /// The head ended: the body starts.
    pub(super) fn head_ended(&mut self) {
        self.matched = None;
        if self.chunked {
            self.body = Body::Chunked(Chunked::new());
        }
    }

    /// Bytes after the head. Returns whether the body just turned out to
    /// be malformed.
    pub(super) fn saw_body(&mut self, bytes: &[u8]) -> bool {
        let Body::Chunked(chunked) = &mut self.body else { return false };
        match chunked.feed(bytes) {
            Ok(_) => false,
            Err(reason) => {
                self.body = Body::Refused(reason);
                true
            }
        }
    }

    /// Why the body's framing is refused, if it is.
    pub(super) fn refused(&self) -> Option<&'static str> {
        match self.body {
            Body::Refused(reason) => Some(reason),
            _ => None,
        }
    }

    /// A chunked body whose first chunk-size line has not been read yet.
    pub(super) fn first_chunk_pending(&self) -> bool {
        matches!(&self.body, Body::Chunked(chunked) if !chunked.first_chunk_known() && !chunked.is_done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framing(head: &[&[u8]], body: &[&[u8]]) -> Framing {
        let mut framing = Framing::default();
        for read in head {
            framing.saw_head(read);
        }
        framing.head_ended();
        for read in body {
            framing.saw_body(read);
        }
        framing
    }

    #[test]
    fn a_transfer_encoding_field_makes_the_body_chunked() {
        let chunked = framing(&[b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"], &[b"5\nhello"]);
        assert_eq!(chunked.refused(), Some("bare LF in a chunk-size line"));
        // The name split over two reads.
        let split = framing(&[b"POST / HTTP/1.1\r\nTransfer-Enc", b"oding: chunked\r\n\r\n"], &[b"zz\r\n"]);
        assert!(split.refused().is_some());
        let pending = framing(&[b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n"], &[b"10;a=b"]);
        assert!(pending.first_chunk_pending() && pending.refused().is_none());
        // Not chunked: the body is not looked at.
        let plain =
            framing(&[b"POST / HTTP/1.1\r\nContent-Length: 3\r\nX-Transfer-Encoding: chunked\r\n\r\n"], &[b"\n\n\n"]);
        assert!(plain.refused().is_none() && !plain.first_chunk_pending());
        // The request line is not a field line.
        let line = framing(&[b"transfer-encoding: / HTTP/1.1\r\n\r\n"], &[b"\n"]);
        assert!(line.refused().is_none());
    }
}
