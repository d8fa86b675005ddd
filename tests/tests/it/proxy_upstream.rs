//! The PROXY protocol sent to upstreams (`proxy_upstream.gw`): every
//! connection to a `proxy_protocol` upstream begins with a v1 or v2 header
//! naming the request's client (its port when it is the connection's peer,
//! 0 when `real_ip` found it) and the address it reached; connections are
//! reused for one client only; health checks send `LOCAL`; the header goes
//! through a `via http-proxy` tunnel, as health checks do; and a route's
//! `timeout connect` bounds a connection made through a proxy.
//!
//! The origin here decodes headers by hand from the specification
//! (HAProxy's proxy-protocol.txt), not with the gateway's code.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::servers::{Background, ConnectProxy};
use crate::support::Gateway;

const GATEWAY: &str = "127.71.0.47:18080";

/// An origin that reads a PROXY header at the start of each connection,
/// then answers every request on it with what the header said and the
/// connection's number.
struct ProxyOrigin {
    /// What each connection's header said, in order of connection.
    headers: Arc<Mutex<Vec<String>>>,
    _server: Background,
}

impl ProxyOrigin {
    fn start(addr: &str) -> ProxyOrigin {
        let listener = std::net::TcpListener::bind(addr).unwrap_or_else(|error| panic!("origin {addr}: {error}"));
        listener.set_nonblocking(true).expect("nonblocking");
        let headers = Arc::new(Mutex::new(Vec::new()));
        let log = headers.clone();
        let server = Background::spawn("proxy origin", async move {
            let Ok(listener) = TcpListener::from_std(listener) else { return };
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let log = log.clone();
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    let header = tokio::time::timeout(Duration::from_secs(5), read_header(&mut stream))
                        .await
                        .unwrap_or_else(|_| "timeout".to_string());
                    let number = match log.lock() {
                        Ok(mut log) => {
                            log.push(header.clone());
                            log.len()
                        }
                        Err(_) => return,
                    };
                    let body = format!("{header}|conn {number}");
                    // Requests without bodies, one after another.
                    for _ in 0..100 {
                        let mut head = String::new();
                        loop {
                            let mut line = String::new();
                            match tokio::time::timeout(Duration::from_secs(5), stream.read_line(&mut line)).await {
                                Ok(Ok(read)) if read > 0 => {}
                                _ => return,
                            }
                            if line == "\r\n" {
                                break;
                            }
                            head.push_str(&line);
                        }
                        let response =
                            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
                        if stream.get_mut().write_all(&response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        ProxyOrigin { headers, _server: server }
    }

    fn headers(&self) -> Vec<String> {
        self.headers.lock().map(|headers| headers.clone()).unwrap_or_default()
    }
}

/// The header at the start of a connection, as text: v1's line as sent,
/// `v2 PROXY SRC DST`, `v2 LOCAL`, or what went wrong.
async fn read_header<S: tokio::io::AsyncBufRead + Unpin>(stream: &mut S) -> String {
    let mut start = [0u8; 6];
    if stream.read_exact(&mut start).await.is_err() {
        return "closed".to_string();
    }
    if &start == b"PROXY " {
        let mut line = String::new();
        let _ = stream.read_line(&mut line).await;
        return format!("PROXY {}", line.trim_end_matches("\r\n"));
    }
    let mut rest = [0u8; 10];
    if stream.read_exact(&mut rest).await.is_err() {
        return "closed".to_string();
    }
    let head: Vec<u8> = [&start[..], &rest[..]].concat();
    if &head[..12] != b"\r\n\r\n\0\r\nQUIT\n" {
        return format!("no header: {:?}", String::from_utf8_lossy(&head));
    }
    let length = usize::from(u16::from_be_bytes([head[14], head[15]]));
    let mut addresses = vec![0u8; length];
    if stream.read_exact(&mut addresses).await.is_err() {
        return "closed".to_string();
    }
    match (head[12], head[13]) {
        (0x20, _) => "v2 LOCAL".to_string(),
        (0x21, 0x11) if length >= 12 => {
            let ip = |at: usize| {
                std::net::Ipv4Addr::new(addresses[at], addresses[at + 1], addresses[at + 2], addresses[at + 3])
            };
            let port = |at: usize| u16::from_be_bytes([addresses[at], addresses[at + 1]]);
            format!("v2 PROXY {}:{} {}:{}", ip(0), port(8), ip(4), port(10))
        }
        (command, family) => format!("v2 unexpected {command:#x} {family:#x}"),
    }
}

/// One request on an open connection: the body of a 200, or the status.
fn request(stream: &mut TcpStream, path: &str, extra: &str) -> Result<String, u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: gw.test\r\n{extra}\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().to_string())
                })
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                let status = head.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or(0);
                return if status == 200 { Ok(body[..length].to_string()) } else { Err(status) };
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return Err(0),
            Ok(read) => received.extend_from_slice(&buffer[..read]),
        }
    }
}

