//! Downstream connection timeouts: the whole request head within
//! `header_timeout` (slowloris), idle request bodies (`body_timeout`), idle
//! keep-alive connections (`keepalive_timeout`).
//!
//! Pingora times out each read of a request head on its own, so a client
//! sending one byte a minute keeps a connection (and its buffer) forever,
//! and after a connection's first request it waits for the next one
//! forever. [`Guarded`] runs Pingora's HTTP/1 keep-alive loop itself, with
//! each connection's stream wrapped in a [`HeadTimer`] that closes the
//! connection when a request head is not complete in time (counted from the
//! accept for the first request, from its first byte for the next ones) or
//! when no next request begins within the keep-alive timeout. HTTP/2
//! connections, whose frames the h2 codec reads, go to Pingora unchanged.
//!
//! The timer costs next to nothing on the usual path: a head that arrives
//! in one read is found whole without reading the clock, and the idle wait
//! between requests reads the clock once. Each connection has one timer,
//! registered once, moved only when it fires early (at most once per
//! keep-alive timeout), and polled again only when it was moved or the
//! task reading the connection changed, where Pingora's own keep-alive
//! timeout registers a timer for every request.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker, ready};
use std::time::Duration;

use async_trait::async_trait;
use pingora::apps::{HttpServerApp, ServerApp};
use pingora::protocols::http::ServerSession;
use pingora::protocols::raw_connect::ProxyDigest;
use pingora::protocols::tls::{ALPN, SslDigest};
use pingora::protocols::{GetProxyDigest, GetSocketDigest, GetTimingDigest, SocketDigest, TimingDigest};
use pingora::protocols::{Peek, Shutdown, Ssl, Stream, UniqueID, UniqueIDType};
use pingora::server::ShutdownWatch;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

mod framing;
mod request_line;

use crate::proxy_protocol::ProxyProtocol;
use framing::Framing;
use request_line::RequestLine;

/// The downstream timeouts of `server { }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The whole request head (`header_timeout`).
    pub header: Duration,
    /// Between two reads of a request body (`body_timeout`).
    pub body: Duration,
    /// An idle connection between requests (`keepalive_timeout`).
    pub keepalive: Duration,
}

impl Timeouts {
    pub const DEFAULT: Timeouts =
        Timeouts { header: Duration::from_secs(10), body: Duration::from_secs(60), keepalive: Duration::from_secs(60) };
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts::DEFAULT
    }
}

/// An HTTP application (Pingora's proxy) with the downstream timeouts.
pub struct Guarded<A> {
    app: Arc<A>,
    timeouts: Timeouts,
    /// Cleartext listeners whose connections begin with a PROXY protocol
    /// header (TLS ones read it before the handshake).
    proxy_protocol: Option<&'static ProxyProtocol>,
}

impl<A> Guarded<A> {
    pub fn new(app: A, timeouts: Timeouts, proxy_protocol: Option<&'static ProxyProtocol>) -> Guarded<A> {
        Guarded { app: Arc::new(app), timeouts, proxy_protocol }
    }

    /// The keep-alive of a session in Pingora's terms: without a time
    /// limit (the [`HeadTimer`] enforces `keepalive_timeout`), or none once
    /// the server is shutting down.
    fn keepalive(shutdown: &ShutdownWatch) -> Option<u64> {
        (!*shutdown.borrow()).then_some(0)
    }
}

