//! The response cache, on `pingora-cache`: one in-memory store per gateway,
//! bounded by an LRU eviction manager, with a cache lock so that concurrent
//! misses of one key make one upstream request.

use std::time::Duration;

use http::header::AUTHORIZATION;
use http::{Method, StatusCode};
use pingora::cache::cache_control::CacheControl;
use pingora::cache::eviction::lru::Manager;
use pingora::cache::filters::resp_cacheable;
use pingora::cache::lock::CacheLock;
use pingora::cache::{CacheKey, CacheMetaDefaults, CachePhase, MemCache, NoCacheReason, RespCacheable};
use pingora::http::ResponseHeader;
use pingora::proxy::Session;
use pingora::{Error, ErrorSource};

use crate::router::request_host;

/// How long a request waits for another one filling the same cache entry
/// before it goes upstream itself.
const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// Responses larger than this part of the cache are not stored.
const MAX_OBJECT_SHARE: u64 = 8;
const EVICTION_SHARDS: usize = 16;

/// The zstd dictionary pingora-cache compresses stored response heads with:
/// raw content (zstd takes any bytes without a dictionary's magic number as
/// text to match against), the header names and values responses commonly
/// carry. Without one, pingora-cache warns at the first stored response, a
/// warning no `.gw` file could act on.
const HEADER_DICTIONARY: &[u8] = b"HTTP/1.1 200 OK\r\nHTTP/1.1 301 Moved Permanently\r\nHTTP/1.1 404 Not Found\r\n\
content-type: text/html; charset=utf-8\r\ncontent-type: application/json\r\ncontent-type: text/plain; charset=utf-8\r\n\
content-length: \r\ncache-control: public, max-age=\r\ncache-control: no-cache\r\ncache-control: private\r\n\
date: Mon, 01 Jan 2026 00:00:00 GMT\r\nlast-modified: \r\netag: \"\r\nexpires: \r\nvary: Accept-Encoding\r\n\
content-encoding: gzip\r\naccept-ranges: bytes\r\nserver: \r\nx-content-type-options: nosniff\r\n\
strict-transport-security: max-age=31536000\r\naccess-control-allow-origin: \r\nset-cookie: \r\nlocation: https://\r\n";

/// The cache storage, eviction and lock of one gateway.
pub struct CacheStore {
    storage: MemCache,
    eviction: Manager<EVICTION_SHARDS>,
    lock: CacheLock,
    max_object_bytes: usize,
}

impl CacheStore {
    /// A store holding at most `size_bytes` of responses. Pingora needs the
    /// store for the life of the process, so it is leaked: call this once.
    pub fn leak(size_bytes: u64) -> &'static CacheStore {
        // `false` when already set (by the program that calls `gateway!`):
        // that one is kept.
        pingora::cache::set_compression_dict_content(std::borrow::Cow::Borrowed(HEADER_DICTIONARY));
        let limit = usize::try_from(size_bytes).unwrap_or(usize::MAX);
        Box::leak(Box::new(CacheStore {
            storage: MemCache::new(),
            eviction: Manager::with_capacity(limit, 1024),
            lock: CacheLock::new(LOCK_TIMEOUT),
            max_object_bytes: usize::try_from(size_bytes / MAX_OBJECT_SHARE).unwrap_or(usize::MAX),
        }))
    }

    /// Enables the cache for this request (`request_cache_filter`). Only `GET`
    /// requests are cached.
    pub fn enable(&'static self, session: &mut Session) {
        if session.req_header().method != Method::GET {
            return;
        }
        session.cache.enable(&self.storage, Some(&self.eviction), None, Some(&self.lock), None);
        session.cache.set_max_file_size_bytes(self.max_object_bytes);
    }
}

/// The cache key of a request (`cache_key_callback`): the route's `scope`
/// (which names the route and its upstream, so that two routes never share
/// an entry even where host and path agree), then scheme, host (lower case)
/// and the whole request target, path and query. The scope is
/// length-prefixed and the target starts with `/`, which no host holds, so
/// no two different requests frame to one key.
pub fn key(session: &Session, scope: &'static str) -> CacheKey {
    let request = session.req_header();
    let tls = session.digest().is_some_and(|digest| digest.ssl_digest.is_some());
    let scheme: &[u8] = if tls { b"https://" } else { b"http://" };
    let host = request_host(request).unwrap_or("");
    let target = request.uri.path_and_query().map_or("/", |target| target.as_str());
    let scope_length = u32::try_from(scope.len()).unwrap_or(u32::MAX).to_le_bytes();
    let mut primary = Vec::with_capacity(scope_length.len() + scope.len() + scheme.len() + host.len() + target.len());
    primary.extend_from_slice(&scope_length);
    primary.extend_from_slice(scope.as_bytes());
    let host_start = primary.len() + scheme.len();
    primary.extend_from_slice(scheme);
    primary.extend_from_slice(host.as_bytes());
    primary[host_start..].make_ascii_lowercase();
    primary.extend_from_slice(target.as_bytes());
    CacheKey::new(primary, "")
}

/// Whether a response may be stored (`response_cache_filter`). The origin's
/// `Cache-Control` decides when it says anything; otherwise the route's
/// defaults. A request with `Authorization` is stored only if the origin
/// allows it (RFC 9111 §3.5).
pub fn cacheable(session: &Session, response: &ResponseHeader, defaults: &CacheMetaDefaults) -> RespCacheable {
    let cache_control = CacheControl::from_resp_headers(response);
    let authorization = session.req_header().headers.contains_key(AUTHORIZATION);
    resp_cacheable(cache_control.as_ref(), response.clone(), authorization, defaults)
}

/// The answer for routes without `cache`.
pub fn uncacheable() -> RespCacheable {
    RespCacheable::Uncacheable(NoCacheReason::Custom("route has no cache"))
}

/// A route's `ttl`, for the statuses that are cached when the origin says
/// nothing: 200, 203, 301 and 308.
pub fn default_freshness(status: StatusCode, ttl: Duration) -> Option<Duration> {
    match status.as_u16() {
        200 | 203 | 301 | 308 => Some(ttl),
        _ => None,
    }
}

/// Serve stale while revalidating (Pingora asks only within the response's
/// stale-while-revalidate time), and on upstream errors within its
/// stale-if-error time (`should_serve_stale`).
pub fn should_serve_stale(error: Option<&Error>) -> bool {
    error.is_none_or(|error| error.esource() == &ErrorSource::Upstream)
}

/// Adds `X-Cache-Status` (`HIT`, `MISS`, `STALE`, `EXPIRED`, `REVALIDATED`
/// or `BYPASS`) to a response of a cached route (`response_filter`).
pub fn add_status_header(session: &Session, response: &mut ResponseHeader) -> pingora::Result<()> {
    let status = match session.cache.phase() {
        CachePhase::Hit => "HIT",
        CachePhase::Miss => "MISS",
        CachePhase::Stale | CachePhase::StaleUpdating => "STALE",
        CachePhase::Expired => "EXPIRED",
        CachePhase::Revalidated | CachePhase::RevalidatedNoCache(_) => "REVALIDATED",
        CachePhase::Disabled(_) | CachePhase::Bypass | CachePhase::Uninit | CachePhase::CacheKey => "BYPASS",
    };
    response.insert_header("X-Cache-Status", status)
}
