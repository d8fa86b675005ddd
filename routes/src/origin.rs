//! A small HTTP/1.1 origin server that tells what it received.
//!
//! Every request gets `200` with a JSON body echoing the server's name, the
//! method, the request target, every header received and the number of
//! requests this server has answered. The response carries `X-Server`,
//! `X-Request-Count` and `X-App-Version` headers. Query parameters change
//! the answer, so tests can ask for what they need through a gateway:
//!
//! - `status=NNN`: answer with that status;
//! - `cache_control=...`: add a `Cache-Control` header (URL-encoded);
//! - `vary=...`, `set_cookie=...`: add a `Vary` or `Set-Cookie` header;
//! - `pad=N`: add N bytes (at most 1 MiB) of padding to the body;
//! - `delay_ms=N`: wait that long before answering.

use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::oneshot;

/// Largest request head and body the origin reads.
const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Longest `delay_ms` honoured.
const MAX_DELAY: Duration = Duration::from_secs(30);

/// A running origin; it stops when dropped.
pub struct Origin {
    pub addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Origin {
    /// Starts an origin named `name` on `addr`, on a thread of its own.
    pub fn start(name: &str, addr: SocketAddr) -> io::Result<Origin> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        Origin::run(name, addr, move |state| async move {
            let Ok(listener) = TcpListener::from_std(listener) else { return };
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve_connection(stream, &state).await;
                });
            }
        })
    }

    /// Starts an origin named `name` on the unix socket `path` (replacing a stale one).
    pub fn start_unix(name: &str, path: &str) -> io::Result<Origin> {
        let _ = std::fs::remove_file(path);
        let listener = std::os::unix::net::UnixListener::bind(path)?;
        listener.set_nonblocking(true)?;
        Origin::run(name, SocketAddr::from(([0, 0, 0, 0], 0)), move |state| async move {
            let Ok(listener) = UnixListener::from_std(listener) else { return };
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve_connection(stream, &state).await;
                });
            }
        })
    }

    /// Runs `serve` on a thread with a runtime of its own until the origin is dropped.
    fn run<F, Fut>(name: &str, addr: SocketAddr, serve: F) -> io::Result<Origin>
    where
        F: FnOnce(Arc<State>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()>,
    {
        let hits = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let state = Arc::new(State { name: name.to_string(), hits: hits.clone() });
        let thread = std::thread::Builder::new().name(format!("origin {name}")).spawn(move || {
            runtime.block_on(async move {
                tokio::select! {
                    _ = stopped => {}
                    _ = serve(state) => {}
                }
            });
        })?;
        Ok(Origin { addr, hits, stop: Some(stop), thread: Some(thread) })
    }

    /// How many requests this origin has answered.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct State {
    name: String,
    hits: Arc<AtomicUsize>,
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body_len: usize,
    keep_alive: bool,
}

async fn serve_connection<S: AsyncRead + AsyncWrite + Unpin>(stream: S, state: &State) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader).await? {
        let response = respond(&request, state).await;
        reader.get_mut().write_all(&response).await?;
        if !request.keep_alive {
            break;
        }
    }
    Ok(())
}

async fn read_request<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> io::Result<Option<Request>> {
    let mut head_bytes = 0;
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "bad request line"));
    };
    let (method, target) = (method.to_string(), target.to_string());
    let mut keep_alive = version == "HTTP/1.1";
    let mut headers = Vec::new();
    let mut body_len = 0;
    loop {
        line.clear();
        head_bytes += reader.read_line(&mut line).await?;
        if head_bytes > MAX_HEAD_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "request head too large"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else { continue };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        match name.as_str() {
            "content-length" => body_len = value.parse().unwrap_or(0),
            "connection" if value.eq_ignore_ascii_case("close") => keep_alive = false,
            "connection" if value.eq_ignore_ascii_case("keep-alive") => keep_alive = true,
            _ => {}
        }
        headers.push((name, value));
    }
    if body_len > MAX_BODY_BYTES {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "request body too large"));
    }
    let mut body = vec![0; body_len];
    reader.read_exact(&mut body).await?;
    Ok(Some(Request { method, target, headers, body_len, keep_alive }))
}

async fn respond(request: &Request, state: &State) -> Vec<u8> {
    let count = state.hits.fetch_add(1, Ordering::SeqCst) + 1;
    let query = request.target.split_once('?').map_or("", |(_, query)| query);
    let param = |name: &str| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| percent_decode(value))
        })
    };
    if let Some(delay) = param("delay_ms").and_then(|value| value.parse::<u64>().ok()) {
        tokio::time::sleep(Duration::from_millis(delay).min(MAX_DELAY)).await;
    }
    let status: u16 =
        param("status").and_then(|value| value.parse().ok()).filter(|s| (200..600).contains(s)).unwrap_or(200);

    let mut body = String::new();
    let _ = write!(
        body,
        "{{\"server\":{},\"method\":{},\"target\":{},\"count\":{count},\"body_bytes\":{},\"headers\":{{",
        gateway_runtime::admin::json_string(&state.name),
        gateway_runtime::admin::json_string(&request.method),
        gateway_runtime::admin::json_string(&request.target),
        request.body_len
    );
    // Repeated headers are joined with `, `, as RFC 9110 §5.3 allows.
    let mut merged: Vec<(&str, String)> = Vec::new();
    for (name, value) in &request.headers {
        match merged.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, values)) => {
                values.push_str(", ");
                values.push_str(value);
            }
            None => merged.push((name, value.clone())),
        }
    }
    for (index, (name, value)) in merged.iter().enumerate() {
        let _ = write!(
            body,
            "{}{}:{}",
            if index > 0 { "," } else { "" },
            gateway_runtime::admin::json_string(name),
            gateway_runtime::admin::json_string(value)
        );
    }
    body.push_str("}}\n");
    if let Some(pad) = param("pad").and_then(|pad| pad.parse::<usize>().ok()) {
        body.push_str(&" ".repeat(pad.min(MAX_BODY_BYTES)));
    }

    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nDate: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Server: {}\r\nX-Request-Count: {count}\r\nX-App-Version: 1.0\r\n",
        reason(status),
        httpdate::fmt_http_date(std::time::SystemTime::now()),
        body.len(),
        state.name
    );
    if let Some(cache_control) = param("cache_control") {
        let _ = write!(head, "Cache-Control: {cache_control}\r\n");
    }
    if let Some(vary) = param("vary") {
        let _ = write!(head, "Vary: {vary}\r\n");
    }
    if let Some(cookie) = param("set_cookie") {
        let _ = write!(head, "Set-Cookie: {cookie}\r\n");
    }
    if !request.keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut response = head.into_bytes();
    if request.method != "HEAD" {
        response.extend_from_slice(body.as_bytes());
    }
    response
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(if bytes[index] == b'+' { b' ' } else { bytes[index] });
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
