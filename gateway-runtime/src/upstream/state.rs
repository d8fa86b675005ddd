//! What a request remembers about its upstream between hooks: the
//! upstream, the backends tried, the sticky cookie to set, the in-flight
//! count of a `least_conn` backend; and the connection it got.

use std::time::{Duration, Instant};

use http::HeaderValue;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::upstreams::peer::HttpPeer;

use super::UpstreamConfig;
use super::fixed::Fixed;
use super::least_conn::InFlightGuard;

/// What a request remembers about its upstream between hooks. Small (64
/// bytes): it is part of the context, which Pingora moves with the
/// request's future several times per request; what only retries and
/// sticky upstreams need is boxed.
#[derive(Debug, Default)]
pub struct RequestState {
    /// The upstream of the last peer, for metrics.
    pub(super) upstream: Option<&'static UpstreamConfig>,
    /// Backends already tried (after a failed connection).
    pub(super) tried: Tried,
    /// The `Set-Cookie` to send when the request got a sticky backend.
    pub(super) set_cookie: Option<Box<HeaderValue>>,
    /// The in-flight count of a `least_conn` backend.
    pub(super) _in_flight: Option<InFlightGuard>,
}

/// The last connection a request got (`connected_to_upstream`): its backend
/// and when it was made, for metrics, the access log and spans. A field of
/// the context only where one of those needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connected {
    pub backend: std::net::SocketAddr,
    pub at: Instant,
}

impl Connected {
    /// The connection to `peer`, now (inet backends only).
    pub fn of(peer: &HttpPeer) -> Option<Connected> {
        peer._address.as_inet().map(|addr| Connected { backend: *addr, at: Instant::now() })
    }

    /// The time since the connection was made.
    pub fn elapsed(&self) -> Duration {
        self.at.elapsed()
    }
}

impl RequestState {
    pub fn new() -> RequestState {
        RequestState::default()
    }

    /// The name of the upstream of the last peer, for metrics (empty
    /// before one was chosen).
    pub fn upstream(&self) -> &'static str {
        self.upstream.map_or("", |config| config.name)
    }

    /// Adds the sticky cookie, if any, to the response (`response_filter`).
    pub fn add_sticky_cookie(&self, response: &mut pingora::http::ResponseHeader) -> pingora::Result<()> {
        match &self.set_cookie {
            Some(cookie) => response.append_header("Set-Cookie", HeaderValue::clone(cookie)).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// The backends a request went to, in order. The first is kept inline, so
/// that a request that is not retried allocates nothing, and small: a
/// backend of the fast path as its index in `Fixed::backends`, another as
/// its IP address (Pingora's address type, which can hold a Unix socket
/// path, is 120 bytes). The rest, and a first backend on a Unix socket, go
/// to `then`, allocated on the first retry.
#[derive(Debug, Default)]
pub(super) struct Tried {
    first: Option<First>,
    #[allow(clippy::box_collection, reason = "8 bytes in the context instead of a vector's 24")]
    then: Option<Box<Vec<SocketAddr>>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum First {
    Fixed(u32),
    Inet(std::net::SocketAddr),
}

impl Tried {
    /// A backend of the fast path, which is taken on a first try only
    /// (`Upstream::peer` checks `is_empty`).
    pub(super) fn push_fixed(&mut self, index: u32) {
        self.first = Some(First::Fixed(index));
    }

    pub(super) fn push(&mut self, addr: SocketAddr) {
        match (self.is_empty(), &addr) {
            (true, SocketAddr::Inet(inet)) => self.first = Some(First::Inet(*inet)),
            _ => self.then.get_or_insert_default().push(addr),
        }
    }

    pub(super) fn contains(&self, addr: &SocketAddr, fixed: Option<&Fixed>) -> bool {
        let first = match self.first {
            None => false,
            Some(First::Inet(inet)) => addr.as_inet() == Some(&inet),
            Some(First::Fixed(index)) => fixed.and_then(|fixed| fixed.addr(index)) == Some(addr),
        };
        first || self.then().contains(addr)
    }

    pub(super) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.then().len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.first.is_none() && self.then().is_empty()
    }

    pub(super) fn then(&self) -> &[SocketAddr] {
        self.then.as_deref().map_or(&[], Vec::as_slice)
    }
}
