use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use crate::support::{Gateway, client, client_builder, get, origin};

#[test]
fn requests_over_the_rate_get_429_per_client_ip() {
    let echo = origin("echo", "127.71.0.5:18001");
    let gateway = Gateway::start("limits", "127.71.0.5:18080", &[]);
    let client = client();

    // Send until refused (at most 50 requests).
    let start = Instant::now();
    let mut statuses = Vec::new();
    while statuses.len() < 50 && !statuses.contains(&429) {
        statuses.push(get(&client, "http://127.71.0.5:18080/limited/x").status);
    }
    let windows = start.elapsed().as_secs() as usize + 2;
    let passed = statuses.iter().filter(|status| **status == 200).count();
    // 5/s in a sliding one-second window: the first 5 always pass, and no
    // window lets more than 5 through.
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses[..5].iter().all(|status| *status == 200), "{statuses:?}");
    assert!(passed <= 5 * windows, "{passed} passed in {windows} windows: {statuses:?}");
    assert_eq!(echo.hits(), passed, "limited requests must not reach the origin");

    let reply = get(&client, "http://127.71.0.5:18080/limited/x");
    if reply.status == 429 {
        // The window slides: the earliest the next request may pass is 1 or 2 s away.
        assert!(matches!(reply.header("retry-after"), Some("1" | "2")), "{:?}", reply.header("retry-after"));
        assert_eq!(reply.body, "too many requests\n");
    }
    // Another route has no limit.
    assert_eq!(get(&client, "http://127.71.0.5:18080/free").status, 200);
    // Another client IP has a budget of its own.
    let other_client =
        client_builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).build().expect("client on 127.0.0.2");
    assert_eq!(get(&other_client, "http://127.71.0.5:18080/limited/x").status, 200);
    // A static upstream has no background work: no service of it starts,
    // so none "exits" at start-up (which read like a failure in the log).
    let log = gateway.log_text();
    assert!(!log.contains("service 'BG upstream echo' exited"), "{log}");
}
