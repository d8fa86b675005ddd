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
    /// SHA-256 of the `.gw` file's text, hex: which configuration a running
    /// gateway was built from (`/build`, `gw_build_info`).
    pub source_sha256: String,
    pub server: Server,
    pub listeners: Vec<Listener>,
    pub admin: Option<Admin>,
    pub upstreams: Vec<Upstream>,
    pub routes: Vec<Route>,
    pub router: Router,
    /// Every regex of the file (routes, matchers, rewrites), compiled once at start-up.
    pub regexes: Vec<String>,
    /// Regexes over request bodies (bytes).
    pub body_regexes: Vec<String>,
    /// The server's error pages: for requests no route takes.
    pub error_pages: Vec<ErrorPage>,
    /// Every policy written (`limit`, `allow`/`deny`), server ones first;
    /// routes refer to them by index.
    pub policies: Vec<PolicyInstance>,
    /// Every file the check read besides the `.gw` file (certificates,
    /// keys, CAs, OCSP responses, token and htpasswd files, JWT keys), as
    /// absolute paths: the build depends on them.
    pub files: Vec<PathBuf>,
}

pub use gateway_http::cidr::Cidr;
pub use gateway_http::real_ip::Header as RealIpHeader;

pub use crate::policy::{
    Access, AccessRule, ApiKeyCarrier, AuthApiKey, AuthBasic, AuthBearer, AuthForward, AuthJwt, JwtKey, LimitBody,
    LimitConcurrency, LimitKey, LimitRate, Phase, Policy, Secrets,
};

/// An index into `Gateway::policies`.
pub type PolicyId = usize;

/// A policy where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyInstance {
    pub policy: Policy,
    /// `file:line:col`.
    pub location: String,
    /// Where it is written, for diagnostics that read several policies.
    pub span: crate::diagnostics::Span,
}

/// Settings of the Pingora server, applied over `-c` YAML when written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Server {
    pub threads: Option<usize>,
    pub grace_period_seconds: Option<u64>,
    pub graceful_shutdown_timeout_seconds: Option<u64>,
    /// Bytes of memory the response cache may hold.
    pub cache_size: u64,
    /// Idle upstream connections kept for reuse.
    pub keepalive_pool: Option<usize>,
    pub limits: HeadLimits,
    pub timeouts: DownstreamTimeouts,
    /// `trusted_proxies` and `real_ip`: where the client's address is read.
    pub real_ip: Option<RealIp>,
    /// `access_log` in `server { }`: every route's, unless a route says otherwise.
    pub access_log: Option<crate::policy::access_log::AccessLog>,
    /// `compress` in `server { }`: every route's, unless a route says otherwise.
    pub compress: Option<crate::policy::compress::Compress>,
    /// `tracing { }`: trace context propagated, spans exported.
    pub tracing: Option<crate::policy::tracing::Tracing>,
    /// `store redis ...`: where `shared` limits count.
    pub store: Option<crate::policy::store::Store>,
    /// `http2 { }`: downstream HTTP/2 settings.
    pub http2: Http2,
}

/// `server { http2 { ... } }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http2 {
    /// Streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS).
    pub max_concurrent_streams: u64,
    /// The decoded size of one request's header fields
    /// (SETTINGS_MAX_HEADER_LIST_SIZE); `None`: the server's `max_header_size`.
    pub max_header_list_size: Option<u64>,
    /// Streams the client resets before the gateway takes them, at once,
    /// before the connection is closed (rapid reset, CVE-2023-44487).
    pub max_pending_resets: u64,
    /// Streams the gateway resets for a client's protocol errors before
    /// it closes the connection.
    pub max_error_resets: u64,
}

impl Default for Http2 {
    fn default() -> Http2 {
        Http2 {
            max_concurrent_streams: 128,
            max_header_list_size: None,
            max_pending_resets: 20,
            max_error_resets: 1024,
        }
    }
}

/// `server { trusted_proxies CIDR...; real_ip header NAME }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RealIp {
    pub trusted: Vec<Cidr>,
    pub header: RealIpHeader,
}

