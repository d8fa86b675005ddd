use std::net::SocketAddr;
use std::time::Duration;

use socket2::{Domain, Socket, Type};

use crate::support::{Gateway, client, get, origin};

const GATEWAY: &str = "http://127.71.0.14:18080";

/// A listener that never accepts, with its queue filled: connecting to it
/// hangs until the connect timeout.
fn stuck_listener(addr: &str) -> (Socket, Vec<Socket>) {
    let addr: SocketAddr = addr.parse().expect("address");
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    listener.set_reuse_address(true).expect("reuse");
    listener.bind(&addr.into()).expect("bind");
    listener.listen(0).expect("listen");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let filler = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        filler.set_nonblocking(true).expect("nonblocking");
        let _ = filler.connect(&addr.into());
        fillers.push(filler);
    }
    std::thread::sleep(Duration::from_millis(100));
    (listener, fillers)
}

#[test]
fn timeouts_are_504_refusals_502_with_error_pages() {
    let _slow = origin("slow", "127.71.0.14:18001");
    let _stuck = stuck_listener("127.71.0.14:18009");
    let _gateway = Gateway::start("errors", "127.71.0.14:18080", &[]);
    let client = client();

    // The upstream answers after the read timeout: 504 with the server's page.
    let reply = get(&client, &format!("{GATEWAY}/slow/x?delay_ms=1500"));
    assert_eq!(reply.status, 504);
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(reply.body, "<h1>upstream trouble</h1>");
    // In time: the origin's answer.
    assert_eq!(get(&client, &format!("{GATEWAY}/slow/x?delay_ms=10")).status, 200);
    // A route's own page for a status replaces the server's, for that status only.
    let reply = get(&client, &format!("{GATEWAY}/quick/x?delay_ms=1500"));
    assert_eq!(reply.status, 504);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.body, "{\"error\":\"timeout\"}");
    // An origin's own error passes through untouched.
    let reply = get(&client, &format!("{GATEWAY}/quick/x?status=503"));
    assert_eq!(reply.status, 503);
    assert_eq!(reply.server(), "slow");
    // Connection refused: 502.
    let reply = get(&client, &format!("{GATEWAY}/refused/x"));
    assert_eq!(reply.status, 502);
    assert_eq!(reply.body, "<h1>upstream trouble</h1>");
    // Connect timeout: 504.
    let reply = get(&client, &format!("{GATEWAY}/stuck/x"));
    assert_eq!(reply.status, 504);
    // No route: the server's 404 page.
    let reply = get(&client, &format!("{GATEWAY}/nowhere"));
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.body, "{\"error\":\"no such route\"}");
}
