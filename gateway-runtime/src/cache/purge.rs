//! `cache { purge allow CIDR...; purge token env(NAME) }`: who may send
//! `PURGE` for a cached route. A `PURGE` is keyed as the `GET` of the same
//! URL (and headers, where the key holds some), and Pingora answers it: 200
//! when an entry was found and deleted, 404 when there was none. Purging an
//! entry that varies (`Vary`) purges all its variants: Pingora deletes the
//! primary entry, whose time then rules out every older variant.
//!
//! When a route gives both, the client needs both: an address `allow`
//! lists and the token, as `Authorization: Bearer TOKEN`. Refused: 403 for
//! an address, 401 (with `WWW-Authenticate: Bearer`) without a token, 403
//! with a wrong one.

use std::net::IpAddr;

use pingora::http::RequestHeader;

use super::Route;
use crate::auth::{BearerToken, Rejection};
use crate::policy::Refusal;
use crate::policy::access::Cidr;

/// A route's purge rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purge {
    /// Addresses purges may come from; empty: any (the token decides).
    pub allow: &'static [Cidr],
    /// Whether a token is needed (it is read at start-up, kept by the store).
    pub token: bool,
}

/// Whether a request is a `PURGE`.
pub fn is_purge(request: &RequestHeader) -> bool {
    request.method.as_str() == "PURGE"
}

/// Whether Pingora should answer a request as a purge (`is_purge`, which
/// Pingora asks of every request, cached or not): a `PURGE` on a route with
/// `purge`. Elsewhere `PURGE` is proxied as any other method.
pub fn purges(route: Option<&Route>, request: &RequestHeader) -> bool {
    route.is_some_and(|route| route.purge.is_some()) && is_purge(request)
}

/// Checks a `PURGE` against the route's rule; `token` is the route's.
pub fn authorize(
    route: &Route,
    token: Option<&BearerToken>,
    request: &RequestHeader,
    client: Option<IpAddr>,
) -> Result<(), Refusal> {
    let Some(rule) = &route.purge else { return Err(Refusal::status(405)) };
    if !rule.allow.is_empty() && !client.is_some_and(|ip| rule.allow.iter().any(|cidr| cidr.contains(ip))) {
        return Err(Refusal::status(403));
    }
    if rule.token {
        let Some(token) = token else { return Err(Refusal::status(403)) };
        match token.verify(request) {
            Ok(()) => {}
            Err(Rejection::Missing) => {
                return Err(Refusal {
                    status: 401,
                    headers: vec![("WWW-Authenticate", "Bearer realm=\"purge\"".to_string())],
                });
            }
            Err(Rejection::Wrong) => return Err(Refusal::status(403)),
        }
    }
    Ok(())
}
