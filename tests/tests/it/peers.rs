use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};

use crate::servers::{ConnectProxy, HyperOrigin, TestPki, websocket_echo};
use crate::support::{Gateway, Origin, client, get, origin};

const GATEWAY: &str = "http://127.71.0.23:18080";

#[test]
fn dns_unix_tls_h2_grpc_connect_and_websocket_peers() {
    let pki = TestPki::new("peers");
    let _dns = origin("dns", "127.0.0.1:18231");
    let _socket = Origin::start_unix("socket", "/tmp/gw-it-peers.sock").expect("unix origin");
    let mtls = HyperOrigin::start("mtls", "127.71.0.23:18002", Some(pki.acceptor(&[b"h2", b"http/1.1"], true)));
    let _h2 = HyperOrigin::start("h2", "127.71.0.23:18003", Some(pki.acceptor(&[b"h2"], false)));
    let _unverified = HyperOrigin::start("unverified", "127.71.0.23:18009", Some(pki.acceptor(&[b"http/1.1"], false)));
    let _h2c = HyperOrigin::start("h2c", "127.71.0.23:18004", None);
    let _grpc = HyperOrigin::start("grpc", "127.71.0.23:18005", None);
    let _tunnel = origin("tunnel", "127.71.0.23:18006");
    let proxy = ConnectProxy::start("127.71.0.23:18007");
    let _ws = websocket_echo("127.71.0.23:18008");
    let env = [
        ("GW_TEST_CA", pki.path("ca.crt")),
        ("GW_TEST_CLIENT_CERT", pki.path("client.crt")),
        ("GW_TEST_CLIENT_KEY", pki.path("client.key")),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let _gateway = Gateway::start("peers", "127.71.0.23:18080", &env);
    let client = client();
    let body = |path: &str| {
        let reply = get(&client, &format!("{GATEWAY}{path}"));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.body
    };

    // A DNS name, resolved in the background (it may take a moment at start).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while get(&client, &format!("{GATEWAY}/dns/x")).status != 200 {
        assert!(std::time::Instant::now() < deadline, "localhost never resolved");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(body("/dns/x").contains("\"server\":\"dns\""));
    assert!(body("/socket/x").contains("\"server\":\"socket\""));

    // TLS with a CA and a client certificate made at test time; h2 preferred by ALPN.
    assert_eq!(body("/mtls/x"), "server mtls, HTTP/2.0\n");
    let seen = mtls.seen();
    assert!(
        !seen.is_empty()
            && seen.iter().all(|seen| seen.client_certificate && seen.version == "HTTP/2.0" && seen.path == "/mtls/x"),
        "{seen:?}"
    );
    assert_eq!(body("/h2/x"), "server h2, HTTP/2.0\n");
    assert_eq!(body("/unverified/x"), "server unverified, HTTP/1.1\n");
    assert_eq!(body("/h2c/x"), "server h2c, HTTP/2.0\n");

    // Through a forward proxy, with CONNECT.
    assert!(body("/tunnel/x").contains("\"server\":\"tunnel\""));
    assert!(proxy.targets.lock().map(|targets| targets.contains(&"127.71.0.23:18006".to_string())).unwrap_or(false));

    // gRPC over h2, trailers passed through.
    let (status, trailers) = grpc_call();
    assert_eq!(status, 200);
    assert_eq!(trailers.get("grpc-status").map(|value| value.as_bytes()), Some(&b"0"[..]));
    assert_eq!(trailers.get("grpc-message").map(|value| value.as_bytes()), Some(&b"served-by-origin"[..]));

    // WebSocket: an idle connection outlives the upstream's 500ms read
    // timeout on a `websocket` route, and not on another.
    assert!(websocket_survives_idle("/ws/chat"), "a `websocket` route cut an idle connection");
    assert!(!websocket_survives_idle("/no-ws/chat"), "the read timeout did not apply without `websocket`");
}

fn grpc_call() -> (u16, http::HeaderMap) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let tcp = tokio::net::TcpStream::connect("127.71.0.23:18443").await.expect("connect");
        let mut connector =
            openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls_client()).expect("connector");
        connector.set_ca_file(concat!(env!("CARGO_MANIFEST_DIR"), "/../certs/ca.crt")).expect("ca");
        connector.set_alpn_protos(b"\x02h2").expect("alpn");
        let ssl = connector.build().configure().and_then(|config| config.into_ssl("gw.test")).expect("ssl");
        let mut stream = tokio_openssl::SslStream::new(ssl, tcp).expect("stream");
        Pin::new(&mut stream).connect().await.expect("handshake");
        assert_eq!(stream.ssl().selected_alpn_protocol(), Some(&b"h2"[..]));
        let io = hyper_util::rt::TokioIo::new(stream);
        let (mut sender, connection) =
            hyper::client::conn::http2::handshake(hyper_util::rt::TokioExecutor::new(), io).await.expect("h2");
        tokio::spawn(connection);
        let request = http::Request::post("https://gw.test:18443/grpc.Test/Echo")
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(Full::new(Bytes::from_static(b"\0\0\0\0\0")))
            .expect("request");
        let response = sender.send_request(request).await.expect("response");
        let status = response.status().as_u16();
        let collected = response.into_body().collect().await.expect("body");
        (status, collected.trailers().cloned().unwrap_or_default())
    })
}

