//! Servers the upstream tests run beside a gateway: TLS and HTTP/2 origins
//! (with a test PKI made at test time), a WebSocket echo, a CONNECT proxy.
//! Each runs on a thread of its own and stops when dropped.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod, SslVerifyMode};
use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
use openssl::x509::{X509, X509NameBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Runs `task` on a thread with a runtime of its own until the handle is dropped.
pub struct Background {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    pub fn spawn<F>(name: &str, task: F) -> Background
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = stopped => {}
                        _ = task => {}
                    }
                });
            })
            .expect("thread");
        Background { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A CA, a server certificate for `gw.test`, `localhost` and 127.0.0.1, and a
/// client certificate, made now and written to `dir`.
pub struct TestPki {
    pub dir: PathBuf,
    ca: X509,
    ca_key: PKey<Private>,
}

impl TestPki {
    pub fn new(name: &str) -> TestPki {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pki-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("pki dir");
        let ca_key = key();
        let ca = certificate("gw test CA (test time)", &ca_key, None, true, &[]);
        std::fs::write(dir.join("ca.crt"), ca.to_pem().expect("pem")).expect("write");
        let pki = TestPki { dir, ca, ca_key };
        pki.issue("server", &["gw.test", "localhost"]);
        pki.issue("client", &[]);
        pki
    }

    fn issue(&self, name: &str, dns: &[&str]) {
        let key = key();
        let cert = certificate(name, &key, Some((&self.ca, &self.ca_key)), false, dns);
        std::fs::write(self.dir.join(format!("{name}.crt")), cert.to_pem().expect("pem")).expect("write");
        std::fs::write(self.dir.join(format!("{name}.key")), key.private_key_to_pem_pkcs8().expect("pem"))
            .expect("write");
    }

    pub fn path(&self, file: &str) -> String {
        self.dir.join(file).display().to_string()
    }

    /// A TLS acceptor with the server certificate, offering `alpn`, and
    /// requiring a client certificate of this CA if `mutual`.
    pub fn acceptor(&self, alpn: &[&[u8]], mutual: bool) -> SslAcceptor {
        let mut builder = SslAcceptor::mozilla_intermediate(SslMethod::tls_server()).expect("acceptor");
        builder.set_certificate_chain_file(self.dir.join("server.crt")).expect("certificate");
        builder.set_private_key_file(self.dir.join("server.key"), openssl::ssl::SslFiletype::PEM).expect("key");
        if mutual {
            builder.set_ca_file(self.dir.join("ca.crt")).expect("ca");
            builder.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        }
        let protocols: Vec<Vec<u8>> = alpn.iter().map(|protocol| protocol.to_vec()).collect();
        builder.set_alpn_select_callback(move |_, client| {
            protocols.iter().find_map(|wanted| offered(client, wanted)).ok_or(openssl::ssl::AlpnError::NOACK)
        });
        builder.build()
    }
}

/// The protocol `wanted` in a client's ALPN list (length-prefixed names), as a slice of it.
fn offered<'a>(mut client: &'a [u8], wanted: &[u8]) -> Option<&'a [u8]> {
    while let Some((&length, rest)) = client.split_first() {
        let (name, next) = rest.split_at_checked(usize::from(length))?;
        if name == wanted {
            return Some(name);
        }
        client = next;
    }
    None
}

fn key() -> PKey<Private> {
    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).expect("curve");
    PKey::from_ec_key(openssl::ec::EcKey::generate(&group).expect("key")).expect("key")
}

fn certificate(
    common_name: &str,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
    ca: bool,
    dns: &[&str],
) -> X509 {
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("CN", common_name).expect("cn");
    let name = name.build();
    let mut builder = X509::builder().expect("builder");
    builder.set_version(2).expect("version");
    let serial = BigNum::from_u32(rand_serial()).and_then(|serial| serial.to_asn1_integer()).expect("serial");
    builder.set_serial_number(&serial).expect("serial");
    builder.set_subject_name(&name).expect("subject");
    builder.set_issuer_name(issuer.map_or(&name, |(issuer, _)| issuer.subject_name())).expect("issuer");
    builder.set_pubkey(key).expect("key");
    builder.set_not_before(&Asn1Time::days_from_now(0).expect("time")).expect("not before");
    builder.set_not_after(&Asn1Time::days_from_now(2).expect("time")).expect("not after");
    if ca {
        builder.append_extension(BasicConstraints::new().critical().ca().build().expect("bc")).expect("bc");
    }
    if !dns.is_empty() {
        let mut san = SubjectAlternativeName::new();
        for name in dns {
            san.dns(name);
        }
        san.ip("127.0.0.1");
        let san = san.build(&builder.x509v3_context(issuer.map(|(issuer, _)| &**issuer), None)).expect("san");
        builder.append_extension(san).expect("san");
    }
    builder.sign(issuer.map_or(key, |(_, issuer_key)| issuer_key), MessageDigest::sha256()).expect("sign");
    builder.build()
}

fn rand_serial() -> u32 {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    (std::process::id() << 8) ^ NEXT.fetch_add(1, Ordering::Relaxed) as u32
}

