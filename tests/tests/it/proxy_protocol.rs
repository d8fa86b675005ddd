//! The PROXY protocol (`proxy_protocol.gw`): v1 and v2 headers from the
//! trusted load balancer (127.0.0.1) make their client the request's client
//! everywhere (forwarding headers, `allow`/`deny`, limits), on a cleartext
//! and a TLS listener; a connection without a header, with a malformed
//! one, one too slow, or from a peer not in `trusted_proxies` is closed; a
//! listener without `proxy_protocol` never takes a header.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::support::{Gateway, origin};

const PLAIN: &str = "127.71.0.46:18080";
const TLS: &str = "127.71.0.46:18443";
const WITHOUT: &str = "127.71.0.46:18081";

/// A v2 header for a TCP client `src` (to 203.0.113.9:443).
fn v2(src: SocketAddr) -> Vec<u8> {
    let mut out = b"\r\n\r\n\0\r\nQUIT\n".to_vec();
    match src {
        SocketAddr::V4(src) => {
            out.extend_from_slice(&[0x21, 0x11, 0, 12]);
            out.extend_from_slice(&src.ip().octets());
            out.extend_from_slice(&[203, 0, 113, 9]);
            out.extend_from_slice(&src.port().to_be_bytes());
            out.extend_from_slice(&443u16.to_be_bytes());
        }
        SocketAddr::V6(src) => {
            out.extend_from_slice(&[0x21, 0x21, 0, 36]);
            out.extend_from_slice(&src.ip().octets());
            out.extend_from_slice(&"2001:db8::9".parse::<std::net::Ipv6Addr>().expect("ip").octets());
            out.extend_from_slice(&src.port().to_be_bytes());
            out.extend_from_slice(&443u16.to_be_bytes());
        }
    }
    out
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Sends `bytes` on a new connection from 127.0.0.1 and reads until the
/// gateway closes it: the status (0 for none) and the whole answer.
fn exchange(addr: &str, bytes: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    exchange_on(&mut stream, bytes)
}

fn exchange_on(stream: &mut TcpStream, bytes: &[u8]) -> (u16, String) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or(0);
    (status, response)
}

/// The X-Forwarded-For the origin received (its JSON echo, after the head).
fn forwarded_for(response: &str) -> Option<String> {
    let body = response.split_once("\r\n\r\n")?.1;
    let echo: serde_json::Value = serde_json::from_str(body).ok()?;
    echo["headers"]["x-forwarded-for"].as_str().map(str::to_string)
}

