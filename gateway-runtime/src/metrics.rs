//! Request metrics, in the process's default Prometheus registry (the one
//! `pingora-prometheus` serves on the admin listener).
//!
//! Every label has a set bounded at build time: route labels and upstream
//! names come from the `.gw` file, causes, cache results and status classes
//! are fixed words, and backend addresses (only in `gw_backend_healthy`) are
//! capped per upstream.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use pingora::proxy::Session;
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts};

use crate::StartupError;
use crate::upstream::Control;

/// The route label of requests no route matched.
pub const UNMATCHED: &str = "unmatched";

/// The most backends per upstream `gw_backend_healthy` reports.
pub const MAX_BACKEND_LABELS: usize = 64;

/// Requests being handled: taken in [`InFlight::enter`], given back when
/// the request's state is dropped, however it ends.
static IN_FLIGHT: LazyLock<IntGauge> = LazyLock::new(|| {
    // Fails only for an invalid name; this one is a constant and valid.
    IntGauge::new("gw_requests_in_flight", "Requests being handled.").expect("a valid metric name")
});

/// One request in flight, counted in `gw_requests_in_flight` while it lives.
pub struct InFlight(());

impl InFlight {
    pub fn enter() -> InFlight {
        IN_FLIGHT.inc();
        InFlight(())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.dec();
    }
}

/// The metrics of one gateway:
/// - `gw_requests_total{route, status}`, `gw_request_duration_seconds{route}`;
/// - `gw_requests_in_flight`;
/// - `gw_refusals_total{route, cause}`: requests the gateway refused, by why
///   (`strict`, `acl`, `client_cert`, `cors`, `limit_body`, `limit_rate`, `limit_concurrency`, `auth`, `purge`);
/// - `gw_cache_results_total{route, result}` (`hit`, `miss`, `stale`, `expired`, `revalidated`, `bypass`);
/// - `gw_upstream_connections_total{upstream, reused}`;
/// - `gw_upstream_responses_total{upstream, class}` (`2xx` ... `5xx`) and
///   `gw_upstream_duration_seconds{upstream}`, for requests that reached one;
/// - `gw_upstream_connect_failures_total{upstream}`, `gw_upstream_retries_total{upstream}`;
/// - `gw_backend_healthy{upstream, backend}` (1 or 0), read when scraped.
pub struct Metrics {
    requests: IntCounterVec,
    connections: IntCounterVec,
    refusals: IntCounterVec,
    cache_results: IntCounterVec,
    upstream_responses: IntCounterVec,
    upstream_durations: HistogramVec,
    connect_failures: IntCounterVec,
    retries: IntCounterVec,
    /// Per route (by route index), then one for unmatched requests.
    durations: Vec<Histogram>,
    labels: Vec<&'static str>,
}

