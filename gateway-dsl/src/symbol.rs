//! Every directive name of the language, by the block it belongs in.

/// Top-level directives.
pub const TOP: &[&str] = &["server", "listen", "admin", "upstream", "route", "test"];
/// Inside `server { }`.
pub const SERVER: &[&str] = &[
    "threads",
    "grace_period",
    "graceful_shutdown_timeout",
    "cache_size",
    "keepalive_pool",
    "max_request_line",
    "max_headers",
    "max_header_size",
    "header_timeout",
    "body_timeout",
    "keepalive_timeout",
    "error_page",
    "x_forwarded_for",
    "x_forwarded_proto",
    "x_forwarded_host",
    "request_id",
    "cors",
    "trusted_proxies",
    "real_ip",
    "access_log",
    "compress",
    "tracing",
    "store",
    "http2",
    "limit",
    "allow",
    "deny",
    "client_cert",
];
/// Inside `store redis ADDR { }`.
pub const STORE: &[&str] = &["cluster", "password", "database", "prefix", "timeout", "tls", "lease"];
/// Inside `listen https ADDR { }`.
pub const TLS: &[&str] = &[
    "cert",
    "key",
    "ocsp",
    "alpn",
    "min_version",
    "max_version",
    "ciphers",
    "groups",
    "session_tickets",
    "client_ca",
    "client_cert",
    "verify_depth",
    "hsts",
    "strict_sni",
    "proxy_protocol",
];
/// Inside `server { http2 { } }`.
pub const HTTP2: &[&str] =
    &["max_concurrent_streams", "max_header_list_size", "max_pending_resets", "max_error_resets"];
/// Inside `listen http ADDR { }`.
pub const LISTEN_HTTP: &[&str] = &["redirect_https", "proxy_protocol"];
/// Inside `upstream NAME { }`.
pub const UPSTREAM: &[&str] = &[
    "backend",
    "backup",
    "balance",
    "sticky",
    "health",
    "retries",
    "fail_timeout",
    "resolve",
    "discover",
    "tls",
    "client_cert",
    "alpn",
    "h2c",
    "via",
    "proxy_protocol",
    "timeout",
];
/// Inside `admin ADDR { }`.
pub const ADMIN: &[&str] = &["token"];
/// Inside `route PATH { }`.
pub const ROUTE: &[&str] = &[
    "on",
    "host",
    "methods",
    "header",
    "query",
    "cookie",
    "to",
    "respond",
    "redirect",
    "call",
    "strip_prefix",
    "rewrite",
    "request",
    "response",
    "limit",
    "allow",
    "deny",
    "client_cert",
    "auth",
    "cors",
    "cache",
    "access_log",
    "compress",
    "timeout",
    "websocket",
    "body",
    "error_page",
    "x_forwarded_for",
    "x_forwarded_proto",
    "x_forwarded_host",
    "request_id",
];
/// Inside `request { }`.
pub const REQUEST: &[&str] = &["set", "add", "remove", "copy", "query"];
/// Inside `response { }`.
pub const RESPONSE: &[&str] = &["set", "add", "remove", "copy"];
/// Inside `body { }`.
pub const BODY: &[&str] = &["deny", "status", "inspect"];
/// Route directives that only mean something when the route proxies (`to`).
pub const PROXY_ONLY: &[&str] = &[
    "strip_prefix",
    "rewrite",
    "request",
    "cache",
    "timeout",
    "websocket",
    "body",
    "x_forwarded_for",
    "x_forwarded_proto",
    "x_forwarded_host",
    "request_id",
];

/// Each block kind, with the name users know it by, for "belongs in" hints.
pub const CONTEXTS: &[(&str, &[&str])] = &[
    ("the top level of the file", TOP),
    ("a `server` block", SERVER),
    ("a `listen https` block", TLS),
    ("a `listen http` block", LISTEN_HTTP),
    ("an `http2` block", HTTP2),
    ("an `upstream` block", UPSTREAM),
    ("an `admin` block", ADMIN),
    ("a `route` block", ROUTE),
    ("a `request` block", REQUEST),
    ("a `response` block", RESPONSE),
    ("a `body` block", BODY),
    ("an `auth basic` block", AUTH_BASIC),
    ("an `auth jwt` block", AUTH_JWT),
    ("a `cors` block", CORS),
    ("a `cache` block", CACHE),
    ("an `access_log` block", ACCESS_LOG),
    ("a `compress` block", COMPRESS),
    ("a `tracing` block", TRACING),
    ("a `store` block", STORE),
    ("an `auth forward` block", AUTH_FORWARD),
];

