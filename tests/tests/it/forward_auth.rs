//! `auth forward` against a real auth service the test runs
//! (tests/gw/forward_auth.gw): 2xx lets the request through with the
//! service's headers, any other answer goes back to the client as it was,
//! and a service that is down or late gives 503, never an open route.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::{Gateway, Reply, client, origin, send};

const GATEWAY: &str = "127.71.0.38:18080";

/// An auth service: `Bearer good` is alice (200 with her headers), `Bearer
/// login` is sent to a login page (302), `Bearer slow` waits 2 s, anything
/// else is 401 with a challenge and a body. It records the requests' heads.
struct AuthService {
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl AuthService {
    fn start(addr: &str) -> AuthService {
        let listener = TcpListener::bind(addr).expect("bind the auth service");
        listener.set_nonblocking(true).expect("nonblocking");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, halt) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !halt.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 16 << 10 {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let authorization = head
                    .lines()
                    .find_map(|line| {
                        line.strip_prefix("authorization: ").or_else(|| line.strip_prefix("Authorization: "))
                    })
                    .unwrap_or_default()
                    .to_string();
                log.lock().expect("log").push(head);
                let answer = match authorization.as_str() {
                    "Bearer good" => "HTTP/1.1 200 OK\r\nX-Auth-User: alice\r\nX-Auth-Groups: admin\r\nX-Internal: no\r\nContent-Length: 0\r\n".to_string(),
                    "Bearer login" => "HTTP/1.1 302 Found\r\nLocation: https://login.example/?rd=app\r\nSet-Cookie: flow=1\r\nContent-Length: 0\r\n".to_string(),
                    "Bearer slow" => {
                        std::thread::sleep(Duration::from_secs(2));
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n".to_string()
                    }
                    _ => "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"app\"\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n".to_string(),
                };
                let body = if answer.starts_with("HTTP/1.1 401") { "denied\n" } else { "" };
                let _ = stream.write_all(format!("{answer}Connection: close\r\n\r\n{body}").as_bytes());
            }
        });
        AuthService { seen, stop, thread: Some(thread) }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("log").clone()
    }
}

impl Drop for AuthService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn get(path: &str, authorization: Option<&str>) -> Reply {
    let request = client()
        .get(format!("http://{GATEWAY}{path}"))
        .header("Cookie", "session=abc")
        .header("X-Auth-User", "root")
        .header("X-Forwarded-Uri", "/forged");
    send(match authorization {
        Some(value) => request.header("Authorization", value),
        None => request,
    })
}

#[test]
fn the_auth_service_decides_and_a_failing_one_closes_the_route() {
    let echo = origin("echo", "127.71.0.38:18001");
    let auth = AuthService::start("127.71.0.38:18002");
    let _gateway = Gateway::start("forward_auth", GATEWAY, &[]);

    // 2xx: through, with the service's named headers (the client's own
    // X-Auth-User is gone), and not the others.
    let reply = get("/app/items?page=2", Some("Bearer good"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.received("x-auth-user").as_deref(), Some("alice"));
    assert_eq!(reply.received("x-auth-groups").as_deref(), Some("admin"));
    assert_eq!(reply.received("x-internal"), None);
    // What the service was asked: GET of its own path, the credentials,
    // and the gateway's X-Forwarded-* (not the client's).
    let head = auth.seen().last().cloned().expect("a request");
    let lower = head.to_ascii_lowercase();
    assert!(head.starts_with("GET /verify?app=1 HTTP/1.1\r\n"), "{head}");
    assert!(lower.contains("authorization: bearer good\r\n") && lower.contains("cookie: session=abc\r\n"), "{head}");
    assert!(lower.contains("x-forwarded-method: get\r\n"), "{head}");
    assert!(lower.contains("x-forwarded-uri: /app/items?page=2\r\n"), "{head}");
    assert!(lower.contains("x-forwarded-host: 127.71.0.38:18080\r\n"), "{head}");
    assert!(lower.contains("x-forwarded-for: 127.0.0.1\r\n"), "{head}");
    assert!(!lower.contains("x-auth-user"), "{head}");

    // Anything else goes back to the client as the service answered.
    let hits = echo.hits();
    let reply = get("/app/items", Some("Bearer bad"));
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer realm=\"app\""));
    assert_eq!(reply.body, "denied\n");
    let reply = get("/app/items", Some("Bearer login"));
    assert_eq!(reply.status, 302);
    assert_eq!(reply.header("location"), Some("https://login.example/?rd=app"));
    assert_eq!(reply.header("set-cookie"), Some("flow=1"));
    assert_eq!(get("/app/items", None).status, 401);
    assert_eq!(echo.hits(), hits, "denied requests never reach the upstream");

    // Late or down: 503.
    let started = Instant::now();
    assert_eq!(get("/app/items", Some("Bearer slow")).status, 503);
    assert!(started.elapsed() < Duration::from_millis(1_900), "the timeout did not cut the wait");
    assert_eq!(get("/down/items", Some("Bearer good")).status, 503);
    assert_eq!(echo.hits(), hits);
}
