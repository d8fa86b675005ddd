//! The peers requests go to: the template of an upstream (TLS, ALPN,
//! timeouts, how connections are made), and the per-route changes to it
//! (`timeout`, `websocket`).

use std::net::SocketAddr as InetAddr;
use std::sync::Arc;
use std::time::Duration;

use pingora::connectors::L4Connect;
use pingora::http::RequestHeader;
use pingora::upstreams::peer::{ALPN, HttpPeer};
use pingora::{Error, ErrorType};

use super::connect::{DEFAULT_CONNECT_TIMEOUT, Dial};
use super::{FileSource, Protocol, UpstreamConfig, stable_hash};
use crate::StartupError;
use crate::proxy_protocol::local_header;

/// The peer every request of the upstream starts from, and its connector
/// if Pingora's own TCP connect is not enough.
pub(super) fn peer_template(config: &UpstreamConfig) -> Result<(HttpPeer, Option<Dial>), StartupError> {
    let placeholder = InetAddr::from(([0, 0, 0, 0], 1));
    let tls = config.tls.is_some();
    let sni = config.tls.and_then(|tls| tls.sni).unwrap_or("").to_string();
    let mut peer = HttpPeer::new(placeholder, tls, sni);
    // Pingora pools connections by address, TLS name, verification and
    // client certificate, not by CA or ALPN: each upstream has pools of its
    // own, so a connection is reused only with the settings it was made with.
    peer.group_key = stable_hash(format_args!("upstream {}", config.name));
    peer.options.alpn = match (config.protocol, tls) {
        (Protocol::Http1, _) => ALPN::H1,
        (Protocol::H2, _) => ALPN::H2,
        (Protocol::H2Http1, true) => ALPN::H2H1,
        (Protocol::H2Http1, false) => ALPN::H1,
    };
    let timeouts = config.timeouts;
    peer.options.connection_timeout = timeouts.connect;
    peer.options.total_connection_timeout = timeouts.total_connect;
    peer.options.read_timeout = timeouts.read;
    peer.options.write_timeout = timeouts.write;
    peer.options.idle_timeout = timeouts.idle;
    let dial = (config.via.is_some() || config.proxy_protocol.is_some()).then(|| Dial {
        via: config.via,
        header: config.proxy_protocol.map(local_header).unwrap_or_default().into(),
        timeout: timeouts.connect.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
    });
    // Health checks start from this peer: through the proxy, and with a
    // header of their own (LOCAL). Requests replace the header by their
    // client's (`Upstream::peer`).
    peer.options.custom_l4 = dial.clone().map(|dial| Arc::new(dial) as Arc<dyn L4Connect + Send + Sync>);
    if let Some(tls) = config.tls {
        peer.options.verify_cert = tls.verify;
        peer.options.verify_hostname = tls.verify;
        if let Some(ca) = tls.ca {
            let (path, pem) = read_file(config.name, ca, "CA certificate")?;
            let certificates = pingora::tls::x509::X509::stack_from_pem(&pem)
                .map_err(|error| StartupError::new(format!("upstream `{}`: CA file {path}: {error}", config.name)))?;
            peer.options.ca = Some(Arc::new(certificates.into_boxed_slice()));
        }
        if let Some((cert, key)) = tls.client_cert {
            let (cert_path, cert_pem) = read_file(config.name, cert, "client certificate")?;
            let (key_path, key_pem) = read_file(config.name, key, "client key")?;
            let certificates = pingora::tls::x509::X509::stack_from_pem(&cert_pem).map_err(|error| {
                StartupError::new(format!("upstream `{}`: client certificate {cert_path}: {error}", config.name))
            })?;
            // No passphrase callback would make OpenSSL ask on the terminal.
            let key =
                pingora::tls::pkey::PKey::private_key_from_pem_callback(&key_pem, |_| Ok(0)).map_err(|error| {
                    StartupError::new(format!("upstream `{}`: client key {key_path}: {error}", config.name))
                })?;
            peer.client_cert_key = Some(Arc::new(pingora::utils::tls::CertKey::new(certificates, key)));
        }
    }
    Ok((peer, dial))
}

fn read_file(upstream: &str, source: FileSource, what: &str) -> Result<(String, Vec<u8>), StartupError> {
    let path = match source {
        FileSource::Path(path) => path.to_string(),
        FileSource::Env { name, location } => std::env::var(name).map_err(|_| {
            StartupError::new(format!("environment variable `{name}` is not set; the {what} at {location} names it"))
        })?,
    };
    let bytes = std::fs::read(&path)
        .map_err(|error| StartupError::new(format!("upstream `{upstream}`: {what} {path}: {error}")))?;
    Ok((path, bytes))
}

/// Whether a request asks to upgrade to a WebSocket.
pub fn is_websocket(request: &RequestHeader) -> bool {
    request.headers.get(http::header::UPGRADE).is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// A route's `websocket`: an upgraded connection has no read or write
/// timeout, or the idle one given.
pub fn for_websocket(mut peer: Box<HttpPeer>, upgrade: bool, idle: Option<Duration>) -> Box<HttpPeer> {
    if upgrade {
        peer.options.read_timeout = idle;
        peer.options.write_timeout = idle;
    }
    peer
}

/// A route's `timeout read` and `timeout write` over the upstream's (its
/// `timeout connect` is given to [`super::Upstream::peer`], which knows how
/// the connection is made).
pub fn with_timeouts(mut peer: Box<HttpPeer>, read: Option<Duration>, write: Option<Duration>) -> Box<HttpPeer> {
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
