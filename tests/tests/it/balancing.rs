use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::support::{Gateway, client, client_builder, get, origin, send};

const GATEWAY: &str = "http://127.71.0.21:18080";

#[test]
fn random_least_conn_ketama_and_sticky_select_as_configured() {
    let one = origin("one", "127.71.0.21:18001");
    let two = origin("two", "127.71.0.21:18002");
    let _three = origin("three", "127.71.0.21:18003");
    let _gateway = Gateway::start("balancing", "127.71.0.21:18080", &[]);
    let client = client();
    let url = |path: &str| format!("{GATEWAY}{path}");

    // Weighted random, 3:1: 300 of 400 expected; the bound is about 7
    // standard deviations (8.7) wide, so a correct balancer does not miss it.
    let before = (one.hits(), two.hits());
    let to_one = (0..400).filter(|_| get(&client, &url("/random/x")).server() == "one").count();
    assert!((240..=360).contains(&to_one), "one got {to_one} of 400");
    assert_eq!(one.hits() - before.0 + two.hits() - before.1, 400);

    // Least connections: while a slow request holds one backend, quick ones go to the other.
    let slow_client = client.clone();
    let slow = std::thread::spawn(move || get(&slow_client, &format!("{GATEWAY}/least/slow?delay_ms=1500")).server());
    std::thread::sleep(Duration::from_millis(300));
    let quick: HashSet<String> = (0..5).map(|_| get(&client, &url("/least/quick")).server()).collect();
    let slow = slow.join().expect("slow request");
    assert_eq!(quick.len(), 1, "{quick:?}");
    assert!(!quick.contains(&slow), "quick requests went to {quick:?}, the slow one to {slow}");

    // Ketama keeps a key on one backend, and spreads keys.
    let by_path: HashSet<String> = (0..5).map(|_| get(&client, &url("/path/a/b")).server()).collect();
    assert_eq!(by_path.len(), 1);
    let spread: HashSet<String> = (0..30).map(|n| get(&client, &url(&format!("/path/{n}"))).server()).collect();
    assert!(spread.len() >= 2, "30 paths all went to {spread:?}");
    for user in ["alice", "bob", "carol"] {
        let seen: HashSet<String> =
            (0..4).map(|_| send(client.get(url("/user/x")).header("X-User", user)).server()).collect();
        assert_eq!(seen.len(), 1, "{user}: {seen:?}");
        let seen: HashSet<String> = (0..4)
            .map(|_| send(client.get(url("/cookie/x")).header("Cookie", format!("sid={user}"))).server())
            .collect();
        assert_eq!(seen.len(), 1, "{user}: {seen:?}");
    }
    for last in [2, 3, 4] {
        let from = client_builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))).build().expect("client");
        let seen: HashSet<String> = (0..4).map(|_| get(&from, &url("/ip/x")).server()).collect();
        assert_eq!(seen.len(), 1, "127.0.0.{last}: {seen:?}");
    }

    // Sticky: the first answer sets the cookie; with it, every request goes
    // to that backend (round robin would alternate).
    let first = get(&client, &url("/sticky/x"));
    let cookie = first.header("set-cookie").expect("a sticky cookie").to_string();
    assert!(cookie.starts_with("gw_backend="), "{cookie}");
    for attribute in ["Path=/", "Max-Age=3600", "Secure", "HttpOnly"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let pair = cookie.split(';').next().unwrap_or_default().to_string();
    for _ in 0..6 {
        let reply = send(client.get(url("/sticky/x")).header("Cookie", pair.clone()));
        assert_eq!(reply.server(), first.server());
        assert_eq!(reply.header("set-cookie"), None, "a client with a good cookie keeps it");
    }
    // A cookie naming no backend gets a new one.
    let reply = send(client.get(url("/sticky/x")).header("Cookie", "gw_backend=ffffffffffffffff"));
    assert!(reply.header("set-cookie").is_some());
}
