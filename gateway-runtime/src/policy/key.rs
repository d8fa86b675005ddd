//! What a limit counts per (`per client_ip`, `per header NAME`, ...): the
//! part of a request that picks its budget.

use std::borrow::Cow;
use std::net::IpAddr;

use pingora::proxy::Session;

use super::auth_jwt::Claims;
use crate::matchers::{cookie_values, query_values};

/// The part of the request a limit is counted per, as the `.gw` file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySpec {
    /// The client's address (`per client_ip`).
    ClientIp,
    /// The first value of a header (`per header X-Api-Key`).
    Header(&'static str),
    /// A cookie's value (`per cookie session`).
    Cookie(&'static str),
    /// A query parameter's value, percent-decoded (`per query api_key`).
    Query(&'static str),
    /// The normalised path.
    Path,
    /// The route: one budget per route.
    Route,
    /// A claim of the request's JWT (`per claim sub`), after `auth jwt`.
    Claim(&'static str),
}

/// What a request's key is read from besides the request itself.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The route's index.
    pub route: usize,
    /// The client's address (`crate::client_ip`).
    pub client: Option<IpAddr>,
    /// The claims of the request's verified JWT, if the route has `auth jwt`.
    pub claims: Option<&'a Claims>,
}

/// A request's key. Requests without the header, cookie or parameter a limit
/// counts per share one budget, [`Key::Missing`], which never equals a
/// value (not even an empty one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    Missing,
    Ip(IpAddr),
    Bytes(Cow<'a, [u8]>),
    Route(usize),
}

impl KeySpec {
    /// The key of a request.
    pub fn of<'a>(&self, session: &'a Session, facts: Facts<'a>) -> Key<'a> {
        let request = session.req_header();
        match self {
            KeySpec::ClientIp => facts.client.map_or(Key::Missing, Key::Ip),
            KeySpec::Header(name) => {
                request.headers.get(*name).map_or(Key::Missing, |value| Key::Bytes(Cow::Borrowed(value.as_bytes())))
            }
            KeySpec::Cookie(name) => cookie_values(request, name)
                .next()
                .map_or(Key::Missing, |value| Key::Bytes(Cow::Borrowed(value.as_bytes()))),
            KeySpec::Query(name) => query_values(request.uri.query(), name).next().map_or(Key::Missing, |value| {
                Key::Bytes(match value {
                    Cow::Borrowed(value) => Cow::Borrowed(value.as_bytes()),
                    Cow::Owned(value) => Cow::Owned(value.into_bytes()),
                })
            }),
            KeySpec::Path => Key::Bytes(Cow::Borrowed(request.uri.path().as_bytes())),
            KeySpec::Route => Key::Route(facts.route),
            KeySpec::Claim(name) => match facts.claims.and_then(|claims| claims.get(*name)) {
                None | Some(serde_json::Value::Null) => Key::Missing,
                Some(serde_json::Value::String(text)) => Key::Bytes(Cow::Borrowed(text.as_bytes())),
                Some(other) => Key::Bytes(Cow::Owned(other.to_string().into_bytes())),
            },
        }
    }
}

impl Key<'_> {
    /// `PREFIX HASH`: the key as the shared store holds it, after
    /// `prefix` (the store's prefix, the limit's kind and scope). The key's
    /// bytes are hashed (SHA-256, 128 bits kept), so that any header value
    /// makes a short store key with no `{` (no accidental hash tag).
    pub fn store_key(&self, prefix: &str) -> String {
        let bytes: Cow<'_, [u8]> = match self {
            Key::Missing => Cow::Borrowed(b"\0missing"),
            Key::Ip(ip) => Cow::Owned(format!("ip:{ip}").into_bytes()),
            Key::Bytes(bytes) => {
                let mut tagged = b"v:".to_vec();
                tagged.extend_from_slice(bytes);
                Cow::Owned(tagged)
            }
            Key::Route(route) => Cow::Owned(format!("route:{route}").into_bytes()),
        };
        let digest = crate::auth::digest(&bytes);
        let mut out = String::with_capacity(prefix.len() + 32);
        out.push_str(prefix);
        crate::auth::push_hex(&mut out, &digest[..16]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded_and_missing_ones_are_none() {
        let first = |query, name| query_values(query, name).next();
        assert_eq!(first(Some("a=1&key=J%C3%B6rg&key=2"), "key").as_deref(), Some("Jörg"));
        assert_eq!(first(Some("key"), "key").as_deref(), Some(""));
        assert_eq!(first(Some("a=1"), "key"), None);
        assert_eq!(first(None, "key"), None);
        assert_ne!(Key::Missing, Key::Bytes(Cow::Borrowed(b"")));
    }
}
