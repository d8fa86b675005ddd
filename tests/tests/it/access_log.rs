//! `access_log`: fixture `tests/gw/access_log.gw`, started in a directory of
//! its own where its log files are written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::Value;

use crate::support::{Gateway, client, get, origin, send};

const BASE: &str = "http://127.71.0.40:18080";

/// The lines of `path` once it holds at least `count` (waiting up to 5 s:
/// lines are written off the request path).
fn lines(path: &Path, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.len() >= count || Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn json_lines(path: &Path, count: usize) -> Vec<Value> {
    lines(path, count).iter().map(|line| serde_json::from_str(line).expect("a JSON line")).collect()
}

fn directory() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("access-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("log directory");
    dir
}

#[test]
fn a_line_per_request_with_every_field_rotated_on_sigusr1() {
    let _origin = origin("origin", "127.71.0.40:18001");
    let dir = directory();
    let gateway = Gateway::start_in("access_log", "127.71.0.40:18080", &[("GW_ALICE_PASSWORD", "wonderland")], &dir);
    let client = client();
    let log = dir.join("access.log");

    let proxied = send(client.get(format!("{BASE}/api/items?token=s3cret&page=2")).header("User-Agent", "probe/1"));
    assert_eq!(proxied.status, 200);
    let line = &json_lines(&log, 1)[0];
    assert_eq!(line["method"], "GET");
    assert_eq!(line["target"], "/api/items?token=REDACTED&page=2", "the token never reaches the log");
    assert_eq!(line["protocol"], "HTTP/1.1");
    assert_eq!(line["host"], "127.71.0.40", "the host, without the port");
    assert_eq!(line["status"], 200);
    assert_eq!(line["client"], "127.0.0.1");
    assert_eq!(line["route"], "/");
    assert_eq!(line["upstream"], "origin");
    assert_eq!(line["backend"], "127.71.0.40:18001");
    assert_eq!(line["user_agent"], "probe/1");
    assert_eq!(line["bytes_sent"].as_u64(), Some(proxied.body.len() as u64));
    assert!(line["duration"].as_f64().is_some_and(|duration| duration >= 0.0));
    assert!(line["upstream_duration"].as_f64().is_some());
    assert_eq!(line["request_id"].as_str(), proxied.header("x-request-id"));
    assert!(line["time"].as_str().is_some_and(|time| time.len() == 24 && time.ends_with('Z')), "{line}");
    assert_eq!(line["cache"], Value::Null);
    assert_eq!(line["outcome"], Value::Null);
    assert!(!std::fs::read_to_string(&log).unwrap_or_default().contains("s3cret"));

    // `access_log off`: the health route writes nothing.
    assert_eq!(get(&client, &format!("{BASE}/health")).status, 200);
    // The user `auth basic` let through, and the cache's part.
    // `public` lets a shared cache store an answer to `Authorization`.
    let private = format!("{BASE}/private/page?cache_control=public%2C%20max-age%3D60");
    send(client.get(&private).basic_auth("alice", Some("wonderland")));
    send(client.get(&private).basic_auth("alice", Some("wonderland")));
    assert_eq!(send(client.get(&private)).status, 401);
    assert_eq!(get(&client, &format!("{BASE}/denied/x")).status, 403);
    let written = json_lines(&log, 5);
    assert_eq!(written.len(), 5, "one line per request, none for /health: {written:?}");
    assert_eq!((&written[1]["user"], &written[1]["cache"]), (&Value::from("alice"), &Value::from("MISS")));
    assert_eq!((&written[2]["cache"], &written[2]["backend"]), (&Value::from("HIT"), &Value::Null));
    let refused = (&written[3]["status"], &written[3]["outcome"], &written[3]["user"]);
    assert_eq!(refused, (&Value::from(401), &Value::from("auth"), &Value::Null));
    assert_eq!((&written[4]["status"], &written[4]["outcome"]), (&Value::from(403), &Value::from("acl")));

    // A route's own log, in the combined format.
    get(&client, &format!("{BASE}/combined/a?b=1"));
    let combined = lines(&dir.join("combined.log"), 1);
    let line = combined.first().expect("a combined line");
    let pattern = regex::Regex::new(
        r#"^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET /combined/a\?b=1 HTTP/1\.1" 200 \d+ "-" "-" duration=\d+\.\d{3} upstream_duration=\d+\.\d{3} route="/combined/" upstream=origin backend=127\.71\.0\.40:18001 cache=- request_id=\S+ outcome=- trace_id=-$"#,
    )
    .expect("regex");
    assert!(pattern.is_match(line), "{line}");
    assert_eq!(json_lines(&log, 5).len(), 5, "a route with its own log is not in the server's");

    // logrotate: the file is moved, SIGUSR1 makes the gateway open a new one.
    std::fs::rename(&log, dir.join("access.log.1")).expect("rotate");
    get(&client, &format!("{BASE}/before-reopen"));
    // Until the signal, lines go to the moved file (written when the writer
    // gets to them: wait for it, lines queued at the signal go to the new one).
    assert_eq!(json_lines(&dir.join("access.log.1"), 6).len(), 6);
    gateway.signal(Signal::SIGUSR1);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !log.exists() && Instant::now() < deadline {
        get(&client, &format!("{BASE}/after-reopen"));
        std::thread::sleep(Duration::from_millis(50));
    }
    let reopened = json_lines(&log, 1);
    assert!(reopened.iter().all(|line| line["target"] == "/after-reopen"), "{reopened:?}");
    let rotated = json_lines(&dir.join("access.log.1"), 6);
    assert_eq!(rotated.last().map(|line| line["target"].clone()), Some(Value::from("/before-reopen")));
}