#[async_trait]
impl<A> ServerApp for Guarded<A>
where
    A: HttpServerApp + Send + Sync + 'static,
{
    async fn process_new(self: &Arc<Self>, mut stream: Stream, shutdown: &ShutdownWatch) -> Option<Stream> {
        if let Some(proxy_protocol) = self.proxy_protocol
            && stream.get_ssl().is_none()
        {
            let fd = stream.id();
            if let Err(refused) = proxy_protocol.accept(&mut *stream, fd).await {
                log::debug!("PROXY protocol: connection closed: {refused:?}");
                return None;
            }
        }
        let options = self.app.server_options();
        let http2 = matches!(stream.selected_alpn_proto(), Some(ALPN::H2) | Some(ALPN::Custom(_)))
            || options.is_some_and(|options| options.h2c || options.force_custom);
        if http2 {
            return ServerApp::process_new(&self.app, stream, shutdown).await;
        }
        let next_head = Arc::new(AtomicBool::new(false));
        let stream: Stream = Box::new(HeadTimer::new(stream, self.timeouts, next_head.clone()));
        let mut session = ServerSession::new_http1(stream);
        session.set_keepalive(Self::keepalive(shutdown));
        session.set_keepalive_reuses_remaining(options.and_then(|options| options.keepalive_request_limit));
        session.set_read_timeout(Some(self.timeouts.body));
        let mut reused = self.app.process_new_http(session, shutdown).await;
        while let Some((stream, settings)) = reused.map(|reused| reused.consume()) {
            next_head.store(true, Ordering::Relaxed);
            let mut session = ServerSession::new_http1(stream);
            if let Some(settings) = settings {
                settings.apply_to_session(&mut session);
            }
            // Pingora would wait for the next request forever, with a
            // timer per request; the HeadTimer holds the idle time instead.
            if session.get_keepalive().is_some() {
                session.set_keepalive(Self::keepalive(shutdown));
            }
            session.set_read_timeout(Some(self.timeouts.body));
            reused = self.app.process_new_http(session, shutdown).await;
        }
        None
    }

    /// Called once the listeners have stopped accepting (graceful shutdown
    /// or upgrade). Pingora's `http_cleanup` drops every idle keep-alive
    /// connection at once, and a client that had just sent its next request
    /// on one gets nothing back (RFC 9112 §9.3.1 lets it retry, but only
    /// idempotent requests). Instead idle connections are left to the end
    /// of their keep-alive time: a request that arrives meanwhile is served
    /// with `Connection: close` (Pingora does that for every request read
    /// once shutdown has begun), and the client opens its next connection
    /// to the new process. Only then are the connections still idle cut.
    async fn cleanup(&self) {
        tokio::time::sleep(self.timeouts.keepalive).await;
        self.app.http_cleanup().await;
    }
}

/// Where a connection is: between requests, in a request head, or past it.
enum Phase {
    /// Waiting for the first byte of the next request, idle since `since`
    /// (read from the clock when the wait begins).
    Idle { since: Option<Instant> },
    /// Reading a head that must be complete by `deadline`. `tail` holds the
    /// last bytes read, for a head end split over two reads.
    Head { deadline: Instant, tail: [u8; 3] },
    /// Past the head: bodies and upgraded connections are not timed here.
    Past,
}

/// A downstream stream that fails its reads, so that Pingora closes the
/// connection, when a request head takes longer than the header timeout or
/// the next request does not begin within the keep-alive timeout. It also
/// reads each request line as it arrives (`RequestLine`): Pingora
/// percent-encodes a target its parser refuses and goes on, so the bytes
/// the client sent are seen only here.
pub struct HeadTimer {
    inner: Stream,
    timeouts: Timeouts,
    phase: Phase,
    line: RequestLine,
    framing: Framing,
    /// Set by [`Guarded`] between two requests: a new head is next.
    next_head: Arc<AtomicBool>,
    /// The connection's one timer, registered at the first read that waits
    /// with a deadline. It may be set later than the deadline at hand
    /// (then it is moved) or earlier (then, when it fires, the deadline is
    /// checked and the timer moved to it).
    timer: Option<Pin<Box<Sleep>>>,
    /// The waker the timer holds, from its last poll that was pending:
    /// while the timer is not moved and the read's waker would wake the
    /// same task, the timer needs no poll (a connection's reads return
    /// pending about twice per request).
    armed: Option<Waker>,
}

impl HeadTimer {
    fn new(inner: Stream, timeouts: Timeouts, next_head: Arc<AtomicBool>) -> HeadTimer {
        // The first head is timed from the accept.
        let phase = Phase::Head { deadline: Instant::now() + timeouts.header, tail: [0; 3] };
        HeadTimer {
            inner,
            timeouts,
            phase,
            line: RequestLine::new(),
            framing: Framing::default(),
            next_head,
            timer: None,
            armed: None,
        }
    }

