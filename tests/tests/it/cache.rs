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

mod control {
    //! `cache { }`: fixture `tests/gw/cache_control.gw`.

    use reqwest::Method;
    use reqwest::blocking::{Client, RequestBuilder};

    use crate::support::{Gateway, Origin, Reply, client, get, origin, send};

    const BASE: &str = "http://127.71.0.39:18080";
    const ADMIN: &str = "http://127.71.0.39:19090";
    const ENV: &[(&str, &str)] = &[("GW_ADMIN_TOKEN", "admin-secret"), ("GW_PURGE_TOKEN", "purge-secret")];

    /// One gateway and origin for every part (tests running at once must
    /// not share a listening address); origin hits are counted from each
    /// part's start. The admin purge of everything and the dead origin of
    /// stale-if-error come last.
    #[test]
    fn cache_block() {
        let origin = origin("origin", "127.71.0.39:18001");
        let flaky = origin_flaky();
        let _gateway = Gateway::start("cache_control", "127.71.0.39:18080", ENV);
        let client = client();
        let hits = Hits { origin: &origin, start: origin.hits() };
        purge_answers_found_then_absent_and_checks_address_and_token(&client, &hits);
        let hits = Hits { origin: &origin, start: origin.hits() };
        vary_keeps_one_entry_per_variant_up_to_the_cap_and_star_is_not_stored(&client, &hits);
        let hits = Hits { origin: &origin, start: origin.hits() };
        keys_add_headers_and_cookies_and_choose_the_query(&client, &hits);
        let hits = Hits { origin: &origin, start: origin.hits() };
        bypass_size_cookies_statuses_and_min_uses(&client, &hits);
        let hits = Hits { origin: &origin, start: origin.hits() };
        concurrent_misses_wait_for_one_fill(&client, &hits);
        let hits = Hits { origin: &origin, start: origin.hits() };
        the_admin_api_purges_a_route_or_everything(&client, &hits);
        stale_if_error_serves_the_stored_answer_while_the_origin_is_down(&client, flaky);
    }

    fn origin_flaky() -> Origin {
        origin("flaky", "127.71.0.39:18002")
    }

