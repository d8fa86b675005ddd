//! Sticky cookies, which keep a client on its backend.

use http::HeaderValue;
use pingora::http::RequestHeader;
use pingora::lb::Backend;

use super::{StickyConfig, identity};
use crate::matchers::{Value, cookie};

/// The cookie that keeps a client on `backend`.
pub(super) fn sticky_cookie(sticky: &StickyConfig, backend: &Backend) -> Option<HeaderValue> {
    let mut cookie = format!("{}={:016x}; Path=/", sticky.cookie, identity(&backend.addr));
    if let Some(max_age) = sticky.max_age {
        cookie.push_str(&format!("; Max-Age={}", max_age.as_secs()));
    }
    if sticky.secure {
        cookie.push_str("; Secure");
    }
    if sticky.http_only {
        cookie.push_str("; HttpOnly");
    }
    HeaderValue::from_str(&cookie).ok()
}

pub(super) fn cookie_value(request: &RequestHeader, name: &str) -> Option<String> {
    // The matcher finds the cookie; take its value the same way it reads it.
    if !cookie(request, name, Value::Present) {
        return None;
    }
    request.headers.get_all(http::header::COOKIE).iter().filter_map(|header| header.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').to_string())
        })
    })
}
