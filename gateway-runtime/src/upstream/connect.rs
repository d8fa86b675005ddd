//! Reaching backends through a forward proxy with `CONNECT` (`via http-proxy`).

use std::net::SocketAddr as InetAddr;
use std::time::Duration;

use async_trait::async_trait;
use pingora::connectors::L4Connect;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::protocols::l4::stream::Stream;
use pingora::{Error, ErrorType, OrErr};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest response head a proxy may answer `CONNECT` with.
const MAX_RESPONSE_HEAD: usize = 8 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to `target` through the proxy. Pingora dials the peer's address,
/// which is the proxy's; this connector then asks the proxy for a tunnel.
#[derive(Debug)]
pub struct ConnectVia {
    pub proxy: InetAddr,
    pub target: InetAddr,
}

#[async_trait]
impl L4Connect for ConnectVia {
    async fn connect(&self, _addr: &SocketAddr) -> pingora::Result<Stream> {
        let tunnel = tokio::time::timeout(CONNECT_TIMEOUT, self.tunnel())
            .await
            .or_err(ErrorType::ConnectTimedout, "CONNECT through the forward proxy")?;
        tunnel.map(Stream::from)
    }
}

impl ConnectVia {
    async fn tunnel(&self) -> pingora::Result<TcpStream> {
        let mut stream =
            TcpStream::connect(self.proxy).await.or_err(ErrorType::ConnectError, "connecting to the forward proxy")?;
        let request = format!("CONNECT {0} HTTP/1.1\r\nHost: {0}\r\n\r\n", self.target);
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
                    "the proxy refused CONNECT {}: {}",
                    self.target,
                    String::from_utf8_lossy(&head).lines().next().unwrap_or("")
                ),
            )
        }
    }
}
