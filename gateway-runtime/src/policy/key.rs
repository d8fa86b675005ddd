//! What a limit counts per (`per client_ip`, `per header NAME`, ...): the
//! part of a request that picks its budget.

use std::borrow::Cow;
use std::net::IpAddr;

use http::header::COOKIE;
use pingora::proxy::Session;

use crate::matchers::decode;

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
    /// The key of a request on route `route` (its index).
    pub fn of<'a>(&self, session: &'a Session, route: usize) -> Key<'a> {
        let request = session.req_header();
        match self {
            KeySpec::ClientIp => client_ip(session).map_or(Key::Missing, Key::Ip),
            KeySpec::Header(name) => {
                request.headers.get(*name).map_or(Key::Missing, |value| Key::Bytes(Cow::Borrowed(value.as_bytes())))
            }
            KeySpec::Cookie(name) => {
                cookie(session, name).map_or(Key::Missing, |value| Key::Bytes(Cow::Borrowed(value)))
            }
            KeySpec::Query(name) => query(request.uri.query(), name).map_or(Key::Missing, Key::Bytes),
            KeySpec::Path => Key::Bytes(Cow::Borrowed(request.uri.path().as_bytes())),
            KeySpec::Route => Key::Route(route),
        }
    }
}

/// The client's address, canonical (an IPv4-mapped IPv6 peer is IPv4);
/// `None` on a Unix socket.
#[inline]
pub fn client_ip(session: &Session) -> Option<IpAddr> {
    session.client_addr().and_then(|addr| addr.as_inet()).map(|addr| addr.ip().to_canonical())
}

fn cookie<'a>(session: &'a Session, name: &str) -> Option<&'a [u8]> {
    session.req_header().headers.get_all(COOKIE).iter().filter_map(|header| header.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').as_bytes())
        })
    })
}

fn query<'a>(query: Option<&'a str>, name: &str) -> Option<Cow<'a, [u8]>> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| match decode(value) {
            Cow::Borrowed(value) => Cow::Borrowed(value.as_bytes()),
            Cow::Owned(value) => Cow::Owned(value.into_bytes()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded_and_missing_ones_are_none() {
        assert_eq!(query(Some("a=1&key=J%C3%B6rg"), "key").as_deref(), Some("Jörg".as_bytes()));
        assert_eq!(query(Some("key"), "key").as_deref(), Some(&b""[..]));
        assert_eq!(query(Some("a=1"), "key"), None);
        assert_eq!(query(None, "key"), None);
        assert_ne!(Key::Missing, Key::Bytes(Cow::Borrowed(b"")));
    }
}
