//! `auth forward URL { copy_request ...; copy_response ...; timeout D }`: a
//! request to an auth service decides (the contract of Traefik's
//! forwardAuth, nginx's `auth_request` and oauth2-proxy).
//!
//! The gateway sends `GET URL` with no body, the request headers named by
//! `copy_request` (default `Authorization` and `Cookie`), and
//! `X-Forwarded-Method`, `-Proto`, `-Host`, `-Uri` and `-For` computed by
//! the gateway (never the client's). A 2xx answer lets the request through,
//! with the answer's `copy_response` headers set on it (the client's own
//! headers of those names are always removed first, so they cannot be
//! forged). Any other answer is returned to the client as the service gave
//! it (status, headers but the hop-by-hop ones, body up to 64 KiB): a 401
//! with its challenge, a 302 to a login page. An auth service that cannot
//! be reached, fails, or does not answer within the timeout: 503, never an
//! open route.
//!
//! The service is reached through Pingora's connector, which pools its
//! connections.

use std::net::ToSocketAddrs;
use std::time::Duration;

use bytes::Bytes;
use pingora::connectors::http::Connector;
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::prelude::HttpPeer;
use pingora::proxy::Session;

use super::Refusal;
use crate::StartupError;

/// Largest body of a denial passed on to the client.
const MAX_BODY: usize = 64 << 10;

/// Fields of a denial that belong to its own connection, not the client's.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
    "proxy-authenticate",
];

/// What the `.gw` file says.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// `http` or `https`.
    pub tls: bool,
    pub host: &'static str,
    pub port: u16,
    /// Path and query of the auth endpoint.
    pub path: &'static str,
    pub copy_request: &'static [&'static str],
    pub copy_response: &'static [&'static str],
    pub timeout: Duration,
    pub location: &'static str,
}

pub struct ForwardAuth {
    config: Config,
    /// The `Host` of requests to the service.
    host: String,
    peer: HttpPeer,
    connector: Connector,
}

/// Why a request does not go on.
pub enum Denial {
    /// The auth service's own answer, for the client.
    Answer(Box<ResponseHeader>, Bytes),
    /// The gateway's refusal (503).
    Refused(Refusal),
}

impl ForwardAuth {
    pub fn load(config: Config) -> Result<ForwardAuth, StartupError> {
        let addr = (config.host.trim_start_matches('[').trim_end_matches(']'), config.port)
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                StartupError::new(format!(
                    "`auth forward` at {}: cannot resolve `{}:{}`",
                    config.location, config.host, config.port
                ))
            })?;
        let mut peer = HttpPeer::new(addr, config.tls, config.host.to_string());
        peer.options.connection_timeout = Some(config.timeout);
        peer.options.total_connection_timeout = Some(config.timeout);
        peer.options.read_timeout = Some(config.timeout);
        peer.options.write_timeout = Some(config.timeout);
        let host = if config.port == if config.tls { 443 } else { 80 } {
            config.host.to_string()
        } else {
            format!("{}:{}", config.host, config.port)
        };
        Ok(ForwardAuth { config, host, peer, connector: Connector::new(None) })
    }

    /// Asks the auth service about the request from `client`; with
    /// `tracing`, the exchange is a span of the request's trace.
    pub async fn check(
        &self,
        session: &mut Session,
        client: Option<std::net::IpAddr>,
        trace: Option<(&crate::trace::Tracing, &crate::trace::RequestTrace)>,
    ) -> Result<(), Denial> {
        let mut request = self.request(session, client).map_err(|_| unavailable())?;
        let span = trace.map(|(tracing, trace)| tracing.subrequest(trace, &mut request, "auth forward"));
        let answer = tokio::time::timeout(self.config.timeout, self.exchange(request)).await;
        if let Some(span) = span {
            span.end(match &answer {
                Ok(Ok((response, _))) => Some(response.status.as_u16()),
                _ => None,
            });
        }
        let (response, body) = match answer {
            Ok(Ok(answer)) => answer,
            Ok(Err(error)) => {
                log::warn!("`auth forward` at {}: {error}", self.config.location);
                return Err(unavailable());
            }
            Err(_) => {
                log::warn!("`auth forward` at {}: no answer within {:?}", self.config.location, self.config.timeout);
                return Err(unavailable());
            }
        };
        let forwarded = session.req_header_mut();
        for name in self.config.copy_response {
            forwarded.remove_header(*name);
        }
        if !response.status.is_success() {
            let mut denial = ResponseHeader::build(response.status, None).map_err(|_| unavailable())?;
            for (name, value) in response.headers.iter() {
                if !HOP_BY_HOP.contains(&name.as_str()) {
                    denial.append_header(name.clone(), value.clone()).map_err(|_| unavailable())?;
                }
            }
            denial.insert_header("Content-Length", body.len()).map_err(|_| unavailable())?;
            return Err(Denial::Answer(Box::new(denial), body));
        }
        for name in self.config.copy_response {
            for value in response.headers.get_all(*name) {
                forwarded.append_header(*name, value.clone()).map_err(|_| unavailable())?;
            }
        }
        Ok(())
    }

    /// The request to the auth service.
    fn request(&self, session: &Session, client: Option<std::net::IpAddr>) -> pingora::Result<RequestHeader> {
        let original = session.req_header();
        let mut request = RequestHeader::build("GET", self.config.path.as_bytes(), None)?;
        request.insert_header("Host", self.host.as_str())?;
        for name in self.config.copy_request {
            for value in original.headers.get_all(*name) {
                request.append_header(*name, value.clone())?;
            }
        }
        request.insert_header("X-Forwarded-Method", original.method.as_str())?;
        request.insert_header("X-Forwarded-Proto", if crate::respond::is_tls(session) { "https" } else { "http" })?;
        // The `Host` the client sent, port included, as `X-Forwarded-Host`
        // upstream says it.
        let host = original.headers.get(http::header::HOST).cloned().or_else(|| {
            original.uri.authority().and_then(|authority| http::HeaderValue::from_str(authority.as_str()).ok())
        });
        if let Some(host) = host {
            request.insert_header("X-Forwarded-Host", host)?;
        }
        let uri = original.uri.path_and_query().map_or("/", |target| target.as_str());
        request.insert_header("X-Forwarded-Uri", uri)?;
        if let Some(client) = client {
            request.insert_header("X-Forwarded-For", client.to_string())?;
        }
        Ok(request)
    }

    /// Sends `request` and reads the answer (the body up to [`MAX_BODY`]).
    async fn exchange(&self, request: RequestHeader) -> pingora::Result<(ResponseHeader, Bytes)> {
        let (mut session, _) = self.connector.get_http_session(&self.peer).await?;
        session.write_request_header(Box::new(request)).await?;
        session.finish_request_body().await?;
        session.read_response_header().await?;
        let response = session
            .response_header()
            .cloned()
            .ok_or_else(|| pingora::Error::explain(pingora::ErrorType::InvalidHTTPHeader, "no response header"))?;
        let mut body = Vec::new();
        let mut whole = true;
        while let Some(chunk) = session.read_response_body().await? {
            if body.len() + chunk.len() > MAX_BODY {
                whole = false;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        if whole {
            self.connector.release_http_session(session, &self.peer, Some(Duration::from_secs(60))).await;
        }
        Ok((response, Bytes::from(body)))
    }
}

fn unavailable() -> Denial {
    Denial::Refused(Refusal::status(503))
}
