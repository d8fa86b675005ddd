//! `limit rate|concurrency ... shared` and shared purges: two gateway
//! instances (`shared_a`, `shared_b`, which differ only in their listeners)
//! counting in one real Redis, standalone and as a 3-node cluster; what
//! each `on_store_error` does while Redis is down; Redis killed and started
//! again under load; concurrency slots given back every way a request ends
//! and by a crashed instance's lease; a purge on one instance seen on the
//! other. Counts, not timing: the windows are an hour long, and waits are
//! bounded polls.

use std::time::{Duration, Instant};

use crate::redis::Redis;
use crate::support::{Gateway, client, get, origin, send};

const A: &str = "http://127.71.0.43:18080";
const B: &str = "http://127.71.0.43:18081";
const TOKEN: (&str, &str) = ("GW_TEST_ADMIN_TOKEN", "sh4red");

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
    let mut a = Gateway::start("shared_a", "127.71.0.43:18080", &[TOKEN]);
    let b = Gateway::start("shared_b", "127.71.0.43:18081", &[TOKEN]);
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

    concurrency_slots_are_shared_and_given_back(&client, &redis);
    purges_reach_the_other_instance(&client);

    // Cached on both instances before the store goes down.
    for base in [A, B] {
        cache_status(&client, &format!("{base}/cached/down"));
        assert_eq!(cache_status(&client, &format!("{base}/cached/down")), "HIT");
    }

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
    let slots: Vec<String> = (0..3).map(|n| format!("{A}/slots-deny/{n}")).collect();
    assert_eq!(statuses(&client, &slots), [503; 3], "a shared concurrency limit fails closed too");
    // A purge while the store is down applies where it was sent only.
    assert_eq!(purge(&client, &format!("{A}/cached/down")), 200);
    assert_eq!(cache_status(&client, &format!("{A}/cached/down")), "MISS");
    assert_eq!(cache_status(&client, &format!("{B}/cached/down")), "HIT", "not published: the store is down");
    let admin = admin_purge(&client, "http://127.71.0.43:19100", "/cached/");
    assert!(admin.contains("\"published\":false"), "{admin}");
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
    // B lost its subscription, so it may have missed purges: once
    // subscribed again, it purges its whole cache.
    wait_for_miss(&client, &format!("{B}/cached/down"), "B purges all after subscribing again");

    // A subscription that stops answering without being closed (a server
    // that stalls, a connection dead without a FIN) is found by its pings:
    // with Redis paused longer than a ping's interval and deadline, B
    // counts its subscription lost, subscribes again once Redis answers,
    // and purges all, for it may have missed purges.
    for _ in 0..2 {
        cache_status(&client, &format!("{B}/cached/stalled"));
    }
    assert_eq!(cache_status(&client, &format!("{B}/cached/stalled")), "HIT");
    redis.command(16379, &["CLIENT", "PAUSE", "8000", "ALL"]);
    wait_until_within(
        Duration::from_secs(25),
        || cache_status(&client, &format!("{B}/cached/stalled")) == "MISS",
        "B finds its stalled subscription, subscribes again and purges all",
    );
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

    // An instance that dies holding slots: they stay taken until their
    // lease (2 s) ends, then the other instance gets them.
    let holders: Vec<_> = (0..2).map(|_| slow_request(&format!("{A}/slots/crash?delay_ms=20000"))).collect();
    wait_until(|| slots_held(&redis) == 2, "A holds two slots");
    a.crash();
    assert_eq!(get(&client, &format!("{B}/slots/x")).status, 429, "the dead instance's slots are still leased");
    wait_until(|| get(&client, &format!("{B}/slots/x")).status == 200, "the leases of a dead instance end");
    for holder in holders {
        let _ = holder.join();
    }
    drop((a, b));
}

