//! The response cache, on `pingora-cache`: one in-memory store per gateway,
//! bounded by an LRU eviction manager, with a cache lock so that concurrent
//! misses of one key make one upstream request.
//!
//! Each cached route is a static [`Route`]: its defaults, lock, bypass
//! conditions, key rules ([`key`]), `Vary` handling ([`vary`]) and purge
//! rule ([`purge`]). The store keeps what changes at run time: the entries,
//! each route's generation (moved on by the admin API's purges), the purge
//! tokens and the counters behind `min_uses` and `max_variants`.

pub mod key;
pub mod purge;
pub mod shared;
pub mod vary;

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::header::{AUTHORIZATION, SET_COOKIE, VARY};
use http::{Method, StatusCode};
use pingora::cache::cache_control::CacheControl;
use pingora::cache::eviction::lru::Manager;
use pingora::cache::filters::resp_cacheable;
use pingora::cache::key::CacheHashKey;
use pingora::cache::lock::CacheLock;
use pingora::cache::{
    CacheKey, CacheMetaDefaults, CacheOptionOverrides, CachePhase, MemCache, NoCacheReason, RespCacheable,
};
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::proxy::Session;
use pingora::{Error, ErrorSource, ErrorType};
use pingora_limits::rate::Rate;

use crate::auth::BearerToken;
use crate::policy::Refusal;
pub use key::{KeyRules, Query};
pub use purge::Purge;

/// How long a request filling an entry may hold its lock before the
/// requests waiting on it stop waiting (the lock's age timeout).
const LOCK_AGE: Duration = Duration::from_secs(30);
/// Responses larger than this part of the cache are not stored.
const MAX_OBJECT_SHARE: u64 = 8;
const EVICTION_SHARDS: usize = 16;
/// The window over which `min_uses` and `max_variants` count.
pub const COUNT_WINDOW: Duration = Duration::from_secs(600);

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

/// One cached route's rules (`cache { }`), a static of the generated code.
pub struct Route {
    /// This route's index among the cached routes.
    pub slot: usize,
    /// The route's label, by which `DELETE /cache?route=` names it.
    pub label: &'static str,
    /// What separates this route's entries from every other route's: its
    /// index, label and upstream.
    pub scope: &'static str,
    /// Freshness when the origin says nothing; stale-while-revalidate and
    /// stale-if-error times.
    pub defaults: CacheMetaDefaults,
    /// How long a request waits for another one filling the same entry;
    /// `None`: no lock, every miss goes upstream.
    pub lock_timeout: Option<Duration>,
    /// The largest response stored, in bytes.
    pub max_size: Option<usize>,
    /// Requests for one key (within [`COUNT_WINDOW`]) before it is stored.
    pub min_uses: u32,
    /// Variants of one key (responses with `Vary`) stored within
    /// [`COUNT_WINDOW`]; further ones are served but not stored.
    pub max_variants: u32,
    /// Whether responses carry `X-Cache-Status`.
    pub status_header: bool,
    /// Requests that neither use nor fill the cache.
    pub bypass: &'static [Bypass],
    pub key: KeyRules,
    pub purge: Option<Purge>,
}

