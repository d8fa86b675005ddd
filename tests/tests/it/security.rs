//! The security suite (docs/security.md): raw-socket attacks on a gateway in
//! front of an origin that records every byte it receives. Each case checks
//! the gateway's answer and what reached the origin; no smuggled request
//! may ever reach it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::recorder::Recorder;
use crate::support::Gateway;

const GATEWAY: &str = "127.71.0.27:18080";
const ORIGIN: &str = "127.71.0.27:18001";
const TOKEN: &str = "s3cret-token-value";

/// The tests share one fixture address: one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Suite {
    recorder: Recorder,
    gateway: Gateway,
    _serial: MutexGuard<'static, ()>,
}

fn suite(env: &[(&str, &str)]) -> Suite {
    let serial = serial();
    let recorder = Recorder::start(ORIGIN);
    let mut env = env.to_vec();
    env.push(("GW_TEST_TOKEN", TOKEN));
    let gateway = Gateway::start("security", GATEWAY, &env);
    Suite { recorder, gateway, _serial: serial }
}

/// What came back on one connection.
#[derive(Debug)]
struct Exchange {
    /// The status of each response, in order.
    statuses: Vec<u16>,
    /// The gateway closed the connection (rather than the read timing out).
    closed: bool,
    text: String,
}

/// Sends `bytes` on a new connection, then reads until the gateway closes
/// it or `wait` passes without a byte.
fn exchange_waiting(addr: &str, bytes: &[u8], wait: Duration) -> Exchange {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(wait)).expect("timeout");
    stream.write_all(bytes).expect("send");
    let mut received = Vec::new();
    let mut chunk = [0u8; 8192];
    let closed = loop {
        match stream.read(&mut chunk) {
            Ok(0) => break true,
            Ok(read) => received.extend_from_slice(&chunk[..read]),
            Err(error) if matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                break false;
            }
            Err(_) => break true,
        }
    };
    let text = String::from_utf8_lossy(&received).into_owned();
    let statuses = text
        .match_indices("HTTP/1.1 ")
        .filter(|(at, _)| *at == 0 || text[..*at].ends_with('\n'))
        .filter_map(|(at, _)| text.get(at + 9..at + 12)?.parse().ok())
        .collect();
    Exchange { statuses, closed, text }
}

fn exchange(bytes: &str) -> Exchange {
    exchange_waiting(GATEWAY, bytes.as_bytes(), Duration::from_secs(3))
}

/// Sends a request that must be refused with `status` and the connection
/// closed, with a smuggled request after it; the origin must see nothing.
fn assert_refused(suite: &Suite, status: u16, request: &str) {
    suite.recorder.clear();
    let smuggled = format!("{request}GET /smuggled HTTP/1.1\r\nHost: gw.test\r\n\r\n");
    let answer = exchange(&smuggled);
    assert_eq!(answer.statuses, vec![status], "{request:?}:\n{}", answer.text);
    assert!(answer.closed, "the connection stays open after {request:?}");
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(suite.recorder.requests().len(), 0, "{request:?} reached the origin: {:?}", suite.recorder.requests());
    assert_no_smuggling(suite);
}

fn assert_no_smuggling(suite: &Suite) {
    let bytes = String::from_utf8_lossy(&suite.recorder.bytes()).into_owned();
    assert!(!bytes.contains("smuggled"), "the origin received a smuggled request:\n{bytes}");
}