    /// An origin's hits since a part began.
    struct Hits<'a> {
        origin: &'a Origin,
        start: usize,
    }

    impl Hits<'_> {
        fn hits(&self) -> usize {
            self.origin.hits() - self.start
        }
    }

    fn status(reply: &Reply) -> Option<&str> {
        reply.header("x-cache-status")
    }

    fn purge(client: &Client, path: &str) -> RequestBuilder {
        client.request(Method::from_bytes(b"PURGE").expect("method"), format!("{BASE}{path}"))
    }

    fn purge_answers_found_then_absent_and_checks_address_and_token(client: &Client, origin: &Hits<'_>) {
        let url = format!("{BASE}/purge/page?v=1");
        assert_eq!(status(&get(client, &url)), Some("MISS"));
        assert_eq!(status(&get(client, &url)), Some("HIT"));

        let missing = send(purge(client, "/purge/page?v=1"));
        assert_eq!(missing.status, 401, "no token");
        assert!(missing.header("www-authenticate").is_some_and(|value| value.starts_with("Bearer")));
        assert_eq!(send(purge(client, "/purge/page?v=1").bearer_auth("wrong")).status, 403);
        assert_eq!(status(&get(client, &url)), Some("HIT"), "refused purges change nothing");

        let found = send(purge(client, "/purge/page?v=1").bearer_auth("purge-secret"));
        assert_eq!(found.status, 200, "the entry was there");
        assert_eq!(origin.hits(), 1, "a purge never reaches the origin");
        let again = send(purge(client, "/purge/page?v=1").bearer_auth("purge-secret"));
        assert_eq!(again.status, 404, "nothing left to purge");
        assert_eq!(status(&get(client, &url)), Some("MISS"));
        assert_eq!(origin.hits(), 2);
        // Another entry is untouched by the purge of this one.
        assert_eq!(send(purge(client, "/purge/page?v=2").bearer_auth("purge-secret")).status, 404);

        // A route whose purges come from 10.0.0.0/8 refuses a loopback client.
        let remote = format!("{BASE}/purge_remote/page");
        assert_eq!(status(&get(client, &remote)), Some("MISS"));
        assert_eq!(send(purge(client, "/purge_remote/page")).status, 403);
        assert_eq!(status(&get(client, &remote)), Some("HIT"));
        // A route without `purge` passes PURGE on to its origin, as any method.
        let hits = origin.hits();
        let proxied = send(client.request(Method::from_bytes(b"PURGE").expect("method"), format!("{BASE}/other")));
        assert_eq!(proxied.echo()["method"], "PURGE");
        assert_eq!(origin.hits(), hits + 1);
    }

    fn vary_keeps_one_entry_per_variant_up_to_the_cap_and_star_is_not_stored(client: &Client, origin: &Hits<'_>) {
        let url = format!("{BASE}/vary/page?vary=Accept-Language");
        let fetch = |language: &str| send(client.get(&url).header("Accept-Language", language));
        assert_eq!(status(&fetch("en")), Some("MISS"));
        assert_eq!(status(&fetch("en")), Some("HIT"));
        let french = fetch("fr");
        assert_eq!(status(&french), Some("MISS"), "another language is another variant");
        assert_eq!(french.received("accept-language").as_deref(), Some("fr"));
        assert_eq!(status(&fetch("fr")), Some("HIT"));
        let english = fetch("en");
        assert_eq!(status(&english), Some("HIT"));
        assert_eq!(english.received("accept-language").as_deref(), Some("en"), "each variant keeps its own answer");
        assert_eq!(origin.hits(), 2);
        // `max_variants 2`: a third variant is served but not stored.
        assert_eq!(status(&fetch("de")), Some("BYPASS"));
        assert_eq!(status(&fetch("de")), Some("BYPASS"));
        assert_eq!(origin.hits(), 4);

        let star = format!("{BASE}/vary/star?vary=*");
        assert_eq!(status(&get(client, &star)), Some("BYPASS"));
        assert_eq!(status(&get(client, &star)), Some("BYPASS"));
        assert_eq!(origin.hits(), 6, "`Vary: *` is never stored");
    }

    fn keys_add_headers_and_cookies_and_choose_the_query(client: &Client, origin: &Hits<'_>) {
        let keyed = |tenant: &str, cookie: &str, query: &str| {
            send(client.get(format!("{BASE}/keyed/page{query}")).header("X-Tenant", tenant).header("Cookie", cookie))
        };
        assert_eq!(status(&keyed("a", "lang=en", "?a=1&b=2")), Some("MISS"));
        assert_eq!(status(&keyed("b", "lang=en", "?a=1&b=2")), Some("MISS"), "the header is in the key");
        assert_eq!(status(&keyed("a", "lang=fr", "?a=1&b=2")), Some("MISS"), "the cookie is in the key");
        assert_eq!(origin.hits(), 3);
        assert_eq!(status(&keyed("a", "lang=en; other=1", "?b=2&utm_source=mail&a=1")), Some("HIT"));
        assert_eq!(status(&keyed("a", "lang=en", "?a=1&b=3")), Some("MISS"));
        assert_eq!(origin.hits(), 4);

        assert_eq!(status(&get(client, &format!("{BASE}/only/page?id=1&x=1"))), Some("MISS"));
        assert_eq!(status(&get(client, &format!("{BASE}/only/page?x=2&id=1"))), Some("HIT"));
        assert_eq!(status(&get(client, &format!("{BASE}/only/page?id=2"))), Some("MISS"));
        assert_eq!(origin.hits(), 6);
    }

    fn stale_if_error_serves_the_stored_answer_while_the_origin_is_down(client: &Client, flaky: Origin) {
        let url = format!("{BASE}/stale/page");
        let first = get(client, &url);
        assert_eq!(status(&first), Some("MISS"));
        drop(flaky);
        std::thread::sleep(std::time::Duration::from_millis(1300));
        let stale = get(client, &url);
        assert_eq!(stale.status, 200, "the origin is down: the stale answer is served");
        assert_eq!(status(&stale), Some("STALE"));
        assert_eq!(stale.body, first.body);
        // Pingora ends the connection after a stale answer to a failed
        // connection: the answer says so, and the next request, on a new
        // connection, is answered (it was reset at times).
        assert_eq!(stale.header("connection"), Some("close"));
        // A path never stored has nothing to fall back on.
        assert_eq!(get(client, &format!("{BASE}/stale/other")).status, 502);
    }

    fn bypass_size_cookies_statuses_and_min_uses(client: &Client, origin: &Hits<'_>) {
        let url = format!("{BASE}/rules/page");
        assert_eq!(status(&get(client, &url)), Some("MISS"));
        assert_eq!(status(&get(client, &url)), Some("HIT"));
        for request in [
            client.get(&url).header("Cookie", "session=abc"),
            client.get(&url).header("X-No-Cache", "1"),
            client.get(format!("{url}?nocache=1")),
        ] {
            let reply = send(request);
            assert_eq!(status(&reply), Some("BYPASS"));
        }
        assert_eq!(origin.hits(), 4, "bypassed requests go to the origin");

        // `ttl 404 60s`: a 404 the origin says nothing about is stored.
        let missing = format!("{BASE}/rules/missing?status=404");
        assert_eq!(get(client, &missing).status, 404);
        let again = get(client, &missing);
        assert_eq!((again.status, status(&again)), (404, Some("HIT")));
        assert_eq!(origin.hits(), 5);
        // A 500 has no ttl: never stored.
        get(client, &format!("{BASE}/rules/broken?status=500"));
        get(client, &format!("{BASE}/rules/broken?status=500"));
        assert_eq!(origin.hits(), 7);
        // Larger than `max_size 4KiB`: never stored.
        get(client, &format!("{BASE}/rules/big?pad=8000"));
        assert!(get(client, &format!("{BASE}/rules/big?pad=8000")).body.len() > 8000);
        assert_eq!(origin.hits(), 9);
        // A `Set-Cookie` is one client's: never stored.
        get(client, &format!("{BASE}/rules/login?set_cookie=id%3D1"));
        let cookie = get(client, &format!("{BASE}/rules/login?set_cookie=id%3D1"));
        assert_eq!(status(&cookie), Some("BYPASS"));
        assert_eq!(origin.hits(), 11);

        // `min_uses 2`: stored from the second request on.
        let popular = format!("{BASE}/popular/page");
        assert_eq!(status(&get(client, &popular)), Some("BYPASS"));
        assert_eq!(status(&get(client, &popular)), Some("MISS"));
        assert_eq!(status(&get(client, &popular)), Some("HIT"));
        assert_eq!(origin.hits(), 13);

        // `status_header off`: cached, without the header.
        let quiet = format!("{BASE}/quiet/page");
        get(client, &quiet);
        assert_eq!(status(&get(client, &quiet)), None);
        assert_eq!(origin.hits(), 14);
    }

    /// The cache lock (`lock_timeout`, 5 s by default): misses of one key
    /// that arrive while it is being filled wait and are served from it.
    fn concurrent_misses_wait_for_one_fill(client: &Client, origin: &Hits<'_>) {
        let url = format!("{BASE}/rules/slow?delay_ms=400");
        let statuses: Vec<String> = std::thread::scope(|scope| {
            let waiting: Vec<_> = (0..4)
                .map(|_| {
                    let (client, url) = (client.clone(), url.clone());
                    scope.spawn(move || status(&get(&client, &url)).unwrap_or_default().to_string())
                })
                .collect();
            waiting.into_iter().map(|thread| thread.join().expect("request")).collect()
        });
        assert_eq!(origin.hits(), 1, "one request filled the entry: {statuses:?}");
        assert_eq!(statuses.iter().filter(|status| *status == "MISS").count(), 1, "{statuses:?}");
    }

    fn the_admin_api_purges_a_route_or_everything(client: &Client, origin: &Hits<'_>) {
        let (rules, keyed) = (format!("{BASE}/rules/a"), format!("{BASE}/keyed/a"));
        for url in [&rules, &keyed, &rules, &keyed] {
            get(client, url);
        }
        assert_eq!(origin.hits(), 2);
        let delete = |query: &str| client.delete(format!("{ADMIN}/cache{query}"));
        assert_eq!(send(delete("?route=/rules/")).status, 401, "the token is needed");
        assert_eq!(send(delete("?route=/rules/").bearer_auth("wrong")).status, 403);
        assert_eq!(send(delete("?route=/nowhere/").bearer_auth("admin-secret")).status, 404);
        let purged = send(delete("?route=/rules/").bearer_auth("admin-secret"));
        assert_eq!(purged.status, 200);
        assert_eq!(purged.echo()["purged_routes"], 1);
        assert_eq!(status(&get(client, &rules)), Some("MISS"));
        assert_eq!(status(&get(client, &keyed)), Some("HIT"), "other routes keep their entries");
        let all = send(delete("").bearer_auth("admin-secret"));
        assert_eq!(all.echo()["purged_routes"], 9);
        assert_eq!(status(&get(client, &rules)), Some("MISS"));
        assert_eq!(status(&get(client, &keyed)), Some("MISS"));
        assert_eq!(origin.hits(), 5);
    }
}
