//! The Pingora server of a gateway: created from the command line, with the
//! `.gw` file's `server { }` settings applied over any `-c` YAML file,
//! given its services, and run until a signal stops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use pingora::prelude::{ProxyHttp, Server};
use pingora::proxy::{HttpProxy, http_proxy};
use pingora::server::RunArgs;
use pingora::services::listening::Service as ListeningService;

pub use pingora::protocols::tls::ALPN as Alpn;
pub use pingora::server::configuration::Opt;
pub use pingora::services::ServiceWithDependents as Service;

use crate::StartupError;
use crate::guard::{Guarded, Timeouts};
use crate::signals::Signals;

/// The `server { }` block of a `.gw` file; `None` leaves Pingora's value
/// (or the `-c` file's) in place.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The `.gw` file, for messages.
    pub source: &'static str,
    pub threads: Option<usize>,
    pub grace_period_seconds: Option<u64>,
    pub graceful_shutdown_timeout_seconds: Option<u64>,
    /// Idle upstream connections kept for reuse.
    pub keepalive_pool: Option<usize>,
    /// Downstream timeouts: request heads, request bodies, idle connections.
    pub timeouts: Timeouts,
    /// The listeners that take a PROXY protocol header first.
    pub proxy_protocol: Option<&'static crate::proxy_protocol::ProxyProtocol>,
    pub http2: Http2,
}

/// `server { http2 { } }`: what downstream HTTP/2 connections may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http2 {
    /// Advertised as SETTINGS_MAX_CONCURRENT_STREAMS.
    pub max_concurrent_streams: u32,
    /// Advertised as SETTINGS_MAX_HEADER_LIST_SIZE, and enforced.
    pub max_header_list_size: u32,
    /// Streams reset by the client before they were taken, at once: past
    /// it, the connection is closed (GOAWAY ENHANCE_YOUR_CALM; rapid reset).
    pub max_pending_resets: usize,
    /// Streams reset for the client's errors: past it, the connection is closed.
    pub max_error_resets: usize,
}

impl Default for Http2 {
    fn default() -> Http2 {
        use gateway_http::head::{HTTP2_MAX_CONCURRENT_STREAMS, HTTP2_MAX_ERROR_RESETS, HTTP2_MAX_PENDING_RESETS};
        Http2 {
            max_concurrent_streams: HTTP2_MAX_CONCURRENT_STREAMS,
            max_header_list_size: gateway_http::head::Limits::DEFAULT.head_bytes as u32,
            max_pending_resets: HTTP2_MAX_PENDING_RESETS,
            max_error_resets: HTTP2_MAX_ERROR_RESETS,
        }
    }
}

impl Http2 {
    fn options(&self) -> pingora::protocols::http::v2::server::H2Options {
        let mut options = pingora::protocols::http::v2::server::H2Options::new();
        options
            .max_concurrent_streams(self.max_concurrent_streams)
            .max_header_list_size(self.max_header_list_size)
            .max_pending_accept_reset_streams(self.max_pending_resets)
            .max_local_error_reset_streams(Some(self.max_error_resets));
        options
    }
}

/// Creates the server: reads `-c` if given, then applies `settings`.
/// Also starts logging to standard error (level from `RUST_LOG`, default `info`).
pub fn new_server(opt: Opt, settings: &Settings) -> Result<Server, StartupError> {
    init_logging();
    let mut server = Server::new(Some(opt))?;
    let Some(conf) = Arc::get_mut(&mut server.configuration) else {
        return Err(StartupError::new("the server configuration is shared before start-up"));
    };
    if let Some(threads) = settings.threads {
        conf.threads = threads;
    }
    if let Some(seconds) = settings.grace_period_seconds {
        conf.grace_period_seconds = Some(seconds);
    }
    if let Some(seconds) = settings.graceful_shutdown_timeout_seconds {
        conf.graceful_shutdown_timeout_seconds = Some(seconds);
    }
    if let Some(size) = settings.keepalive_pool {
        conf.upstream_keepalive_pool_size = size;
    }
    log::info!("gateway from {}", settings.source);
    Ok(server)
}

/// The HTTP proxy service of a generated gateway, with its downstream
/// timeouts ([`crate::guard`]).
pub fn proxy_service<G>(server: &Server, settings: &Settings, gateway: G) -> ListeningService<Guarded<HttpProxy<G>>>
where
    G: ProxyHttp + Send + Sync + 'static,
    G::CTX: Send + Sync,
{
    let mut proxy = http_proxy(&server.configuration, gateway);
    proxy.h2_options = Some(settings.http2.options());
    let mut service =
        ListeningService::new("gateway".to_string(), Guarded::new(proxy, settings.timeouts, settings.proxy_protocol));
    if let Some(proxy_protocol) = settings.proxy_protocol {
        // TLS listeners: the header comes before the handshake.
        service.endpoints().set_pre_tls_callback(crate::proxy_protocol::pre_tls(proxy_protocol));
    }
    service
}

