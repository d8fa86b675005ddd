//! Tracing (`server { tracing { ... } }`): W3C Trace Context propagated to
//! upstreams, and, with `otlp URL`, spans exported by OpenTelemetry's SDK
//! over OTLP/HTTP.
//!
//! A request's `traceparent` is parsed strictly (`gateway_http::traceparent`):
//! when valid, the request's spans join its trace and `tracestate` is
//! forwarded unchanged; when absent or invalid (or sent twice), a new trace
//! starts and `tracestate` is dropped (Trace Context §3.3, §4.3). The
//! upstream gets a `traceparent` naming the gateway's client span as its
//! parent.
//!
//! Spans (OpenTelemetry HTTP semantic conventions): one SERVER span per
//! request, `METHOD route` (from routing to the end of the response), and
//! one CLIENT span for the upstream exchange (from the first attempt to the
//! end), with the retries in `http.request.resend_count`. New traces are
//! sampled at `sample` (a ratio); a caller's decision is followed. Without
//! `otlp`, nothing is recorded: ids are made and propagated, and the
//! caller's sampled flag is passed on.
//!
//! The SDK's batch processor sends spans from its own thread, started at
//! the first request (after Pingora daemonises); a background service
//! flushes it when the server stops.

use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use gateway_http::traceparent;
use http::HeaderValue;
use opentelemetry::trace::{
    Span as _, SpanContext, SpanId, SpanKind, Status, TraceContextExt, TraceFlags, TraceId, TraceState, Tracer as _,
    TracerProvider as _,
};
use opentelemetry::{Context, KeyValue};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::trace::{BatchConfigBuilder, BatchSpanProcessor, Sampler, SdkTracer, SdkTracerProvider};
use pingora::http::RequestHeader;
use pingora::proxy::Session;
use pingora::server::ShutdownWatch;
use pingora::services::background::{BackgroundService, background_service};

/// How often the batch processor sends spans.
const EXPORT_DELAY: Duration = Duration::from_millis(500);
/// How long one export may take.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(5);

/// `tracing { }`, a static of the generated code.
#[derive(Debug)]
pub struct TraceConfig {
    /// The OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`); `None`: propagate only.
    pub otlp: Option<&'static str>,
    /// OTLP/HTTP with JSON rather than protobuf.
    pub json: bool,
    pub service_name: &'static str,
    /// The share of new traces recorded, 0 to 1.
    pub sample: f64,
}

/// The tracing of a gateway.
pub struct Tracing {
    config: &'static TraceConfig,
    provider: OnceLock<(SdkTracerProvider, SdkTracer)>,
}

/// One request's part of its trace.
pub struct RequestTrace {
    /// The caller's `tracestate`, forwarded when its `traceparent` was valid.
    tracestate: Option<HeaderValue>,
    server: opentelemetry_sdk::trace::Span,
    client: Option<opentelemetry_sdk::trace::Span>,
    attempts: u32,
}

impl RequestTrace {
    /// The trace id, in hex, for the access log.
    pub fn trace_id(&self) -> String {
        self.server.span_context().trace_id().to_string()
    }
}

