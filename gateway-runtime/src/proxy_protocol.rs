//! `listen ... { proxy_protocol }`: connections from a load balancer that
//! begin with a PROXY protocol header (v1 or v2, HAProxy's
//! proxy-protocol.txt). The header is read exactly (framing:
//! [`gateway_http::proxy_protocol`]) and parsed by the `ppp` crate; the
//! client address it carries becomes the connection's peer address, so
//! that limits, `allow`/`deny`, logs and forwarding headers all see the
//! client. Only peers in `trusted_proxies` may connect to such a listener;
//! a connection from anywhere else, a header that does not arrive within
//! the time allowed, or anything that is not a valid header closes the
//! connection. On cleartext listeners the header is read by
//! [`crate::guard::Guarded`]; on TLS listeners, before the handshake, by
//! Pingora's pre-TLS callback ([`PreTls`]).
//!
//! Headers are also sent: `upstream NAME { proxy_protocol v1|v2 }` begins
//! every connection to its backends with one ([`header`], written by
//! [`crate::upstream::connect::Dial`]).

use std::net::{IpAddr, SocketAddr as StdSocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use gateway_http::cidr::Cidr;
use gateway_http::proxy_protocol::{Frame, frame};
use pingora::listeners::PreTlsProcess;
use pingora::protocols::GetSocketDigest;
use pingora::protocols::SocketDigest;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::protocols::l4::stream::Stream as L4Stream;
use tokio::io::{AsyncRead, AsyncReadExt};

/// The listeners that expect the header, and who may send it.
#[derive(Debug)]
pub struct ProxyProtocol {
    /// Local addresses of the `proxy_protocol` listeners (an unspecified IP
    /// holds every address of its port), and how long the header may take
    /// to arrive on each.
    pub listeners: &'static [(StdSocketAddr, Duration)],
    /// `trusted_proxies`.
    pub trusted: &'static [Cidr],
}

/// Why a connection was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The peer is not in `trusted_proxies`.
    Untrusted,
    /// No complete header within the time allowed.
    Timeout,
    /// Not a valid header (or the connection ended within it).
    Invalid(&'static str),
}

/// Reads a PROXY protocol header from the start of `stream`, not one byte
/// past it, and returns the client address it carries (`None` for `LOCAL`
/// and `UNKNOWN` headers, and for non-IP families: the connection's own
/// addresses stand).
pub async fn read<S: AsyncRead + Unpin + ?Sized>(stream: &mut S) -> Result<Option<StdSocketAddr>, Refused> {
    let mut header = Vec::with_capacity(108);
    loop {
        match frame(&header) {
            Frame::Read(until) => {
                let start = header.len();
                header.resize(until, 0);
                stream.read_exact(&mut header[start..]).await.map_err(|_| Refused::Invalid("connection ended"))?;
            }
            Frame::Done(_) => return parse(&header),
            Frame::Invalid(why) => return Err(Refused::Invalid(why)),
        }
    }
}

/// The client address of a whole header (see [`read`]).
pub fn parse(header: &[u8]) -> Result<Option<StdSocketAddr>, Refused> {
    if header.starts_with(gateway_http::proxy_protocol::V2_SIGNATURE) {
        let parsed = ppp::v2::Header::try_from(header).map_err(|_| Refused::Invalid("PROXY v2: malformed"))?;
        if parsed.command == ppp::v2::Command::Local {
            return Ok(None);
        }
        return Ok(match parsed.addresses {
            ppp::v2::Addresses::IPv4(ip) => Some(StdSocketAddr::new(IpAddr::V4(ip.source_address), ip.source_port)),
            ppp::v2::Addresses::IPv6(ip) => Some(StdSocketAddr::new(IpAddr::V6(ip.source_address), ip.source_port)),
            ppp::v2::Addresses::Unix(_) | ppp::v2::Addresses::Unspecified => None,
        });
    }
    let parsed = ppp::v1::Header::try_from(header).map_err(|_| Refused::Invalid("PROXY v1: malformed"))?;
    if parsed.header.len() != header.len() {
        return Err(Refused::Invalid("PROXY v1: malformed"));
    }
    Ok(match parsed.addresses {
        ppp::v1::Addresses::Tcp4(ip) => Some(StdSocketAddr::new(IpAddr::V4(ip.source_address), ip.source_port)),
        ppp::v1::Addresses::Tcp6(ip) => Some(StdSocketAddr::new(IpAddr::V6(ip.source_address), ip.source_port)),
        ppp::v1::Addresses::Unknown => None,
    })
}

/// The version of the headers an upstream is sent (`proxy_protocol v1|v2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The text header: `PROXY TCP4 SRC DST SPORT DPORT\r\n`.
    V1,
    /// The binary header.
    V2,
}

