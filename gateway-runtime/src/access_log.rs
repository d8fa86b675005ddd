//! Access logs (`access_log stdout|stderr|FILE [format combined|json]`):
//! one line per request, written off the request path.
//!
//! A request's line is made in `logging` and handed to a bounded channel
//! with `try_send`: a request never waits for the disk, nor wakes the
//! writer. When the channel is full (the writer cannot keep up) the line is
//! dropped and counted in `gw_access_log_dropped_lines_total`. The writer is
//! a Pingora background service (so it runs after daemonising, on its own
//! runtime): every 100 ms it writes the lines waiting and flushes, reopens
//! its file on `SIGUSR1` (for logrotate's `postrotate`), and drains the
//! channel when the server stops.
//!
//! What a line holds is fixed at build time ([`Field`]); secrets never
//! reach it: request headers are not logged (only `Referer` and
//! `User-Agent` in the combined format), the values of the query parameters
//! `redact_query` names are replaced by `REDACTED`, and `user` is the name
//! a request authenticated with (`auth basic`), not a credential.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use pingora::proxy::Session;
use pingora::server::ShutdownWatch;
use pingora::services::background::{BackgroundService, background_service};
use prometheus::IntCounterVec;
use tokio::sync::mpsc;

use crate::StartupError;
use crate::admin::push_json_string;

/// Lines a destination holds before new ones are dropped: with
/// [`WRITE_INTERVAL`], 160,000 lines a second before any is dropped.
const CHANNEL_LINES: usize = 16_384;
/// How often the writer drains its channel.
const WRITE_INTERVAL: Duration = Duration::from_millis(100);

/// Where lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    Stderr,
    /// A file, appended to (created if missing).
    File(&'static str),
}

/// How a line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// nginx's `combined`, then the gateway's fields as `name=value`.
    Combined,
    /// One JSON object per line with the chosen fields.
    Json,
}

/// A field of a JSON line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Time,
    Client,
    Method,
    Target,
    Protocol,
    Host,
    Status,
    BytesSent,
    Duration,
    UpstreamDuration,
    Route,
    Upstream,
    Backend,
    Cache,
    RequestId,
    TraceId,
    User,
    Outcome,
    Referer,
    UserAgent,
}

impl Field {
    /// Every field, in the order lines hold them.
    pub const ALL: &'static [Field] = &[
        Field::Time,
        Field::Client,
        Field::Method,
        Field::Target,
        Field::Protocol,
        Field::Host,
        Field::Status,
        Field::BytesSent,
        Field::Duration,
        Field::UpstreamDuration,
        Field::Route,
        Field::Upstream,
        Field::Backend,
        Field::Cache,
        Field::RequestId,
        Field::TraceId,
        Field::User,
        Field::Outcome,
        Field::Referer,
        Field::UserAgent,
    ];

    /// The field's name in a JSON line and in `fields`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Time => "time",
            Field::Client => "client",
            Field::Method => "method",
            Field::Target => "target",
            Field::Protocol => "protocol",
            Field::Host => "host",
            Field::Status => "status",
            Field::BytesSent => "bytes_sent",
            Field::Duration => "duration",
            Field::UpstreamDuration => "upstream_duration",
            Field::Route => "route",
            Field::Upstream => "upstream",
            Field::Backend => "backend",
            Field::Cache => "cache",
            Field::RequestId => "request_id",
            Field::TraceId => "trace_id",
            Field::User => "user",
            Field::Outcome => "outcome",
            Field::Referer => "referer",
            Field::UserAgent => "user_agent",
        }
    }
}

/// One `access_log` of the file (the server's, or a route's own).
pub struct LogConfig {
    pub destination: Destination,
    pub format: Format,
    /// The fields of JSON lines.
    pub fields: &'static [Field],
    /// Query parameters whose values are replaced by `REDACTED`.
    pub redact_query: &'static [&'static str],
}

/// What the gateway knows of a request when it ends, beyond the session.
pub struct Record<'a> {
    pub client: Option<IpAddr>,
    pub start: Instant,
    pub route: &'a str,
    pub upstream: &'a str,
    pub backend: Option<std::net::SocketAddr>,
    pub upstream_duration: Option<Duration>,
    /// `X-Cache-Status`, for cached routes.
    pub cache: Option<&'static str>,
    pub request_id: Option<&'a str>,
    /// The W3C trace id (`tracing`).
    pub trace_id: Option<&'a str>,
    pub user: Option<&'a str>,
    /// Why the gateway refused the request (`acl`, `limit`, `auth`, ...).
    pub outcome: Option<&'static str>,
}

