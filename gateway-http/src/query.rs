//! The values route matchers look at, read from request text: query
//! parameters and cookies. The gateway's matchers
//! (`gateway_runtime::matchers`) and the build-time evaluation of a file's
//! `test` blocks read them with these same functions.

use std::borrow::Cow;

/// The values (percent-decoded) of query parameter `name`, in order.
pub fn query_values<'a>(query: Option<&'a str>, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
    query.into_iter().flat_map(|query| query.split('&')).filter_map(move |pair| {
        let (key, param) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(param))
    })
}

/// The values of cookie `name` in one `Cookie` header, in order, unquoted.
pub fn cookie_values<'a>(header: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    header.split(';').filter_map(move |pair| {
        let (key, cookie) = pair.split_once('=').unwrap_or((pair, ""));
        (key.trim() == name).then(|| cookie.trim().trim_matches('"'))
    })
}

/// Percent-decodes a query component (`+` is a space); invalid escapes stay as they are.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(index + 1..index + 3).and_then(|hex| std::str::from_utf8(hex).ok());
                if let Some(byte) = hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    out.push(byte);
                    index += 3;
                    continue;
                }
                out.push(b'%');
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_decoded_and_cookies_unquoted() {
        let query = Some("debug&user=J%C3%B6rg&a+b=%zz");
        assert_eq!(query_values(query, "user").collect::<Vec<_>>(), ["Jörg"]);
        assert_eq!(query_values(query, "debug").collect::<Vec<_>>(), [""]);
        assert_eq!(query_values(query, "a b").collect::<Vec<_>>(), ["%zz"]);
        assert_eq!(query_values(None, "user").count(), 0);
        assert_eq!(cookie_values("a=1; session=\"abc\"; a=2", "a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(cookie_values("a=1; session=\"abc\"", "session").collect::<Vec<_>>(), ["abc"]);
    }
}