/// What an [`HyperOrigin`] tells about each request: protocol, path, whether
/// the client presented a certificate.
#[derive(Debug, Clone)]
pub struct Seen {
    pub version: String,
    pub path: String,
    pub client_certificate: bool,
}

/// An origin on hyper: HTTP/1.1 and HTTP/2 (by ALPN over TLS, or cleartext
/// with prior knowledge), optionally requiring a client certificate. It
/// answers `server NAME, VERSION`, and for `application/grpc` requests a body
/// and `grpc-status`/`grpc-message` trailers.
pub struct HyperOrigin {
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _server: Background,
}

impl HyperOrigin {
    pub fn start(name: &'static str, addr: &str, tls: Option<SslAcceptor>) -> HyperOrigin {
        let addr: SocketAddr = addr.parse().expect("address");
        let listener = std::net::TcpListener::bind(addr).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let tls = tls.map(Arc::new);
        let server = Background::spawn(name, async move {
            let Ok(listener) = TcpListener::from_std(listener) else { return };
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (log, tls) = (log.clone(), tls.clone());
                tokio::spawn(async move {
                    let builder = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
                    match tls {
                        None => {
                            let service =
                                hyper::service::service_fn(move |request| respond(name, request, false, log.clone()));
                            let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
                        }
                        Some(acceptor) => {
                            let Ok(ssl) = openssl::ssl::Ssl::new(acceptor.context()) else { return };
                            let Ok(mut stream) = tokio_openssl::SslStream::new(ssl, stream) else { return };
                            if Pin::new(&mut stream).accept().await.is_err() {
                                return;
                            }
                            let client_certificate = stream.ssl().peer_certificate().is_some();
                            let service = hyper::service::service_fn(move |request| {
                                respond(name, request, client_certificate, log.clone())
                            });
                            let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
                        }
                    }
                });
            }
        });
        HyperOrigin { seen, _server: server }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|seen| seen.clone()).unwrap_or_default()
    }
}

type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

async fn respond(
    name: &'static str,
    request: Request<Incoming>,
    client_certificate: bool,
    log: Arc<Mutex<Vec<Seen>>>,
) -> Result<Response<Body>, Infallible> {
    let version = format!("{:?}", request.version());
    let path = request.uri().path().to_string();
    if let Ok(mut log) = log.lock() {
        log.push(Seen { version: version.clone(), path: path.clone(), client_certificate });
    }
    let grpc =
        request.headers().get("content-type").is_some_and(|value| value.as_bytes().starts_with(b"application/grpc"));
    let _ = request.into_body().collect().await;
    if grpc {
        let mut trailers = http::HeaderMap::new();
        trailers.insert("grpc-status", http::HeaderValue::from_static("0"));
        trailers.insert("grpc-message", http::HeaderValue::from_static("served-by-origin"));
        let frames: Vec<Result<Frame<Bytes>, Infallible>> =
            vec![Ok(Frame::data(Bytes::from_static(b"\0\0\0\0\x02hi"))), Ok(Frame::trailers(trailers))];
        let body = StreamBody::new(futures_util::stream::iter(frames)).boxed();
        return Ok(Response::builder().header("content-type", "application/grpc").body(body).unwrap_or_default());
    }
    let body = Full::new(Bytes::from(format!("server {name}, {version}\n"))).boxed();
    Ok(Response::builder().header("x-server", name).body(body).unwrap_or_default())
}

/// A WebSocket origin that echoes each message, prefixed with `echo: `.
pub fn websocket_echo(addr: &str) -> Background {
    let listener = std::net::TcpListener::bind(addr).expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    Background::spawn("websocket echo", async move {
        use futures_util::{SinkExt, StreamExt};
        let Ok(listener) = TcpListener::from_std(listener) else { return };
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else { return };
                while let Some(Ok(message)) = socket.next().await {
                    if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                        let reply = format!("echo: {text}");
                        if socket.send(tokio_tungstenite::tungstenite::Message::text(reply)).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    })
}

/// A forward proxy that serves `CONNECT` and records each target.
pub struct ConnectProxy {
    pub targets: Arc<Mutex<Vec<String>>>,
    _server: Background,
}

impl ConnectProxy {
    pub fn start(addr: &str) -> ConnectProxy {
        let listener = std::net::TcpListener::bind(addr).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let targets = Arc::new(Mutex::new(Vec::new()));
        let log = targets.clone();
        let server = Background::spawn("connect proxy", async move {
            let Ok(listener) = TcpListener::from_std(listener) else { return };
            loop {
                let Ok((mut client, _)) = listener.accept().await else { continue };
                let log = log.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
                        let Ok(byte) = client.read_u8().await else { return };
                        head.push(byte);
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let target =
                        head.strip_prefix("CONNECT ").and_then(|rest| rest.split(' ').next()).unwrap_or("").to_string();
                    if let Ok(mut log) = log.lock() {
                        log.push(target.clone());
                    }
                    let Ok(mut upstream) = tokio::net::TcpStream::connect(&target).await else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                        return;
                    };
                    if client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.is_err() {
                        return;
                    }
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
            }
        });
        ConnectProxy { targets, _server: server }
    }
}