impl Tracing {
    /// The tracing of `config`. Its background service needs it for the
    /// life of the process, so it is leaked: call this once.
    pub fn leak(config: &'static TraceConfig) -> &'static Tracing {
        Box::leak(Box::new(Tracing { config, provider: OnceLock::new() }))
    }

    /// The SDK's provider and tracer, made at the first request.
    fn tracer(&self) -> &SdkTracer {
        &self.provider.get_or_init(|| provider(self.config)).1
    }

    /// Starts the request's SERVER span (`request_filter`, after routing).
    pub fn start(&self, session: &Session, route: &str, client: Option<IpAddr>, start: Instant) -> Box<RequestTrace> {
        let request = session.req_header();
        let mut values = request.headers.get_all("traceparent").iter();
        let parent = match (values.next(), values.next()) {
            (Some(value), None) => traceparent::parse(value.as_bytes()),
            _ => None,
        };
        let tracestate = parent.and_then(|_| request.headers.get("tracestate").cloned());
        let context = match parent {
            Some(parent) => Context::new().with_remote_span_context(SpanContext::new(
                TraceId::from_bytes(parent.trace_id),
                SpanId::from_bytes(parent.parent_id),
                TraceFlags::new(parent.flags),
                true,
                TraceState::default(),
            )),
            None => Context::new(),
        };
        let method = request.method.as_str();
        let mut attributes = vec![
            KeyValue::new("http.request.method", method.to_string()),
            KeyValue::new("url.path", request.uri.path().to_string()),
            KeyValue::new("url.scheme", if crate::respond::is_tls(session) { "https" } else { "http" }),
            KeyValue::new("http.route", route.to_string()),
            KeyValue::new("network.protocol.version", protocol(request)),
        ];
        if let Some(client) = client {
            attributes.push(KeyValue::new("client.address", client.to_string()));
        }
        if let Some(host) = crate::router::request_host(request) {
            attributes.push(KeyValue::new("server.address", host.to_string()));
        }
        if let Some(agent) = request.headers.get("user-agent").and_then(|value| value.to_str().ok()) {
            attributes.push(KeyValue::new("user_agent.original", agent.to_string()));
        }
        let tracer = self.tracer();
        let server = tracer
            .span_builder(format!("{method} {route}"))
            .with_kind(SpanKind::Server)
            .with_start_time(started_at(start))
            .with_attributes(attributes)
            .start_with_context(tracer, &context);
        Box::new(RequestTrace { tracestate, server, client: None, attempts: 0 })
    }

    /// Starts (or counts a retry of) the CLIENT span and sets `traceparent`
    /// and `tracestate` on the upstream request (`upstream_request_filter`).
    pub fn upstream(&self, trace: Option<&mut RequestTrace>, request: &mut RequestHeader, upstream: &'static str) {
        let Some(trace) = trace else { return };
        trace.attempts += 1;
        if trace.client.is_none() {
            let context = Context::new().with_remote_span_context(trace.server.span_context().clone());
            let tracer = self.tracer();
            let client = tracer
                .span_builder(request.method.as_str().to_string())
                .with_kind(SpanKind::Client)
                .with_attributes([
                    KeyValue::new("http.request.method", request.method.as_str().to_string()),
                    KeyValue::new("gw.upstream", upstream),
                ])
                .start_with_context(tracer, &context);
            trace.client = Some(client);
        }
        let Some(client) = &trace.client else { return };
        set_traceparent(request, client.span_context());
        match &trace.tracestate {
            Some(state) => {
                let _ = request.insert_header("tracestate", state.clone());
            }
            None => {
                request.remove_header("tracestate");
            }
        }
    }

    /// A CLIENT span for a subrequest the gateway makes for the request
    /// (`auth forward`), child of its SERVER span; `request` gets its
    /// `traceparent`.
    pub fn subrequest(&self, trace: &RequestTrace, request: &mut RequestHeader, name: &'static str) -> Subrequest {
        let context = Context::new().with_remote_span_context(trace.server.span_context().clone());
        let tracer = self.tracer();
        let span = tracer
            .span_builder(format!("{} {name}", request.method.as_str()))
            .with_kind(SpanKind::Client)
            .with_attributes([
                KeyValue::new("http.request.method", request.method.as_str().to_string()),
                KeyValue::new("url.path", request.uri.path().to_string()),
            ])
            .start_with_context(tracer, &context);
        set_traceparent(request, span.span_context());
        Subrequest(span)
    }

    /// Ends the request's spans (`logging`): the response status, the
    /// backend, the retries.
    pub fn end(&self, trace: Option<Box<RequestTrace>>, session: &Session, backend: Option<std::net::SocketAddr>) {
        let Some(mut trace) = trace else { return };
        let status = session.response_written().map(|response| response.status.as_u16());
        let now = SystemTime::now();
        if let Some(mut client) = trace.client.take() {
            if let Some(status) = status {
                client.set_attribute(KeyValue::new("http.response.status_code", i64::from(status)));
                if status >= 400 {
                    client.set_status(Status::error(status.to_string()));
                }
            }
            if let Some(backend) = backend {
                client.set_attribute(KeyValue::new("server.address", backend.ip().to_string()));
                client.set_attribute(KeyValue::new("server.port", i64::from(backend.port())));
            }
            if trace.attempts > 1 {
                client.set_attribute(KeyValue::new("http.request.resend_count", i64::from(trace.attempts - 1)));
            }
            client.end_with_timestamp(now);
        }
        match status {
            Some(status) => {
                trace.server.set_attribute(KeyValue::new("http.response.status_code", i64::from(status)));
                if status >= 500 {
                    trace.server.set_status(Status::error(status.to_string()));
                }
            }
            None => trace.server.set_status(Status::error("no response")),
        }
        trace.server.end_with_timestamp(now);
    }

    /// The service that flushes the spans when the server stops.
    pub fn service(&'static self) -> Box<dyn crate::server::Service> {
        Box::new(background_service("tracing", Flush(self)))
    }
}

/// A subrequest's span, ended with the status it got (`None`: no answer).
pub struct Subrequest(opentelemetry_sdk::trace::Span);

impl Subrequest {
    pub fn end(mut self, status: Option<u16>) {
        match status {
            Some(status) => {
                self.0.set_attribute(KeyValue::new("http.response.status_code", i64::from(status)));
                if status >= 500 {
                    self.0.set_status(Status::error(status.to_string()));
                }
            }
            None => self.0.set_status(Status::error("no answer")),
        }
        self.0.end();
    }
}

/// `traceparent` naming `context` (the span the receiver's spans hang under).
fn set_traceparent(request: &mut RequestHeader, context: &SpanContext) {
    let value = traceparent::format(
        &context.trace_id().to_bytes(),
        &context.span_id().to_bytes(),
        context.trace_flags().to_u8(),
    );
    let _ = request.insert_header("traceparent", value);
}

fn started_at(start: Instant) -> SystemTime {
    SystemTime::now().checked_sub(start.elapsed()).unwrap_or_else(SystemTime::now)
}

fn protocol(request: &RequestHeader) -> &'static str {
    match request.version {
        http::Version::HTTP_10 => "1.0",
        http::Version::HTTP_2 => "2",
        _ => "1.1",
    }
}

