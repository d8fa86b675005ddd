//! Connections Pingora's own TCP connect cannot make: through a forward
//! proxy with `CONNECT` (`via http-proxy`), and beginning with a PROXY
//! protocol header (`proxy_protocol v1|v2`). Pingora calls [`Dial`] with
//! the backend's address (the peer's), so the same connector serves
//! requests and health checks.

use std::net::SocketAddr as InetAddr;
use std::time::Duration;

use async_trait::async_trait;
use pingora::connectors::L4Connect;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::protocols::l4::stream::Stream;
use pingora::{Error, ErrorType, OrErr};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};

use super::discovery::FNV_OFFSET;

/// Longest response head a proxy may answer `CONNECT` with.
const MAX_RESPONSE_HEAD: usize = 8 * 1024;
/// How long reaching a backend may take without `timeout connect`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a connection to a backend is made.
#[derive(Debug, Clone)]
pub struct Dial {
    /// `via http-proxy ADDR`: a tunnel to the backend through this proxy.
    pub via: Option<InetAddr>,
    /// What the connection begins with (a PROXY protocol header), empty
    /// for nothing.
    pub header: Box<[u8]>,
    /// The upstream's `timeout connect`: for the TCP connection, the
    /// tunnel and the header together (Pingora's own connect timeout does
    /// not apply to a custom connector).
    pub timeout: Duration,
}

#[async_trait]
impl L4Connect for Dial {
    async fn connect(&self, addr: &SocketAddr) -> pingora::Result<Stream> {
        match tokio::time::timeout(self.timeout, self.open(addr)).await {
            Ok(stream) => stream,
            Err(_) => Error::e_explain(
                ErrorType::ConnectTimedout,
                format!("timeout {:?} connecting to {addr}{}", self.timeout, self.through()),
            ),
        }
    }
}

impl Dial {
    async fn open(&self, addr: &SocketAddr) -> pingora::Result<Stream> {
        match (self.via, addr) {
            (Some(proxy), SocketAddr::Inet(target)) => {
                let mut stream = tunnel(proxy, *target).await?;
                self.begin(&mut stream).await?;
                Ok(stream.into())
            }
            (None, SocketAddr::Inet(target)) => {
                let mut stream = TcpStream::connect(target)
                    .await
                    .or_err_with(ErrorType::ConnectError, || format!("connecting to {target}"))?;
                self.begin(&mut stream).await?;
                Ok(stream.into())
            }
            (None, SocketAddr::Unix(path)) => {
                let Some(path) = path.as_pathname() else {
                    return Error::e_explain(ErrorType::ConnectError, "an unnamed unix socket");
                };
                let mut stream = UnixStream::connect(path)
                    .await
                    .or_err_with(ErrorType::ConnectError, || format!("connecting to {}", path.display()))?;
                self.begin(&mut stream).await?;
                Ok(stream.into())
            }
            // The language refuses `via` with a unix socket backend.
            (Some(_), SocketAddr::Unix(_)) => {
                Error::e_explain(ErrorType::ConnectError, "a unix socket cannot be reached through a forward proxy")
            }
        }
    }

    /// Writes the header, if any, before anything else (and before TLS).
    async fn begin<S: AsyncWrite + Unpin>(&self, stream: &mut S) -> pingora::Result<()> {
        if !self.header.is_empty() {
            stream.write_all(&self.header).await.or_err(ErrorType::WriteError, "sending the PROXY protocol header")?;
        }
        Ok(())
    }

    /// The connector of a request of `proxy_protocol`: this one, beginning
    /// with the header of `addresses` ([`client_addresses`]), and the pool
    /// key of connections that carry that header (`group`, the upstream's,
    /// with the header's bytes).
    pub fn for_client(
        &self,
        version: crate::proxy_protocol::Version,
        addresses: Option<(InetAddr, InetAddr)>,
        group: u64,
    ) -> (Dial, u64) {
        let header = crate::proxy_protocol::header(version, addresses);
        let group = super::discovery::fnv1a(super::discovery::fnv1a(FNV_OFFSET, &group.to_le_bytes()), &header);
        (Dial { via: self.via, header: header.into_boxed_slice(), timeout: self.timeout }, group)
    }

    fn through(&self) -> String {
        self.via.map(|proxy| format!(" through the forward proxy {proxy}")).unwrap_or_default()
    }
}

/// A `CONNECT` tunnel to `target` through `proxy`.
async fn tunnel(proxy: InetAddr, target: InetAddr) -> pingora::Result<TcpStream> {
    let mut stream = TcpStream::connect(proxy)
        .await
        .or_err_with(ErrorType::ConnectError, || format!("connecting to the forward proxy {proxy}"))?;
    let request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.or_err(ErrorType::WriteError, "sending CONNECT")?;
    // Read the response head byte by byte: what follows it is the tunnel.
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_RESPONSE_HEAD {
            return Error::e_explain(ErrorType::ConnectProxyFailure, "the proxy's response head is too long");
        }
        let byte = stream.read_u8().await.or_err(ErrorType::ReadError, "reading the proxy's response")?;
        head.push(byte);
    }
    let status = head.split(|byte| *byte == b' ').nth(1).and_then(|status| std::str::from_utf8(status).ok());
    if status.is_some_and(|status| status.starts_with('2')) {
        Ok(stream)
    } else {
        Error::e_explain(
            ErrorType::ConnectProxyFailure,
            format!(
                "the proxy refused CONNECT {target}: {}",
                String::from_utf8_lossy(&head).lines().next().unwrap_or("")
            ),
        )
    }
}

/// The addresses a PROXY header names for a request: the client (the port
/// is the connection's when the client is the connection's peer, else 0:
/// a client known from `real_ip` has no port) and the address it reached.
/// `None` when either is not an IP address (unix sockets).
pub fn client_addresses(
    session: &pingora::proxy::Session,
    client: Option<std::net::IpAddr>,
) -> Option<(InetAddr, InetAddr)> {
    let destination = *session.server_addr().and_then(SocketAddr::as_inet)?;
    let peer = session.client_addr().and_then(SocketAddr::as_inet).copied();
    let source = match (client, peer) {
        (Some(ip), Some(peer)) if peer.ip().to_canonical() == ip.to_canonical() => peer,
        (Some(ip), _) => InetAddr::new(ip, 0),
        (None, peer) => peer?,
    };
    Some((source, destination))
}