/// Directives of other gateways (nginx, Caddy) people write by habit, and
/// what this language says instead.
pub const FOREIGN: &[(&str, &str)] = &[
    ("proxy_pass", "to proxy, write `to UPSTREAM`, naming an `upstream NAME { backend ADDR }` of the file"),
    ("reverse_proxy", "to proxy, write `to UPSTREAM`, naming an `upstream NAME { backend ADDR }` of the file"),
    ("location", "routes are `route PATH { ... }` at the top level of the file"),
    ("server_name", "a route matches host names with `host NAME...`"),
    ("return", "answer with `respond STATUS \"body\"`, or redirect with `redirect STATUS URL`"),
    ("add_header", "add response headers in a `response { add NAME VALUE }` block"),
    ("proxy_set_header", "set request headers in a `request { set NAME VALUE }` block"),
    ("ssl_certificate", "certificates go in `listen https ADDR { cert FILE  key FILE }`"),
    ("proxy_read_timeout", "upstream timeouts are `timeout read D` in the route"),
    ("proxy_connect_timeout", "upstream timeouts are `timeout connect D` in the route"),
];

/// Whether `name` is a directive of some block.
pub fn is_directive(name: &str) -> bool {
    CONTEXTS.iter().any(|(_, names)| names.contains(&name))
}

/// `listen` kinds.
pub const LISTEN_KINDS: &[&str] = &["http", "https"];
/// ALPN protocol names of `alpn`.
pub const ALPN_PROTOCOLS: &[&str] = &["h2", "http1"];
/// `balance` algorithms.
pub const BALANCE: &[&str] = &["round_robin", "random", "least_conn", "ketama"];
/// What `ketama(...)` hashes.
pub const HASH_KEYS: &[&str] = &["path", "uri", "client_ip", "header", "cookie"];
/// `health` kinds.
pub const HEALTH_KINDS: &[&str] = &["tcp", "http"];
/// Options of `health`.
pub const HEALTH_OPTIONS: &[&str] = &["every", "timeout", "rise", "fall", "host", "expect", "body"];
/// Options of `tls`.
pub const TLS_OPTIONS: &[&str] = &["sni", "verify", "ca"];
/// `alpn` of upstreams.
pub const UPSTREAM_ALPN: &[&str] = &["h1", "h2", "h2h1"];
/// `proxy_protocol` of upstreams.
pub const PROXY_PROTOCOL_VERSIONS: &[&str] = &["v1", "v2"];
/// Options of `sticky cookie NAME`.
pub const STICKY_OPTIONS: &[&str] = &["max_age", "secure", "http_only"];
/// Upstream `timeout` kinds.
pub const PEER_TIMEOUTS: &[&str] = &["connect", "total_connect", "read", "write", "idle"];
/// `limit` kinds.
pub const LIMIT_KINDS: &[&str] = &["rate", "concurrency", "body"];
/// What `limit rate` and `limit concurrency` count per.
pub const LIMIT_KEYS: &[&str] = &["client_ip", "header", "cookie", "query", "path", "route", "claim"];
/// Inside `cors { }`.
/// Inside `access_log DEST { }`.
pub const ACCESS_LOG: &[&str] = &["fields", "redact_query"];
/// Inside `tracing { }`.
pub const TRACING: &[&str] = &["otlp", "service_name", "sample"];
/// Inside `compress CODINGS { }`.
pub const COMPRESS: &[&str] = &["min_size", "types"];
/// Inside `cache { }`.
pub const CACHE: &[&str] = &[
    "ttl",
    "stale_while_revalidate",
    "stale_if_error",
    "lock_timeout",
    "bypass",
    "max_size",
    "min_uses",
    "max_variants",
    "status_header",
    "key",
    "purge",
];
/// Inside `cache { key { } }`.
pub const CACHE_KEY: &[&str] = &["header", "cookie", "query", "ignore_query", "sort_query"];
pub const CORS: &[&str] = &["origins", "methods", "headers", "expose", "credentials", "max_age"];
/// Headers of `real_ip header NAME`.
pub const REAL_IP_HEADERS: &[&str] = &["X-Forwarded-For", "X-Real-IP"];
/// `auth` schemes.
pub const AUTH_SCHEMES: &[&str] = &["basic", "bearer", "api_key", "jwt", "forward"];
/// Inside `auth forward URL { }`.
pub const AUTH_FORWARD: &[&str] = &["copy_request", "copy_response", "timeout"];
/// Inside `auth basic { }`.
pub const AUTH_BASIC: &[&str] = &["realm", "users", "user"];
/// Inside `auth jwt { }`.
pub const AUTH_JWT: &[&str] =
    &["secret", "secret_file", "jwks", "public_key", "algorithms", "issuer", "audience", "leeway", "require", "claim"];
/// Algorithms of `auth jwt { algorithms }`, as `jsonwebtoken` names them
/// (it has no ES512, and `none` is never accepted).
pub const JWT_ALGORITHMS: &[&str] =
    &["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
/// `query` edits in a `request` block.
pub const QUERY_EDITS: &[&str] = &["remove", "add", "set"];
/// `timeout` kinds.
pub const TIMEOUTS: &[&str] = &["connect", "read", "write"];
/// Values of `x_forwarded_for`.
pub const FORWARDED_FOR: &[&str] = &["replace", "append", "off"];
/// Values of switches.
pub const ON_OFF: &[&str] = &["on", "off"];
/// Variables of `redirect` URLs.
pub const REDIRECT_VARIABLES: &[&str] = &["scheme", "host", "path", "query"];
/// Functions that name a secret.
pub const SECRET_SOURCES: &[&str] = &["env"];
