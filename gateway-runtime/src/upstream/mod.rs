//! Upstreams: backends, their selection, health, and the peers requests go to.
//!
//! An [`Upstream<S>`] wraps a Pingora `LoadBalancer<S>`, where `S` is the
//! selection the `.gw` file asks for: `RoundRobin`, `Random`,
//! `KetamaHashing` (`Consistent`) or [`LeastConn`]. Around it:
//! - discovery of the backends ([`discovery`]): addresses, DNS names resolved
//!   in the background, a file read on an interval, the admin API;
//! - active health checks ([`health`]) run by the balancer's background service;
//! - passive failure marks: a backend that refused a connection is left aside
//!   for `fail_timeout`, and the request is retried on another (`retries`);
//! - backups, used only when no primary backend can be;
//! - sticky cookies, which keep a client on its backend;
//! - the peer template: TLS, ALPN, h2c, timeouts, and how connections are
//!   made ([`connect`]: `via http-proxy`, `proxy_protocol`).

pub mod config;
pub mod connect;
pub mod control;
pub mod discovery;
mod fixed;
pub mod health;
pub mod least_conn;
pub mod passive;
pub mod peer;
pub mod state;
mod sticky;

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use futures::FutureExt;
use pingora::http::RequestHeader;
use pingora::lb::selection::{BackendIter, BackendSelection, RoundRobin};
use pingora::lb::{Backend, Backends, LoadBalancer};
use pingora::prelude::background_service;
use pingora::proxy::Session;
use pingora::services::background::BackgroundService;
use pingora::upstreams::peer::HttpPeer;
use pingora::{Error, ErrorSource, ErrorType};

use crate::StartupError;
pub use config::{FileSource, HashKey, PeerTimeouts, Protocol, StickyConfig, TlsConfig, UpstreamConfig};
use connect::Dial;
pub use control::{BackendStatus, Control};
pub use discovery::{BackendSpec, Discovery, identity, stable_hash};
use fixed::Fixed;
pub use health::{HealthConfig, HealthKind};
use least_conn::InFlight;
pub use least_conn::LeastConn;
pub use passive::Passive;
use peer::peer_template;
pub use peer::{for_websocket, is_websocket, no_upstream, with_timeouts};
pub use state::{Connected, RequestState};
use sticky::{cookie_value, sticky_cookie};

/// How many backends a selection may look at.
const MAX_SELECT_ITERATIONS: usize = 256;

/// An upstream of a gateway; see the module documentation.
pub struct Upstream<S: BackendSelection + 'static> {
    config: &'static UpstreamConfig,
    balancer: Arc<LoadBalancer<S>>,
    backups: Option<Arc<LoadBalancer<RoundRobin>>>,
    discovery: Arc<Discovery>,
    template: HttpPeer,
    /// How connections are made when Pingora's TCP connect is not enough
    /// (`via`, `proxy_protocol`); the template carries it too.
    dial: Option<Dial>,
    passive: Arc<Passive>,
    /// The fast path of an upstream whose backends are all known at build
    /// time, balanced round robin without health checks.
    fixed: Option<Fixed>,
}

/// Shares a discovery between the balancer (which owns a box of it) and the admin API.
struct SharedDiscovery(Arc<Discovery>);

#[async_trait::async_trait]
impl pingora::lb::discovery::ServiceDiscovery for SharedDiscovery {
    async fn discover(&self) -> pingora::Result<(std::collections::BTreeSet<Backend>, HashMap<u64, bool>)> {
        self.0.discover().await
    }
}

