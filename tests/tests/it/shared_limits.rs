//! `limit rate ... shared`: two gateway instances (`shared_a`, `shared_b`,
//! which differ only in their listener and `shared_a`'s admin listener)
//! counting in one real Redis, standalone and as a 3-node cluster; what
//! each `on_store_error` does while Redis is down; Redis killed and started
//! again under load. Counts, not timing: the windows are an hour long.

use std::time::{Duration, Instant};

use crate::redis::Redis;
use crate::support::{Gateway, client, get, origin, send};

const A: &str = "http://127.71.0.43:18080";
const B: &str = "http://127.71.0.43:18081";

fn statuses(client: &reqwest::blocking::Client, urls: &[String]) -> Vec<u16> {
    urls.iter().map(|url| get(client, url).status).collect()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

fn with_key(client: &reqwest::blocking::Client, url: &str, key: &str) -> u16 {
    send(client.get(url).header("X-Key", key)).status
}

#[test]
fn instances_share_one_budget_and_fail_as_each_limit_says() {
    let mut redis = Redis::standalone("127.71.0.43", 16379);
    let echo = origin("echo", "127.71.0.43:18001");
    let a = Gateway::start("shared_a", "127.71.0.43:18080", &[]);
    let b = Gateway::start("shared_b", "127.71.0.43:18081", &[]);
    let client = client();

    // 10/h per client, shared: 12 requests alternating between the two
    // instances, 10 pass (each instance alone would have let 12 through).
    let urls: Vec<String> = (0..12).map(|n| format!("{}/shared/{n}", if n % 2 == 0 { A } else { B })).collect();
    let got = statuses(&client, &urls);
    assert_eq!((count(&got, 200), count(&got, 429)), (10, 2), "{got:?}");
    assert_eq!(&got[..10], &[200; 10]);
    assert_eq!(echo.hits(), 10, "refused requests do not reach the origin");
    let refused = get(&client, &format!("{B}/shared/x"));
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s >= 1));
    assert!(
        refused.header("ratelimit-policy").is_some_and(|p| p.contains("q=10;w=3600")),
        "{:?}",
        refused.header("ratelimit-policy")
    );
    // The keys are in the store, under the fixture's prefix.
    assert!(
        redis
            .command(16379, &["KEYS", "gwtest:rl:*"])
            .contains("gwtest:rl:/shared/|limit rate 10/h per client_ip shared:")
    );

    // Per header: each key's budget is shared, and keys are apart.
    assert_eq!(with_key(&client, &format!("{A}/keys/x"), "k1"), 200);
    assert_eq!(with_key(&client, &format!("{B}/keys/x"), "k1"), 200);
    assert_eq!(with_key(&client, &format!("{A}/keys/x"), "k1"), 429);
    assert_eq!(with_key(&client, &format!("{B}/keys/x"), "k2"), 200);

    // Redis down: each limit does what its `on_store_error` says, at once.
    redis.kill();
    let allow: Vec<String> = (0..5).map(|n| format!("{A}/allow/{n}")).collect();
    assert_eq!(statuses(&client, &allow), [200; 5], "on_store_error allow: fail open");
    let deny: Vec<String> = (0..3).map(|n| format!("{B}/deny/{n}")).collect();
    assert_eq!(statuses(&client, &deny), [503; 3], "on_store_error deny: fail closed");
    let local_a: Vec<String> = (0..4).map(|n| format!("{A}/local/{n}")).collect();
    let local_b: Vec<String> = (0..4).map(|n| format!("{B}/local/{n}")).collect();
    assert_eq!(statuses(&client, &local_a), [200, 200, 200, 429], "on_store_error local: 3/h on this instance");
    assert_eq!(statuses(&client, &local_b), [200, 200, 200, 429], "and 3/h on the other");
    // Errors are counted, by operation, and logged once per interval, not per request.
    let metrics = get(&client, "http://127.71.0.43:19100/metrics").body;
    let errors: f64 = metrics
        .lines()
        .filter(|line| line.starts_with("gw_store_errors_total{"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(errors >= 1.0, "{metrics}");
    let warnings = a.log_text().matches("store redis 127.71.0.43:16379").count();
    assert!((1..=2).contains(&warnings), "{warnings} warnings:\n{}", a.log_text());

    // Redis back (empty): the shared budget holds again, once the gateways
    // have reconnected (at most a second apart; bounded wait).
    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut attempt = 0;
    loop {
        let key = format!("again-{attempt}");
        let got = [
            with_key(&client, &format!("{A}/keys/x"), &key),
            with_key(&client, &format!("{B}/keys/x"), &key),
            with_key(&client, &format!("{A}/keys/x"), &key),
        ];
        if got == [200, 200, 429] {
            break;
        }
        assert!(Instant::now() < deadline, "the shared limit did not come back: {got:?}");
        attempt += 1;
        std::thread::sleep(Duration::from_millis(200));
    }

    // Killed and started again under load: every request is answered
    // (200, 429 or 503), none hangs, neither gateway falls over.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let client = crate::support::client_builder().timeout(Duration::from_secs(5)).build().expect("client");
                let base = if worker % 2 == 0 { A } else { B };
                let mut seen = Vec::new();
                for n in 0..2000 {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let path = ["shared", "allow", "deny", "local"][n % 4];
                    match client.get(format!("{base}/{path}/{n}")).send() {
                        Ok(response) => seen.push(response.status().as_u16()),
                        Err(error) => panic!("request {n} to {base}/{path}: {error}"),
                    }
                }
                seen
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    redis.kill();
    std::thread::sleep(Duration::from_millis(500));
    redis.restart();
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answered = 0;
    for worker in workers {
        let seen = worker.join().expect("worker");
        assert!(seen.iter().all(|status| matches!(status, 200 | 429 | 503)), "{seen:?}");
        answered += seen.len();
    }
    assert!(answered > 20, "only {answered} requests answered");
    assert_eq!(get(&client, &format!("{A}/free")).status, 200);
    assert_eq!(get(&client, &format!("{B}/free")).status, 200);
    drop((a, b));
}

#[test]
fn a_cluster_spreads_the_keys_and_shares_each_budget() {
    let redis = Redis::cluster("127.71.0.44", &[17001, 17002, 17003]);
    let _echo = origin("echo", "127.71.0.44:18001");
    let _a = Gateway::start("shared_cluster_a", "127.71.0.44:18080", &[]);
    let _b = Gateway::start("shared_cluster_b", "127.71.0.44:18081", &[]);
    let client = client();
    for n in 0..24 {
        let key = format!("tenant-{n}");
        let got = [
            with_key(&client, "http://127.71.0.44:18080/keys/x", &key),
            with_key(&client, "http://127.71.0.44:18081/keys/x", &key),
            with_key(&client, "http://127.71.0.44:18081/keys/x", &key),
        ];
        assert_eq!(got, [200, 200, 429], "key {key}");
    }
    let counts = redis.key_counts();
    assert_eq!(counts.iter().sum::<usize>(), 24, "{counts:?}");
    assert!(counts.iter().filter(|count| **count > 0).count() >= 2, "keys on one node only: {counts:?}");
}