/// What a shared `limit concurrency 2 per client_ip` does across A and B.
fn concurrency_slots_are_shared_and_given_back(client: &reqwest::blocking::Client, redis: &Redis) {
    // Four at once, two on each instance: two slots in all.
    let requests: Vec<_> =
        (0..4).map(|n| slow_request(&format!("{}/slots/x?delay_ms=1500", if n % 2 == 0 { A } else { B }))).collect();
    let mut got: Vec<u16> = requests.into_iter().map(|request| request.join().expect("request")).collect();
    got.sort_unstable();
    assert_eq!(got, [200, 200, 429, 429]);
    // Given back when the requests end.
    wait_until(|| slots_held(redis) == 0, "slots given back after responses");
    assert_eq!(get(client, &format!("{A}/slots/x")).status, 200);
    assert_eq!(get(client, &format!("{B}/slots/x")).status, 200);
    // ... when the upstream fails (one slot: each failure gave it back) ...
    for base in [A, B, A] {
        assert_eq!(get(client, &format!("{base}/slots-dead/x")).status, 502);
    }
    // ... and when the client goes away before the answer.
    {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect("127.71.0.43:18080").expect("connect");
        stream
            .write_all(b"GET /slots/gone?delay_ms=20000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            .expect("send");
        wait_until(|| slots_held(redis) == 1, "the request holds a slot");
    }
    wait_until(|| slots_held(redis) == 0, "a slot given back when the client leaves");
    // A request longer than the lease (2 s) keeps its slot: it is renewed.
    let long = slow_request(&format!("{A}/slots/long?delay_ms=3000"));
    wait_until(|| slots_held(redis) == 1, "the long request holds a slot");
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(slots_held(redis), 1, "renewed past its lease");
    assert_eq!(long.join().expect("request"), 200);
    wait_until(|| slots_held(redis) == 0, "and given back at the end");
}

/// `PURGE` on one instance, and the admin API's `DELETE /cache` on the
/// other, reach both caches.
fn purges_reach_the_other_instance(client: &reqwest::blocking::Client) {
    for (from, to) in [(A, B), (B, A)] {
        let path = format!("/cached/from-{}", &from[from.len() - 5..]);
        for base in [A, B] {
            assert_eq!(cache_status(client, &format!("{base}{path}")), "MISS");
            assert_eq!(cache_status(client, &format!("{base}{path}")), "HIT");
        }
        assert_eq!(purge(client, &format!("{from}{path}")), 200);
        assert_eq!(cache_status(client, &format!("{from}{path}")), "MISS");
        wait_for_miss(client, &format!("{to}{path}"), "a PURGE published to the other instance");
    }
    for base in [A, B] {
        cache_status(client, &format!("{base}/cached/admin"));
        assert_eq!(cache_status(client, &format!("{base}/cached/admin")), "HIT");
    }
    let answer = admin_purge(client, "http://127.71.0.43:19100", "/cached/");
    assert!(answer.contains("\"purged_routes\":1") && answer.contains("\"published\":true"), "{answer}");
    assert_eq!(cache_status(client, &format!("{A}/cached/admin")), "MISS");
    wait_for_miss(client, &format!("{B}/cached/admin"), "an admin purge published to the other instance");
}

fn cache_status(client: &reqwest::blocking::Client, url: &str) -> String {
    let reply = get(client, url);
    assert_eq!(reply.status, 200, "{url}");
    reply.header("x-cache-status").unwrap_or_default().to_string()
}

fn purge(client: &reqwest::blocking::Client, url: &str) -> u16 {
    send(client.request(reqwest::Method::from_bytes(b"PURGE").expect("method"), url)).status
}

fn admin_purge(client: &reqwest::blocking::Client, admin: &str, label: &str) -> String {
    let reply = send(client.delete(format!("{admin}/cache?route={label}")).bearer_auth(TOKEN.1));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

/// Asks for `url` until the answer is a `MISS` (a purge arrived), within 10 s.
fn wait_for_miss(client: &reqwest::blocking::Client, url: &str, what: &str) {
    wait_until(|| cache_status(client, url) == "MISS", what);
}

fn wait_until(condition: impl FnMut() -> bool, what: &str) {
    wait_until_within(Duration::from_secs(10), condition, what);
}

fn wait_until_within(limit: Duration, mut condition: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A request on a thread of its own, with its own connection; its status.
fn slow_request(url: &str) -> std::thread::JoinHandle<u16> {
    let url = url.to_string();
    std::thread::spawn(move || {
        let client = crate::support::client_builder().timeout(Duration::from_secs(30)).build().expect("client");
        client.get(&url).send().map_or(0, |response| response.status().as_u16())
    })
}

/// Unexpired concurrency slots in the store, all keys together.
fn slots_held(redis: &Redis) -> usize {
    const COUNT: &str = "local n = 0 local t = redis.call('TIME') \
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) \
        for _, k in ipairs(redis.call('KEYS', ARGV[1])) do n = n + redis.call('ZCOUNT', k, now, '+inf') end \
        return n";
    redis.command(16379, &["EVAL", COUNT, "0", "gwtest:cc:*"]).trim().parse().unwrap_or(usize::MAX)
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