/// What a request left behind for the metrics, beyond its session.
pub struct Outcome {
    pub route: Option<usize>,
    pub start: Instant,
    /// Why the gateway refused it.
    pub refused: Option<&'static str>,
    /// The cache's part (`X-Cache-Status`), on cached routes.
    pub cache: Option<&'static str>,
    /// The upstream and the time since its connection, if one was made.
    pub upstream: Option<(&'static str, Duration)>,
}

impl Metrics {
    /// Registers the metrics for routes labelled `route_labels` (by route index).
    pub fn new(route_labels: &[&'static str]) -> Result<Metrics, StartupError> {
        let counter = |name: &str, help: &str, labels: &[&str]| -> Result<IntCounterVec, StartupError> {
            let counter = IntCounterVec::new(Opts::new(name, help), labels).map_err(metrics_error)?;
            register(Box::new(counter.clone()))?;
            Ok(counter)
        };
        let requests = counter(
            "gw_requests_total",
            "Requests handled, by route and response status (0: no response).",
            &["route", "status"],
        )?;
        let connections = counter(
            "gw_upstream_connections_total",
            "Connections requests used, by upstream and whether the connection was reused from the pool.",
            &["upstream", "reused"],
        )?;
        let refusals =
            counter("gw_refusals_total", "Requests the gateway refused, by route and cause.", &["route", "cause"])?;
        let cache_results = counter(
            "gw_cache_results_total",
            "Requests of cached routes, by route and cache result.",
            &["route", "result"],
        )?;
        let upstream_responses = counter(
            "gw_upstream_responses_total",
            "Responses to requests that reached an upstream, by upstream and status class.",
            &["upstream", "class"],
        )?;
        let connect_failures = counter(
            "gw_upstream_connect_failures_total",
            "Failed connections to an upstream's backends.",
            &["upstream"],
        )?;
        let retries = counter(
            "gw_upstream_retries_total",
            "Requests retried on another backend after a failed connection.",
            &["upstream"],
        )?;
        let durations = HistogramVec::new(
            HistogramOpts::new("gw_request_duration_seconds", "Time from request to end of response, by route."),
            &["route"],
        )
        .map_err(metrics_error)?;
        register(Box::new(durations.clone()))?;
        let upstream_durations = HistogramVec::new(
            HistogramOpts::new(
                "gw_upstream_duration_seconds",
                "Time from the upstream connection to the end of the response, by upstream.",
            ),
            &["upstream"],
        )
        .map_err(metrics_error)?;
        register(Box::new(upstream_durations.clone()))?;
        register(Box::new(IN_FLIGHT.clone()))?;
        register(Box::new(crate::store::STORE_ERRORS.clone()))?;
        let mut labels = route_labels.to_vec();
        labels.push(UNMATCHED);
        let durations = labels.iter().map(|label| durations.with_label_values(&[*label])).collect();
        Ok(Metrics {
            requests,
            connections,
            refusals,
            cache_results,
            upstream_responses,
            upstream_durations,
            connect_failures,
            retries,
            durations,
            labels,
        })
    }

    /// Records one finished request (`logging`). Background cache refreshes
    /// are not requests of a client and are not counted.
    pub fn record(&self, session: &Session, outcome: &Outcome) {
        if session.subrequest_ctx.is_some() {
            return;
        }
        let index = outcome.route.unwrap_or(self.labels.len() - 1).min(self.labels.len() - 1);
        let route = self.labels[index];
        let status = session.response_written().map_or("0", |response| response.status.as_str());
        self.requests.with_label_values(&[route, status]).inc();
        self.durations[index].observe(outcome.start.elapsed().as_secs_f64());
        if let Some(cause) = outcome.refused {
            self.refusals.with_label_values(&[route, cause]).inc();
        }
        if let Some(result) = outcome.cache {
            self.cache_results.with_label_values(&[route, cache_result(result)]).inc();
        }
        if let Some((upstream, duration)) = outcome.upstream {
            let class = session.response_written().map_or("none", |response| status_class(response.status.as_u16()));
            self.upstream_responses.with_label_values(&[upstream, class]).inc();
            self.upstream_durations.with_label_values(&[upstream]).observe(duration.as_secs_f64());
        }
    }

    /// Records the connection a request got to an upstream (`connected_to_upstream`).
    pub fn connection(&self, upstream: &str, reused: bool) {
        self.connections.with_label_values(&[upstream, if reused { "true" } else { "false" }]).inc();
    }

    /// Records a failed connection (`fail_to_connect`), and whether the
    /// request is retried on another backend.
    pub fn connect_failed(&self, upstream: &str, retried: bool) {
        self.connect_failures.with_label_values(&[upstream]).inc();
        if retried {
            self.retries.with_label_values(&[upstream]).inc();
        }
    }

    /// Registers `gw_backend_healthy` for `upstreams`, read when scraped.
    pub fn watch_health(&self, upstreams: Vec<Arc<dyn Control>>) -> Result<(), StartupError> {
        register(Box::new(Health::new(upstreams)?))
    }
}

fn register(collector: Box<dyn Collector>) -> Result<(), StartupError> {
    match prometheus::default_registry().register(collector) {
        // A second gateway in one process (tests, benchmarks) shares the
        // first one's families.
        Ok(()) | Err(prometheus::Error::AlreadyReg) => Ok(()),
        Err(error) => Err(metrics_error(error)),
    }
}

fn cache_result(status: &str) -> &'static str {
    match status {
        "HIT" => "hit",
        "MISS" => "miss",
        "STALE" => "stale",
        "EXPIRED" => "expired",
        "REVALIDATED" => "revalidated",
        _ => "bypass",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// `gw_backend_healthy{upstream, backend}`: each backend's health as the
/// admin API reports it (1: healthy and not left aside after a failed
/// connection).
struct Health {
    upstreams: Vec<Arc<dyn Control>>,
    desc: Desc,
}

impl Health {
    fn new(upstreams: Vec<Arc<dyn Control>>) -> Result<Health, StartupError> {
        let desc = Desc::new(
            "gw_backend_healthy".to_string(),
            "Whether a backend takes requests (1) or not (0), by upstream and backend.".to_string(),
            vec!["upstream".to_string(), "backend".to_string()],
            Default::default(),
        )
        .map_err(metrics_error)?;
        Ok(Health { upstreams, desc })
    }
}

impl Collector for Health {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let Ok(gauges) = GaugeVec::new(
            Opts::new(
                "gw_backend_healthy",
                "Whether a backend takes requests (1) or not (0), by upstream and backend.",
            ),
            &["upstream", "backend"],
        ) else {
            return Vec::new();
        };
        for upstream in &self.upstreams {
            for backend in upstream.status().iter().take(MAX_BACKEND_LABELS) {
                let healthy = backend.healthy && !backend.left_aside;
                gauges.with_label_values(&[upstream.name(), backend.addr.as_str()]).set(f64::from(u8::from(healthy)));
            }
        }
        gauges.collect()
    }
}

fn metrics_error(error: prometheus::Error) -> StartupError {
    StartupError::new(format!("cannot register metrics: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_fall_in_classes() {
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(404), "4xx");
        assert_eq!(status_class(503), "5xx");
        assert_eq!(cache_result("HIT"), "hit");
        assert_eq!(cache_result("anything else"), "bypass");
    }

    #[test]
    fn in_flight_requests_are_given_back_when_dropped() {
        let before = IN_FLIGHT.get();
        let request = InFlight::enter();
        assert_eq!(IN_FLIGHT.get(), before + 1);
        drop(request);
        assert_eq!(IN_FLIGHT.get(), before);
    }
}
