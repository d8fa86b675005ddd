//! The routing decision, applied to Pingora's requests: the tables and the
//! lookup are [`gateway_http::router`]'s (re-exported here, where generated
//! code names them); this module finds a request's host and listener.

use pingora::http::RequestHeader;
use pingora::protocols::l4::socket::SocketAddr;

pub use gateway_http::router::{Candidate, EMPTY, Found, Group, Node, Router, Slot, Span, group, hash, node};

/// The host a request is for, without port: the `Host` header, or the
/// authority of the request target (HTTP/2 has no `Host` header).
pub fn request_host(request: &RequestHeader) -> Option<&str> {
    let host = match request.headers.get(http::header::HOST) {
        Some(value) => value.to_str().ok()?,
        None => request.uri.host()?,
    };
    Some(gateway_http::router::host_without_port(host))
}

/// The index in `listeners` (the file's `listen` addresses, in order) of
/// the listener a connection arrived on, found from its local address:
/// the listener of its port whose address is the local one or unspecified
/// (no two listeners share a port otherwise). `usize::MAX` if none is.
pub fn listener_index(local: Option<&SocketAddr>, listeners: &[std::net::SocketAddr]) -> usize {
    let Some(local) = local.and_then(SocketAddr::as_inet) else { return usize::MAX };
    let same_ip = |listener: &std::net::SocketAddr| {
        let ip = listener.ip();
        ip.is_unspecified() || ip == local.ip() || ipv4_mapped(local.ip()) == Some(ip)
    };
    listeners.iter().position(|listener| listener.port() == local.port() && same_ip(listener)).unwrap_or(usize::MAX)
}

/// `::ffff:a.b.c.d` as `a.b.c.d`: a dual-stack socket's view of an IPv4 peer.
fn ipv4_mapped(ip: std::net::IpAddr) -> Option<std::net::IpAddr> {
    match ip {
        std::net::IpAddr::V6(ip) => ip.to_ipv4_mapped().map(std::net::IpAddr::V4),
        std::net::IpAddr::V4(_) => None,
    }
}

/// Whether listener `listener` is one of `mask` (bit `i` for listener `i`):
/// a route's `on` list.
#[inline]
pub fn on_listener(mask: u64, listener: usize) -> bool {
    u32::try_from(listener).ok().and_then(|shift| mask.checked_shr(shift)).is_some_and(|bits| bits & 1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_without_port() {
        let mut request = RequestHeader::build("GET", b"/", None).expect("request");
        request.insert_header("Host", "Example.com:8080").expect("header");
        assert_eq!(request_host(&request), Some("Example.com"));
        request.insert_header("Host", "[::1]:80").expect("header");
        assert_eq!(request_host(&request), Some("[::1]"));
        request.insert_header("Host", "example.com.").expect("header");
        assert_eq!(request_host(&request), Some("example.com"));
    }

    #[test]
    fn the_listener_of_a_connection_is_found_by_its_local_address() {
        let listeners: Vec<std::net::SocketAddr> = ["0.0.0.0:8080", "127.0.0.1:9000", "127.0.0.2:9000", "[::]:8443"]
            .map(|addr| addr.parse().expect("addr"))
            .to_vec();
        let local = |addr: &str| SocketAddr::Inet(addr.parse().expect("addr"));
        assert_eq!(listener_index(Some(&local("10.1.2.3:8080")), &listeners), 0);
        assert_eq!(listener_index(Some(&local("127.0.0.1:9000")), &listeners), 1);
        assert_eq!(listener_index(Some(&local("127.0.0.2:9000")), &listeners), 2);
        assert_eq!(listener_index(Some(&local("[::ffff:10.0.0.1]:8443")), &listeners), 3);
        assert_eq!(listener_index(Some(&local("127.0.0.3:9000")), &listeners), usize::MAX);
        assert_eq!(listener_index(None, &listeners), usize::MAX);
        assert!(on_listener(0b101, 0) && !on_listener(0b101, 1) && on_listener(0b101, 2));
        assert!(!on_listener(u64::MAX, 64) && !on_listener(u64::MAX, usize::MAX));
    }
}
