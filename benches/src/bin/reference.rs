//! The hand-written reference of the load benchmark: a careful Pingora
//! `ProxyHttp` doing exactly what `bench.gw` asks, and nothing the gateway
//! language adds (no path normalisation, no route tables). The generated
//! gateway is held to it.
//!
//! Listens on 127.0.0.1:7280 (HTTP) and 127.0.0.1:7643 (HTTPS, HTTP/1.1);
//! two origins weighted 3:1; `X-Bench: gw` on `/api/`; `/cached/` cached for
//! an hour in memory with a cache lock, with `X-Cache-Status` as the
//! gateway's `cache` sends it; on `/policed/`, the peer must be in
//! 127.0.0.0/8, a sliding-window rate limit per client address, and an HS256
//! JWT verified with `jsonwebtoken` (the secret of `bench-jwt-secret.txt`).

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_trait::async_trait;
use futures::FutureExt;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use pingora::cache::eviction::lru::Manager;
use pingora::cache::lock::CacheLock;
use pingora::cache::{CacheKey, CacheMetaDefaults, CachePhase, MemCache, RespCacheable};
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::lb::discovery::Static;
use pingora::lb::selection::RoundRobin;
use pingora::lb::{Backend, Backends, LoadBalancer};
use pingora::listeners::tls::TlsSettings;
use pingora::prelude::*;
use pingora::protocols::l4::socket::SocketAddr;
use pingora_limits::rate::{Rate, RateComponents};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

static CACHE: LazyLock<MemCache> = LazyLock::new(MemCache::new);
static EVICTION: LazyLock<Manager<16>> = LazyLock::new(|| Manager::with_capacity(64 << 20, 1024));
static LOCK: LazyLock<CacheLock> = LazyLock::new(|| CacheLock::new(Duration::from_secs(5)));
static DEFAULTS: CacheMetaDefaults = CacheMetaDefaults::new(|_| Some(Duration::from_secs(3600)), 0, 0);

struct Reference {
    origins: Arc<LoadBalancer<RoundRobin>>,
    rate: Rate,
    jwt_key: DecodingKey,
    jwt_validation: Validation,
}

#[derive(Default)]
struct Ctx {
    api: bool,
    cached: bool,
}

/// Requests per second and client on `/policed/`.
const RATE: f64 = 1_000_000.0;

impl Reference {
    /// `/policed/`: the peer's address, the rate, the token; the status to
    /// refuse with.
    fn police(&self, session: &Session) -> std::result::Result<(), u16> {
        let ip = session.client_addr().and_then(|addr| addr.as_inet()).map(|addr| addr.ip().to_canonical());
        match ip {
            Some(std::net::IpAddr::V4(ip)) if ip.octets()[0] == 127 => {}
            _ => return Err(403),
        }
        let estimate = self.rate.rate_with(&ip, |components: RateComponents| {
            components.prev_samples as f64 * (1.0 - components.current_interval_fraction)
                + components.curr_samples as f64
        });
        if estimate + 1.0 > RATE {
            return Err(429);
        }
        self.rate.observe(&ip, 1);
        let value = session.req_header().headers.get("authorization").ok_or(401u16)?.as_bytes();
        let token = value.strip_prefix(b"Bearer ").and_then(|token| std::str::from_utf8(token).ok()).ok_or(401u16)?;
        decode::<serde_json::Map<String, serde_json::Value>>(token, &self.jwt_key, &self.jwt_validation)
            .map(|_| ())
            .map_err(|_| 401)
    }
}

#[async_trait]
impl ProxyHttp for Reference {
    type CTX = Ctx;

    fn new_ctx(&self) -> Ctx {
        Ctx::default()
    }

    async fn request_filter(&self, session: &mut Session, ctx: &mut Ctx) -> Result<bool> {
        let path = session.req_header().uri.path();
        ctx.api = path.starts_with("/api/");
        ctx.cached = path.starts_with("/cached/");
        if path.starts_with("/policed/")
            && let Err(status) = self.police(session)
        {
            session.respond_error(status).await?;
            return Ok(true);
        }
        Ok(false)
    }