#[test]
fn the_load_balancers_header_names_the_client_and_nothing_else_is_taken() {
    let _echo = origin("echo", "127.71.0.46:18001");
    let _gateway = Gateway::start("proxy_protocol", PLAIN, &[]);

    // v1, TCP4 and TCP6: the header's source is the client.
    let v1 = [b"PROXY TCP4 192.0.2.1 203.0.113.9 56324 80\r\n".as_slice(), &get("/x")].concat();
    let (status, response) = exchange(PLAIN, &v1);
    assert_eq!(status, 200, "{response}");
    assert_eq!(forwarded_for(&response).as_deref(), Some("192.0.2.1"));
    let v1 = [b"PROXY TCP6 2001:db8::1 2001:db8::9 4000 80\r\n".as_slice(), &get("/x")].concat();
    assert_eq!(forwarded_for(&exchange(PLAIN, &v1).1).as_deref(), Some("2001:db8::1"));
    // v2, IPv4 and IPv6.
    let header = v2("192.0.2.77:1234".parse().expect("address"));
    assert_eq!(forwarded_for(&exchange(PLAIN, &[header, get("/x")].concat()).1).as_deref(), Some("192.0.2.77"));
    let header = v2("[2001:db8::77]:1234".parse().expect("address"));
    assert_eq!(forwarded_for(&exchange(PLAIN, &[header, get("/x")].concat()).1).as_deref(), Some("2001:db8::77"));
    // v2 LOCAL and v1 UNKNOWN (health checks of the balancer): the
    // connection's own address.
    let mut local = v2("192.0.2.1:1".parse().expect("address"));
    local[12] = 0x20;
    assert_eq!(forwarded_for(&exchange(PLAIN, &[local, get("/x")].concat()).1).as_deref(), Some("127.0.0.1"));
    let unknown = [b"PROXY UNKNOWN\r\n".as_slice(), &get("/x")].concat();
    assert_eq!(forwarded_for(&exchange(PLAIN, &unknown).1).as_deref(), Some("127.0.0.1"));

    // The client is the client everywhere: `allow`/`deny` and limits.
    let from = |ip: &str, path: &str| {
        let header = format!("PROXY TCP4 {ip} 203.0.113.9 40000 80\r\n");
        exchange(PLAIN, &[header.as_bytes(), &get(path)].concat()).0
    };
    assert_eq!(from("192.0.2.1", "/doc/a"), 200);
    assert_eq!(from("198.51.100.7", "/doc/a"), 403);
    let limited: Vec<u16> = (0..3).map(|_| from("198.51.100.1", "/limited/x")).collect();
    assert_eq!(limited, [200, 200, 429]);
    assert_eq!(from("198.51.100.2", "/limited/x"), 200, "another client has a budget of its own");

    // Anything but a valid header closes the connection without an answer.
    for (case, bytes) in [
        ("no header", get("/x")),
        ("a lowercase v1", [b"proxy TCP4 192.0.2.1 203.0.113.9 1 80\r\n".as_slice(), &get("/x")].concat()),
        ("a bad address", [b"PROXY TCP4 192.0.2.300 203.0.113.9 1 80\r\n".as_slice(), &get("/x")].concat()),
        ("a bare LF", [b"PROXY TCP4 192.0.2.1 203.0.113.9 1 80\n".as_slice(), &get("/x")].concat()),
        ("a v2 of another version", {
            let mut header = v2("192.0.2.1:1".parse().expect("address"));
            header[12] = 0x31;
            [header, get("/x")].concat()
        }),
    ] {
        let (status, response) = exchange(PLAIN, &bytes);
        assert_eq!((status, response.as_str()), (0, ""), "{case}");
    }
    // A header that does not come in time (1s here): closed, no answer.
    let started = Instant::now();
    let (status, _) = exchange(PLAIN, b"PROXY TCP4 192.0.2.1");
    assert_eq!(status, 0);
    assert!(started.elapsed() < Duration::from_secs(9), "closed after the header timeout");

    // From a peer not in `trusted_proxies`: closed, whatever it sends.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&"127.72.0.9:0".parse::<SocketAddr>().expect("address").into()).expect("bind");
    socket.connect(&PLAIN.parse::<SocketAddr>().expect("address").into()).expect("connect");
    let mut untrusted: TcpStream = socket.into();
    let (status, response) = exchange_on(&mut untrusted, &v1);
    assert_eq!((status, response.as_str()), (0, ""), "an untrusted peer is refused");

    // A listener without `proxy_protocol` takes no header: 400, and the
    // client is the peer.
    let (status, _) =
        exchange(WITHOUT, &[b"PROXY TCP4 192.0.2.1 203.0.113.9 1 80\r\n".as_slice(), &get("/x")].concat());
    assert_eq!(status, 400);
    assert_eq!(forwarded_for(&exchange(WITHOUT, &get("/x")).1).as_deref(), Some("127.0.0.1"));

    // TLS: the header comes before the handshake.
    let mut tcp = TcpStream::connect(TLS).expect("connect");
    tcp.write_all(b"PROXY TCP4 192.0.2.55 203.0.113.9 40000 443\r\n").expect("header");
    let mut connector = openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls_client()).expect("connector");
    connector.set_ca_file(concat!(env!("CARGO_MANIFEST_DIR"), "/../certs/ca.crt")).expect("CA");
    let mut tls = connector.build().connect("gw.test", tcp).expect("TLS after the PROXY header");
    tls.write_all(&get("/x")).expect("request");
    let mut response = Vec::new();
    let _ = tls.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert_eq!(forwarded_for(&response).as_deref(), Some("192.0.2.55"));
    // Without the header, the TLS listener closes the connection.
    let tcp = TcpStream::connect(TLS).expect("connect");
    let connector = openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls_client()).expect("connector");
    assert!(connector.build().connect("gw.test", tcp).is_err(), "a handshake without the header is refused");
}