/// A `bypass` condition: the request carries this cookie, header or query
/// parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bypass {
    Cookie(&'static str),
    Header(&'static str),
    Query(&'static str),
}

impl Bypass {
    fn holds(&self, request: &RequestHeader) -> bool {
        match *self {
            Bypass::Cookie(name) => crate::matchers::cookie_values(request, name).next().is_some(),
            Bypass::Header(name) => request.headers.contains_key(name),
            Bypass::Query(name) => crate::matchers::query_values(request.uri.query(), name).next().is_some(),
        }
    }
}

/// The cache storage, eviction and lock of one gateway, and what the cached
/// routes change at run time.
pub struct CacheStore {
    storage: MemCache,
    eviction: Manager<EVICTION_SHARDS>,
    lock: CacheLock,
    max_object_bytes: usize,
    routes: &'static [&'static Route],
    /// Per route (by slot): moved on by a purge of all its entries; part of
    /// every key.
    generations: Box<[AtomicU64]>,
    /// Per route: the token of `purge token env(..)`, read at start-up.
    tokens: Box<[Option<BearerToken>]>,
    uses: Rate,
    variants: Rate,
    /// The store purges are published on and received from ([`shared`]).
    shared: std::sync::OnceLock<std::sync::Arc<crate::store::Store>>,
}

impl CacheStore {
    /// A store holding at most `size_bytes` of responses for `routes` (in
    /// slot order), with their purge tokens. Pingora needs the store for the
    /// life of the process, so it is leaked: call this once.
    pub fn leak(
        size_bytes: u64,
        routes: &'static [&'static Route],
        tokens: Vec<Option<BearerToken>>,
    ) -> &'static CacheStore {
        // `false` when already set (by the program that calls `gateway!`):
        // that one is kept.
        pingora::cache::set_compression_dict_content(std::borrow::Cow::Borrowed(HEADER_DICTIONARY));
        let limit = usize::try_from(size_bytes).unwrap_or(usize::MAX);
        Box::leak(Box::new(CacheStore {
            storage: MemCache::new(),
            eviction: Manager::with_capacity(limit, 1024),
            lock: CacheLock::new(LOCK_AGE),
            max_object_bytes: usize::try_from(size_bytes / MAX_OBJECT_SHARE).unwrap_or(usize::MAX),
            routes,
            generations: routes.iter().map(|_| AtomicU64::new(0)).collect(),
            tokens: tokens.into_boxed_slice(),
            uses: Rate::new(COUNT_WINDOW),
            variants: Rate::new(COUNT_WINDOW),
            shared: std::sync::OnceLock::new(),
        }))
    }

    /// Enables the cache for this request (`request_cache_filter`): `GET`
    /// requests that meet no `bypass` condition, and `PURGE` requests on
    /// routes with `purge` (authorised by `request_filter` already).
    pub fn enable(&'static self, session: &mut Session, route: &'static Route) {
        let request = session.req_header();
        let purge = route.purge.is_some() && purge::is_purge(request);
        if !purge && (request.method != Method::GET || route.bypass.iter().any(|bypass| bypass.holds(request))) {
            return;
        }
        let mut overrides = CacheOptionOverrides::default();
        overrides.wait_timeout = route.lock_timeout;
        let lock = route.lock_timeout.map(|_| &self.lock);
        session.cache.enable(&self.storage, Some(&self.eviction), None, lock.map(|lock| lock as _), Some(overrides));
        let max_size = route.max_size.map_or(self.max_object_bytes, |size| size.min(self.max_object_bytes));
        session.cache.set_max_file_size_bytes(max_size);
    }

    /// The cache key of a request on `route` (`cache_key_callback`).
    pub fn key(&self, session: &Session, route: &Route) -> CacheKey {
        let generation = self.generations.get(route.slot).map_or(0, |generation| generation.load(Ordering::Relaxed));
        key::key(session, route, generation)
    }

    /// Whether a response may be stored (`response_cache_filter`). The
    /// origin's `Cache-Control` decides when it says anything; otherwise the
    /// route's defaults. Never stored: `Vary: *` (RFC 9111 §4.1), a
    /// `Set-Cookie` (one client's cookie must not reach another), the
    /// answer to a request with `Authorization` unless the origin allows it
    /// (§3.5), a key asked for fewer than `min_uses` times, a variant past
    /// `max_variants`.
    pub fn cacheable(&self, session: &Session, response: &ResponseHeader, route: &Route) -> RespCacheable {
        if vary::is_star(response) {
            return RespCacheable::Uncacheable(NoCacheReason::Custom("Vary: *"));
        }
        if response.headers.contains_key(SET_COOKIE) {
            return RespCacheable::Uncacheable(NoCacheReason::Custom("Set-Cookie"));
        }
        let primary = session.cache.cache_key().primary_bin();
        if route.min_uses > 1 && self.uses.observe(&primary, 1) < count(route.min_uses) {
            return RespCacheable::Uncacheable(NoCacheReason::Custom("min_uses"));
        }
        let cache_control = CacheControl::from_resp_headers(response);
        let authorization = session.req_header().headers.contains_key(AUTHORIZATION);
        let decision = resp_cacheable(cache_control.as_ref(), response.clone(), authorization, &route.defaults);
        if matches!(decision, RespCacheable::Cacheable(_))
            && response.headers.contains_key(VARY)
            && self.variants.observe(&primary, 1) > count(route.max_variants)
        {
            return RespCacheable::Uncacheable(NoCacheReason::Custom("max_variants"));
        }
        decision
    }

    /// Checks a `PURGE` on `route` (`request_filter`); see [`purge`].
    pub fn authorize_purge(
        &self,
        route: &Route,
        request: &RequestHeader,
        client: Option<IpAddr>,
    ) -> Result<(), Refusal> {
        let token = self.tokens.get(route.slot).and_then(Option::as_ref);
        purge::authorize(route, token, request, client)
    }

    /// Forgets every entry of the routes labelled `label` (of every route
    /// for `None`) by moving them to a new generation: their entries are
    /// never looked up again, and leave as the eviction manager needs room.
    /// The number of routes purged.
    pub fn purge_routes(&self, label: Option<&str>) -> usize {
        let mut purged = 0;
        for route in self.routes.iter().filter(|route| label.is_none_or(|label| route.label == label)) {
            if let Some(generation) = self.generations.get(route.slot) {
                generation.fetch_add(1, Ordering::Relaxed);
                purged += 1;
            }
        }
        purged
    }
}