    async fn upstream_peer(&self, _session: &mut Session, _ctx: &mut Ctx) -> Result<Box<HttpPeer>> {
        let backend = self.origins.select(b"", 256).ok_or_else(|| Error::new(ConnectNoRoute))?;
        match backend.addr {
            SocketAddr::Inet(addr) => Ok(Box::new(HttpPeer::new(addr, false, String::new()))),
            SocketAddr::Unix(_) => Err(Error::new(InternalError)),
        }
    }

    async fn upstream_request_filter(
        &self,
        _session: &mut Session,
        request: &mut RequestHeader,
        ctx: &mut Ctx,
    ) -> Result<()> {
        if ctx.api {
            request.insert_header("X-Bench", "gw")?;
        }
        Ok(())
    }

    fn request_cache_filter(&self, session: &mut Session, ctx: &mut Ctx) -> Result<()> {
        if ctx.cached && session.req_header().method == http::Method::GET {
            session.cache.enable(&*CACHE, Some(&*EVICTION), None, Some(&*LOCK), None);
            session.cache.set_max_file_size_bytes(1 << 20);
        }
        Ok(())
    }

    async fn response_filter(&self, session: &mut Session, response: &mut ResponseHeader, ctx: &mut Ctx) -> Result<()> {
        if ctx.cached {
            let status = match session.cache.phase() {
                CachePhase::Hit => "HIT",
                CachePhase::Miss => "MISS",
                _ => "BYPASS",
            };
            response.insert_header("X-Cache-Status", status)?;
        }
        Ok(())
    }

    fn cache_key_callback(&self, session: &Session, _ctx: &mut Ctx) -> Result<CacheKey> {
        let request = session.req_header();
        let host = request.headers.get("host").map_or(&b""[..], |host| host.as_bytes());
        let scheme: &[u8] =
            if session.digest().is_some_and(|digest| digest.ssl_digest.is_some()) { b"https://" } else { b"http://" };
        let mut key = Vec::with_capacity(host.len() + 64);
        key.extend_from_slice(scheme);
        key.extend_from_slice(host);
        key.extend_from_slice(request.uri.path_and_query().map_or("/", |target| target.as_str()).as_bytes());
        Ok(CacheKey::new(key, ""))
    }

    fn response_cache_filter(
        &self,
        _session: &Session,
        response: &ResponseHeader,
        _ctx: &mut Ctx,
    ) -> Result<RespCacheable> {
        let cache_control = pingora::cache::cache_control::CacheControl::from_resp_headers(response);
        Ok(pingora::cache::filters::resp_cacheable(cache_control.as_ref(), response.clone(), false, &DEFAULTS))
    }
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let mut server = Server::new(Some(Opt::parse_args()))?;
    if let Some(conf) = Arc::get_mut(&mut server.configuration) {
        conf.threads = 1;
        conf.grace_period_seconds = Some(1);
        conf.graceful_shutdown_timeout_seconds = Some(1);
    }
    server.bootstrap();
    let backends: BTreeSet<Backend> = [("127.0.0.1:7181", 3), ("127.0.0.1:7182", 1)]
        .into_iter()
        .map(|(addr, weight)| Backend::new_with_weight(addr, weight))
        .collect::<Result<_>>()?;
    let origins = LoadBalancer::from_backends(Backends::new(Static::new(backends)));
    origins.update().now_or_never().ok_or("static discovery did not complete")??;
    let secret = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/bench-jwt-secret.txt"))?;
    let secret = secret.trim();
    // What `auth jwt { algorithms HS256 }` sets: exp required, nbf checked,
    // any audience.
    let mut jwt_validation = Validation::new(Algorithm::HS256);
    jwt_validation.validate_nbf = true;
    jwt_validation.validate_aud = false;
    let reference = Reference {
        origins: Arc::new(origins),
        rate: Rate::new(Duration::from_secs(1)),
        jwt_key: DecodingKey::from_secret(secret.as_bytes())?,
        jwt_validation,
    };
    let mut proxy = http_proxy_service(&server.configuration, reference);
    proxy.add_tcp("127.0.0.1:7280");
    let certs = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs");
    let tls = TlsSettings::intermediate(&format!("{certs}/server.crt"), &format!("{certs}/server.key"))?;
    proxy.add_tls_with_settings("127.0.0.1:7643", None, tls);
    server.add_service(proxy);
    server.run_forever();
}
