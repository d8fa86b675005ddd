//! The request target sent upstream: `strip_prefix` or `rewrite` of the
//! path, and `query` edits, applied in `upstream_request_filter`.

use http::Uri;
use http::uri::PathAndQuery;
use pingora::http::RequestHeader;
use pingora::{ErrorType, OrErr};
use regex::Regex;

use crate::matchers::decode;

/// What becomes of the path.
#[derive(Debug, Clone, Copy)]
pub enum PathChange<'a> {
    Keep,
    /// Remove this leading part; what is left starts with `/`.
    StripPrefix(&'static str),
    /// Replace the regex's match with the replacement (`$1`, `${name}`).
    Rewrite(&'a Regex, &'static str),
}

/// A query edit; names and values are percent-encoded at build time.
#[derive(Debug)]
pub enum QueryEdit {
    /// Remove every parameter of this (decoded) name.
    Remove(&'static str),
    /// Add `name=value` at the end.
    Add(&'static str, &'static str),
    /// Remove the parameters of this (decoded) name, then add `name=value`.
    Set(&'static str, &'static str, &'static str),
}

/// Rewrites the request's path and query.
pub fn rewrite(request: &mut RequestHeader, path: PathChange<'_>, query: &[QueryEdit]) -> pingora::Result<()> {
    let current = request.uri.path();
    let mut new_path = match path {
        PathChange::Keep => current.to_string(),
        PathChange::StripPrefix(prefix) => current.strip_prefix(prefix).unwrap_or(current).to_string(),
        PathChange::Rewrite(regex, replacement) => regex.replace(current, replacement).into_owned(),
    };
    if !new_path.starts_with('/') {
        new_path.insert(0, '/');
    }
    let mut pairs: Vec<String> = request
        .uri
        .query()
        .map(|query| query.split('&').filter(|pair| !pair.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    for edit in query {
        match edit {
            QueryEdit::Remove(name) => pairs.retain(|pair| !has_name(pair, name)),
            QueryEdit::Add(name, value) => pairs.push(format!("{name}={value}")),
            QueryEdit::Set(raw, name, value) => {
                pairs.retain(|pair| !has_name(pair, raw));
                pairs.push(format!("{name}={value}"));
            }
        }
    }
    let target = if pairs.is_empty() { new_path } else { format!("{new_path}?{}", pairs.join("&")) };
    let path_and_query = PathAndQuery::try_from(target).or_err(ErrorType::InternalError, "rewritten request target")?;
    let mut parts = request.uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query);
    let uri = Uri::from_parts(parts).or_err(ErrorType::InternalError, "rewritten request target")?;
    request.set_uri(uri);
    Ok(())
}

fn has_name(pair: &str, name: &str) -> bool {
    decode(pair.split_once('=').map_or(pair, |(key, _)| key)) == name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(uri: &str, path: PathChange<'_>, query: &[QueryEdit]) -> String {
        let mut request = RequestHeader::build("GET", uri.as_bytes(), None).expect("request");
        rewrite(&mut request, path, query).expect("rewrite");
        request.uri.to_string()
    }

    #[test]
    fn strip_rewrite_and_query_edits() {
        assert_eq!(target("/api/users?x=1", PathChange::StripPrefix("/api"), &[]), "/users?x=1");
        assert_eq!(target("/api", PathChange::StripPrefix("/api"), &[]), "/");
        let regex = Regex::new("^/v1/(?P<rest>.*)$").expect("regex");
        assert_eq!(target("/v1/a/b", PathChange::Rewrite(&regex, "/v2/${rest}"), &[]), "/v2/a/b");
        assert_eq!(target("/other", PathChange::Rewrite(&regex, "/v2/${rest}"), &[]), "/other");
        let edits = [QueryEdit::Remove("debug"), QueryEdit::Add("ref", "pingora"), QueryEdit::Set("page", "page", "1")];
        assert_eq!(
            target("/s?q=rust&debug=true&page=3&de%62ug=x", PathChange::Keep, &edits),
            "/s?q=rust&ref=pingora&page=1"
        );
    }
}
