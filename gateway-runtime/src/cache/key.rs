//! The cache key of a request (`cache { key { } }`).
//!
//! By default: the route's scope (its index, label and upstream, so that two
//! routes never share an entry even where host and path agree), the route's
//! generation (moved on by an admin purge), the scheme, the host (lower
//! case), the path and the query as sent. `key { }` adds request headers and
//! cookies, keeps only some query parameters or drops some, and can sort
//! them. Every part is length-prefixed, so no two different requests frame
//! to one key. A `PURGE` is keyed as the `GET` it purges.

use pingora::cache::CacheKey;
use pingora::proxy::Session;

use super::Route;
use crate::matchers::{cookie_values, decode};
use crate::router::request_host;

/// What a route's key holds beyond scheme, host and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRules {
    /// Request headers whose values are part of the key (lower case).
    pub headers: &'static [&'static str],
    /// Cookies whose values are part of the key.
    pub cookies: &'static [&'static str],
    pub query: Query,
    /// Whether the query parameters are sorted (by name, then value), so
    /// that `?a=1&b=2` and `?b=2&a=1` share an entry.
    pub sort_query: bool,
}

impl KeyRules {
    /// The key without `key { }`: the whole query, as sent.
    pub const DEFAULT: KeyRules = KeyRules { headers: &[], cookies: &[], query: Query::All, sort_query: false };
}

/// Which query parameters are part of the key (compared by decoded name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    All,
    /// `query none`: the query is not part of the key.
    None,
    /// `query NAME...`: only these.
    Only(&'static [&'static str]),
    /// `ignore_query NAME...`: all but these.
    Ignore(&'static [&'static str]),
}

impl Query {
    fn keeps(&self, name: &str) -> bool {
        match self {
            Query::All => true,
            Query::None => false,
            Query::Only(names) => names.contains(&name),
            Query::Ignore(names) => !names.contains(&name),
        }
    }
}

/// The key of a request on `route`, in generation `generation`.
pub fn key(session: &Session, route: &Route, generation: u64) -> CacheKey {
    CacheKey::new(primary(session, route, generation), "")
}

/// Where the generation is in a route's keys: after the scope's length and bytes.
pub(crate) fn generation_at(route: &Route) -> std::ops::Range<usize> {
    let start = 4 + route.scope.len();
    start..start + 8
}

/// The bytes a request's key on `route` is the hash of.
pub(crate) fn primary(session: &Session, route: &Route, generation: u64) -> Vec<u8> {
    let request = session.req_header();
    let tls = session.digest().is_some_and(|digest| digest.ssl_digest.is_some());
    let mut primary = Vec::with_capacity(128);
    part(&mut primary, route.scope.as_bytes());
    primary.extend_from_slice(&generation.to_le_bytes());
    part(&mut primary, if tls { b"https" } else { b"http" });
    // Lower-cased in place: no allocation per request.
    let host_start = primary.len() + 4;
    part(&mut primary, request_host(request).unwrap_or("").as_bytes());
    primary[host_start..].make_ascii_lowercase();
    part(&mut primary, request.uri.path().as_bytes());
    let query = request.uri.query();
    match (route.key.query, route.key.sort_query) {
        (Query::All, false) => part(&mut primary, query.unwrap_or("").as_bytes()),
        (rule, sort) => {
            let mut params: Vec<&str> = query
                .into_iter()
                .flat_map(|query| query.split('&'))
                .filter(|param| !param.is_empty())
                .filter(|param| rule.keeps(&decode(param.split_once('=').map_or(*param, |(name, _)| name))))
                .collect();
            if sort {
                params.sort_unstable();
            }
            part(&mut primary, params.join("&").as_bytes());
        }
    }
    for name in route.key.headers {
        let values = request.headers.get_all(*name);
        count(&mut primary, values.iter().count());
        for value in values {
            part(&mut primary, value.as_bytes());
        }
    }
    for name in route.key.cookies {
        count(&mut primary, cookie_values(request, name).count());
        for value in cookie_values(request, name) {
            part(&mut primary, value.as_bytes());
        }
    }
    primary
}

fn part(key: &mut Vec<u8>, bytes: &[u8]) {
    count(key, bytes.len());
    key.extend_from_slice(bytes);
}

fn count(key: &mut Vec<u8>, count: usize) {
    key.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
}