/// The access logs of a gateway: one channel per destination.
pub struct AccessLogs {
    logs: Vec<Log>,
    dropped: IntCounterVec,
}

struct Log {
    config: &'static LogConfig,
    sender: mpsc::Sender<String>,
    receiver: Mutex<Option<mpsc::Receiver<String>>>,
    name: String,
}

impl AccessLogs {
    /// The logs of `configs` (by index); files are opened (and created) now,
    /// so a path that cannot be written stops the start.
    pub fn new(configs: &[&'static LogConfig]) -> Result<AccessLogs, StartupError> {
        let dropped = IntCounterVec::new(
            prometheus::Opts::new(
                "gw_access_log_dropped_lines_total",
                "Access log lines dropped because the writer could not keep up, by destination.",
            ),
            &["destination"],
        )
        .map_err(|error| StartupError::new(format!("cannot make the access log counter: {error}")))?;
        // Registered once per process; a second gateway in one process
        // (tests) keeps its own counter.
        let _ = prometheus::default_registry().register(Box::new(dropped.clone()));
        let mut logs = Vec::with_capacity(configs.len());
        for config in configs {
            if let Destination::File(path) = config.destination {
                open(path).map_err(|error| StartupError::new(format!("access_log {path}: {error}")))?;
            }
            let (sender, receiver) = mpsc::channel(CHANNEL_LINES);
            let name = match config.destination {
                Destination::Stdout => "stdout".to_string(),
                Destination::Stderr => "stderr".to_string(),
                Destination::File(path) => path.to_string(),
            };
            dropped.with_label_values(&[name.as_str()]);
            logs.push(Log { config, sender, receiver: Mutex::new(Some(receiver)), name });
        }
        Ok(AccessLogs { logs, dropped })
    }

    /// Writes the line of a finished request to log `index` (`logging`).
    /// Background cache refreshes are not requests and are not logged.
    pub fn log(&self, index: usize, session: &Session, record: &Record<'_>) {
        let Some(log) = self.logs.get(index) else { return };
        if session.subrequest_ctx.is_some() {
            return;
        }
        let line = match log.config.format {
            Format::Combined => combined(session, record, log.config),
            Format::Json => json(session, record, log.config),
        };
        if log.sender.try_send(line).is_err() {
            self.dropped.with_label_values(&[log.name.as_str()]).inc();
        }
    }

    /// The writers, one background service per destination.
    pub fn services(&self) -> Vec<Box<dyn crate::server::Service>> {
        let mut services: Vec<Box<dyn crate::server::Service>> = Vec::new();
        for log in &self.logs {
            let receiver = log.receiver.lock().ok().and_then(|mut receiver| receiver.take());
            if let Some(receiver) = receiver {
                let writer = Writer { destination: log.config.destination, receiver: Mutex::new(Some(receiver)) };
                services.push(Box::new(background_service(&format!("access log {}", log.name), writer)));
            }
        }
        services
    }
}

fn open(path: &str) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().create(true).append(true).open(path)
}

/// Writes one destination's lines.
struct Writer {
    destination: Destination,
    receiver: Mutex<Option<mpsc::Receiver<String>>>,
}

#[async_trait]
impl BackgroundService for Writer {
    async fn start(&self, mut shutdown: ShutdownWatch) {
        let Some(mut receiver) = self.receiver.lock().ok().and_then(|mut receiver| receiver.take()) else { return };
        let mut output = match Output::open(self.destination) {
            Ok(output) => output,
            Err(error) => {
                log::error!("access log: {error}; lines are dropped");
                return;
            }
        };
        let mut reopen = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1()) {
            Ok(signal) => Some(signal),
            Err(error) => {
                log::warn!("access log: cannot watch SIGUSR1 ({error}): the file will not be reopened");
                None
            }
        };
        // The channel is drained on a clock rather than woken per line: a
        // request's `try_send` then never wakes this thread, and lines are
        // written in batches, one `write` for many.
        let mut tick = tokio::time::interval(WRITE_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if !drain(&mut receiver, &mut output) {
                        break;
                    }
                }
                Some(()) = async { match reopen.as_mut() { Some(signal) => signal.recv().await, None => std::future::pending().await } } => {
                    drain(&mut receiver, &mut output);
                    output.reopen(self.destination);
                }
                _ = shutdown.changed() => {
                    drain(&mut receiver, &mut output);
                    break;
                }
            }
        }
    }
}

/// Writes every line waiting and flushes; `false` once every sender is gone.
fn drain(receiver: &mut mpsc::Receiver<String>, output: &mut Output) -> bool {
    let mut open = true;
    loop {
        match receiver.try_recv() {
            Ok(line) => output.write(&line),
            Err(mpsc::error::TryRecvError::Empty) => break,
            Err(mpsc::error::TryRecvError::Disconnected) => {
                open = false;
                break;
            }
        }
    }
    output.flush();
    open
}

