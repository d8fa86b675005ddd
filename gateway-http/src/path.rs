//! Request path normalisation, before routing: every request is routed, and
//! forwarded, by the normal form of its path, so that `/public/../admin`,
//! `/admin//x` and `/%61dmin` are the paths `/admin`, `/admin/x` and
//! `/admin`, and reach the routes (and the `auth`) of those paths.
//!
//! The normal form (RFC 3986 §6.2.2):
//! - percent-encoded unreserved characters (letters, digits, `-._~`) are
//!   decoded; other percent-encodings are kept, with upper-case hex digits;
//! - `.` and `..` segments are resolved (§5.2.4);
//! - repeated slashes are collapsed;
//! - a trailing slash is kept.
//!
//! A path that cannot be normalised safely is refused: a `..` above the
//! root, a `%` not followed by two hex digits, an encoded NUL, an encoded
//! `/` or `\` (an upstream that decodes them would see other segments than
//! the gateway routed: `/admin%2Fx`), or a path that does not start with `/`.

use std::borrow::Cow;
use std::fmt;

/// Why a path was refused (400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// Not an absolute path (`*`, or empty).
    NotAbsolute,
    /// A `..` segment climbs above `/`.
    AboveRoot,
    /// A `%` not followed by two hex digits.
    BadPercentEncoding,
    /// `%00`, or a NUL byte.
    EncodedNul,
    /// `%2F` or `%5C`.
    EncodedSlash,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathError::NotAbsolute => "the path does not start with `/`",
            PathError::AboveRoot => "the path climbs above `/`",
            PathError::BadPercentEncoding => "the path has a `%` not followed by two hex digits",
            PathError::EncodedNul => "the path has a NUL (`%00`)",
            PathError::EncodedSlash => "the path has an encoded `/` or `\\`",
        })
    }
}

/// The normal form of `path`; borrowed when `path` is already normal, which
/// is the common case and allocates nothing.
pub fn normalize(path: &str) -> Result<Cow<'_, str>, PathError> {
    if !path.starts_with('/') {
        return Err(PathError::NotAbsolute);
    }
    if is_normal(path.as_bytes()) {
        return Ok(Cow::Borrowed(path));
    }
    let mut segments: Vec<String> = Vec::new();
    let mut trailing_slash = false;
    for raw in path[1..].split('/') {
        let segment = decode_unreserved(raw)?;
        trailing_slash = false;
        match segment.as_str() {
            "" => trailing_slash = true,
            "." => trailing_slash = true,
            ".." => {
                if segments.pop().is_none() {
                    return Err(PathError::AboveRoot);
                }
                trailing_slash = true;
            }
            _ => segments.push(segment),
        }
    }
    let mut normal = String::with_capacity(path.len());
    for segment in &segments {
        normal.push('/');
        normal.push_str(segment);
    }
    if trailing_slash || segments.is_empty() {
        normal.push('/');
    }
    Ok(Cow::Owned(normal))
}

/// No `%`, no `//`, no `.` or `..` segment: nothing to do.
/// One pass over the bytes: the check runs on every request.
fn is_normal(path: &[u8]) -> bool {
    // The segment so far: its length, and whether it is all dots.
    let mut length = 0usize;
    let mut dots = true;
    for &byte in path.get(1..).unwrap_or_default() {
        match byte {
            // An escape, or a NUL that `normalize` refuses.
            b'%' | 0 => return false,
            b'/' => {
                // `//`, `/./` or `/../`.
                if length == 0 || (dots && length <= 2) {
                    return false;
                }
                length = 0;
                dots = true;
            }
            _ => {
                length += 1;
                dots &= byte == b'.';
            }
        }
    }
    // A last `.` or `..` segment; an empty one is a trailing slash.
    !(dots && (1..=2).contains(&length))
}

