//! Upstreams: sets of backends and the choice of one per request, on
//! `pingora-load-balancing`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use http::Extensions;
use pingora::lb::discovery::Static;
use pingora::lb::selection::RoundRobin;
use pingora::lb::{Backend, Backends, LoadBalancer};
use pingora::protocols::l4::socket::SocketAddr;
use pingora::upstreams::peer::HttpPeer;
use pingora::{Error, ErrorSource, ErrorType};

use crate::StartupError;

/// An upstream balanced by weighted round robin: each backend receives
/// requests in proportion to its weight.
pub type RoundRobinUpstream = LoadBalancer<RoundRobin>;

/// How many backends a selection may try before giving up.
const MAX_SELECT_ITERATIONS: usize = 256;

/// Builds a weighted round-robin upstream from `(address, weight)` pairs.
pub fn round_robin(
    name: &str,
    backends: &[(std::net::SocketAddr, usize)],
) -> Result<Arc<RoundRobinUpstream>, StartupError> {
    let set: BTreeSet<Backend> = backends
        .iter()
        .map(|(addr, weight)| Backend { addr: SocketAddr::Inet(*addr), weight: *weight, ext: Extensions::new() })
        .collect();
    let balancer = LoadBalancer::from_backends(Backends::new(Static::new(set)));
    // Static discovery answers at once; nothing here waits.
    match balancer.update().now_or_never() {
        Some(Ok(())) => Ok(Arc::new(balancer)),
        Some(Err(error)) => Err(StartupError::new(format!("upstream `{name}`: {error}"))),
        None => Err(StartupError::new(format!("upstream `{name}`: static discovery did not complete"))),
    }
}

/// The peer for one request to `upstream`.
pub fn peer(upstream: &RoundRobinUpstream, name: &str) -> pingora::Result<Box<HttpPeer>> {
    let Some(backend) = upstream.select(b"", MAX_SELECT_ITERATIONS) else {
        return Err(Error::create(
            ErrorType::ConnectNoRoute,
            ErrorSource::Upstream,
            Some(format!("upstream `{name}` has no backend available").into()),
            None,
        ));
    };
    match backend.addr {
        SocketAddr::Inet(addr) => Ok(Box::new(HttpPeer::new(addr, false, String::new()))),
        SocketAddr::Unix(_) => Err(Error::explain(
            ErrorType::InternalError,
            format!("upstream `{name}`: unix socket backends are not supported"),
        )),
    }
}

/// Sets a route's upstream timeouts on a peer (`timeout connect/read/write`).
pub fn with_timeouts(
    mut peer: Box<HttpPeer>,
    connect: Option<Duration>,
    read: Option<Duration>,
    write: Option<Duration>,
) -> Box<HttpPeer> {
    if connect.is_some() {
        peer.options.connection_timeout = connect;
    }
    if read.is_some() {
        peer.options.read_timeout = read;
    }
    if write.is_some() {
        peer.options.write_timeout = write;
    }
    peer
}

/// The error of a request whose route has no upstream: a route that
/// responds by itself never gets here.
pub fn no_upstream() -> Box<Error> {
    Error::explain(ErrorType::InternalError, "route has no upstream")
}