/// The header that begins a connection made for a client: `source` is the
/// client (as the gateway knows it: after `real_ip` and an inbound PROXY
/// header), `destination` the address the client reached. An IPv4 address
/// beside an IPv6 one is written IPv4-mapped, as one header holds one
/// family. Without both addresses: v2 `LOCAL`, v1 `UNKNOWN` (the receiver
/// keeps the connection's own addresses).
pub fn header(version: Version, addresses: Option<(StdSocketAddr, StdSocketAddr)>) -> Vec<u8> {
    let Some((source, destination)) = addresses else { return local_header(version) };
    let (source, destination) = match (source, destination) {
        (StdSocketAddr::V4(_), StdSocketAddr::V6(_)) => (mapped(source), destination),
        (StdSocketAddr::V6(_), StdSocketAddr::V4(_)) => (source, mapped(destination)),
        same_family => same_family,
    };
    match version {
        Version::V1 => ppp::v1::Addresses::from((source, destination)).to_string().into_bytes(),
        Version::V2 => ppp::v2::Builder::with_addresses(
            ppp::v2::Version::Two | ppp::v2::Command::Proxy,
            ppp::v2::Protocol::Stream,
            (source, destination),
        )
        .build()
        .unwrap_or_else(|_| local_header(version)),
    }
}

/// The header of a connection the gateway makes for itself (health
/// checks): v2 `LOCAL`, v1 `UNKNOWN`.
pub fn local_header(version: Version) -> Vec<u8> {
    match version {
        Version::V1 => b"PROXY UNKNOWN\r\n".to_vec(),
        Version::V2 => {
            let mut header = gateway_http::proxy_protocol::V2_SIGNATURE.to_vec();
            // Version 2, command LOCAL; family and protocol unspecified; no addresses.
            header.extend_from_slice(&[0x20, 0x00, 0, 0]);
            header
        }
    }
}

fn mapped(addr: StdSocketAddr) -> StdSocketAddr {
    match addr {
        StdSocketAddr::V4(v4) => StdSocketAddr::new(IpAddr::V6(v4.ip().to_ipv6_mapped()), v4.port()),
        v6 => v6,
    }
}

impl ProxyProtocol {
    /// Whether connections to `local` begin with a header: the time it
    /// may take if so.
    pub fn expects(&self, local: Option<&SocketAddr>) -> Option<Duration> {
        let local = local.and_then(SocketAddr::as_inet)?;
        self.listeners
            .iter()
            .find(|(listener, _)| {
                listener.port() == local.port() && (listener.ip().is_unspecified() || listener.ip() == local.ip())
            })
            .map(|(_, timeout)| *timeout)
    }