/// Bootstraps (taking over listeners from a running gateway with `-u`, or
/// exiting after the checks with `-t`), adds the services and runs until a
/// signal ([`crate::signals`]): SIGINT stops at once, SIGTERM after the
/// grace period, SIGQUIT hands the listeners to a new process started with
/// `-u`, if one is waiting for them.
pub fn run(mut server: Server, services: Vec<Box<dyn Service>>) -> Result<(), StartupError> {
    server.bootstrap();
    server.add_services(services);
    let signals = Signals::new(&server.configuration.upgrade_sock);
    server.run(RunArgs { shutdown_signal: Box::new(signals) });
    Ok(())
}

/// Logging to standard error, at the level of `RUST_LOG` (default `info`),
/// except that Pingora's own records below `info` are dropped whatever
/// `RUST_LOG` says: its `debug` and `trace` records print request heads,
/// `Authorization` and cookies included, and a gateway never logs secrets.
fn init_logging() {
    let logger = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let max_level = logger.filter();
    if log::set_boxed_logger(Box::new(NoSecrets(logger))).is_ok() {
        log::set_max_level(max_level);
    }
}

struct NoSecrets(env_logger::Logger);

impl NoSecrets {
    fn allowed(metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info || !metadata.target().starts_with("pingora")
    }
}

impl log::Log for NoSecrets {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        NoSecrets::allowed(metadata) && self.0.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if NoSecrets::allowed(record.metadata()) && ACCEPT_ERRORS.admit(record) {
            self.0.log(record);
        }
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// Pingora's accept loop logs every failed `accept()` and tries again at
/// once; an error that repeats without blocking (a runtime shutting down,
/// no memory for a socket) would fill the disk. Its records are let through
/// at most once per second, with the count of those dropped in between.
static ACCEPT_ERRORS: Throttle = Throttle::new("pingora_core::services::listening", "Accept() failed");

struct Throttle {
    target: &'static str,
    prefix: &'static str,
    /// The second (since the Unix epoch) of the last record let through.
    last: AtomicU64,
    dropped: AtomicU64,
}

impl Throttle {
    const fn new(target: &'static str, prefix: &'static str) -> Throttle {
        Throttle { target, prefix, last: AtomicU64::new(0), dropped: AtomicU64::new(0) }
    }

    /// Whether `record` may be written; called for every record, so the
    /// usual answer costs a comparison of targets.
    fn admit(&self, record: &log::Record<'_>) -> bool {
        if record.target() != self.target || record.level() != log::Level::Error {
            return true;
        }
        if !record.args().to_string().starts_with(self.prefix) {
            return true;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        let last = self.last.load(Ordering::Relaxed);
        if now > last && self.last.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            let dropped = self.dropped.swap(0, Ordering::Relaxed);
            if dropped > 0 {
                log::logger().log(
                    &log::Record::builder()
                        .level(log::Level::Error)
                        .target(self.target)
                        .args(format_args!("{dropped} more `{}` errors in the last second", self.prefix))
                        .build(),
                );
            }
            return true;
        }
        self.dropped.fetch_add(1, Ordering::Relaxed);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(throttle: &Throttle, target: &str, message: &str, times: usize) -> usize {
        (0..times)
            .filter(|_| {
                throttle.admit(
                    &log::Record::builder()
                        .level(log::Level::Error)
                        .target(target)
                        .args(format_args!("{message}"))
                        .build(),
                )
            })
            .count()
    }

    #[test]
    fn a_spinning_accept_loop_cannot_flood_the_log() {
        let throttle = Throttle::new("pingora_core::services::listening", "Accept() failed");
        let target = "pingora_core::services::listening";
        // 10,000 failures at once: one line, the others counted (at most
        // two lines if the second changes in between).
        assert!(admitted(&throttle, target, "Accept() failed: Tokio context is being shutdown", 10_000) <= 2);
        assert!(throttle.dropped.load(Ordering::Relaxed) >= 9_998);
        // Other records are not held back.
        assert_eq!(admitted(&throttle, target, "Shutting down 127.0.0.1:80", 100), 100);
        assert_eq!(admitted(&throttle, "gateway_runtime::upstream", "Accept() failed", 100), 100);
    }
}
