use std::time::{Duration, Instant};

use crate::support::{Gateway, client, get, origin};

/// The value of the sample `name{labels}` in a Prometheus text exposition.
fn sample(metrics: &str, name_and_labels: &str) -> Option<f64> {
    metrics.lines().find_map(|line| line.strip_prefix(name_and_labels)?.trim().parse().ok())
}

#[test]
fn metrics_count_requests_by_route_and_status() {
    let _echo = origin("echo", "127.71.0.9:18001");
    let _gateway = Gateway::start("metrics", "127.71.0.9:18080", &[]);
    let client = client();

    for _ in 0..3 {
        assert_eq!(get(&client, "http://127.71.0.9:18080/counted/x").status, 200);
    }
    for _ in 0..2 {
        assert_eq!(get(&client, "http://127.71.0.9:18080/ping").status, 200);
    }
    assert_eq!(get(&client, "http://127.71.0.9:18080/nowhere").status, 404);

    // A request is counted in `logging`, after its response is sent: wait
    // until the last one is (at most 5 s).
    let deadline = Instant::now() + Duration::from_secs(5);
    let metrics = loop {
        let reply = get(&client, "http://127.71.0.9:19100/metrics");
        assert_eq!(reply.status, 200);
        let counted = sample(&reply.body, r#"gw_requests_total{route="unmatched",status="404"}"#).is_some();
        if counted || Instant::now() > deadline {
            break reply.body;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let metrics = &metrics;
    assert_eq!(sample(metrics, r#"gw_requests_total{route="/counted/",status="200"}"#), Some(3.0), "{metrics}");
    assert_eq!(sample(metrics, r#"gw_requests_total{route="= /ping",status="200"}"#), Some(2.0), "{metrics}");
    assert_eq!(sample(metrics, r#"gw_requests_total{route="unmatched",status="404"}"#), Some(1.0), "{metrics}");
    assert_eq!(sample(metrics, r#"gw_request_duration_seconds_count{route="/counted/"}"#), Some(3.0), "{metrics}");
    assert_eq!(sample(metrics, r#"gw_request_duration_seconds_bucket{route="/counted/",le="+Inf"}"#), Some(3.0));

    assert_eq!(get(&client, "http://127.71.0.9:19100/other").status, 404);
    alert_metrics(&client);
}

/// What an operator alerts on: refusals by cause, cache results, upstream
/// responses, latency, connect failures and retries, backend health and
/// requests in flight; and the whole scrape passes `promtool check metrics`.
/// (On the gateway of the test above: tests running at once must not share
/// a listening address.)
fn alert_metrics(client: &reqwest::blocking::Client) {
    let _flaky = origin("flaky", "127.71.0.9:18003");
    let client = client.clone();
    let base = "http://127.71.0.9:18080";
    for _ in 0..3 {
        get(&client, &format!("{base}/cached/a"));
    }
    assert_eq!(get(&client, &format!("{base}/guarded/a")).status, 403);
    assert_eq!(get(&client, &format!("{base}/limited/a")).status, 200);
    assert_eq!(get(&client, &format!("{base}/limited/a")).status, 429);
    // Round robin over a dead and a live backend: the dead one is tried once,
    // fails, the request is retried on the live one; then it is left aside.
    for _ in 0..4 {
        assert_eq!(get(&client, &format!("{base}/flaky/a")).status, 200);
    }
    let (status, _) = crate::support::raw(
        "127.71.0.9:18080",
        b"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status, 400);

    let deadline = Instant::now() + Duration::from_secs(5);
    let metrics = loop {
        let body = get(&client, "http://127.71.0.9:19100/metrics").body;
        // Counted in `logging`; the in-flight gauge drops with the request's
        // state, just after: wait for both.
        let counted = sample(&body, r#"gw_refusals_total{cause="strict",route="unmatched"}"#).is_some()
            && sample(&body, "gw_requests_in_flight") == Some(0.0);
        if counted || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let metrics = &metrics;
    let expect = |name: &str, value: f64| assert_eq!(sample(metrics, name), Some(value), "{name} in\n{metrics}");
    expect(r#"gw_refusals_total{cause="acl",route="/guarded/"}"#, 1.0);
    expect(r#"gw_refusals_total{cause="limit_rate",route="/limited/"}"#, 1.0);
    expect(r#"gw_refusals_total{cause="strict",route="unmatched"}"#, 1.0);
    expect(r#"gw_cache_results_total{result="miss",route="/cached/"}"#, 1.0);
    expect(r#"gw_cache_results_total{result="hit",route="/cached/"}"#, 2.0);
    // Requests that reached `echo`: the three of the test above, one cache
    // miss and one let through by the limit.
    expect(r#"gw_upstream_responses_total{class="2xx",upstream="echo"}"#, 5.0);
    expect(r#"gw_upstream_duration_seconds_count{upstream="echo"}"#, 5.0);
    expect(r#"gw_upstream_responses_total{class="2xx",upstream="flaky"}"#, 4.0);
    expect(r#"gw_upstream_connect_failures_total{upstream="flaky"}"#, 1.0);
    expect(r#"gw_upstream_retries_total{upstream="flaky"}"#, 1.0);
    expect(r#"gw_backend_healthy{backend="127.71.0.9:18002",upstream="flaky"}"#, 0.0);
    expect(r#"gw_backend_healthy{backend="127.71.0.9:18003",upstream="flaky"}"#, 1.0);
    expect(r#"gw_backend_healthy{backend="127.71.0.9:18001",upstream="echo"}"#, 1.0);
    // Every request ended (the admin listener's scrape is not counted).
    expect("gw_requests_in_flight", 0.0);

    // The routing table, in the order the gateway tries the routes.
    let routes: serde_json::Value =
        serde_json::from_str(&get(&client, "http://127.71.0.9:19100/routes").body).expect("JSON routes");
    let rows = routes["routes"].as_array().expect("rows");
    let patterns: Vec<&str> = rows.iter().filter_map(|row| row["pattern"].as_str()).collect();
    assert_eq!(patterns, ["= /ping", "/counted/", "/guarded/", "/limited/", "/cached/", "/flaky/"]);
    let row = |pattern: &str| rows.iter().find(|row| row["pattern"] == pattern).expect("row").clone();
    assert_eq!(row("/cached/")["policies"], serde_json::json!(["cache"]));
    assert_eq!(row("/limited/")["policies"], serde_json::json!(["limit rate"]));
    assert_eq!(row("/guarded/")["policies"], serde_json::json!(["allow/deny"]));
    assert_eq!(
        (row("/flaky/")["action"].clone(), row("/flaky/")["upstream"].clone()),
        ("to flaky".into(), "flaky".into())
    );
    assert_eq!(
        (row("= /ping")["action"].clone(), row("= /ping")["upstream"].clone()),
        ("respond 200".into(), serde_json::Value::Null)
    );
    assert_eq!(row("/counted/")["host"], "*");

    // The Prometheus naming rules, checked by Prometheus's own linter.
    let mut promtool = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool (Debian's `prometheus` package; scripts/setup installs it)");
    std::io::Write::write_all(&mut promtool.stdin.take().expect("stdin"), metrics.as_bytes())
        .expect("scrape to promtool");
    let output = promtool.wait_with_output().expect("promtool");
    assert!(
        output.status.success(),
        "promtool check metrics:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