/// An open destination. Write errors are logged once until a write works
/// again, never per line.
struct Output {
    writer: std::io::BufWriter<Box<dyn std::io::Write + Send>>,
    failing: bool,
}

impl Output {
    fn open(destination: Destination) -> std::io::Result<Output> {
        let inner: Box<dyn std::io::Write + Send> = match destination {
            Destination::Stdout => Box::new(std::io::stdout()),
            Destination::Stderr => Box::new(std::io::stderr()),
            Destination::File(path) => Box::new(open(path)?),
        };
        Ok(Output { writer: std::io::BufWriter::with_capacity(64 * 1024, inner), failing: false })
    }

    fn write(&mut self, line: &str) {
        let result = self.writer.write_all(line.as_bytes());
        self.result(result);
    }

    fn flush(&mut self) {
        let result = self.writer.flush();
        self.result(result);
    }

    fn result(&mut self, result: std::io::Result<()>) {
        match result {
            Err(error) if !self.failing => {
                log::error!("access log: cannot write: {error}");
                self.failing = true;
            }
            Err(_) => {}
            Ok(()) => self.failing = false,
        }
    }

    /// Reopens a file (after logrotate moved it); the old one is flushed first.
    fn reopen(&mut self, destination: Destination) {
        let Destination::File(path) = destination else { return };
        self.flush();
        match Output::open(destination) {
            Ok(output) => {
                *self = output;
                log::info!("access log: reopened {path}");
            }
            Err(error) => log::error!("access log: cannot reopen {path}: {error}; still writing the old file"),
        }
    }
}

/// The request target, with the values of `redact` parameters replaced.
fn target<'a>(session: &'a Session, redact: &[&str]) -> std::borrow::Cow<'a, str> {
    let uri = &session.req_header().uri;
    let target = uri.path_and_query().map_or("/", |target| target.as_str());
    let Some(query) = uri.query() else { return target.into() };
    if redact.is_empty() {
        return target.into();
    }
    let mut out = String::with_capacity(target.len());
    out.push_str(uri.path());
    out.push('?');
    for (index, param) in query.split('&').enumerate() {
        if index > 0 {
            out.push('&');
        }
        match param.split_once('=') {
            Some((name, _)) if redact.contains(&crate::matchers::decode(name).as_ref()) => {
                out.push_str(name);
                out.push_str("=REDACTED");
            }
            _ => out.push_str(param),
        }
    }
    out.into()
}

fn protocol(session: &Session) -> &'static str {
    match session.req_header().version {
        http::Version::HTTP_09 => "HTTP/0.9",
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_2 => "HTTP/2.0",
        http::Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    }
}

fn header<'a>(session: &'a Session, name: &str) -> Option<&'a str> {
    session.req_header().headers.get(name).and_then(|value| value.to_str().ok())
}

fn status(session: &Session) -> u16 {
    session.response_written().map_or(0, |response| response.status.as_u16())
}

/// `127.0.0.1 - user [05/Dec/2026:15:04:30 +0000] "GET /a?b HTTP/1.1" 200 512 "referer" "agent"`
/// then `duration=0.003 upstream_duration=0.002 route="/a" upstream=api
/// backend=10.0.0.1:80 cache=HIT request_id=... outcome=... trace_id=...` (a `-` for what
/// does not apply).
fn combined(session: &Session, record: &Record<'_>, config: &LogConfig) -> String {
    let mut line = String::with_capacity(256);
    match record.client {
        Some(ip) => {
            push_ip(&mut line, ip);
            line.push_str(" - ");
        }
        None => line.push_str("- - "),
    }
    escaped(&mut line, record.user.unwrap_or("-"));
    line.push_str(" [");
    time_combined(&mut line, SystemTime::now());
    line.push_str("] \"");
    line.push_str(session.req_header().method.as_str());
    line.push(' ');
    escaped(&mut line, &target(session, config.redact_query));
    line.push(' ');
    line.push_str(protocol(session));
    line.push_str("\" ");
    push_u64(&mut line, u64::from(status(session)));
    line.push(' ');
    push_u64(&mut line, session.body_bytes_sent() as u64);
    line.push_str(" \"");
    escaped(&mut line, header(session, "referer").unwrap_or("-"));
    line.push_str("\" \"");
    escaped(&mut line, header(session, "user-agent").unwrap_or("-"));
    line.push_str("\" duration=");
    push_seconds(&mut line, record.start.elapsed(), 3);
    line.push_str(" upstream_duration=");
    match record.upstream_duration {
        Some(duration) => {
            push_seconds(&mut line, duration, 3);
        }
        None => line.push('-'),
    }
    line.push_str(" route=\"");
    escaped(&mut line, record.route);
    line.push_str("\" upstream=");
    line.push_str(if record.upstream.is_empty() { "-" } else { record.upstream });
    line.push_str(" backend=");
    match record.backend {
        Some(backend) => {
            push_socket(&mut line, backend);
        }
        None => line.push('-'),
    }
    line.push_str(" cache=");
    line.push_str(record.cache.unwrap_or("-"));
    line.push_str(" request_id=");
    escaped(&mut line, record.request_id.unwrap_or("-"));
    line.push_str(" outcome=");
    line.push_str(record.outcome.unwrap_or("-"));
    line.push_str(" trace_id=");
    line.push_str(record.trace_id.unwrap_or("-"));
    line.push('\n');
    line
}

