//! Route matchers other than host and path: method, header, query parameter
//! and cookie. Generated code calls these from its `accept` function, for the
//! candidates the router offers.

use http::header::COOKIE;
use pingora::http::RequestHeader;
use regex::Regex;

/// How a header, query parameter or cookie value must look.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// Present, whatever its value.
    Present,
    /// Exactly this value.
    Equals(&'a str),
    /// A value the regex matches.
    Matches(&'a Regex),
}

impl Value<'_> {
    fn accepts(&self, value: &str) -> bool {
        match self {
            Value::Present => true,
            Value::Equals(expected) => value == *expected,
            Value::Matches(regex) => regex.is_match(value),
        }
    }
}

/// The request's method is one of `methods` (upper case).
pub fn method(request: &RequestHeader, methods: &[&str]) -> bool {
    let method = request.method.as_str();
    methods.contains(&method)
}

/// Some value of header `name` is accepted.
pub fn header(request: &RequestHeader, name: &str, value: Value<'_>) -> bool {
    request.headers.get_all(name).iter().any(|header_value| header_value.to_str().is_ok_and(|text| value.accepts(text)))
}

/// Some query parameter `name` has a value (percent-decoded) that is accepted.
pub fn query(request: &RequestHeader, name: &str, value: Value<'_>) -> bool {
    query_values(request.uri.query(), name).any(|param| value.accepts(&param))
}

pub use gateway_http::query::{decode, query_values};

/// Some cookie `name` has a value that is accepted.
pub fn cookie(request: &RequestHeader, name: &str, value: Value<'_>) -> bool {
    cookie_values(request, name).any(|cookie| value.accepts(cookie))
}

/// The values of cookie `name`, in order, unquoted.
pub fn cookie_values<'a>(request: &'a RequestHeader, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    request
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(move |header| gateway_http::query::cookie_values(header, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, headers: &[(&str, &str)]) -> RequestHeader {
        let mut request = RequestHeader::build("POST", target.as_bytes(), None).expect("request");
        for (name, value) in headers {
            request.append_header(name.to_string(), *value).expect("header");
        }
        request
    }

    #[test]
    fn methods_headers_queries_cookies() {
        let regex = Regex::new("^v[0-9]+$").expect("regex");
        let request = request(
            "/x?debug&user=J%C3%B6rg&page=2",
            &[("X-Env", "prod"), ("X-Env", "v2"), ("Cookie", "a=1; session=\"abc\""), ("Cookie", "b=2")],
        );
        assert!(method(&request, &["GET", "POST"]));
        assert!(!method(&request, &["GET"]));
        assert!(header(&request, "x-env", Value::Present));
        assert!(header(&request, "x-env", Value::Equals("v2")));
        assert!(header(&request, "X-Env", Value::Matches(&regex)));
        assert!(!header(&request, "x-env", Value::Equals("PROD")));
        assert!(!header(&request, "x-other", Value::Present));
        assert!(query(&request, "debug", Value::Present));
        assert!(query(&request, "user", Value::Equals("Jörg")));
        assert!(!query(&request, "page", Value::Equals("3")));
        assert!(!query(&request, "missing", Value::Present));
        assert!(cookie(&request, "session", Value::Equals("abc")));
        assert!(cookie(&request, "b", Value::Present));
        assert!(!cookie(&request, "c", Value::Present));
    }
}