/// Limits on request heads (`max_request_line`, `max_headers`,
/// `max_header_size`); `None` keeps the runtime's default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeadLimits {
    pub request_line: Option<u64>,
    pub headers: Option<u64>,
    pub head_bytes: Option<u64>,
}

/// Downstream timeouts (`header_timeout`, `body_timeout`,
/// `keepalive_timeout`); `None` keeps the runtime's default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DownstreamTimeouts {
    pub header: Option<Duration>,
    pub body: Option<Duration>,
    pub keepalive: Option<Duration>,
}

/// The default for `server { cache_size }`.
pub const DEFAULT_CACHE_SIZE: u64 = 64 << 20;

/// An index into `Gateway::listeners`.
pub type ListenerId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// `listen http NAME ADDR`: the name routes are bound by (`on NAME`).
    pub name: Option<String>,
    pub addr: SocketAddr,
    pub tls: Option<Tls>,
    /// `listen http ADDR { redirect_https }`.
    pub redirect_https: Option<RedirectHttps>,
    /// `proxy_protocol [timeout D]`: connections begin with a PROXY
    /// protocol header, which must arrive within D.
    pub proxy_protocol: Option<std::time::Duration>,
}

/// `redirect_https [PORT]`: every request (but ACME challenges) answered
/// with a 308 to the same URL in `https`, on PORT (default 443).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectHttps {
    pub port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tls {
    /// The certificates, chosen by the client's SNI; the first is the
    /// default (no SNI, or a name none covers).
    pub certificates: Vec<Certificate>,
    pub alpn: Alpn,
    pub min_version: TlsVersion,
    pub max_version: TlsVersion,
    /// TLS 1.2 cipher suites, OpenSSL names joined with `:`.
    pub ciphers: String,
    /// Key exchange groups, OpenSSL names joined with `:`; OpenSSL's default without.
    pub groups: Option<String>,
    pub session_tickets: bool,
    /// `client_ca FILE` and `client_cert required|optional`.
    pub client: Option<ClientAuth>,
    /// `hsts ...`: the `Strict-Transport-Security` value.
    pub hsts: Option<String>,
    /// `strict_sni` (on by default): a request whose Host is not the
    /// connection's SNI gets 421.
    pub strict_sni: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// Absolute paths, checked at build time and read at start-up.
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The DNS names of its SAN (or its CN), lower case; `*.` for wildcards.
    pub names: Vec<String>,
    /// `ocsp FILE`: the OCSP response stapled to handshakes that use it.
    pub ocsp: Option<PathBuf>,
    pub span: crate::diagnostics::Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    Tls12,
    Tls13,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientAuth {
    /// The CA file client certificates are verified against.
    pub ca: PathBuf,
    /// `client_cert required` (the default) or `optional`.
    pub required: bool,
    /// `verify_depth N`; OpenSSL's default without.
    pub depth: Option<u32>,
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
    /// The bearer token of the upstreams API; without one, the API is off.
    pub token: Option<Secret>,
}

/// Index into `Gateway::upstreams`.
pub type UpstreamId = usize;
/// Index into `Gateway::routes`.
pub type RouteId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Upstream {
    pub name: String,
    /// Where it was declared, `file:line:col`.
    pub location: String,
    pub backends: Vec<BackendSpec>,
    /// Used only when no primary backend can be used.
    pub backups: Vec<BackendSpec>,
    pub balance: Balance,
    pub sticky: Option<Sticky>,
    pub health: Option<HealthCheck>,
    /// Further backends a failed connection may be retried on.
    pub retries: u32,
    /// How long a backend that refused a connection is left aside.
    pub fail_timeout: Duration,
    /// How often DNS names are resolved again.
    pub resolve_every: Duration,
    pub discover: Option<FileDiscovery>,
    pub tls: Option<UpstreamTls>,
    pub protocol: Protocol,
    /// A forward proxy reached with `CONNECT`.
    pub via: Option<SocketAddr>,
    /// `proxy_protocol v1|v2`: connections to the backends begin with a
    /// PROXY protocol header naming the client.
    pub proxy_protocol: Option<ProxyVersion>,
    pub timeouts: PeerTimeouts,
}

/// The PROXY protocol version sent to an upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyVersion {
    V1,
    V2,
}