/// Text in a combined line: `"` and `\` escaped, control bytes as `\xNN`
/// (no request can break a line or forge a field).
fn escaped(line: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            character if character.is_control() => {
                let _ = write!(line, "\\x{:02X}", u32::from(character));
            }
            character => line.push(character),
        }
    }
}

fn json(session: &Session, record: &Record<'_>, config: &LogConfig) -> String {
    let mut line = String::with_capacity(384);
    line.push('{');
    for (index, field) in config.fields.iter().enumerate() {
        if index > 0 {
            line.push(',');
        }
        line.push('"');
        line.push_str(field.name());
        line.push_str("\":");
        let text = |line: &mut String, value: Option<&str>| match value {
            Some(value) => push_json_string(line, value),
            None => line.push_str("null"),
        };
        match field {
            Field::Time => {
                line.push('"');
                time_rfc3339(&mut line, SystemTime::now());
                line.push('"');
            }
            Field::Client => match record.client {
                Some(ip) => {
                    line.push('"');
                    push_ip(&mut line, ip);
                    line.push('"');
                }
                None => line.push_str("null"),
            },
            Field::Method => text(&mut line, Some(session.req_header().method.as_str())),
            Field::Target => text(&mut line, Some(&target(session, config.redact_query))),
            Field::Protocol => text(&mut line, Some(protocol(session))),
            Field::Host => text(&mut line, crate::router::request_host(session.req_header())),
            Field::Status => {
                push_u64(&mut line, u64::from(status(session)));
            }
            Field::BytesSent => {
                push_u64(&mut line, session.body_bytes_sent() as u64);
            }
            Field::Duration => {
                push_seconds(&mut line, record.start.elapsed(), 6);
            }
            Field::UpstreamDuration => match record.upstream_duration {
                Some(duration) => {
                    push_seconds(&mut line, duration, 6);
                }
                None => line.push_str("null"),
            },
            Field::Route => text(&mut line, Some(record.route)),
            Field::Upstream => text(&mut line, (!record.upstream.is_empty()).then_some(record.upstream)),
            Field::Backend => match record.backend {
                Some(backend) => {
                    line.push('"');
                    push_socket(&mut line, backend);
                    line.push('"');
                }
                None => line.push_str("null"),
            },
            Field::Cache => text(&mut line, record.cache),
            Field::RequestId => text(&mut line, record.request_id),
            Field::TraceId => text(&mut line, record.trace_id),
            Field::User => text(&mut line, record.user),
            Field::Outcome => text(&mut line, record.outcome),
            Field::Referer => text(&mut line, header(session, "referer")),
            Field::UserAgent => text(&mut line, header(session, "user-agent")),
        }
    }
    line.push_str("}\n");
    line
}

// Numbers are written by hand: `core::fmt` was most of a line's cost
// (about 7,000 instructions a line in callgrind, IP addresses and floats
// above all).

/// `value` in decimal.
fn push_u64(line: &mut String, value: u64) {
    push_padded(line, value, 1);
}

/// `value` in decimal, with leading zeros to `width` digits.
fn push_padded(line: &mut String, mut value: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    while digits.len() - start < width && start > 0 {
        start -= 1;
        digits[start] = b'0';
    }
    for digit in &digits[start..] {
        line.push(char::from(*digit));
    }
}

/// Seconds with `decimals` (3 or 6) digits after the point, truncated.
fn push_seconds(line: &mut String, duration: Duration, decimals: u32) {
    push_u64(line, duration.as_secs());
    line.push('.');
    let fraction = u64::from(duration.subsec_micros()) / 10u64.pow(6 - decimals.min(6));
    push_padded(line, fraction, decimals as usize);
}

