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
}
