//! Request metrics, in the process's default Prometheus registry (the one
//! `pingora-prometheus` serves on the admin listener).

use std::time::Instant;

use pingora::proxy::Session;
use prometheus::{Histogram, HistogramOpts, IntCounterVec, Opts};

use crate::StartupError;

/// The route label of requests no route matched.
pub const UNMATCHED: &str = "unmatched";

/// `gw_requests_total{route, status}`, `gw_request_duration_seconds{route}` and
/// `gw_upstream_connections_total{upstream, reused}`.
pub struct Metrics {
    requests: IntCounterVec,
    connections: IntCounterVec,
    /// Per route (by route index), then one for unmatched requests.
    durations: Vec<Histogram>,
    labels: Vec<&'static str>,
}

impl Metrics {
    /// Registers the metrics for routes labelled `route_labels` (by route index).
    pub fn new(route_labels: &[&'static str]) -> Result<Metrics, StartupError> {
        let registry = prometheus::default_registry();
        let requests = IntCounterVec::new(
            Opts::new("gw_requests_total", "Requests handled, by route and response status (0: no response)."),
            &["route", "status"],
        )
        .map_err(metrics_error)?;
        let durations = prometheus::HistogramVec::new(
            HistogramOpts::new("gw_request_duration_seconds", "Time from request to end of response, by route."),
            &["route"],
        )
        .map_err(metrics_error)?;
        let connections = IntCounterVec::new(
            Opts::new(
                "gw_upstream_connections_total",
                "Connections requests used, by upstream and whether the connection was reused from the pool.",
            ),
            &["upstream", "reused"],
        )
        .map_err(metrics_error)?;
        registry.register(Box::new(requests.clone())).map_err(metrics_error)?;
        registry.register(Box::new(connections.clone())).map_err(metrics_error)?;
        registry.register(Box::new(durations.clone())).map_err(metrics_error)?;
        let mut labels = route_labels.to_vec();
        labels.push(UNMATCHED);
        let durations = labels.iter().map(|label| durations.with_label_values(&[*label])).collect();
        Ok(Metrics { requests, connections, durations, labels })
    }

    /// Records one finished request (`logging`). Background cache refreshes
    /// are not requests of a client and are not counted.
    pub fn record(&self, session: &Session, route: Option<usize>, start: Instant) {
        if session.subrequest_ctx.is_some() {
            return;
        }
        let index = route.unwrap_or(self.labels.len() - 1).min(self.labels.len() - 1);
        let status = session.response_written().map_or("0", |response| response.status.as_str());
        self.requests.with_label_values(&[self.labels[index], status]).inc();
        self.durations[index].observe(start.elapsed().as_secs_f64());
    }
}

impl Metrics {
    /// Records the connection a request got to an upstream (`connected_to_upstream`).
    pub fn connection(&self, upstream: &str, reused: bool) {
        self.connections.with_label_values(&[upstream, if reused { "true" } else { "false" }]).inc();
    }
}

fn metrics_error(error: prometheus::Error) -> StartupError {
    StartupError::new(format!("cannot register metrics: {error}"))
}