    /// Why the request line of the current request breaks RFC 9112 §3, if
    /// it does (`strict` refuses the request with 400).
    pub fn request_line_refused(&self) -> Option<&'static str> {
        self.line.refused
    }

    /// Why the current request's chunked body breaks RFC 9112 §7.1, if it
    /// does so in what has been read (`strict` refuses it with 400).
    pub fn framing_refused(&self) -> Option<&'static str> {
        self.framing.refused()
    }

    /// Whether the current request has a chunked body whose first
    /// chunk-size line has not been read yet (`strict` reads on before
    /// the request goes upstream).
    pub fn first_chunk_pending(&self) -> bool {
        self.framing.first_chunk_pending()
    }

    /// Looks at bytes just read: the head's first byte starts its clock,
    /// its empty line ends it.
    ///
    /// Returns whether these bytes, all after the head, make the body
    /// malformed: the read fails then, so that they go no further.
    fn saw(&mut self, bytes: &[u8]) -> bool {
        if bytes.is_empty() {
            return false;
        }
        let tail = match &mut self.phase {
            Phase::Past => return self.framing.saw_body(bytes),
            Phase::Idle { .. } => [0; 3],
            Phase::Head { tail, .. } => *tail,
        };
        self.line.saw(bytes);
        if let Some(end) = head_end(&tail, bytes) {
            // The usual case, a whole head in one read, reads no clock.
            self.phase = Phase::Past;
            self.framing.saw_head(&bytes[..end]);
            self.framing.head_ended();
            // Refused in the head's own read, the request is answered 400
            // by `strict` before it goes anywhere.
            self.framing.saw_body(&bytes[end..]);
            return false;
        }
        self.framing.saw_head(bytes);
        // Keep the last three bytes seen.
        let mut joined = [0u8; 6];
        joined[..3].copy_from_slice(&tail);
        let take = bytes.len().min(3);
        joined[3..3 + take].copy_from_slice(&bytes[bytes.len() - take..]);
        let tail = [joined[take], joined[take + 1], joined[take + 2]];
        match &mut self.phase {
            Phase::Head { tail: kept, .. } => *kept = tail,
            _ => self.phase = Phase::Head { deadline: Instant::now() + self.timeouts.header, tail },
        }
        false
    }

    /// When the wait of a pending read must end, if it must.
    fn deadline(&mut self) -> Option<Instant> {
        match &mut self.phase {
            Phase::Idle { since } => Some(*since.get_or_insert_with(Instant::now) + self.timeouts.keepalive),
            Phase::Head { deadline, .. } => Some(*deadline),
            Phase::Past => None,
        }
    }

    /// Polls the timer for `deadline`: ready when it has passed.
    fn poll_deadline(&mut self, cx: &mut Context<'_>, deadline: Instant) -> Poll<()> {
        let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if timer.deadline() > deadline {
            timer.as_mut().reset(deadline);
            self.armed = None;
        }
        if !timer.is_elapsed() && self.armed.as_ref().is_some_and(|armed| armed.will_wake(cx.waker())) {
            return Poll::Pending;
        }
        loop {
            if timer.as_mut().poll(cx).is_pending() {
                // Cloned only when the task's waker changes.
                if !self.armed.as_ref().is_some_and(|armed| armed.will_wake(cx.waker())) {
                    self.armed = Some(cx.waker().clone());
                }
                return Poll::Pending;
            }
            if Instant::now() >= deadline {
                return Poll::Ready(());
            }
            // It fired for an earlier deadline.
            timer.as_mut().reset(deadline);
            self.armed = None;
        }
    }
}

/// Where in `bytes` (just after its last byte) the empty line ending a
/// head (`\r\n\r\n`, or `\n\n` which Pingora's parser also takes) ends,
/// `tail` being the bytes read before.
fn head_end(tail: &[u8; 3], bytes: &[u8]) -> Option<usize> {
    // An end that begins in the previous read.
    let mut previous = *tail;
    for (at, &byte) in bytes.iter().take(2).enumerate() {
        if byte == b'\n' && (previous[2] == b'\n' || (previous[2] == b'\r' && previous[1] == b'\n')) {
            return Some(at + 1);
        }
        previous = [previous[1], previous[2], byte];
    }
    // The first end within this read (bytes of the body may follow it):
    // the first line feed followed by `\n` or `\r\n`. A head has a few
    // lines, so walking its line feeds (vectorised) is cheaper than
    // building two substring searchers per read.
    memchr::memchr_iter(b'\n', bytes).find_map(|at| match &bytes[at + 1..] {
        [b'\n', ..] => Some(at + 2),
        [b'\r', b'\n', ..] => Some(at + 3),
        _ => None,
    })
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "request head not received in time")
}