fn count(value: u32) -> isize {
    isize::try_from(value).unwrap_or(isize::MAX)
}

/// The key callback's answer for a request whose route has no `cache`
/// (the cache is never enabled for one): an error, not a shared key.
pub fn no_key() -> pingora::Result<CacheKey> {
    Err(Error::explain(ErrorType::InternalError, "a cache key for a route without `cache`"))
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
/// stale-while-revalidate time), and within its stale-if-error time when
/// the upstream fails: it cannot be reached or answers 500, 502, 503 or 504
/// (RFC 5861 §4; Pingora offers every 5xx) (`should_serve_stale`).
///
/// A stale answer to an upstream that could not be reached ends the client's
/// connection: Pingora 0.9 finishes such a request with the failed
/// attempt's reuse flag, so the connection is closed after the answer.
/// The answer then says `Connection: close`, or a client would send its
/// next request on a connection the gateway is closing (and get a reset).
pub fn should_serve_stale(session: &mut Session, error: Option<&Error>) -> bool {
    let Some(error) = error else { return true };
    if error.esource() != &ErrorSource::Upstream {
        return false;
    }
    match error.etype() {
        ErrorType::HTTPStatus(status) => matches!(status, 500 | 502 | 503 | 504),
        _ => {
            session.set_keepalive(None);
            true
        }
    }
}

/// The cache's part in a request, as `X-Cache-Status` and the access log
/// give it: `HIT`, `MISS`, `STALE`, `EXPIRED`, `REVALIDATED` or `BYPASS`
/// (not looked up, or not cacheable).
pub fn status(session: &Session) -> &'static str {
    match session.cache.phase() {
        CachePhase::Hit => "HIT",
        CachePhase::Miss => "MISS",
        CachePhase::Stale | CachePhase::StaleUpdating => "STALE",
        CachePhase::Expired => "EXPIRED",
        CachePhase::Revalidated | CachePhase::RevalidatedNoCache(_) => "REVALIDATED",
        CachePhase::Disabled(_) | CachePhase::Bypass | CachePhase::Uninit | CachePhase::CacheKey => "BYPASS",
    }
}

/// Adds `X-Cache-Status` ([`status`]) to a response of a cached route
/// (`response_filter`).
pub fn add_status_header(session: &Session, response: &mut ResponseHeader) -> pingora::Result<()> {
    response.insert_header("X-Cache-Status", status(session))
}