fn connect_from(local: &str) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&local.parse::<SocketAddr>().expect("address").into()).expect("bind");
    socket.connect(&GATEWAY.parse::<SocketAddr>().expect("address").into()).expect("connect");
    socket.into()
}

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn upstreams_are_sent_the_client_in_a_proxy_header() {
    let origin = ProxyOrigin::start("127.71.0.47:18001");
    let behind_proxy = ProxyOrigin::start("127.71.0.47:18002");
    let proxy = ConnectProxy::start("127.71.0.47:18003");
    // Accepts connections (the kernel completes them) and never answers.
    let _silent = std::net::TcpListener::bind("127.71.0.47:18004").expect("bind");
    let _gateway = Gateway::start("proxy_upstream", GATEWAY, &[]);

    // Health checks go through the forward proxy, and begin with LOCAL.
    wait_until("a health check through the proxy", || {
        proxy.targets.lock().map(|targets| targets.contains(&"127.71.0.47:18002".to_string())).unwrap_or(false)
    });
    wait_until("a LOCAL header from a health check", || behind_proxy.headers().contains(&"v2 LOCAL".to_string()));

    // v2: the client's address and port, and the gateway's address.
    let mut first = connect_from("127.0.0.1:0");
    let port = first.local_addr().expect("local address").port();
    let expected = format!("v2 PROXY 127.0.0.1:{port} 127.71.0.47:18080|conn ");
    let one = request(&mut first, "/v2/a", "").expect("200");
    assert!(one.starts_with(&expected), "{one}");
    // The same client connection reuses its upstream connection.
    let two = request(&mut first, "/v2/b", "").expect("200");
    assert_eq!(one, two);
    // Another client connection never gets it: a connection of its own.
    let mut second = connect_from("127.0.0.1:0");
    let other_port = second.local_addr().expect("local address").port();
    let three = request(&mut second, "/v2/c", "").expect("200");
    assert!(three.starts_with(&format!("v2 PROXY 127.0.0.1:{other_port} 127.71.0.47:18080|conn ")), "{three}");
    assert_ne!(three.rsplit('|').next(), one.rsplit('|').next(), "a connection made for another client was reused");
    // Nor does the first once the second's exists.
    assert_eq!(request(&mut first, "/v2/d", "").expect("200"), one);

    // v1, the text header.
    let v1 = request(&mut first, "/v1/a", "").expect("200");
    assert!(v1.starts_with(&format!("PROXY TCP4 127.0.0.1 127.71.0.47 {port} 18080|conn ")), "{v1}");

    // A client found by `real_ip` behind a trusted proxy: its address, port 0.
    let mut behind = connect_from("127.0.0.2:0");
    let forwarded = request(&mut behind, "/v2/e", "X-Forwarded-For: 192.0.2.7\r\n").expect("200");
    assert!(forwarded.starts_with("v2 PROXY 192.0.2.7:0 127.71.0.47:18080|conn "), "{forwarded}");

    // Through the forward proxy's tunnel, the header names the client.
    let tunnelled = request(&mut first, "/tunnel/a", "").expect("200");
    assert!(tunnelled.starts_with(&format!("v2 PROXY 127.0.0.1:{port} 127.71.0.47:18080|conn ")), "{tunnelled}");
    assert!(origin.headers().iter().all(|header| header.starts_with("v2 PROXY") || header.starts_with("PROXY TCP4")));

    // A route's `timeout connect` bounds the connection through a proxy
    // that never answers CONNECT (the gateway's own default is 10s, longer
    // than this client waits).
    let mut timed = connect_from("127.0.0.1:0");
    assert_eq!(request(&mut timed, "/silent/a", ""), Err(504));
}
