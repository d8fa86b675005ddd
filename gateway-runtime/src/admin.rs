//! The admin listener: `/metrics` for Prometheus.

use async_trait::async_trait;
use http::Response;
use pingora::apps::http_app::{HttpServer, ServeHttp};
use pingora::protocols::http::ServerSession;
use pingora::services::listening::Service;
use pingora_prometheus::PrometheusHttpApp;

/// The admin application: `GET /metrics` serves every metric of the process
/// in the Prometheus text format; other paths are 404.
pub struct AdminApp;

#[async_trait]
impl ServeHttp for AdminApp {
    async fn response(&self, session: &mut ServerSession) -> Response<Vec<u8>> {
        if session.req_header().uri.path() == "/metrics" {
            return PrometheusHttpApp.response(session).await;
        }
        let body = b"not found\n".to_vec();
        let mut response = Response::new(Vec::new());
        *response.status_mut() = http::StatusCode::NOT_FOUND;
        let headers = response.headers_mut();
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain; charset=utf-8"));
        headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
        *response.body_mut() = body;
        response
    }
}

/// The admin service, listening on `addr`.
pub fn service(addr: &str) -> Box<Service<HttpServer<AdminApp>>> {
    let mut service = Service::new("gw admin".to_string(), HttpServer::new_app(AdminApp));
    service.add_tcp(addr);
    Box::new(service)
}
