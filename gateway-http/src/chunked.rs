//! The chunked transfer coding of a request body (RFC 9112 §7.1), checked
//! byte by byte as it arrives, more strictly than Pingora's parser (which
//! takes a lone LF inside a chunk extension as part of it, and does not
//! look at extensions or trailers at all):
//!
//! ```text
//! chunked-body = *chunk last-chunk trailer-section CRLF
//! chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! chunk-size   = 1*HEXDIG                     ; at most 15 digits here
//! last-chunk   = 1*("0") [ chunk-ext ] CRLF
//! chunk-ext    = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
//! ext-val      = token / quoted-string
//! trailer-section = *( field-line CRLF )      ; field-name ":" OWS value OWS
//! ```
//!
//! Every line ends with CRLF; a CR anywhere else, a lone LF, a control
//! character, a folded trailer line, a size line longer than
//! [`MAX_SIZE_LINE`] or trailers longer than [`MAX_TRAILERS`] are refused.

use crate::head::is_tchar;

/// The longest chunk-size line, extensions included (nginx refuses far
/// shorter ones; Pingora allows 8 KiB).
pub const MAX_SIZE_LINE: usize = 4096;
/// The most bytes of trailer fields.
pub const MAX_TRAILERS: usize = 16 * 1024;
/// The most hex digits of a chunk size (what `httparse` accepts, so both
/// agree on every size).
const MAX_DIGITS: u8 = 15;

/// The reader's place in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Digits of the size; `digits` counts them.
    Size,
    /// White space after the size or an extension, before `;` or CR.
    AfterSize,
    /// After `;`: white space, then a name.
    ExtStart,
    ExtName,
    /// After a name: white space, `=`, `;` or CR.
    AfterName,
    /// After `=`: white space, then a token or a quoted string.
    ValueStart,
    ValueToken,
    Quoted,
    QuotedEscape,
    /// A CR ended a size line: its LF next.
    SizeLf,
    /// Bytes of chunk data still to come.
    Data,
    /// The CRLF after the data.
    DataCr,
    DataLf,
    /// After the last chunk: a trailer line, or the empty line.
    TrailerStart,
    TrailerName,
    TrailerValue,
    TrailerLf,
    /// The CR of the final empty line was seen.
    EndLf,
    Done,
}

/// A chunked body, checked as it arrives; [`Chunked::feed`] it every byte
/// after the head, in order.
#[derive(Debug, Clone)]
pub struct Chunked {
    state: State,
    /// Bytes of chunk data left in this chunk.
    remaining: u64,
    /// Bytes of the current size line, or of the trailers.
    line: usize,
    digits: u8,
    /// The first chunk's size line has been read whole.
    first_size_line: bool,
}

impl Default for Chunked {
    fn default() -> Chunked {
        Chunked::new()
    }
}

impl Chunked {
    pub const fn new() -> Chunked {
        Chunked { state: State::Size, remaining: 0, line: 0, digits: 0, first_size_line: false }
    }

    /// Whether the first chunk's size line (with its extensions) has been
    /// read and is well formed: from then on the body can be streamed.
    pub fn first_chunk_known(&self) -> bool {
        self.first_size_line
    }

