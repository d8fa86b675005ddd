//! Request path normalisation before routing: [`normalize`] (from
//! `gateway-http`, where the rules are documented and fuzzed), and
//! [`normalize_target`] to put the normal form into Pingora's request.

use std::borrow::Cow;

use pingora::http::RequestHeader;

pub use gateway_http::path::{PathError, normalize};

/// Puts the request target in the form that routes see and the upstream
/// receives: the normalised path with the query kept, in origin form
/// (`/path?query`; an HTTP/1 absolute-form target, `http://host/path`, is
/// sent as its path, with the client's `Host`). `false`: the path cannot be
/// normalised, and the request is refused with 400.
pub fn normalize_target(request: &mut RequestHeader) -> bool {
    let path = match normalize(request.uri.path()) {
        // The usual case: a normal path in origin form, left as it is.
        Ok(Cow::Borrowed(_)) if request.raw_path().first() == Some(&b'/') => return true,
        Ok(path) => path.into_owned(),
        Err(_) => return false,
    };
    match set_path(request, &path) {
        Ok(()) => true,
        Err(error) => {
            log::debug!("request target not rebuilt: {error}");
            false
        }
    }
}

/// Replaces the path of a request's target, keeping its query.
pub fn set_path(request: &mut pingora::http::RequestHeader, path: &str) -> pingora::Result<()> {
    use pingora::OrErr;
    let target = match request.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut parts = request.uri.clone().into_parts();
    parts.path_and_query =
        Some(http::uri::PathAndQuery::try_from(target).or_err(pingora::ErrorType::InternalError, "normalised path")?);
    let uri = http::Uri::from_parts(parts).or_err(pingora::ErrorType::InternalError, "normalised path")?;
    request.set_uri(uri);
    Ok(())
}
