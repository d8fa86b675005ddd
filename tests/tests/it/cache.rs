use std::time::{Duration, Instant};

use crate::support::{Gateway, Reply, client, get, origin};

#[test]
fn cache_miss_then_hit_then_stale_while_revalidating() {
    let origin = origin("origin", "127.71.0.7:18001");
    let gateway = Gateway::start("cache", "127.71.0.7:18080", &[]);
    let client = client();
    let url = "http://127.71.0.7:18080/cached/page?v=1";
    let count = |reply: &Reply| reply.echo()["count"].as_u64().unwrap_or_default();

    let first = get(&client, url);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-cache-status"), Some("MISS"));
    let second = get(&client, url);
    assert_eq!(second.header("x-cache-status"), Some("HIT"));
    assert_eq!(second.body, first.body);
    assert_eq!(origin.hits(), 1, "a hit must not reach the origin");

    // The query is part of the key.
    assert_eq!(get(&client, "http://127.71.0.7:18080/cached/page?v=2").header("x-cache-status"), Some("MISS"));
    assert_eq!(origin.hits(), 2);

    // After the 1s ttl, the stale copy is served at once while it is refreshed.
    std::thread::sleep(Duration::from_millis(1200));
    let stale = get(&client, url);
    assert_eq!(stale.header("x-cache-status"), Some("STALE"));
    assert_eq!(count(&stale), count(&first));
    let deadline = Instant::now() + Duration::from_secs(5);
    let refreshed = loop {
        let reply = get(&client, url);
        if count(&reply) != count(&first) {
            break reply;
        }
        assert!(Instant::now() < deadline, "the stale entry was never refreshed");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(refreshed.header("x-cache-status"), Some("HIT"));
    assert_eq!(origin.hits(), 3);
    // Storing responses warns about nothing the user could act on (the
    // header compression dictionary is the gateway's to give).
    let log = gateway.log_text();
    assert!(!log.contains("WARN"), "warnings while caching:\n{log}");
}

#[test]
fn origin_cache_control_wins_and_other_routes_are_not_cached() {
    let origin = origin("origin", "127.71.0.10:18001");
    let _gateway = Gateway::start("cache_bypass", "127.71.0.10:18080", &[]);
    let client = client();
    let base = "http://127.71.0.10:18080";

    for _ in 0..2 {
        let reply = get(&client, &format!("{base}/cached/private?cache_control=no-store"));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("x-cache-status"), Some("BYPASS"));
    }
    assert_eq!(origin.hits(), 2);
    // An error status is not stored either.
    for _ in 0..2 {
        assert_eq!(get(&client, &format!("{base}/cached/missing?status=500")).status, 500);
    }
    assert_eq!(origin.hits(), 4);
    // A route without `cache` always goes to the origin.
    for _ in 0..2 {
        let reply = get(&client, &format!("{base}/plain"));
        assert_eq!(reply.header("x-cache-status"), None);
    }
    assert_eq!(origin.hits(), 6);
}

#[test]
fn routes_that_share_host_and_path_do_not_share_entries() {
    let base = origin("base", "127.71.0.32:18001");
    let gold = origin("gold", "127.71.0.32:18002");
    let _gateway = Gateway::start("cache_scoped", "127.71.0.32:18080", &[]);
    let client = client();
    let url = "http://127.71.0.32:18080/tiered/report";
    let tiered = |tier: Option<&str>| {
        let request = client.get(url);
        crate::support::send(match tier {
            Some(tier) => request.header("X-Tier", tier),
            None => request,
        })
    };

    let first = tiered(Some("gold"));
    assert_eq!((first.status, first.server().as_str()), (200, "gold"));
    assert_eq!(first.header("x-cache-status"), Some("MISS"));
    assert_eq!(tiered(Some("gold")).header("x-cache-status"), Some("HIT"));

    // The other route, same host and path: its own miss, from its own
    // upstream, never the gold route's entry.
    let other = tiered(None);
    assert_eq!(other.server(), "base", "the gold route's entry was served on the other route");
    assert_eq!(other.header("x-cache-status"), Some("MISS"));
    let again = tiered(None);
    assert_eq!((again.server().as_str(), again.header("x-cache-status")), ("base", Some("HIT")));
    assert_eq!((gold.hits(), base.hits()), (1, 1));
}