#[test]
fn request_smuggling_is_refused() {
    let suite = suite(&[]);
    // CL.TE and TE.CL: both framing fields.
    assert_refused(
        &suite,
        400,
        "POST / HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert_refused(
        &suite,
        400,
        "POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    );
    // Content-Length twice, even the same; lists; signs.
    for lengths in
        ["Content-Length: 3\r\nContent-Length: 3", "Content-Length: 3\r\nContent-Length: 4", "Content-Length: 3, 3"]
    {
        assert_refused(&suite, 400, &format!("POST / HTTP/1.1\r\nHost: gw.test\r\n{lengths}\r\n\r\nabc"));
    }
    assert_refused(&suite, 400, "POST / HTTP/1.1\r\nHost: gw.test\r\nContent-Length: +3\r\n\r\nabc");
    // Obfuscated Transfer-Encoding.
    for coding in [
        "Transfer-Encoding: xchunked",
        "Transfer-Encoding: chunked, chunked",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        "Transfer-Encoding : chunked",
        "Transfer-Encoding: \"chunked\"",
        "Transfer-Encoding:\x0bchunked",
        " Transfer-Encoding: chunked",
    ] {
        let request = format!("POST / HTTP/1.1\r\nHost: gw.test\r\n{coding}\r\n\r\n0\r\n\r\n");
        assert_refused(&suite, 400, &request);
    }
    // Codings the gateway does not implement.
    assert_refused(
        &suite,
        501,
        "POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    );
    // Transfer-Encoding in HTTP/1.0.
    assert_refused(&suite, 400, "POST / HTTP/1.0\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    // Bare LF and bare CR in the head.
    assert_refused(&suite, 400, "GET / HTTP/1.1\nHost: gw.test\n\n");
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\nX-A: b\r\n\r\n");
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nX-A: b\rX-B: c\r\n\r\n");

    // Malformed chunked framing is refused with 400 before anything is sent
    // upstream: the origin receives no byte at all.
    let long_extension = format!("5;ext={}\r\nhello\r\n0\r\n\r\n", "x".repeat(5000));
    let bodies = [
        "zz\r\nabc\r\n0\r\n\r\n",
        "fffffffffffffffffff1\r\nabc\r\n0\r\n\r\n",
        "-3\r\nabc\r\n0\r\n\r\n",
        "0x5\r\nhello\r\n0\r\n\r\n",
        "3\nabc\r\n0\r\n\r\n",
        "5;a\nb\r\nhello\r\n0\r\n\r\n",
        "5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n",
        "3\r\nabcXX0\r\n\r\n",
        "3\r\nabc\r\n0\r\nTrailer: a\n\r\n",
        long_extension.as_str(),
    ];
    for body in bodies {
        assert_refused(
            &suite,
            400,
            &format!("POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n{body}"),
        );
        assert!(suite.recorder.bytes().is_empty(), "{body:?}: the origin received bytes");
    }
    // The same when the body comes after the head, in a later packet: the
    // upstream request is not opened before the first chunk's size line.
    for body in ["zz\r\nabc\r\n0\r\n\r\n", "5;a\nb\r\nhello\r\n0\r\n\r\n"] {
        suite.recorder.clear();
        let mut stream = TcpStream::connect(GATEWAY).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(3))).expect("timeout");
        stream.write_all(b"POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n").expect("head");
        std::thread::sleep(Duration::from_millis(150));
        assert!(suite.recorder.bytes().is_empty(), "the head went upstream before the first chunk");
        stream.write_all(body.as_bytes()).expect("body");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 400 "), "{body:?}: {answer}");
        std::thread::sleep(Duration::from_millis(50));
        assert!(suite.recorder.bytes().is_empty(), "{body:?}: the origin received bytes");
    }
    // A body that goes bad after its first chunk is cut off: the origin
    // never reads a complete request, nor a smuggled one.
    suite.recorder.clear();
    let mut stream = TcpStream::connect(GATEWAY).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(3))).expect("timeout");
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        .expect("head");
    std::thread::sleep(Duration::from_millis(150));
    let _ = stream.write_all(b"2;x\ny\r\nhi\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: gw.test\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(!answer.starts_with("HTTP/1.1 200 "), "{answer}");
    std::thread::sleep(Duration::from_millis(50));
    assert!(suite.recorder.requests().is_empty(), "{:?}", suite.recorder.requests());
    assert_no_smuggling(&suite);

    // A chunked body the gateway can read is passed on whole, re-framed:
    // the origin reads exactly one request, with the body.
    suite.recorder.clear();
    let answer = exchange(
        "POST / HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    );
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    let requests = suite.recorder.wait_for(1);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"abc");

    // Bytes after a request's body (pipelining) are never read as a second
    // request: the first is answered, then the connection is closed, and a
    // client retries the rest on a new one (RFC 9112 §9.3.2).
    suite.recorder.clear();
    let answer = exchange(
        "POST /one HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\n\r\nabcGET /two HTTP/1.1\r\nHost: gw.test\r\n\r\n",
    );
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    assert!(answer.closed, "{}", answer.text);
    let requests = suite.recorder.wait_for(1);
    let lines: Vec<&str> = requests.iter().map(|request| request.line()).collect();
    assert_eq!(lines, ["POST /one HTTP/1.1"]);
    assert_eq!(requests[0].body, b"abc");
}

