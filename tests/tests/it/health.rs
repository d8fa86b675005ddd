use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;

use crate::servers::Background;
use crate::support::{Gateway, client, get, origin};

const GATEWAY: &str = "http://127.71.0.22:18080";

/// Sends requests until `done` says so, at most for 5 s; every answer must be 200.
fn until(client: &reqwest::blocking::Client, path: &str, mut done: impl FnMut(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = get(client, &format!("{GATEWAY}{path}"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        if done(&reply.server()) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out on {path}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn dead_backends_are_avoided_without_errors_and_come_back() {
    let mut first = Some(origin("first", "127.71.0.22:18001"));
    let mut second = Some(origin("second", "127.71.0.22:18002"));
    let backup = origin("backup", "127.71.0.22:18009");
    let _gateway = Gateway::start("health", "127.71.0.22:18080", &[]);
    let client = client();

    // Both primaries serve; the backup does not.
    std::thread::sleep(Duration::from_millis(300));
    let servers: Vec<String> = (0..10).map(|_| get(&client, &format!("{GATEWAY}/x")).server()).collect();
    assert!(servers.contains(&"first".to_string()) && servers.contains(&"second".to_string()), "{servers:?}");
    assert!(!servers.contains(&"backup".to_string()), "the backup served while primaries were up: {servers:?}");

    // Stop one: no client sees an error (a refused connection is retried on
    // the other backend), and after the health interval it gets nothing.
    drop(first.take());
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1200) {
        let reply = get(&client, &format!("{GATEWAY}/x"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.server(), "second");
    }

    // Back: it receives traffic again.
    first = Some(origin("first", "127.71.0.22:18001"));
    until(&client, "/x", |server| server == "first");

    // Both primaries down: after the health interval, the backup answers.
    drop(first.take());
    drop(second.take());
    std::thread::sleep(Duration::from_millis(600));
    until(&client, "/x", |server| server == "backup");
    // The backup is health-checked too: its origin saw the checks.
    assert!(backup.hits() > 1);
}

#[test]
fn a_backend_failing_its_tcp_check_is_not_used() {
    let _gateway = Gateway::start("health_tcp", "127.71.0.22:18081", &[]);
    let client = client();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(&client, "http://127.71.0.22:18081/tcp/x").status, 502);
    let _origin = origin("late", "127.71.0.22:18011");
    let deadline = Instant::now() + Duration::from_secs(5);
    while get(&client, "http://127.71.0.22:18081/tcp/x").status != 200 {
        assert!(Instant::now() < deadline, "the backend never became healthy");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A backend that accepts connections, reads what it is sent and never
/// answers; what it read is kept, one entry per connection.
fn silent_backend(addr: &str) -> (Background, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = std::net::TcpListener::bind(addr).expect("bind the silent backend");
    listener.set_nonblocking(true).expect("nonblocking");
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let server = Background::spawn("silent", async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let index = match log.lock() {
                    Ok(mut log) => {
                        log.push(Vec::new());
                        log.len() - 1
                    }
                    Err(_) => return,
                };
                let mut chunk = [0u8; 4096];
                while let Ok(read @ 1..) = stream.read(&mut chunk).await {
                    if let Ok(mut log) = log.lock() {
                        log[index].extend_from_slice(&chunk[..read]);
                    }
                }
            });
        }
    });
    (server, received)
}

#[test]
fn a_backend_that_accepts_and_never_answers_fails_its_http_check() {
    let _answers = origin("answers", "127.71.0.22:18021");
    let (_silent, received) = silent_backend("127.71.0.22:18022");
    let _gateway = Gateway::start("health_silent", "127.71.0.22:18082", &[]);
    let client = client();

    // The silent backend is checked: it is sent `GET /health`, which never
    // gets an answer. Within its 200 ms timeout, the check fails.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !received.lock().map(|log| log.iter().any(|bytes| bytes.starts_with(b"GET /health "))).unwrap_or(false) {
        assert!(Instant::now() < deadline, "the silent backend was never checked");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(600));

    // Every request goes to the backend that answers; none reaches the
    // silent one (without a bound on the check, it stays healthy and half of
    // these wait out the read timeout: 504).
    for _ in 0..10 {
        let reply = get(&client, "http://127.71.0.22:18082/api/x");
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.server(), "answers");
    }
    let log = received.lock().map(|log| log.clone()).unwrap_or_default();
    let proxied: Vec<String> = log
        .iter()
        .filter(|bytes| !bytes.is_empty() && !bytes.starts_with(b"GET /health "))
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(proxied.is_empty(), "requests reached the silent backend: {proxied:?}");
    // It keeps being checked: a new connection per check, each timed out.
    assert!(log.len() >= 2, "the silent backend was checked {} time(s)", log.len());
}