impl AsyncRead for HeadTimer {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.next_head.load(Ordering::Relaxed) {
            this.next_head.store(false, Ordering::Relaxed);
            this.phase = Phase::Idle { since: None };
            this.line = RequestLine::new();
            this.framing = Framing::default();
        }
        let filled = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if this.saw(&buf.filled()[filled..]) {
                    buf.set_filled(filled);
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        this.framing.refused().unwrap_or("malformed chunked body"),
                    )));
                }
                match this.phase {
                    Phase::Head { deadline, .. } if Instant::now() >= deadline => Poll::Ready(Err(timed_out())),
                    _ => Poll::Ready(Ok(())),
                }
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => {
                let Some(deadline) = this.deadline() else { return Poll::Pending };
                ready!(this.poll_deadline(cx, deadline));
                Poll::Ready(Err(timed_out()))
            }
        }
    }
}

impl AsyncWrite for HeadTimer {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[async_trait]
impl Shutdown for HeadTimer {
    async fn shutdown(&mut self) {
        self.inner.shutdown().await
    }
}

impl UniqueID for HeadTimer {
    fn id(&self) -> UniqueIDType {
        self.inner.id()
    }
}

impl Ssl for HeadTimer {
    fn get_ssl(&self) -> Option<&pingora::protocols::tls::TlsRef> {
        self.inner.get_ssl()
    }

    fn get_ssl_digest(&self) -> Option<Arc<SslDigest>> {
        self.inner.get_ssl_digest()
    }

    fn selected_alpn_proto(&self) -> Option<ALPN> {
        self.inner.selected_alpn_proto()
    }
}

impl GetTimingDigest for HeadTimer {
    fn get_timing_digest(&self) -> Vec<Option<TimingDigest>> {
        self.inner.get_timing_digest()
    }

    fn get_read_pending_time(&self) -> Duration {
        self.inner.get_read_pending_time()
    }

    fn get_write_pending_time(&self) -> Duration {
        self.inner.get_write_pending_time()
    }
}

impl GetProxyDigest for HeadTimer {
    fn get_proxy_digest(&self) -> Option<Arc<ProxyDigest>> {
        self.inner.get_proxy_digest()
    }

    fn set_proxy_digest(&mut self, digest: ProxyDigest) {
        self.inner.set_proxy_digest(digest)
    }
}

impl GetSocketDigest for HeadTimer {
    fn get_socket_digest(&self) -> Option<Arc<SocketDigest>> {
        self.inner.get_socket_digest()
    }

    fn set_socket_digest(&mut self, digest: SocketDigest) {
        self.inner.set_socket_digest(digest)
    }
}

#[async_trait]
impl Peek for HeadTimer {
    async fn try_peek(&mut self, buf: &mut [u8]) -> io::Result<bool> {
        self.inner.try_peek(buf).await
    }
}

impl fmt::Debug for HeadTimer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeadTimer").field("inner", &self.inner).field("timeouts", &self.timeouts).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_ends_across_reads() {
        assert_eq!(head_end(&[0; 3], b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"), Some(27));
        assert_eq!(head_end(&[0; 3], b"GET / HTTP/1.1\nHost: a\n\nbody"), Some(24));
        assert_eq!(head_end(&[0; 3], b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
        assert_eq!(head_end(b"\r\n\r", b"\n"), Some(1));
        assert_eq!(head_end(b"a\r\n", b"\r\nbody"), Some(2));
        assert_eq!(head_end(b"a\r\n", b"b\r\n"), None);
        assert_eq!(head_end(&[0; 3], b"POST / HTTP/1.1\r\nA: b\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), Some(25));
        assert_eq!(head_end(b"\r\n\r", b"\nbody\r\n\r\n"), Some(1));
        assert_eq!(head_end(b"a\r\n", b"\r\n"), Some(2));
    }
}