/// The default of `fail_timeout`.
pub const DEFAULT_FAIL_TIMEOUT: Duration = Duration::from_secs(10);
/// The default of `resolve every`.
pub const DEFAULT_RESOLVE_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendSpec {
    Addr {
        addr: SocketAddr,
        weight: usize,
    },
    /// A DNS name, resolved in the background; every address it resolves to is a backend.
    Dns {
        host: String,
        port: u16,
        weight: usize,
    },
    Unix {
        path: String,
        weight: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Balance {
    /// Weighted round robin.
    RoundRobin,
    /// Weighted random.
    Random,
    /// The backend with the fewest requests in flight, relative to its weight.
    LeastConn,
    /// Consistent hashing (Ketama) of a key of the request.
    Ketama(HashKey),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashKey {
    Path,
    Uri,
    ClientIp,
    Header(String),
    Cookie(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticky {
    pub cookie: String,
    pub max_age: Option<Duration>,
    pub secure: bool,
    pub http_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    pub kind: HealthKind,
    pub every: Duration,
    pub timeout: Duration,
    /// Successes in a row to be healthy again.
    pub rise: usize,
    /// Failures in a row to be unhealthy.
    pub fall: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthKind {
    Tcp,
    Http { path: String, host: Option<String>, expect: u16, body: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiscovery {
    /// Absolute path.
    pub path: PathBuf,
    pub every: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamTls {
    pub sni: Option<String>,
    pub verify: bool,
    pub ca: Option<FileRef>,
    pub client_cert: Option<(FileRef, FileRef)>,
}

/// A file named in the `.gw` file: a path checked at build time, or the
/// name of an environment variable holding the path, read at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRef {
    Path(PathBuf),
    Env { name: String, location: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Http1,
    /// HTTP/2 only (over TLS: by ALPN; without: cleartext h2c).
    H2,
    /// HTTP/2 if the upstream offers it, else HTTP/1.1 (TLS only).
    H2Http1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeerTimeouts {
    pub connect: Option<Duration>,
    pub total_connect: Option<Duration>,
    pub read: Option<Duration>,
    pub write: Option<Duration>,
    pub idle: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// How the route is named in metrics and logs: its hosts and its pattern.
    pub label: String,
    /// Where the route is declared, `file:line:col`.
    pub location: String,
    pub hosts: Vec<HostPattern>,
    pub path: PathPattern,
    pub conditions: Conditions,
    /// `call` functions, in order.
    pub calls: Vec<Call>,
    pub action: Action,
    pub upstream_path: UpstreamPath,
    pub request_edits: Vec<RequestEdit>,
    pub response_headers: Vec<HeaderEdit>,
    pub forwarded: Forwarded,
    /// The policies that apply, server ones first, in the order they run.
    pub policies: Vec<PolicyId>,
    pub cache: Option<CachePolicy>,
    pub access_log: crate::policy::access_log::RouteLog,
    pub compress: crate::policy::compress::RouteCompress,
    pub timeouts: Timeouts,
    /// `websocket`: upgraded connections have no read or write timeout, or this idle one.
    pub websocket: Option<Option<Duration>>,
    pub body: Option<BodyRules>,
    /// The route's error pages, then the server's for other statuses.
    pub error_pages: Vec<ErrorPage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HostPattern {
    /// `api.example.com` (lower case).
    Exact(String),
    /// `*.example.com`: any name ending in `.example.com`; holds `example.com`.
    Wildcard(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPattern {
    /// Matches the path and everything below it, at segment boundaries.
    Prefix(String),
    /// Matches this path only.
    Exact(String),
    /// Matches the paths the regex (an index into `Gateway::regexes`) matches.
    Regex { source: String, regex: RegexId },
}

/// Index into `Gateway::regexes`.
pub type RegexId = usize;

/// Matchers besides host and path; all must accept the request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conditions {
    /// `on NAME...`: the listeners (indexes into `Gateway::listeners`,
    /// ascending) the route is served on; empty for every listener.
    pub listeners: Vec<ListenerId>,
    /// Upper case; empty for any method.
    pub methods: Vec<String>,
    /// Header names in lower case.
    pub headers: Vec<(String, ValueMatch)>,
    pub query: Vec<(String, ValueMatch)>,
    pub cookies: Vec<(String, ValueMatch)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueMatch {
    Present,
    Equals(String),
    Regex { source: String, regex: RegexId },
}

/// `crate::guards::tenant`, as segments.
pub type RustPath = Vec<String>;

/// `call PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub path: RustPath,
    /// The path as written.
    pub written: String,
    /// Where the call is written, `file:line:col`.
    pub location: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Proxy { upstream: UpstreamId },
    Respond { status: u16, body: String, content_type: String },
    Redirect { status: u16, location: Vec<TemplatePart> },
}

/// A piece of a `redirect` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    Literal(String),
    /// `$scheme`: `http` or `https`.
    Scheme,
    /// `$host`: the request's host, without port.
    Host,
    /// `$path`: the normalised path.
    Path,
    /// `$query`: `?` and the query, or nothing.
    Query,
}

/// What the path sent upstream is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamPath {
    /// The normalised request path.
    Unchanged,
    /// Without this leading part.
    StripPrefix(String),
    /// `regex` replaced by `replacement` (`$1`, `${name}`).
    Rewrite { regex: RegexId, replacement: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEdit {
    Header(HeaderEdit),
    QueryRemove(String),
    QueryAdd(String, String),
    QuerySet(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderEdit {
    Set { name: String, value: String },
    Add { name: String, value: String },
    Remove { name: String },
    Copy { from: String, to: String },
}

/// The forwarding headers a proxied route adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forwarded {
    pub x_forwarded_for: ForwardedFor,
    pub x_forwarded_proto: bool,
    pub x_forwarded_host: bool,
    pub request_id: bool,
}

impl Default for Forwarded {
    fn default() -> Forwarded {
        Forwarded {
            x_forwarded_for: ForwardedFor::Replace,
            x_forwarded_proto: true,
            x_forwarded_host: true,
            request_id: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedFor {
    /// The client's address only; values the client sent are dropped.
    Replace,
    /// The client's address after the values sent.
    Append,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeouts {
    pub connect: Option<Duration>,
    pub read: Option<Duration>,
    pub write: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyRules {
    pub deny: Vec<BodyPattern>,
    pub status: u16,
    /// Bytes inspected (held back until inspected).
    pub inspect: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyPattern {
    Literal(String),
    /// An index into `Gateway::body_regexes`.
    Regex(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorPage {
    pub statuses: Vec<u16>,
    pub body: String,
    pub content_type: String,
}

/// A secret, read when the gateway starts, never compiled into the binary.
#[derive(Debug, Clone, PartialEq)]
pub enum Secret {
    Env { name: String, location: String },
}

/// A route's `cache`.
pub type CachePolicy = crate::policy::cache::Cache;

/// The routing decision, computed at build time: host groups, each a trie of
/// path segments plus regex and default routes. See `gateway_runtime::router`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Router {
    /// By exact host name (lower case).
    pub exact_hosts: Vec<(String, HostRoutes)>,
    /// By wildcard suffix (`*.example.com` is under `example.com`).
    pub wildcard_hosts: Vec<(String, HostRoutes)>,
    pub any_host: HostRoutes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostRoutes {
    pub trie: Vec<TrieNode>,
    /// Regex routes, in file order.
    pub regex: Vec<RouteId>,
    /// `route /`, in file order.
    pub default: Vec<RouteId>,
}

impl Default for HostRoutes {
    fn default() -> HostRoutes {
        HostRoutes { trie: vec![TrieNode::default()], regex: Vec::new(), default: Vec::new() }
    }
}

/// A node of the trie. Node 0 is the root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrieNode {
    pub parent: Option<usize>,
    /// Exact routes of this node's path, in file order.
    pub exact: Vec<RouteId>,
    /// Prefix routes without trailing slash (`/api`): this node and below.
    pub subtree: Vec<RouteId>,
    /// Prefix routes with trailing slash (`/api/`): strictly below this node.
    pub below: Vec<RouteId>,
    /// Children by segment in lower case, sorted.
    pub children: Vec<(String, usize)>,
}
