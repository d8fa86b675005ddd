//! Active health checks: a TCP connection, or an HTTP request whose status
//! (and body) must be the expected ones. Both use the upstream's own peer
//! settings, TLS included, and log each change of a backend's health.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use pingora::connectors::http::Connector as HttpConnector;
use pingora::http::RequestHeader;
use pingora::lb::Backend;
use pingora::lb::health_check::{HealthCheck, HealthObserve, TcpHealthCheck};
use pingora::upstreams::peer::HttpPeer;
use pingora::{Error, ErrorType};

use super::Passive;
use crate::StartupError;

/// How the health of backends is checked.
#[derive(Debug, Clone, Copy)]
pub struct HealthConfig {
    pub kind: HealthKind,
    pub every: Duration,
    pub timeout: Duration,
    pub rise: usize,
    pub fall: usize,
}

#[derive(Debug, Clone, Copy)]
pub enum HealthKind {
    Tcp,
    Http { path: &'static str, host: Option<&'static str>, expect: u16, body: Option<&'static str> },
}

/// Most of a response body the HTTP check reads.
const MAX_CHECK_BODY: usize = 64 * 1024;

/// The check of an upstream, for `LoadBalancer::set_health_check`.
pub fn build(
    upstream: &'static str,
    config: &HealthConfig,
    template: &HttpPeer,
    passive: Arc<Passive>,
) -> Result<Box<dyn HealthCheck + Send + Sync>, StartupError> {
    match config.kind {
        HealthKind::Tcp => {
            let mut check =
                if template.is_tls() { TcpHealthCheck::new_tls(&template.sni) } else { TcpHealthCheck::new() };
            check.consecutive_success = config.rise;
            check.consecutive_failure = config.fall;
            check.peer_template.options.connection_timeout = Some(config.timeout);
            check.peer_template.options.total_connection_timeout = Some(config.timeout);
            // Through the forward proxy, with a LOCAL PROXY header, as the
            // upstream's own connections.
            check.peer_template.options.custom_l4 = template.options.custom_l4.clone();
            check.health_changed_callback = Some(Box::new(Observer { upstream, passive }));
            Ok(check)
        }
        HealthKind::Http { path, host, expect, body } => {
            let mut request = RequestHeader::build("GET", path.as_bytes(), None)?;
            let host = host.map(str::to_string).unwrap_or_else(|| {
                if template.sni.is_empty() { "localhost".to_string() } else { template.sni.clone() }
            });
            request.insert_header("Host", host)?;
            request.insert_header("User-Agent", "gw-health-check")?;
            let mut peer = template.clone();
            peer.options.connection_timeout = Some(config.timeout);
            peer.options.total_connection_timeout = Some(config.timeout);
            peer.options.read_timeout = Some(config.timeout);
            peer.options.write_timeout = Some(config.timeout);
            Ok(Box::new(HttpCheck {
                peer,
                timeout: config.timeout,
                request,
                expect,
                body,
                rise: config.rise,
                fall: config.fall,
                connector: HttpConnector::new(None),
                observer: Observer { upstream, passive },
            }))
        }
    }
}

/// `health http PATH ...`.
struct HttpCheck {
    peer: HttpPeer,
    /// The whole check (connect, request, status, body) must end within it:
    /// Pingora's health-check session ignores the peer's read timeout, so a
    /// backend that accepts and never answers would otherwise stay healthy.
    timeout: Duration,
    request: RequestHeader,
    expect: u16,
    body: Option<&'static str>,
    rise: usize,
    fall: usize,
    connector: HttpConnector,
    observer: Observer,
}

#[async_trait]
impl HealthCheck for HttpCheck {
    async fn check(&self, target: &Backend) -> pingora::Result<()> {
        match tokio::time::timeout(self.timeout, self.exchange(target)).await {
            Ok(result) => result,
            Err(_) => {
                Error::e_explain(ErrorType::ReadTimedout, format!("no complete answer within {:?}", self.timeout))
            }
        }
    }

    async fn health_status_change(&self, target: &Backend, healthy: bool) {
        self.observer.observe(target, healthy).await;
    }

    fn health_threshold(&self, success: bool) -> usize {
        if success { self.rise } else { self.fall }
    }
}

impl HttpCheck {
    /// One check request and its answer, unbounded in time.
    async fn exchange(&self, target: &Backend) -> pingora::Result<()> {
        let mut peer = self.peer.clone();
        peer._address = target.addr.clone();
        let (mut session, _) = self.connector.get_http_session(&peer).await?;
        session.write_request_header(Box::new(self.request.clone())).await?;
        session.finish_request_body().await?;
        session.read_response_header().await?;
        let status = session.response_header().map_or(0, |response| response.status.as_u16());
        if status != self.expect {
            return Error::e_explain(
                ErrorType::CustomCode("unexpected status", status),
                format!("expected {}", self.expect),
            );
        }
        let mut body = Vec::new();
        while let Some(chunk) = session.read_response_body().await? {
            if body.len() < MAX_CHECK_BODY {
                body.extend_from_slice(&chunk);
            }
        }
        if let Some(expected) = self.body
            && memchr::memmem::find(&body, expected.as_bytes()).is_none()
        {
            return Error::e_explain(
                ErrorType::Custom("unexpected body"),
                format!("the body does not contain {expected:?}"),
            );
        }
        Ok(())
    }
}

/// Logs each change of a backend's health, and takes back a backend left
/// aside after a failed connection once it is healthy.
struct Observer {
    upstream: &'static str,
    passive: Arc<Passive>,
}

#[async_trait]
impl HealthObserve for Observer {
    async fn observe(&self, target: &Backend, healthy: bool) {
        if healthy {
            self.passive.take_back(&target.addr);
            log::info!("upstream `{}`: backend {} is healthy", self.upstream, target.addr);
        } else {
            log::warn!("upstream `{}`: backend {} is unhealthy", self.upstream, target.addr);
        }
    }
}
