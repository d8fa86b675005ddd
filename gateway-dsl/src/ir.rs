//! The resolved gateway: every name bound, every value typed and checked.
//! Code generation reads only this, so anything it needs to know is here and
//! nothing here can be wrong in a way a user must be told about.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    /// The `.gw` file: its absolute path (for rebuild tracking) and the path
    /// diagnostics and start-up messages show.
    pub source_path: PathBuf,
    pub display_path: String,
    pub server: Server,
    pub listeners: Vec<Listener>,
    pub admin: Option<Admin>,
    pub upstreams: Vec<Upstream>,
    pub routes: Vec<Route>,
    pub router: Router,
}

/// Settings of the Pingora server, applied over `-c` YAML when written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Server {
    pub threads: Option<usize>,
    pub grace_period_seconds: Option<u64>,
    pub graceful_shutdown_timeout_seconds: Option<u64>,
    /// Bytes of memory the response cache may hold.
    pub cache_size: u64,
}

/// The default for `server { cache_size }`.
pub const DEFAULT_CACHE_SIZE: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    pub addr: SocketAddr,
    pub tls: Option<Tls>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tls {
    /// Absolute paths, checked at build time and read at start-up.
    pub cert: PathBuf,
    pub key: PathBuf,
    pub alpn: Alpn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alpn {
    Http1,
    H2,
    /// HTTP/2 preferred, HTTP/1.1 allowed.
    H2Http1,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Admin {
    pub addr: SocketAddr,
}

/// Index into `Gateway::upstreams`.
pub type UpstreamId = usize;
/// Index into `Gateway::routes`.
pub type RouteId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Upstream {
    pub name: String,
    pub backends: Vec<Backend>,
    pub balance: Balance,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backend {
    pub addr: SocketAddr,
    pub weight: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Balance {
    /// Weighted round robin.
    RoundRobin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// How the route is named in metrics and logs: its hosts and its pattern.
    pub label: String,
    /// Where the route is declared, `file:line:col`.
    pub location: String,
    pub hosts: Vec<String>,
    pub path: PathPattern,
    pub action: Action,
    pub request_headers: Vec<HeaderEdit>,
    pub response_headers: Vec<HeaderEdit>,
    pub limit: Option<RateLimit>,
    pub auth: Option<Auth>,
    pub cache: Option<CachePolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPattern {
    /// Matches the path and everything below it, at segment boundaries.
    Prefix(String),
    /// Matches this path only.
    Exact(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Proxy { upstream: UpstreamId },
    Respond { status: u16, body: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderEdit {
    Set { name: String, value: String },
    Remove { name: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Requests allowed per window and key.
    pub count: u64,
    pub window: Duration,
    pub key: LimitKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKey {
    ClientIp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    Bearer { token: Secret },
}

/// A secret, read when the gateway starts, never compiled into the binary.
#[derive(Debug, Clone, PartialEq)]
pub enum Secret {
    Env { name: String, location: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CachePolicy {
    /// Freshness of a response whose origin says nothing about it.
    pub ttl: Duration,
    /// Seconds a stale response may be served while it is refreshed.
    pub stale_while_revalidate_seconds: u32,
}

/// The routing decision, computed at build time: hosts first, then a trie of
/// path segments per host.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Router {
    /// Routes with a `host`, by host name (sorted).
    pub hosts: Vec<(String, PathTrie)>,
    /// Routes without a `host`: tried when no route of the request's host matches.
    pub any_host: PathTrie,
}

/// A trie over the `/`-separated segments of a path. Node 0 is the root.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTrie {
    pub nodes: Vec<TrieNode>,
}

impl Default for PathTrie {
    fn default() -> PathTrie {
        PathTrie { nodes: vec![TrieNode::default()] }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrieNode {
    /// The route whose exact path ends at this node.
    pub exact: Option<RouteId>,
    /// A prefix route without trailing slash (`/api`): this node and below.
    pub subtree: Option<RouteId>,
    /// A prefix route with trailing slash (`/api/`): strictly below this node.
    pub below: Option<RouteId>,
    /// Children by segment, sorted by segment.
    pub children: Vec<(String, usize)>,
}