impl<S> Upstream<S>
where
    S: BackendSelection + Send + Sync + 'static,
    S::Iter: BackendIter,
    S::Config: Send + Sync,
{
    /// Builds the upstream: reads its TLS files, sets up discovery and health
    /// checks, and selects among the backends known at once (addresses and
    /// sockets; DNS names and files are read by the background service).
    pub fn new(config: &'static UpstreamConfig) -> Result<Upstream<S>, StartupError> {
        let (template, dial) = peer_template(config)?;
        let passive = Arc::new(Passive::default());
        let file = config.discover.map(|(path, _)| std::path::PathBuf::from(path));
        let discovery = Arc::new(Discovery::new(config.name, config.backends, file));
        let mut backends = Backends::new(Box::new(SharedDiscovery(discovery.clone())));
        if let Some(health) = &config.health {
            backends.set_health_check(health::build(config.name, health, &template, passive.clone())?);
        }
        let mut balancer = LoadBalancer::<S>::from_backends(backends);
        let dynamic =
            config.backends.iter().any(|spec| matches!(spec, BackendSpec::Dns(..))) || config.discover.is_some();
        balancer.update_frequency = dynamic.then(|| {
            let resolve = config.resolve_every;
            config.discover.map_or(resolve, |(_, every)| every.min(resolve))
        });
        balancer.health_check_frequency = config.health.map(|health| health.every);
        balancer.parallel_health_check = true;
        initial_update(&balancer, config.name)?;
        let backups = if config.backups.is_empty() {
            None
        } else {
            let discovery = Discovery::new(config.name, config.backups, None);
            let mut backends = Backends::new(Box::new(discovery));
            if let Some(health) = &config.health {
                backends.set_health_check(health::build(config.name, health, &template, passive.clone())?);
            }
            let mut balancer = LoadBalancer::<RoundRobin>::from_backends(backends);
            balancer.health_check_frequency = config.health.map(|health| health.every);
            initial_update(&balancer, config.name)?;
            Some(Arc::new(balancer))
        };
        let mut upstream =
            Upstream { config, balancer: Arc::new(balancer), backups, discovery, template, dial, passive, fixed: None };
        let fixed = TypeId::of::<S>() == TypeId::of::<RoundRobin>()
            && config.health.is_none()
            && config.sticky.is_none()
            && config.discover.is_none()
            && config.backends.iter().all(|spec| !matches!(spec, BackendSpec::Dns(..)));
        if fixed {
            upstream.fixed =
                Fixed::new(&upstream.balancer.backends().get_backend(), |backend| upstream.peer_of(backend));
        }
        Ok(upstream)
    }

    /// The background services that keep the backends and their health up to date.
    ///
    /// A balancer with nothing to do in the background (written addresses,
    /// no health check) gets no service: Pingora's would return at once and
    /// log "service ... exited" at every start, which reads like a failure.
    pub fn services(&self) -> Vec<Box<dyn crate::server::Service>> {
        let mut services: Vec<Box<dyn crate::server::Service>> = Vec::new();
        let name = format!("upstream {}", self.config.name);
        if has_background_work(&self.balancer) {
            services.push(Box::new(background_service(&name, Shared(self.balancer.clone()))));
        }
        if let Some(backups) = self.backups.as_ref().filter(|backups| has_background_work(backups)) {
            services.push(Box::new(background_service(&format!("{name} backups"), Shared(backups.clone()))));
        }
        services
    }

    /// The peer for a request (`upstream_peer`): a sticky backend if the
    /// request names a usable one; else the selection's first backend that is
    /// healthy, not left aside and not tried yet; else one left aside; else a
    /// backup; else 502.
    ///
    /// `connect` is the route's `timeout connect`. With `proxy_protocol`,
    /// the connection begins with a header naming `client` (the port is
    /// the connection's when the client is its peer, else 0) and the
    /// address it reached; connections are pooled by header, so one made
    /// for a client is never reused for another.
    pub fn peer(
        &self,
        session: &Session,
        client: Option<std::net::IpAddr>,
        connect: Option<std::time::Duration>,
        state: &mut RequestState,
    ) -> pingora::Result<Box<HttpPeer>> {
        let mut peer = self.select(session, client, state)?;
        if connect.is_some() {
            peer.options.connection_timeout = connect;
        }
        if let Some(dial) = &self.dial
            && (connect.is_some() || self.config.proxy_protocol.is_some())
        {
            let dial = match self.config.proxy_protocol {
                Some(version) => {
                    let addresses = connect::client_addresses(session, client);
                    let (dial, group_key) = dial.for_client(version, addresses, self.template.group_key);
                    peer.group_key = group_key;
                    dial
                }
                None => dial.clone(),
            };
            peer.options.custom_l4 = Some(Arc::new(Dial { timeout: connect.unwrap_or(dial.timeout), ..dial }));
        }
        Ok(peer)
    }

    /// The backend's peer (see [`Upstream::peer`]).
    fn select(
        &self,
        session: &Session,
        client: Option<std::net::IpAddr>,
        state: &mut RequestState,
    ) -> pingora::Result<Box<HttpPeer>> {
        state.upstream = Some(self.config);
        if let Some(fixed) = &self.fixed
            && state.tried.is_empty()
            && fixed.valid.load(Ordering::Relaxed)
            && let Some((index, addr, peer)) = fixed.select()
            && !self.passive.is_down_now(addr)
        {
            state.tried.push_fixed(index);
            return Ok(Box::new(peer.clone()));
        }
        let request = session.req_header();
        let fixed = self.fixed.as_ref();
        let backend = self.sticky_backend(request, state).or_else(|| {
            let key = self.key(session, client);
            let fresh = |backend: &Backend, healthy: bool| {
                healthy && !state.tried.contains(&backend.addr, fixed) && !self.passive.is_down_now(&backend.addr)
            };
            let untried = |backend: &Backend, healthy: bool| healthy && !state.tried.contains(&backend.addr, fixed);
            let selected = self.balancer.select_with(&key, MAX_SELECT_ITERATIONS, fresh);
            let selected = selected.or_else(|| self.balancer.select_with(&key, MAX_SELECT_ITERATIONS, untried));
            let selected =
                selected.or_else(|| self.backups.as_ref()?.select_with(&key, MAX_SELECT_ITERATIONS, untried));
            if let (Some(backend), Some(sticky)) = (&selected, &self.config.sticky) {
                state.set_cookie = sticky_cookie(sticky, backend).map(Box::new);
            }
            selected
        });
        let Some(backend) = backend else {
            return Err(Error::create(
                ErrorType::ConnectNoRoute,
                ErrorSource::Upstream,
                Some(format!("upstream `{}` has no backend available", self.config.name).into()),
                None,
            ));
        };
        if let Some(in_flight) = backend.ext.get::<InFlight>() {
            state._in_flight = Some(in_flight.enter());
        }
        let peer = self.peer_of(&backend);
        state.tried.push(backend.addr);
        Ok(Box::new(peer))
    }

    /// Handles a failed connection (`fail_to_connect`): leaves the backend
    /// aside for `fail_timeout`, and asks for a retry if the budget allows.
    pub fn connect_failed(&self, peer: &HttpPeer, state: &RequestState, mut error: Box<Error>) -> Box<Error> {
        // The peer's address is the backend's, also through `via` (the
        // connector dials the proxy).
        let addr = &peer._address;
        log::warn!("upstream `{}`: connection to {addr} failed: {error}", self.config.name);
        self.passive.leave_aside(addr.clone(), Instant::now() + self.config.fail_timeout);
        if state.tried.len() <= self.config.retries {
            error.set_retry(true);
        }
        error
    }

    fn is_down(&self, backend: &Backend, now: Instant) -> bool {
        self.passive.is_down(&backend.addr, now)
    }

    fn sticky_backend(&self, request: &RequestHeader, state: &RequestState) -> Option<Backend> {
        let sticky = self.config.sticky.as_ref()?;
        let id = cookie_value(request, sticky.cookie).and_then(|value| u64::from_str_radix(&value, 16).ok())?;
        let backends = self.balancer.backends().get_backend();
        let backend = backends.iter().find(|backend| identity(&backend.addr) == id)?;
        let usable = self.balancer.backends().ready(backend)
            && !state.tried.contains(&backend.addr, self.fixed.as_ref())
            && !self.passive.is_down_now(&backend.addr);
        usable.then(|| backend.clone())
    }

    fn key(&self, session: &Session, client: Option<std::net::IpAddr>) -> Vec<u8> {
        let request = session.req_header();
        match self.config.hash_key {
            HashKey::None => Vec::new(),
            HashKey::Path => request.uri.path().as_bytes().to_vec(),
            HashKey::Uri => {
                request.uri.path_and_query().map_or(b"/".to_vec(), |target| target.as_str().as_bytes().to_vec())
            }
            HashKey::ClientIp => match client {
                Some(ip) => match ip {
                    std::net::IpAddr::V4(ip) => ip.octets().to_vec(),
                    std::net::IpAddr::V6(ip) => ip.octets().to_vec(),
                },
                None => Vec::new(),
            },
            HashKey::Header(name) => request.headers.get(name).map_or(Vec::new(), |value| value.as_bytes().to_vec()),
            HashKey::Cookie(name) => cookie_value(request, name).map_or(Vec::new(), String::into_bytes),
        }
    }

    fn peer_of(&self, backend: &Backend) -> HttpPeer {
        let mut peer = self.template.clone();
        if self.template.is_tls()
            && self.config.tls.is_some_and(|tls| tls.sni.is_none())
            && let Some(host) = backend.ext.get::<discovery::ResolvedFrom>()
        {
            peer.sni = host.0.to_string();
        }
        peer._address = backend.addr.clone();
        peer
    }

    /// Each backend with its weight and health, for the admin API.
    pub fn status(&self) -> Vec<BackendStatus> {
        let now = Instant::now();
        let mut listed: Vec<BackendStatus> = Vec::new();
        let primary = self.balancer.backends();
        for backend in primary.get_backend().iter() {
            listed.push(BackendStatus {
                addr: backend.addr.to_string(),
                weight: backend.weight,
                healthy: primary.ready(backend),
                left_aside: self.is_down(backend, now),
                backup: false,
            });
        }
        if let Some(backups) = &self.backups {
            for backend in backups.backends().get_backend().iter() {
                listed.push(BackendStatus {
                    addr: backend.addr.to_string(),
                    weight: backend.weight,
                    healthy: backups.backends().ready(backend),
                    left_aside: false,
                    backup: true,
                });
            }
        }
        listed
    }

    /// Replaces the primary backends (admin API) with those of `text`, one
    /// per line as in a discovery file; nothing changes if a line is wrong.
    pub async fn replace(&self, text: &str) -> Result<usize, Vec<String>> {
        let backends = discovery::parse_backends(text)?;
        if backends.is_empty() {
            return Err(vec!["no backend: an upstream needs at least one".to_string()]);
        }
        let count = backends.len();
        if let Some(fixed) = &self.fixed {
            fixed.valid.store(false, Ordering::Relaxed);
        }
        self.discovery.replace(backends);
        self.balancer.update().await.map_err(|error| vec![error.to_string()])?;
        log::info!("upstream `{}`: backends replaced through the admin API ({count})", self.config.name);
        Ok(count)
    }
}

