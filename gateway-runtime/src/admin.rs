//! The admin listener: `/metrics` for Prometheus, and, with a token, the
//! upstreams API.
//!
//! - `GET /metrics`: every metric of the process, Prometheus text format.
//! - `GET /build`: the gateway's version, the `.gw` file it was built from
//!   and that file's SHA-256, and Pingora's version (JSON).
//! - `GET /routes`: the routing table (JSON, made at build time): every
//!   route in the order the gateway tries them, per host group, with its
//!   matchers, action, upstream and policies.
//! - `GET /health` and `GET /ready`: 200 while the gateway serves, for
//!   orchestrators' liveness and readiness probes. Both are answered by the
//!   process that serves the routes, after its configuration and secrets
//!   loaded; once a shutdown or upgrade begins, Pingora stops accepting on
//!   every listener, so the probes fail from then on. Neither needs the
//!   token: they tell nothing else.
//! - `GET /upstreams`: each upstream's backends with weight and health (JSON).
//! - `PUT /upstreams/NAME/backends`: replaces the backends of upstream NAME
//!   with those of the body, one per line (`IP:PORT [weight N]` or
//!   `unix:/path`), until the gateway restarts; a wrong line is a 400 that
//!   changes nothing.
//!
//! - `DELETE /cache`: forgets every cached response; `DELETE
//!   /cache?route=LABEL` those of the routes labelled LABEL (`route /api/`
//!   is labelled `/api/`; `gw routes` lists the labels). The answer says
//!   how many routes were purged (404 for a label no cached route has).
//!   Entries are not deleted one by one: the routes move to a new key
//!   generation, and the old entries leave as the cache needs room. With a
//!   `store`, the purge is also published to the other instances, and the
//!   answer says whether that worked (`"published":true|false`).
//!
//! The upstreams and cache APIs need `Authorization: Bearer TOKEN` (401
//! without, 403 with a wrong one), and are off (404) when the file gives no
//! token.

use std::fmt::Write as _;
use std::sync::Arc;

use async_trait::async_trait;
use http::{Method, Response, StatusCode};
use pingora::apps::http_app::{HttpServer, ServeHttp};
use pingora::protocols::http::ServerSession;
use pingora::services::listening::Service;
use pingora_prometheus::PrometheusHttpApp;

use crate::auth::{BearerToken, Rejection};
use crate::build::Build;
use crate::cache::CacheStore;
use crate::upstream::Control;

/// Largest body `PUT /upstreams/NAME/backends` reads.
const MAX_BODY: usize = 1 << 20;

/// The admin application.
pub struct AdminApp {
    build: Build,
    token: Option<BearerToken>,
    upstreams: Vec<Arc<dyn Control>>,
    cache: Option<&'static CacheStore>,
    routes: &'static str,
}

#[async_trait]
impl ServeHttp for AdminApp {
    async fn response(&self, session: &mut ServerSession) -> Response<Vec<u8>> {
        let path = session.req_header().uri.path().to_string();
        let method = session.req_header().method.clone();
        match path.as_str() {
            "/metrics" => return PrometheusHttpApp.response(session).await,
            "/health" => return text(StatusCode::OK, "ok\n"),
            "/build" => return json(StatusCode::OK, self.build.json()),
            "/ready" => return text(StatusCode::OK, "ready\n"),
            "/routes" => return json(StatusCode::OK, self.routes.to_string()),
            _ => {}
        }
        let api = if path == "/cache" { "cache" } else { "upstreams" };
        let Some(rest) = path.strip_prefix("/upstreams").or(if path == "/cache" { Some("") } else { None }) else {
            return text(StatusCode::NOT_FOUND, "not found\n");
        };
        let Some(token) = &self.token else {
            return text(StatusCode::NOT_FOUND, &format!("the {api} API is off: give the admin listener a `token`\n"));
        };
        match token.verify(session.req_header()) {
            Err(Rejection::Missing) => return text(StatusCode::UNAUTHORIZED, "unauthorized\n"),
            Err(Rejection::Wrong) => return text(StatusCode::FORBIDDEN, "forbidden\n"),
            Ok(()) => {}
        }
        if api == "cache" {
            return self.purge(&method, session.req_header().uri.query()).await;
        }
        match (method, rest) {
            (Method::GET, "" | "/") => json(StatusCode::OK, self.list()),
            (Method::PUT, rest) => {
                let Some(name) = rest.strip_prefix('/').and_then(|rest| rest.strip_suffix("/backends")) else {
                    return text(StatusCode::NOT_FOUND, "not found\n");
                };
                let Some(upstream) = self.upstreams.iter().find(|upstream| upstream.name() == name) else {
                    return text(StatusCode::NOT_FOUND, &format!("no upstream `{name}`\n"));
                };
                let body = match read_body(session).await {
                    Ok(body) => body,
                    Err(response) => return response,
                };
                match upstream.replace(&String::from_utf8_lossy(&body)).await {
                    Ok(count) => {
                        json(StatusCode::OK, format!("{{\"upstream\":{},\"backends\":{count}}}", json_string(name)))
                    }
                    Err(errors) => {
                        let errors: Vec<String> = errors.iter().map(|error| json_string(error)).collect();
                        json(StatusCode::BAD_REQUEST, format!("{{\"errors\":[{}]}}", errors.join(",")))
                    }
                }
            }
            (_, "" | "/") => text(StatusCode::METHOD_NOT_ALLOWED, "use GET\n"),
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        }
    }
}

