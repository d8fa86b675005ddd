use std::time::{Duration, Instant};

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