    /// Whether the whole body has been read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Reads `bytes`, the next bytes of the body. Returns how many belong
    /// to the body (all of them, unless the body ends inside `bytes`), or
    /// why the body is malformed.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<usize, &'static str> {
        let mut at = 0;
        while at < bytes.len() {
            match self.state {
                State::Done => return Ok(at),
                State::Data => {
                    // Data is skipped, not read byte by byte.
                    let left = (bytes.len() - at) as u64;
                    let take = self.remaining.min(left);
                    self.remaining -= take;
                    at += take as usize;
                    if self.remaining == 0 {
                        self.state = State::DataCr;
                    }
                    continue;
                }
                _ => {}
            }
            self.step(bytes[at])?;
            at += 1;
        }
        Ok(at)
    }

    fn step(&mut self, byte: u8) -> Result<(), &'static str> {
        use State::*;
        if matches!(
            self.state,
            Size | AfterSize | ExtStart | ExtName | AfterName | ValueStart | ValueToken | Quoted | QuotedEscape
        ) {
            self.line += 1;
            if self.line > MAX_SIZE_LINE {
                return Err("chunk-size line too long");
            }
        }
        if matches!(self.state, TrailerStart | TrailerName | TrailerValue | TrailerLf | EndLf) {
            self.line += 1;
            if self.line > MAX_TRAILERS {
                return Err("chunked trailers too long");
            }
        }
        self.state = match (self.state, byte) {
            (Size, b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F') => {
                self.digits += 1;
                if self.digits > MAX_DIGITS {
                    return Err("chunk size too large");
                }
                let digit = match byte {
                    b'0'..=b'9' => byte - b'0',
                    b'a'..=b'f' => byte - b'a' + 10,
                    _ => byte - b'A' + 10,
                };
                self.remaining = self.remaining * 16 + u64::from(digit);
                Size
            }
            (Size, _) if self.digits == 0 => return Err("chunk size is not hexadecimal"),
            (Size | AfterSize, b' ' | b'\t') => AfterSize,
            (Size | AfterSize | AfterName | ValueToken, b';') => ExtStart,
            (Size | AfterSize | AfterName | ValueToken, b'\r') => SizeLf,
            (ExtStart, b' ' | b'\t') => ExtStart,
            (ExtStart | ExtName, _) if is_tchar(byte) => ExtName,
            (ExtName | AfterName, b' ' | b'\t') => AfterName,
            (ExtName, b';') => ExtStart,
            (ExtName, b'\r') => SizeLf,
            (ExtName | AfterName, b'=') => ValueStart,
            (ValueStart, b' ' | b'\t') => ValueStart,
            (ValueStart, b'"') => Quoted,
            (ValueStart | ValueToken, _) if is_tchar(byte) => ValueToken,
            (ValueToken, b' ' | b'\t') => AfterName,
            (Quoted, b'"') => AfterName,
            (Quoted, b'\\') => QuotedEscape,
            (Quoted, b'\t' | b' ' | 0x21 | 0x23..=0x5b | 0x5d..=0x7e | 0x80..=0xff) => Quoted,
            (QuotedEscape, b'\t' | b' ' | 0x21..=0x7e | 0x80..=0xff) => Quoted,
            (
                Size | AfterSize | ExtStart | ExtName | AfterName | ValueStart | ValueToken | Quoted | QuotedEscape,
                b'\n',
            ) => {
                return Err("bare LF in a chunk-size line");
            }
            (Size | AfterSize, _) => return Err("invalid byte after the chunk size"),
            (ExtStart | ExtName | AfterName | ValueStart | ValueToken | Quoted | QuotedEscape, _) => {
                return Err("malformed chunk extension");
            }
            (SizeLf, b'\n') => {
                self.first_size_line = true;
                self.line = 0;
                self.digits = 0;
                if self.remaining == 0 { TrailerStart } else { Data }
            }
            (SizeLf, _) => return Err("CR without LF in a chunk-size line"),
            (DataCr, b'\r') => DataLf,
            (DataCr, _) => return Err("chunk data longer than its size"),
            (DataLf, b'\n') => Size,
            (DataLf, _) => return Err("CR without LF after chunk data"),
            (TrailerStart, b'\r') => EndLf,
            (TrailerStart, b' ' | b'\t') => return Err("folded trailer line"),
            (TrailerStart | TrailerName, _) if is_tchar(byte) => TrailerName,
            (TrailerName, b':') => TrailerValue,
            (TrailerStart | TrailerName, _) => return Err("malformed trailer field name"),
            (TrailerValue, b'\r') => TrailerLf,
            (TrailerValue, b'\t' | 0x20..=0x7e | 0x80..=0xff) => TrailerValue,
            (TrailerValue, _) => return Err("control character in a trailer field"),
            (TrailerLf, b'\n') => TrailerStart,
            (EndLf, b'\n') => Done,
            (TrailerLf | EndLf, _) => return Err("CR without LF in the trailers"),
            (Data | Done, _) => self.state,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(body: &[u8]) -> Result<Chunked, &'static str> {
        let mut chunked = Chunked::new();
        let used = chunked.feed(body)?;
        assert_eq!(used, body.len(), "{:?}", String::from_utf8_lossy(body));
        Ok(chunked)
    }

    /// Fed whole and one byte at a time, with the same verdict.
    fn verdict(body: &[u8]) -> Result<bool, &'static str> {
        let whole = check(body).map(|chunked| chunked.is_done());
        let mut chunked = Chunked::new();
        let bytewise = body.iter().try_for_each(|byte| chunked.feed(&[*byte]).map(|_| ())).map(|()| chunked.is_done());
        assert_eq!(whole, bytewise, "{:?}", String::from_utf8_lossy(body));
        whole
    }

    #[test]
    fn well_formed_bodies() {
        assert_eq!(verdict(b"5\r\nhello\r\n0\r\n\r\n"), Ok(true));
        assert_eq!(verdict(b"5;name=value;flag\r\nhello\r\n0\r\n\r\n"), Ok(true));
        assert_eq!(verdict(b"5 ; a = \"q \\\"x\\\"\" ; b\r\nhello\r\n000\r\nTrailer: v\r\nX-Two:\r\n\r\n"), Ok(true));
        assert_eq!(verdict(b"A\r\n0123456789\r\n0\r\n\r\n"), Ok(true));
        assert_eq!(verdict(b"5\r\nhel"), Ok(false));
        let mut chunked = Chunked::new();
        assert_eq!(chunked.feed(b"3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1"), Ok(13));
        assert!(chunked.is_done());
    }

    #[test]
    fn the_first_chunk_is_known_once_its_size_line_is() {
        let mut chunked = Chunked::new();
        chunked.feed(b"10;ext=").expect("partial");
        assert!(!chunked.first_chunk_known());
        chunked.feed(b"1\r\n").expect("line");
        assert!(chunked.first_chunk_known());
    }

    #[test]
    fn malformed_bodies() {
        for body in [
            &b"0x5\r\nhello\r\n0\r\n\r\n"[..],
            b"-1\r\nx\r\n0\r\n\r\n",
            b"fffffffffffffffff\r\n",
            b"000000000000000005\r\nhello\r\n0\r\n\r\n",
            b"g\r\n",
            b"\r\n",
            b"5\nhello\r\n0\r\n\r\n",
            b"5;a\nb\r\nhello\r\n0\r\n\r\n",
            b"5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n",
            b"5;a\rb\r\nhello\r\n0\r\n\r\n",
            b"5;\r\nhello\r\n0\r\n\r\n",
            b"5;a=\r\nhello\r\n0\r\n\r\n",
            b"5;a=b c\r\nhello\r\n0\r\n\r\n",
            b"5;a@b\r\nhello\r\n0\r\n\r\n",
            b"5\r\nhelloX\r\n0\r\n\r\n",
            b"5\r\nhello\rX0\r\n\r\n",
            b"5\r\nhello\n0\r\n\r\n",
            b"0\r\n\n",
            b"0\r\nTrailer: v\n\r\n",
            b"0\r\n folded\r\n\r\n",
            b"0\r\nNo colon\r\n\r\n",
            b"0\r\nX: a\x01b\r\n\r\n",
        ] {
            assert!(verdict(body).is_err(), "accepted {:?}", String::from_utf8_lossy(body));
        }
        let long = [&b"5;a="[..], &vec![b'x'; MAX_SIZE_LINE][..], b"\r\n"].concat();
        assert_eq!(verdict(&long), Err("chunk-size line too long"));
    }
}