    /// Reads the header of a new connection on a `proxy_protocol`
    /// listener (others pass untouched), and makes the client it names the
    /// connection's peer. `fd` is the connection's socket.
    pub async fn accept<S>(&self, stream: &mut S, fd: i32) -> Result<(), Refused>
    where
        S: AsyncRead + GetSocketDigest + Unpin + ?Sized,
    {
        let Some(digest) = stream.get_socket_digest() else { return Ok(()) };
        let Some(timeout) = self.expects(digest.local_addr()) else { return Ok(()) };
        let peer = digest.peer_addr().and_then(SocketAddr::as_inet).map(|peer| peer.ip().to_canonical());
        if !peer.is_some_and(|peer| self.trusted.iter().any(|cidr| cidr.contains(peer))) {
            return Err(Refused::Untrusted);
        }
        let client = tokio::time::timeout(timeout, read(stream)).await.map_err(|_| Refused::Timeout)??;
        if let Some(client) = client {
            let replaced = SocketDigest::from_raw_fd(fd);
            let _ = replaced.peer_addr.set(Some(SocketAddr::Inet(client)));
            let _ = replaced.local_addr.set(digest.local_addr().cloned());
            stream.set_socket_digest(replaced);
        }
        Ok(())
    }
}

/// The pre-TLS callback of `https` listeners: the header comes before the
/// TLS handshake.
pub struct PreTls(pub &'static ProxyProtocol);

#[async_trait]
impl PreTlsProcess for PreTls {
    async fn process(&self, stream: &mut L4Stream) -> pingora::Result<()> {
        use std::os::unix::io::AsRawFd as _;
        let fd = stream.as_raw_fd();
        self.0.accept(stream, fd).await.map_err(|refused| {
            log::debug!("PROXY protocol: connection closed: {refused:?}");
            pingora::Error::explain(pingora::ErrorType::AcceptError, "PROXY protocol header refused")
        })
    }
}

/// The callback, as Pingora's listeners take it.
pub fn pre_tls(proxy_protocol: &'static ProxyProtocol) -> Arc<dyn PreTlsProcess> {
    Arc::new(PreTls(proxy_protocol))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_give_the_client_address() {
        let client = |text: &[u8]| parse(text);
        assert_eq!(
            client(b"PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n"),
            Ok(Some("192.0.2.1:56324".parse().expect("address")))
        );
        assert_eq!(
            client(b"PROXY TCP6 2001:db8::1 2001:db8::2 4000 443\r\n"),
            Ok(Some("[2001:db8::1]:4000".parse().expect("address")))
        );
        assert_eq!(client(b"PROXY UNKNOWN\r\n"), Ok(None));
        assert!(client(b"PROXY TCP4 999.0.2.1 198.51.100.1 56324 443\r\n").is_err());
        let mut v2 = gateway_http::proxy_protocol::V2_SIGNATURE.to_vec();
        v2.extend_from_slice(&[0x21, 0x11, 0, 12, 192, 0, 2, 1, 198, 51, 100, 1, 0xdc, 0x04, 0x01, 0xbb]);
        assert_eq!(client(&v2), Ok(Some("192.0.2.1:56324".parse().expect("address"))));
        v2[12] = 0x20; // LOCAL: the connection's own addresses.
        assert_eq!(client(&v2), Ok(None));
    }

    #[test]
    fn headers_sent_are_read_back() {
        let addr = |text: &str| text.parse::<StdSocketAddr>().expect("address");
        let v4 = (addr("192.0.2.1:56324"), addr("198.51.100.1:443"));
        assert_eq!(header(Version::V1, Some(v4)), b"PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n");
        let v2 = header(Version::V2, Some(v4));
        assert_eq!(v2.len(), 16 + 12);
        assert_eq!(&v2[12..16], &[0x21, 0x11, 0, 12]);
        for version in [Version::V1, Version::V2] {
            assert_eq!(parse(&header(version, Some(v4))), Ok(Some(v4.0)));
            assert_eq!(parse(&local_header(version)), Ok(None));
            assert_eq!(
                gateway_http::proxy_protocol::frame(&header(version, Some(v4))),
                Frame::Done(header(version, Some(v4)).len())
            );
            // One family per header: the IPv4 side is written IPv4-mapped.
            let mixed = (addr("192.0.2.1:56324"), addr("[2001:db8::2]:443"));
            assert_eq!(parse(&header(version, Some(mixed))), Ok(Some(addr("[::ffff:192.0.2.1]:56324"))));
            assert_eq!(header(version, None), local_header(version));
        }
    }
}