#[test]
fn host_attacks_are_refused() {
    let suite = suite(&[]);
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\n\r\n");
    for host in ["gw test", "gw.test/x", "user@gw.test", "gw.test:80x", "[::1", "", "gw.test\\x"] {
        assert_refused(&suite, 400, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
    }
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nHost: evil.test\r\n\r\n");
    // An absolute-form target must agree with Host, and needs it in HTTP/1.1.
    assert_refused(&suite, 400, "GET http://evil.test/ HTTP/1.1\r\nHost: gw.test\r\n\r\n");
    assert_refused(&suite, 400, "GET http://gw.test/ HTTP/1.1\r\n\r\n");

    // Byte for byte, as Pingora compares them.
    assert_refused(&suite, 400, "GET http://GW.test/ HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    // A PROXY protocol header (v1, v2) on a listener without
    // `proxy_protocol` cannot choose the client's address: it is a
    // malformed request.
    assert_refused(
        &suite,
        400,
        "PROXY TCP4 192.0.2.1 127.71.0.27 1234 18080\r\nGET / HTTP/1.1\r\nHost: gw.test\r\n\r\n",
    );
    assert_refused(
        &suite,
        400,
        "\r\n\r\n\0\r\nQUIT\n\x21\x11\0\x0c\x7f\0\0\x01\x7f\0\0\x01\x04\x04\x46\x50GET / HTTP/1.1\r\nHost: gw.test\r\n\r\n",
    );

    suite.recorder.clear();
    let answer = exchange("GET http://gw.test/public/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    let requests = suite.recorder.wait_for(1);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers("host"), ["gw.test"]);
    // HTTP/1.0 needs no Host.
    let answer = exchange("GET /public/ HTTP/1.0\r\n\r\n");
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
}

#[test]
fn header_injection_and_hop_by_hop_abuse_are_refused() {
    let suite = suite(&[]);
    // A field value cannot carry another field.
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nX-A: 1\rX-Injected: 1\r\n\r\n");
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nX-A: 1\0X-Injected: 1\r\n\r\n");
    // Folded lines, and space before the colon.
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nX-A: 1\r\n X-Injected: 1\r\n\r\n");
    assert_refused(&suite, 400, "GET / HTTP/1.1\r\nHost: gw.test\r\nX-A : 1\r\n\r\n");
    // Connection may not name what routes, frames or traces the request.
    for named in ["X-Forwarded-For", "Host", "Content-Length", "x-forwarded-proto", "\"X-Forwarded-For\""] {
        assert_refused(
            &suite,
            400,
            &format!("GET / HTTP/1.1\r\nHost: gw.test\r\nConnection: keep-alive, {named}\r\n\r\n"),
        );
    }

    // Hop-by-hop fields, and those Connection names, stop at the gateway;
    // the gateway's own X-Forwarded-For reaches the origin.
    suite.recorder.clear();
    let answer = exchange(
        "GET /public/ HTTP/1.1\r\nHost: gw.test\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=99\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Forwarded-For: 10.6.6.6\r\n\r\n",
    );
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    let requests = suite.recorder.wait_for(1);
    assert_eq!(requests.len(), 1);
    let seen = &requests[0];
    for hop in ["x-secret", "keep-alive", "proxy-connection", "te", "upgrade"] {
        assert!(seen.headers(hop).is_empty(), "{hop} reached the origin:\n{}", seen.head);
    }
    let forwarded = seen.headers("x-forwarded-for").join(", ");
    assert!(forwarded.ends_with("127.0.0.1"), "X-Forwarded-For: {forwarded}");
}

#[test]
fn paths_cannot_bypass_routes() {
    let suite = suite(&[]);
    for path in ["/public/../admin/x", "/%61dmin/x", "/admin//x", "//admin/x", "/public/%2e%2e/admin/x"] {
        let answer = exchange(&format!("GET {path} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n"));
        assert_eq!(answer.statuses, vec![401], "{path}: {}", answer.text);
    }
    // An absolute-form target routes by its path like any other.
    let answer =
        exchange("GET http://gw.test/public/../admin/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assert_eq!(answer.statuses, vec![401], "{}", answer.text);
    for path in ["/a/../../b", "/%2e%2e/admin/x", "/public/..%2fadmin/x", "/admin%2fx", "/a%00b", "/%2E%2E/etc/passwd"]
    {
        assert_refused(&suite, 400, &format!("GET {path} HTTP/1.1\r\nHost: gw.test\r\n\r\n"));
    }
    // `*` is only for OPTIONS, which the gateway answers itself.
    assert_refused(&suite, 400, "GET * HTTP/1.1\r\nHost: gw.test\r\n\r\n");
    suite.recorder.clear();
    let answer = exchange("OPTIONS * HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    assert!(answer.text.contains("Allow: GET, HEAD, POST"), "{}", answer.text);
    assert_eq!(suite.recorder.requests().len(), 0);
    // No tunnel through a gateway whose routes do not proxy CONNECT.
    let answer = exchange("CONNECT gw.test:443 HTTP/1.1\r\nHost: gw.test:443\r\n\r\n");
    assert_eq!(answer.statuses, vec![405], "{}", answer.text);
    assert_eq!(suite.recorder.requests().len(), 0);
    // What is let through reaches the origin normalised.
    let answer = exchange(&format!(
        "GET /public/a/./b/../c HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(answer.statuses, vec![200], "{}", answer.text);
    assert_eq!(suite.recorder.wait_for(1)[0].line(), "GET /public/a/c HTTP/1.1");
    // An absolute-form target is forwarded in origin form (RFC 9112 §3.2.2),
    // normal or not, with the client's Host.
    for (target, forwarded) in
        [("http://gw.test/public/x?a=1", "/public/x?a=1"), ("http://gw.test/public/./y", "/public/y")]
    {
        suite.recorder.clear();
        let answer = exchange(&format!("GET {target} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n"));
        assert_eq!(answer.statuses, vec![200], "{target}: {}", answer.text);
        let received = &suite.recorder.wait_for(1)[0];
        assert_eq!(received.line(), format!("GET {forwarded} HTTP/1.1"), "{target}");
    }
}

#[test]
fn whitespace_and_controls_in_the_request_target_are_refused() {
    let suite = suite(&[]);
    // RFC 9112 §3.2: no whitespace or control character in the target.
    // Pingora's parser would percent-encode them and go on.
    for target in ["/\r\r\rpublic/p", "/public/a\x0bb", "/public/a\tb", "/public/a b", "/public/\x7f", "/public/a\x01"]
    {
        assert_refused(&suite, 400, &format!("POST {target} HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 0\r\n\r\n"));
    }
    assert_refused(&suite, 400, "GET  /public/x HTTP/1.1\r\nHost: gw.test\r\n\r\n");
    // On a reused connection, the next request's line is checked too.
    suite.recorder.clear();
    let mut stream = TcpStream::connect(GATEWAY).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(3))).expect("timeout");
    stream.write_all(b"GET /public/ok HTTP/1.1\r\nHost: gw.test\r\n\r\n").expect("send");
    suite.recorder.wait_for(1);
    std::thread::sleep(Duration::from_millis(100));
    stream.write_all(b"GET /public/a\tb HTTP/1.1\r\nHost: gw.test\r\n\r\n").expect("send");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 200") && text.contains("HTTP/1.1 400"), "{text}");
    let seen: Vec<String> = suite.recorder.requests().iter().map(|request| request.line().to_string()).collect();
    assert_eq!(seen, ["GET /public/ok HTTP/1.1"]);
}

#[test]
fn oversized_heads_are_refused_with_the_default_limits() {
    let suite = suite(&[]);
    // Request line: 8 KiB.
    let under = format!("GET /{} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n", "a".repeat(8000));
    assert_eq!(exchange(&under).statuses, vec![200]);
    assert_refused(&suite, 414, &format!("GET /{} HTTP/1.1\r\nHost: gw.test\r\n\r\n", "a".repeat(8200)));
    // Header fields: 100.
    let fields = |count: usize| (0..count).map(|index| format!("X-F{index}: v\r\n")).collect::<String>();
    let under = format!("GET / HTTP/1.1\r\nHost: gw.test\r\n{}Connection: close\r\n\r\n", fields(97));
    assert_eq!(exchange(&under).statuses, vec![200]);
    assert_refused(&suite, 431, &format!("GET / HTTP/1.1\r\nHost: gw.test\r\n{}\r\n", fields(100)));
    // Request head: 32 KiB.
    assert_refused(
        &suite,
        431,
        &format!("GET / HTTP/1.1\r\nHost: gw.test\r\nX-Big: {}\r\n\r\n", "b".repeat(33 * 1024)),
    );
    // Beyond what Pingora reads at all (1 MiB): refused, and the gateway lives on.
    let huge = format!("GET / HTTP/1.1\r\nHost: gw.test\r\nX-Huge: {}\r\n\r\n", "h".repeat(2 << 20));
    let answer = exchange_waiting(GATEWAY, huge.as_bytes(), Duration::from_secs(3));
    assert!(answer.statuses.iter().all(|status| *status == 400 || *status == 431), "{}", &answer.text);
    let answer = exchange("GET /public/ HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assert_eq!(answer.statuses, vec![200]);
}

#[test]
fn limits_written_in_the_file_apply() {
    let recorder = Recorder::start("127.71.0.28:18001");
    let _gateway = Gateway::start("security_limits", "127.71.0.28:18080", &[]);
    let addr = "127.71.0.28:18080";
    let send = |request: String| exchange_waiting(addr, request.as_bytes(), Duration::from_secs(3));
    assert_eq!(
        send(format!("GET /{} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "a".repeat(200))).statuses,
        [200]
    );
    assert_eq!(send(format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "a".repeat(300))).statuses, [414]);
    let fields = |count: usize| (0..count).map(|index| format!("X-F{index}: v\r\n")).collect::<String>();
    assert_eq!(send(format!("GET / HTTP/1.1\r\nHost: a\r\n{}Connection: close\r\n\r\n", fields(6))).statuses, [200]);
    assert_eq!(send(format!("GET / HTTP/1.1\r\nHost: a\r\n{}\r\n", fields(8))).statuses, [431]);
    assert_eq!(send(format!("GET / HTTP/1.1\r\nHost: a\r\nX-B: {}\r\n\r\n", "b".repeat(1100))).statuses, [431]);
    assert_eq!(recorder.requests().len(), 2);
}

#[test]
fn slow_clients_are_cut_off() {
    let suite = suite(&[]);
    // Slowloris: a head trickling in, a byte every 200 ms, is cut off after
    // the header timeout (1 s) although each byte comes well within it.
    let mut stream = TcpStream::connect(GATEWAY).expect("connect");
    stream.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    stream.write_all(b"GET / HTTP/1.1\r\nHost: gw.test\r\n").expect("send");
    let started = Instant::now();
    let mut closed = false;
    for _ in 0..50 {
        if stream.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => panic!("the gateway answered a head that never ended"),
            Err(_) => {}
        }
    }
    assert!(closed, "a trickling head kept the connection open for {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(5), "closed only after {:?}", started.elapsed());
    assert_eq!(suite.recorder.requests().len(), 0);

    // A connection that says nothing at all is closed too.
    let answer = exchange_waiting(GATEWAY, b"", Duration::from_secs(4));
    assert!(answer.closed && answer.statuses.is_empty(), "{answer:?}");

    // A request body that stops coming: 408 after the body timeout (1 s).
    let answer = exchange_waiting(
        GATEWAY,
        b"POST /public/ HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 10\r\n\r\nabc",
        Duration::from_secs(4),
    );
    assert_eq!(answer.statuses, vec![408], "{}", answer.text);
    assert!(answer.closed);

    // A kept-alive connection left idle is closed after the keep-alive
    // timeout (2 s), and the next request on a connection gets its own
    // header timeout, counted from its first byte.
    let mut stream = TcpStream::connect(GATEWAY).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    stream.write_all(b"GET /public/ HTTP/1.1\r\nHost: gw.test\r\n\r\n").expect("send");
    let mut first = [0u8; 512];
    let read = stream.read(&mut first).expect("response");
    assert!(first[..read].starts_with(b"HTTP/1.1 200"));
    std::thread::sleep(Duration::from_millis(1500));
    stream.write_all(b"GET /public/ HTTP/1.1\r\nHost: gw.test\r\n\r\n").expect("second request");
    let read = stream.read(&mut first).expect("second response");
    assert!(first[..read].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&first[..read]));
    let idle = Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(idle.elapsed() >= Duration::from_millis(1500), "closed after {:?}", idle.elapsed());
    assert!(idle.elapsed() < Duration::from_secs(5), "still open after {:?}", idle.elapsed());
}

#[test]
fn secrets_are_never_logged() {
    // Even at the most verbose level.
    let suite = suite(&[("RUST_LOG", "trace")]);
    let ok = exchange(&format!(
        "GET /admin/x HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer {TOKEN}\r\nCookie: session=c00kie-value\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(ok.statuses, vec![200]);
    let wrong = exchange(
        "GET /admin/x HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer wr0ng-token-value\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(wrong.statuses, vec![403]);
    // A malformed request whose raw head Pingora would print at debug level.
    let bad = exchange(&format!(
        "GET /admin/x HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer {TOKEN}\r\nBad Header: x\r\n\r\n"
    ));
    assert_eq!(bad.statuses, vec![400]);
    std::thread::sleep(Duration::from_millis(100));
    let log = suite.gateway.log_text();
    assert!(!log.is_empty(), "the gateway logged nothing at trace level");
    for secret in [TOKEN, "wr0ng-token-value", "c00kie-value"] {
        assert!(!log.contains(secret), "`{secret}` is in the log:\n{log}");
    }
}