impl AdminApp {
    /// `DELETE /cache[?route=LABEL]`.
    async fn purge(&self, method: &Method, query: Option<&str>) -> Response<Vec<u8>> {
        if method != Method::DELETE {
            return text(StatusCode::METHOD_NOT_ALLOWED, "use DELETE\n");
        }
        let Some(cache) = self.cache else {
            return text(StatusCode::NOT_FOUND, "no route has `cache`\n");
        };
        let mut label = None;
        for (name, value) in
            query.into_iter().flat_map(|query| query.split('&')).filter_map(|pair| pair.split_once('='))
        {
            match name {
                "route" => label = Some(crate::matchers::decode(value)),
                _ => return text(StatusCode::BAD_REQUEST, &format!("unknown parameter `{name}`: use `route=LABEL`\n")),
            }
        }
        match cache.purge_routes_everywhere(label.as_deref()).await {
            (0, _) => text(StatusCode::NOT_FOUND, "no cached route has that label\n"),
            (routes, None) => json(StatusCode::OK, format!("{{\"purged_routes\":{routes}}}")),
            (routes, Some(published)) => {
                json(StatusCode::OK, format!("{{\"purged_routes\":{routes},\"published\":{published}}}"))
            }
        }
    }

    fn list(&self) -> String {
        let mut out = String::from("{\"upstreams\":[");
        for (index, upstream) in self.upstreams.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"name\":{},\"backends\":[", json_string(upstream.name()));
            for (index, backend) in upstream.status().iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                let _ = write!(
                    out,
                    "{{\"addr\":{},\"weight\":{},\"healthy\":{},\"left_aside\":{},\"backup\":{}}}",
                    json_string(&backend.addr),
                    backend.weight,
                    backend.healthy,
                    backend.left_aside,
                    backend.backup
                );
            }
            out.push_str("]}");
        }
        out.push_str("]}");
        out
    }
}

async fn read_body(session: &mut ServerSession) -> Result<Vec<u8>, Response<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        match session.read_request_body().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_BODY {
                    return Err(text(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n"));
                }
            }
            Ok(None) => return Ok(body),
            Err(_) => return Err(text(StatusCode::BAD_REQUEST, "cannot read the body\n")),
        }
    }
}

/// `text` as a JSON string, quotes included.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_json_string(&mut out, text);
    out
}

/// Appends `text` as a JSON string (quoted, escaped) to `out`.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json(status: StatusCode, body: String) -> Response<Vec<u8>> {
    respond(status, "application/json", body.into_bytes())
}

fn text(status: StatusCode, body: &str) -> Response<Vec<u8>> {
    respond(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
    *response.body_mut() = body;
    response
}

/// The admin service, listening on `addr`.
pub fn service(
    addr: &str,
    build: Build,
    token: Option<BearerToken>,
    upstreams: Vec<Arc<dyn Control>>,
    cache: Option<&'static CacheStore>,
    routes: &'static str,
) -> Box<Service<HttpServer<AdminApp>>> {
    let app = AdminApp { build, token, upstreams, cache, routes };
    let mut service = Service::new("gw admin".to_string(), HttpServer::new_app(app));
    service.add_tcp(addr);
    Box::new(service)
}