fn decode_unreserved(segment: &str) -> Result<String, PathError> {
    let bytes = segment.as_bytes();
    // Bytes, not chars: a segment may hold UTF-8 beyond ASCII, copied as is.
    let mut out: Vec<u8> = Vec::with_capacity(segment.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == 0 {
            return Err(PathError::EncodedNul);
        }
        if byte != b'%' {
            out.push(byte);
            index += 1;
            continue;
        }
        let (Some(high), Some(low)) =
            (bytes.get(index + 1).and_then(hex_value), bytes.get(index + 2).and_then(hex_value))
        else {
            return Err(PathError::BadPercentEncoding);
        };
        let decoded = high * 16 + low;
        if decoded == 0 {
            return Err(PathError::EncodedNul);
        }
        if decoded == b'/' || decoded == b'\\' {
            return Err(PathError::EncodedSlash);
        }
        if decoded.is_ascii_alphanumeric() || matches!(decoded, b'-' | b'.' | b'_' | b'~') {
            out.push(decoded);
        } else {
            out.push(b'%');
            out.push(b"0123456789ABCDEF"[usize::from(high)]);
            out.push(b"0123456789ABCDEF"[usize::from(low)]);
        }
        index += 3;
    }
    // Whole characters were copied and ASCII added: still UTF-8.
    String::from_utf8(out).map_err(|_| PathError::BadPercentEncoding)
}

fn hex_value(byte: &u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(path: &str) -> Result<String, PathError> {
        normalize(path).map(Cow::into_owned)
    }

    #[test]
    fn the_one_pass_check_agrees_with_its_definition() {
        // No `%`, no NUL, no `//`, no `.` or `..` segment, over every path
        // of up to seven bytes after the first slash from the bytes that
        // matter.
        let definition = |path: &[u8]| {
            !path.contains(&b'%')
                && !path.contains(&0)
                && path.windows(2).all(|pair| pair != b"//")
                && path[1..].split(|byte| *byte == b'/').all(|segment| segment != b"." && segment != b"..")
        };
        let alphabet = *b"/.a%\0";
        let mut paths = vec![b"/".to_vec()];
        let mut checked = 0;
        while let Some(path) = paths.pop() {
            assert_eq!(is_normal(&path), definition(&path), "{}", String::from_utf8_lossy(&path));
            checked += 1;
            if path.len() < 8 {
                paths.extend(alphabet.iter().map(|byte| [path.as_slice(), &[*byte]].concat()));
            }
        }
        assert_eq!(checked, (0..8).map(|length| 5usize.pow(length)).sum::<usize>());
    }

    #[test]
    fn normal_paths_are_borrowed() {
        for path in ["/", "/a", "/a/b/", "/a.b/c..d/.e"] {
            assert!(matches!(normalize(path), Ok(Cow::Borrowed(_))), "{path}");
        }
    }

    #[test]
    fn dot_segments_slashes_and_encodings() {
        assert_eq!(normal("/public/../admin"), Ok("/admin".into()));
        assert_eq!(normal("/admin//x"), Ok("/admin/x".into()));
        assert_eq!(normal("//admin"), Ok("/admin".into()));
        assert_eq!(normal("/%61dmin"), Ok("/admin".into()));
        assert_eq!(normal("/%2e%2e/admin"), Err(PathError::AboveRoot));
        assert_eq!(normal("/a/%2E%2e/admin"), Ok("/admin".into()));
        assert_eq!(normal("/a/./b/."), Ok("/a/b/".into()));
        assert_eq!(normal("/a/b/.."), Ok("/a/".into()));
        assert_eq!(normal("/a/.."), Ok("/".into()));
        assert_eq!(normal("/a%3bb"), Ok("/a%3Bb".into()));
        assert_eq!(normal("/caf%c3%a9"), Ok("/caf%C3%A9".into()));
        // Characters beyond ASCII are copied whole.
        assert_eq!(normal("/café/./x"), Ok("/café/x".into()));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert_eq!(normal("/.."), Err(PathError::AboveRoot));
        assert_eq!(normal("/a/../../b"), Err(PathError::AboveRoot));
        assert_eq!(normal("/a%"), Err(PathError::BadPercentEncoding));
        assert_eq!(normal("/a%4"), Err(PathError::BadPercentEncoding));
        assert_eq!(normal("/a%zz"), Err(PathError::BadPercentEncoding));
        assert_eq!(normal("/a%00b"), Err(PathError::EncodedNul));
        assert_eq!(normal("/a\0b"), Err(PathError::EncodedNul));
        assert_eq!(normal("/a/\0/../b"), Err(PathError::EncodedNul));
        assert_eq!(normal("/admin%2fx"), Err(PathError::EncodedSlash));
        assert_eq!(normal("/admin%5Cx"), Err(PathError::EncodedSlash));
        assert_eq!(normal("*"), Err(PathError::NotAbsolute));
    }
}