/// Opens a WebSocket through the gateway, checks an echo, waits 1.2s, and
/// says whether a second echo still comes back.
fn websocket_survives_idle(path: &str) -> bool {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let url = format!("ws://127.71.0.23:18080{path}");
        let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("websocket handshake");
        socket.send(Message::text("hello")).await.expect("send");
        let echo = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("echo in time");
        assert_eq!(echo.and_then(Result::ok), Some(Message::text("echo: hello")));
        tokio::time::sleep(Duration::from_millis(1200)).await;
        if socket.send(Message::text("again")).await.is_err() {
            return false;
        }
        match tokio::time::timeout(Duration::from_secs(3), socket.next()).await {
            Ok(Some(Ok(message))) => message == Message::text("echo: again"),
            _ => false,
        }
    })
}

#[test]
fn pooled_connections_are_reused_only_by_the_upstream_that_made_them() {
    let pki = TestPki::new("pools");
    let other = TestPki::new("pools-other");
    let origin = HyperOrigin::start("tls", "127.71.0.33:18001", Some(pki.acceptor(&[b"h2", b"http/1.1"], false)));
    let env = [("GW_TEST_CA", pki.path("ca.crt")), ("GW_TEST_OTHER_CA", other.path("ca.crt"))];
    let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let _gateway = Gateway::start("pools", "127.71.0.33:18080", &env);
    let client = client();
    let get = |path: &str| get(&client, &format!("http://127.71.0.33:18080{path}"));

    // A connection verified against the right CA is pooled...
    let trusted = get("/trusted/x");
    assert_eq!((trusted.status, trusted.body.as_str()), (200, "server tls, HTTP/1.1\n"));
    // ...and not lent to an upstream whose CA does not sign the origin's
    // certificate: that upstream connects itself and fails to verify.
    let strict = get("/strict/x");
    assert_eq!(strict.status, 502, "a connection verified with another CA was reused: {}", strict.body);
    assert_eq!(origin.seen().len(), 1, "{:?}", origin.seen());

    // An HTTP/1.1 connection of one upstream is not taken by an upstream
    // that asks for HTTP/2 by ALPN: it makes its own and gets HTTP/2.
    assert_eq!(get("/h1/x").body, "server tls, HTTP/1.1\n");
    assert_eq!(get("/h2h1/x").body, "server tls, HTTP/2.0\n");
    // Each upstream reuses its own connection.
    assert_eq!(get("/h2h1/y").body, "server tls, HTTP/2.0\n");
}
