//! The client's address, found once per request and used by everything that
//! asks for it: `allow`/`deny`, `limit ... per client_ip`,
//! `ketama(client_ip)` and `X-Forwarded-For`.
//!
//! Without `trusted_proxies` it is the peer's address. With them, it is read
//! from the header the trusted proxies set, walked as
//! [`gateway_http::real_ip`] says; what an untrusted peer sends is ignored.

use std::net::IpAddr;

use pingora::proxy::Session;

pub use gateway_http::cidr::Cidr;
pub use gateway_http::real_ip::Header;

/// `server { trusted_proxies ...; real_ip header ... }`.
#[derive(Debug, Clone, Copy)]
pub struct RealIp {
    pub trusted: &'static [Cidr],
    pub header: Header,
}

/// The peer's address, canonical (an IPv4-mapped IPv6 peer is IPv4); `None`
/// on a Unix socket.
#[inline]
pub fn peer(session: &Session) -> Option<IpAddr> {
    session.client_addr().and_then(|addr| addr.as_inet()).map(|addr| addr.ip().to_canonical())
}

/// The client behind the trusted proxies of `real_ip`.
pub fn behind(session: &Session, real_ip: &RealIp) -> Option<IpAddr> {
    let peer = peer(session)?;
    let values = session.req_header().headers.get_all(real_ip.header.name()).iter().map(|value| value.as_bytes());
    Some(gateway_http::real_ip::client(peer, real_ip.trusted, real_ip.header, values))
}
