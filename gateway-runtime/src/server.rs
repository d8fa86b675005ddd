//! The Pingora server of a gateway: created from the command line, with the
//! `.gw` file's `server { }` settings applied over any `-c` YAML file,
//! given its services, and run until a signal stops it.

use std::sync::Arc;

use pingora::listeners::tls::TlsSettings;
use pingora::prelude::{ProxyHttp, Server};
use pingora::proxy::{HttpProxy, http_proxy};
use pingora::server::RunArgs;
use pingora::services::listening::Service as ListeningService;

pub use pingora::protocols::tls::ALPN as Alpn;
pub use pingora::server::configuration::Opt;
pub use pingora::services::ServiceWithDependents as Service;

use crate::StartupError;
use crate::guard::{Guarded, Timeouts};

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
    let proxy = http_proxy(&server.configuration, gateway);
    ListeningService::new("gateway".to_string(), Guarded::new(proxy, settings.timeouts))
}

/// Adds an HTTPS listener; reads the certificate and key now, so that a
/// missing or unreadable file stops the gateway before it starts.
pub fn add_tls<A>(
    service: &mut ListeningService<A>,
    addr: &str,
    cert: &str,
    key: &str,
    alpn: Alpn,
) -> Result<(), StartupError> {
    let mut settings = TlsSettings::intermediate(cert, key).map_err(|error| {
        StartupError::new(format!("listen https {addr}: cannot load certificate `{cert}` and key `{key}`: {error}"))
    })?;
    settings.set_alpn(alpn);
    service.add_tls_with_settings(addr, None, settings);
    Ok(())
}

/// Bootstraps (taking over listeners from a running gateway with `-u`, or
/// exiting after the checks with `-t`), adds the services and runs until a
/// signal: SIGINT stops at once, SIGTERM after the grace period, SIGQUIT
/// hands the listeners to a new process started with `-u`.
pub fn run(mut server: Server, services: Vec<Box<dyn Service>>) -> Result<(), StartupError> {
    server.bootstrap();
    server.add_services(services);
    server.run(RunArgs::default());
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
        if NoSecrets::allowed(record.metadata()) {
            self.0.log(record);
        }
    }

    fn flush(&self) {
        self.0.flush();
    }
}
