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
//! - the peer template: TLS, ALPN, h2c, timeouts, `via http-proxy`.

pub mod connect;
pub mod discovery;
pub mod health;
pub mod least_conn;

use std::any::TypeId;
use std::collections::HashMap;
use std::net::SocketAddr as InetAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures::FutureExt;
use http::HeaderValue;
use pingora::http::RequestHeader;
use pingora::lb::selection::{BackendIter, BackendSelection, RoundRobin};
use pingora::lb::{Backend, Backends, LoadBalancer};
use pingora::prelude::background_service;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::proxy::Session;
use pingora::services::background::BackgroundService;
use pingora::upstreams::peer::{ALPN, HttpPeer};
use pingora::{Error, ErrorSource, ErrorType};

use crate::StartupError;
use crate::matchers::{Value, cookie};
pub use discovery::{BackendSpec, Discovery, identity, stable_hash};
pub use health::{HealthConfig, HealthKind};
pub use least_conn::LeastConn;
use least_conn::{InFlight, InFlightGuard};

/// How many backends a selection may look at.
const MAX_SELECT_ITERATIONS: usize = 256;

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

/// What a request remembers about its upstream between hooks. Small (64
/// bytes): it is part of the context, which Pingora moves with the
/// request's future several times per request; what only retries and
/// sticky upstreams need is boxed.
#[derive(Debug, Default)]
pub struct RequestState {
    /// The upstream of the last peer, for metrics.
    upstream: Option<&'static UpstreamConfig>,
    /// Backends already tried (after a failed connection).
    tried: Tried,
    /// The `Set-Cookie` to send when the request got a sticky backend.
    set_cookie: Option<Box<HeaderValue>>,
    /// The in-flight count of a `least_conn` backend.
    _in_flight: Option<InFlightGuard>,
}

/// The last connection a request got (`connected_to_upstream`): its backend
/// and when it was made, for metrics, the access log and spans. A field of
/// the context only where one of those needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connected {
    pub backend: std::net::SocketAddr,
    pub at: Instant,
}

impl Connected {
    /// The connection to `peer`, now (inet backends only).
    pub fn of(peer: &HttpPeer) -> Option<Connected> {
        peer._address.as_inet().map(|addr| Connected { backend: *addr, at: Instant::now() })
    }

    /// The time since the connection was made.
    pub fn elapsed(&self) -> Duration {
        self.at.elapsed()
    }
}

impl RequestState {
    pub fn new() -> RequestState {
        RequestState::default()
    }