/// Lets a balancer shared with the proxy run as a background service.
struct Shared<T>(Arc<T>);

#[async_trait::async_trait]
impl<T: BackgroundService + Send + Sync> BackgroundService for Shared<T> {
    async fn start(&self, shutdown: pingora::server::ShutdownWatch) {
        self.0.start(shutdown).await;
    }
}

/// Whether a balancer's background service would do anything: discover
/// backends again (DNS names, files) or check their health.
fn has_background_work<S: BackendSelection>(balancer: &LoadBalancer<S>) -> bool {
    balancer.update_frequency.is_some() || balancer.health_check_frequency.is_some()
}

/// Builds the selection from the backends known at once.
fn initial_update<S>(balancer: &LoadBalancer<S>, name: &str) -> Result<(), StartupError>
where
    S: BackendSelection + 'static,
    S::Iter: BackendIter,
{
    // Discovery of written addresses answers at once; DNS names and files
    // are only read by the background service, so they are not waited for.
    match balancer.update().now_or_never() {
        Some(Err(error)) => Err(StartupError::new(format!("upstream `{name}`: {error}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::state::Tried;
    use super::*;

    #[test]
    fn request_state_stays_small() {
        // The context moves with the request's future: what is rare is boxed.
        assert!(std::mem::size_of::<RequestState>() <= 64, "{}", std::mem::size_of::<RequestState>());
    }

    fn fixed() -> Fixed {
        let backends = [("127.0.0.1:7001", 3), ("127.0.0.1:7002", 1)]
            .into_iter()
            .map(|(addr, weight)| Backend::new_with_weight(addr, weight))
            .collect::<pingora::Result<std::collections::BTreeSet<Backend>>>()
            .expect("addresses");
        Fixed::new(&backends, |backend| HttpPeer::new(backend.addr.clone(), false, String::new()))
            .expect("backends with weight")
    }

    use pingora::protocols::l4::socket::SocketAddr;

    fn addr(text: &str) -> SocketAddr {
        SocketAddr::Inet(text.parse().expect("address"))
    }

    #[test]
    fn fixed_selection_follows_the_weights() {
        let fixed = fixed();
        let mut counts = HashMap::new();
        for _ in 0..400 {
            let (index, addr, peer) = fixed.select().expect("a backend");
            assert_eq!(&peer._address, addr);
            assert_eq!(&fixed.backends[index as usize].0, addr);
            *counts.entry(addr.to_string()).or_insert(0) += 1;
        }
        assert_eq!(counts.get("127.0.0.1:7001"), Some(&300));
        assert_eq!(counts.get("127.0.0.1:7002"), Some(&100));
    }

    #[test]
    fn tried_resolves_a_fast_path_backend_by_its_index() {
        let fixed = fixed();
        let mut tried = Tried::default();
        assert!(tried.is_empty());
        let (index, first, _) = fixed.select().expect("a backend");
        let first = first.clone();
        tried.push_fixed(index);
        assert!(!tried.is_empty());
        assert_eq!(tried.len(), 1);
        assert!(tried.contains(&first, Some(&fixed)));
        let other = if first == addr("127.0.0.1:7001") { addr("127.0.0.1:7002") } else { addr("127.0.0.1:7001") };
        assert!(!tried.contains(&other, Some(&fixed)));
        tried.push(other.clone());
        assert_eq!(tried.len(), 2);
        assert!(tried.contains(&other, Some(&fixed)));
        assert!(tried.contains(&first, Some(&fixed)));
    }

    #[test]
    fn tried_keeps_backends_in_order_whatever_their_kind() {
        let unix =
            SocketAddr::Unix(std::os::unix::net::SocketAddr::from_pathname("/run/app.sock").expect("a socket path"));
        let mut tried = Tried::default();
        tried.push(unix.clone());
        tried.push(addr("127.0.0.1:7001"));
        assert_eq!(tried.len(), 2);
        assert!(tried.contains(&unix, None));
        assert!(tried.contains(&addr("127.0.0.1:7001"), None));

        let mut tried = Tried::default();
        tried.push(addr("[::1]:7001"));
        assert!(tried.then().is_empty(), "an IP address is kept inline");
        assert!(tried.contains(&addr("[::1]:7001"), None));
        assert!(!tried.contains(&addr("[::1]:7002"), None));
        tried.push(unix.clone());
        assert_eq!(tried.len(), 2);
    }
}
