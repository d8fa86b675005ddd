//! Request path normalisation before routing: [`normalize`] (from
//! `gateway-http`, where the rules are documented and fuzzed), and
//! [`set_path`] to put the normal form into Pingora's request.

pub use gateway_http::path::{PathError, normalize};

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