    /// The name of the upstream of the last peer, for metrics (empty
    /// before one was chosen).
    pub fn upstream(&self) -> &'static str {
        self.upstream.map_or("", |config| config.name)
    }

    /// Adds the sticky cookie, if any, to the response (`response_filter`).
    pub fn add_sticky_cookie(&self, response: &mut pingora::http::ResponseHeader) -> pingora::Result<()> {
        match &self.set_cookie {
            Some(cookie) => response.append_header("Set-Cookie", HeaderValue::clone(cookie)).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// The backends a request went to, in order. The first is kept inline, so
/// that a request that is not retried allocates nothing, and small: a
/// backend of the fast path as its index in `Fixed::backends`, another as
/// its IP address (Pingora's address type, which can hold a Unix socket
/// path, is 120 bytes). The rest, and a first backend on a Unix socket, go
/// to `then`, allocated on the first retry.
#[derive(Debug, Default)]
struct Tried {
    first: Option<First>,
    #[allow(clippy::box_collection, reason = "8 bytes in the context instead of a vector's 24")]
    then: Option<Box<Vec<SocketAddr>>>,
}

#[derive(Debug, Clone, Copy)]
enum First {
    Fixed(u32),
    Inet(std::net::SocketAddr),
}

impl Tried {
    /// A backend of the fast path, which is taken on a first try only
    /// (`Upstream::peer` checks `is_empty`).
    fn push_fixed(&mut self, index: u32) {
        self.first = Some(First::Fixed(index));
    }

    fn push(&mut self, addr: SocketAddr) {
        match (self.is_empty(), &addr) {
            (true, SocketAddr::Inet(inet)) => self.first = Some(First::Inet(*inet)),
            _ => self.then.get_or_insert_default().push(addr),
        }
    }

    fn first_addr(&self, fixed: Option<&Fixed>) -> Option<SocketAddr> {
        match self.first? {
            First::Fixed(index) => fixed?.addr(index).cloned(),
            First::Inet(inet) => Some(SocketAddr::Inet(inet)),
        }
    }

    fn contains(&self, addr: &SocketAddr, fixed: Option<&Fixed>) -> bool {
        let first = match self.first {
            None => false,
            Some(First::Inet(inet)) => addr.as_inet() == Some(&inet),
            Some(First::Fixed(index)) => fixed.and_then(|fixed| fixed.addr(index)) == Some(addr),
        };
        first || self.then().contains(addr)
    }

    fn last(&self, fixed: Option<&Fixed>) -> Option<SocketAddr> {
        self.then().last().cloned().or_else(|| self.first_addr(fixed))
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.then().len()
    }

    fn is_empty(&self) -> bool {
        self.first.is_none() && self.then().is_empty()
    }

    fn then(&self) -> &[SocketAddr] {
        self.then.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// An upstream of a gateway; see the module documentation.
pub struct Upstream<S: BackendSelection + 'static> {
    config: &'static UpstreamConfig,
    balancer: Arc<LoadBalancer<S>>,
    backups: Option<Arc<LoadBalancer<RoundRobin>>>,
    discovery: Arc<Discovery>,
    template: HttpPeer,
    passive: Arc<Passive>,
    /// The fast path of an upstream whose backends are all known at build
    /// time, balanced round robin without health checks.
    fixed: Option<Fixed>,
}

/// Round robin over backends known at build time and never checked:
/// Pingora's weighted order, with each backend's peer built once, and
/// without the selection's per-request hashing of backends and set of
/// those seen. A request on a retry, or that meets a backend left aside,
/// takes the general path; so does every request once the admin API has
/// replaced the backends.
struct Fixed {
    backends: Box<[(SocketAddr, HttpPeer)]>,
    /// Indexes into `backends`, each repeated as many times as its weight.
    order: Box<[u32]>,
    next: AtomicUsize,
    valid: AtomicBool,
}

impl Fixed {
    /// `None` unless there is a backend with a weight.
    fn new(backends: &std::collections::BTreeSet<Backend>, peer_of: impl Fn(&Backend) -> HttpPeer) -> Option<Fixed> {
        let mut order = Vec::new();
        for (index, backend) in backends.iter().enumerate() {
            let index = u32::try_from(index).ok()?;
            order.extend(std::iter::repeat_n(index, backend.weight));
        }
        if order.is_empty() {
            return None;
        }
        Some(Fixed {
            backends: backends.iter().map(|backend| (backend.addr.clone(), peer_of(backend))).collect(),
            order: order.into_boxed_slice(),
            next: AtomicUsize::new(0),
            valid: AtomicBool::new(true),
        })
    }

    /// The backend at `index` in `backends`: its address and peer.
    fn get(&self, index: u32) -> Option<&(SocketAddr, HttpPeer)> {
        self.backends.get(usize::try_from(index).ok()?)
    }

    /// The address of the backend at `index` in `backends`.
    fn addr(&self, index: u32) -> Option<&SocketAddr> {
        self.get(index).map(|(addr, _)| addr)
    }

    /// The next backend: its index in `backends`, its address and peer.
    fn select(&self) -> Option<(u32, &SocketAddr, &HttpPeer)> {
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        let index = *self.order.get(turn % self.order.len())?;
        let (addr, peer) = self.get(index)?;
        Some((index, addr, peer))
    }
}

/// Backends left aside after a failed connection, until when. An active
/// health check that finds one healthy again takes it back at once.
#[derive(Debug, Default)]
pub struct Passive {
    down: RwLock<HashMap<SocketAddr, Instant>>,
    /// Whether any backend was ever left aside: saves the lock otherwise.
    any_down: AtomicBool,
}

impl Passive {
    fn leave_aside(&self, addr: SocketAddr, until: Instant) {
        if let Ok(mut down) = self.down.write() {
            down.insert(addr, until);
            self.any_down.store(true, Ordering::Relaxed);
        }
    }

    fn is_down(&self, addr: &SocketAddr, now: Instant) -> bool {
        self.any_down.load(Ordering::Relaxed)
            && self.down.read().is_ok_and(|down| down.get(addr).is_some_and(|until| *until > now))
    }

    /// `is_down` now; reads neither the clock nor the lock while no backend
    /// is left aside, the usual case.
    fn is_down_now(&self, addr: &SocketAddr) -> bool {
        self.any_down.load(Ordering::Relaxed) && self.is_down(addr, Instant::now())
    }

    /// Takes a backend back (its health check passed).
    pub fn take_back(&self, addr: &SocketAddr) {
        if self.any_down.load(Ordering::Relaxed)
            && let Ok(mut down) = self.down.write()
        {
            down.remove(addr);
        }
    }
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
        let template = peer_template(config)?;
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
            Upstream { config, balancer: Arc::new(balancer), backups, discovery, template, passive, fixed: None };
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
    pub fn peer(
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
        let addr = match &self.config.via {
            Some(_) => state.tried.last(self.fixed.as_ref()),
            None => Some(peer._address.clone()),
        };
        if let Some(addr) = addr {
            log::warn!("upstream `{}`: connection to {addr} failed: {error}", self.config.name);
            self.passive.leave_aside(addr, Instant::now() + self.config.fail_timeout);
        }
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
        match (&self.config.via, &backend.addr) {
            (Some(proxy), SocketAddr::Inet(target)) => {
                peer._address = SocketAddr::Inet(*proxy);
                // One pool per upstream and target behind the proxy.
                peer.group_key = stable_hash(format_args!("{:016x} {}", self.template.group_key, backend.addr));
                peer.options.custom_l4 = Some(Arc::new(connect::ConnectVia { proxy: *proxy, target: *target }));
            }
            _ => peer._address = backend.addr.clone(),
        }
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

/// A backend as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendStatus {
    pub addr: String,
    pub weight: usize,
    pub healthy: bool,
    pub left_aside: bool,
    pub backup: bool,
}

/// What the admin API needs of an upstream, whatever its selection.
#[async_trait::async_trait]
pub trait Control: Send + Sync {
    fn name(&self) -> &'static str;
    fn status(&self) -> Vec<BackendStatus>;
    async fn replace(&self, text: &str) -> Result<usize, Vec<String>>;
}

#[async_trait::async_trait]
impl<S> Control for Upstream<S>
where
    S: BackendSelection + Send + Sync + 'static,
    S::Iter: BackendIter,
    S::Config: Send + Sync,
{
    fn name(&self) -> &'static str {
        self.config.name
    }
    fn status(&self) -> Vec<BackendStatus> {
        Upstream::status(self)
    }
    async fn replace(&self, text: &str) -> Result<usize, Vec<String>> {
        Upstream::replace(self, text).await
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

/// The peer every request of the upstream starts from.
fn peer_template(config: &UpstreamConfig) -> Result<HttpPeer, StartupError> {
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
    Ok(peer)
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

/// The cookie that keeps a client on `backend`.
fn sticky_cookie(sticky: &StickyConfig, backend: &Backend) -> Option<HeaderValue> {
    let mut cookie = format!("{}={:016x}; Path=/", sticky.cookie, identity(&backend.addr));
    if let Some(max_age) = sticky.max_age {
        cookie.push_str(&format!("; Max-Age={}", max_age.as_secs()));
    }
    if sticky.secure {
        cookie.push_str("; Secure");
    }
    if sticky.http_only {
        cookie.push_str("; HttpOnly");
    }
    HeaderValue::from_str(&cookie).ok()
}

fn cookie_value(request: &RequestHeader, name: &str) -> Option<String> {
    // The matcher finds the cookie; take its value the same way it reads it.
    if !cookie(request, name, Value::Present) {
        return None;
    }
    request.headers.get_all(http::header::COOKIE).iter().filter_map(|header| header.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').to_string())
        })
    })
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

/// A route's `timeout`s over the upstream's.
pub fn with_timeouts(
    mut peer: Box<HttpPeer>,
    connect: Option<Duration>,
    read: Option<Duration>,
    write: Option<Duration>,
) -> Box<HttpPeer> {
    if connect.is_some() {
        peer.options.connection_timeout = connect;
    }
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

#[cfg(test)]
mod tests {
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
        assert_eq!(tried.last(Some(&fixed)), None);
        let (index, first, _) = fixed.select().expect("a backend");
        let first = first.clone();
        tried.push_fixed(index);
        assert!(!tried.is_empty());
        assert_eq!(tried.len(), 1);
        assert!(tried.contains(&first, Some(&fixed)));
        assert_eq!(tried.last(Some(&fixed)), Some(first.clone()));
        let other = if first == addr("127.0.0.1:7001") { addr("127.0.0.1:7002") } else { addr("127.0.0.1:7001") };
        assert!(!tried.contains(&other, Some(&fixed)));
        tried.push(other.clone());
        assert_eq!(tried.len(), 2);
        assert!(tried.contains(&other, Some(&fixed)));
        assert!(tried.contains(&first, Some(&fixed)));
        assert_eq!(tried.last(Some(&fixed)), Some(other));
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
        assert_eq!(tried.last(None), Some(addr("127.0.0.1:7001")));

        let mut tried = Tried::default();
        tried.push(addr("[::1]:7001"));
        assert!(tried.then().is_empty(), "an IP address is kept inline");
        assert!(tried.contains(&addr("[::1]:7001"), None));
        assert!(!tried.contains(&addr("[::1]:7002"), None));
        assert_eq!(tried.last(None), Some(addr("[::1]:7001")));
        tried.push(unix.clone());
        assert_eq!(tried.len(), 2);
        assert_eq!(tried.last(None), Some(unix));
    }
}