/// The SDK: a batch exporter when `otlp` is set; otherwise nothing is
/// recorded (ids are still made, and a caller's sampled flag passed on).
fn provider(config: &TraceConfig) -> (SdkTracerProvider, SdkTracer) {
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(Cow::<'static, str>::Borrowed(config.service_name))
        .build();
    let mut builder = SdkTracerProvider::builder().with_resource(resource);
    let exporter = config.otlp.and_then(|endpoint| {
        let protocol = if config.json { Protocol::HttpJson } else { Protocol::HttpBinary };
        opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(endpoint)
            .with_protocol(protocol)
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|error| log::error!("tracing: cannot make the OTLP exporter for {endpoint}: {error}"))
            .ok()
    });
    builder = match exporter {
        Some(exporter) => {
            let batch = BatchConfigBuilder::default().with_scheduled_delay(EXPORT_DELAY).build();
            let processor = BatchSpanProcessor::builder(exporter).with_batch_config(batch).build();
            builder
                .with_span_processor(processor)
                .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(config.sample))))
        }
        None => builder.with_sampler(Sampler::ParentBased(Box::new(Sampler::AlwaysOff))),
    };
    let provider = builder.build();
    let tracer = provider.tracer("gw");
    (provider, tracer)
}

/// Flushes the exporter when the server stops.
struct Flush(&'static Tracing);

#[async_trait]
impl BackgroundService for Flush {
    async fn start(&self, mut shutdown: ShutdownWatch) {
        let _ = shutdown.changed().await;
        if let Some((provider, _)) = self.0.provider.get() {
            let provider = provider.clone();
            // The SDK's flush blocks until the export is done.
            let _ = tokio::task::spawn_blocking(move || provider.force_flush()).await;
        }
    }
}