fn push_ip(line: &mut String, ip: IpAddr) {
    match ip {
        IpAddr::V4(ip) => {
            for (index, octet) in ip.octets().iter().enumerate() {
                if index > 0 {
                    line.push('.');
                }
                push_u64(line, u64::from(*octet));
            }
        }
        IpAddr::V6(ip) => {
            let _ = write!(line, "{ip}");
        }
    }
}

fn push_socket(line: &mut String, addr: std::net::SocketAddr) {
    match addr {
        std::net::SocketAddr::V4(addr) => push_ip(line, IpAddr::V4(*addr.ip())),
        std::net::SocketAddr::V6(addr) => {
            line.push('[');
            push_ip(line, IpAddr::V6(*addr.ip()));
            line.push(']');
        }
    }
    line.push(':');
    push_u64(line, u64::from(addr.port()));
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The parts of a time, UTC: (year, month, day, hour, minute, second, millisecond).
fn parts(time: SystemTime) -> (i64, u32, u32, u64, u64, u64, u32) {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (year, month, day) = civil(i64::try_from(seconds / 86_400).unwrap_or(0));
    let in_day = seconds % 86_400;
    (year, month, day, in_day / 3600, in_day / 60 % 60, in_day % 60, since.subsec_millis())
}

/// `2026-12-05T15:04:30.123Z`.
fn time_rfc3339(line: &mut String, time: SystemTime) {
    let (year, month, day, hour, minute, second, millis) = parts(time);
    push_padded(line, year.max(0) as u64, 4);
    line.push('-');
    push_padded(line, u64::from(month), 2);
    line.push('-');
    push_padded(line, u64::from(day), 2);
    line.push('T');
    push_padded(line, hour, 2);
    line.push(':');
    push_padded(line, minute, 2);
    line.push(':');
    push_padded(line, second, 2);
    line.push('.');
    push_padded(line, u64::from(millis), 3);
    line.push('Z');
}

/// `05/Dec/2026:15:04:30 +0000`.
fn time_combined(line: &mut String, time: SystemTime) {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (year, month, day, hour, minute, second, _) = parts(time);
    let name = MONTHS.get(month as usize - 1).copied().unwrap_or("Jan");
    push_padded(line, u64::from(day), 2);
    line.push('/');
    line.push_str(name);
    line.push('/');
    push_padded(line, year.max(0) as u64, 4);
    line.push(':');
    push_padded(line, hour, 2);
    line.push(':');
    push_padded(line, minute, 2);
    line.push(':');
    push_padded(line, second, 2);
    line.push_str(" +0000");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_formatted_in_utc() {
        // 2026-12-05T15:04:30.250Z
        let time = UNIX_EPOCH + Duration::from_millis(1_796_483_070_250);
        let mut text = String::new();
        time_rfc3339(&mut text, time);
        assert_eq!(text, "2026-12-05T15:04:30.250Z");
        text.clear();
        time_combined(&mut text, time);
        assert_eq!(text, "05/Dec/2026:15:04:30 +0000");
        text.clear();
        time_rfc3339(&mut text, UNIX_EPOCH + Duration::from_secs(951_782_400));
        assert_eq!(text, "2000-02-29T00:00:00.000Z", "a leap day");
    }

    #[test]
    fn numbers_addresses_and_durations_are_written_as_fmt_would() {
        let mut line = String::new();
        for value in [0u64, 7, 42, 1000, u64::MAX] {
            line.clear();
            push_u64(&mut line, value);
            assert_eq!(line, value.to_string());
        }
        for addr in ["127.0.0.1:8080", "[2001:db8::1]:443", "0.0.0.0:0"] {
            let addr: std::net::SocketAddr = addr.parse().expect("address");
            line.clear();
            push_socket(&mut line, addr);
            assert_eq!(line, addr.to_string());
        }
        for micros in [0u64, 1, 999, 1_000, 123_456, 2_000_001] {
            let duration = Duration::from_micros(micros);
            line.clear();
            push_seconds(&mut line, duration, 6);
            assert_eq!(line, format!("{}.{:06}", duration.as_secs(), duration.subsec_micros()));
            line.clear();
            push_seconds(&mut line, duration, 3);
            assert_eq!(line, format!("{}.{:03}", duration.as_secs(), duration.subsec_millis()));
        }
    }

    #[test]
    fn combined_text_cannot_break_a_line_or_a_field() {
        let mut line = String::new();
        escaped(&mut line, "a\"b\\c\nd\u{7f}");
        assert_eq!(line, "a\\\"b\\\\c\\x0Ad\\x7F");
    }
}
