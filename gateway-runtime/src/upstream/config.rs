//! What the `.gw` file says about an upstream, as generated code writes it
//! (a `static` per upstream).

use std::net::SocketAddr as InetAddr;
use std::time::Duration;

use super::{BackendSpec, HealthConfig};

/// Everything the `.gw` file says about an upstream, as a `static`.
#[derive(Debug)]
pub struct UpstreamConfig {
    pub name: &'static str,
    pub backends: &'static [BackendSpec],
    pub backups: &'static [BackendSpec],
    /// What `ketama` hashes; `None` for other selections.
    pub hash_key: HashKey,
    pub sticky: Option<StickyConfig>,
    pub health: Option<HealthConfig>,
    pub retries: usize,
    pub fail_timeout: Duration,
    pub resolve_every: Duration,
    /// `discover file PATH every D`.
    pub discover: Option<(&'static str, Duration)>,
    pub tls: Option<TlsConfig>,
    pub protocol: Protocol,
    pub via: Option<InetAddr>,
    /// `proxy_protocol v1|v2`: every connection begins with a PROXY header.
    pub proxy_protocol: Option<crate::proxy_protocol::Version>,
    pub timeouts: PeerTimeouts,
}

/// The request key of `ketama(...)`.
#[derive(Debug, Clone, Copy)]
pub enum HashKey {
    None,
    Path,
    Uri,
    ClientIp,
    Header(&'static str),
    Cookie(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct StickyConfig {
    pub cookie: &'static str,
    pub max_age: Option<Duration>,
    pub secure: bool,
    pub http_only: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct TlsConfig {
    pub sni: Option<&'static str>,
    pub verify: bool,
    pub ca: Option<FileSource>,
    pub client_cert: Option<(FileSource, FileSource)>,
}

/// A file: its path, or the environment variable holding its path.
#[derive(Debug, Clone, Copy)]
pub enum FileSource {
    Path(&'static str),
    Env { name: &'static str, location: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Http1,
    /// HTTP/2 only: by ALPN over TLS, cleartext h2c without.
    H2,
    H2Http1,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PeerTimeouts {
    pub connect: Option<Duration>,
    pub total_connect: Option<Duration>,
    pub read: Option<Duration>,
    pub write: Option<Duration>,
    pub idle: Option<Duration>,
}
