//! Every directive name of the language, by the block it belongs in.

/// Top-level directives.
pub const TOP: &[&str] = &["server", "listen", "admin", "upstream", "route"];
/// Inside `server { }`.
pub const SERVER: &[&str] = &["threads", "grace_period", "graceful_shutdown_timeout", "cache_size"];
/// Inside `listen https ADDR { }`.
pub const TLS: &[&str] = &["cert", "key", "alpn"];
/// Inside `upstream NAME { }`.
pub const UPSTREAM: &[&str] = &["backend", "balance"];
/// Inside `route PATH { }`.
pub const ROUTE: &[&str] = &["host", "to", "respond", "request", "response", "limit", "auth", "cache"];
/// Inside `request { }` and `response { }`.
pub const HEADERS: &[&str] = &["set", "remove"];

/// Each block kind, with the name users know it by, for "belongs in" hints.
pub const CONTEXTS: &[(&str, &[&str])] = &[
    ("the top level of the file", TOP),
    ("a `server` block", SERVER),
    ("a `listen https` block", TLS),
    ("an `upstream` block", UPSTREAM),
    ("a `route` block", ROUTE),
    ("a `request` or `response` block", HEADERS),
];

/// `listen` kinds.
pub const LISTEN_KINDS: &[&str] = &["http", "https"];
/// ALPN protocol names of `alpn`.
pub const ALPN_PROTOCOLS: &[&str] = &["h2", "http1"];
/// `balance` algorithms.
pub const BALANCE: &[&str] = &["round_robin"];
/// `limit` kinds.
pub const LIMIT_KINDS: &[&str] = &["rate"];
/// What a `limit rate` counts per.
pub const LIMIT_KEYS: &[&str] = &["client_ip"];
/// `auth` schemes.
pub const AUTH_SCHEMES: &[&str] = &["bearer"];
/// Functions that name a secret.
pub const SECRET_SOURCES: &[&str] = &["env"];
