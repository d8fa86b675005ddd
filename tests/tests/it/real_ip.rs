//! `trusted_proxies` and `real_ip`: the client behind a trusted proxy is the
//! client for `allow`/`deny`, limits and `X-Forwarded-For`; the same header
//! from anyone else is ignored (tests/gw/real_ip.gw).

use std::net::{IpAddr, Ipv4Addr};

use crate::support::{Gateway, client_builder, origin, send};

const GATEWAY: &str = "127.71.0.36:18080";

fn url(path: &str) -> String {
    format!("http://{GATEWAY}{path}")
}

/// A client connecting from 127.0.0.`last`.
fn from(last: u8) -> reqwest::blocking::Client {
    client_builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))).build().expect("client")
}

#[test]
fn the_client_behind_a_trusted_proxy_is_the_client_everywhere() {
    let _echo = origin("echo", "127.71.0.36:18001");
    let _gateway = Gateway::start("real_ip", GATEWAY, &[]);
    let (proxy, stranger) = (from(2), from(1));
    let status = |client: &reqwest::blocking::Client, path: &str, forwarded: &str| {
        send(client.get(url(path)).header("X-Forwarded-For", forwarded)).status
    };

    // allow/deny: the proxy's word is taken, a stranger's is not.
    assert_eq!(status(&proxy, "/private/", "203.0.113.9"), 200);
    assert_eq!(status(&stranger, "/private/", "203.0.113.9"), 403, "a forged X-Forwarded-For was believed");
    // The chain is read from the right: what the client itself put on the
    // left proves nothing.
    assert_eq!(status(&proxy, "/private/", "6.6.6.6, 203.0.113.9"), 200);
    assert_eq!(status(&proxy, "/private/", "203.0.113.9, 6.6.6.6"), 403);
    // No header: the proxy itself is the client.
    assert_eq!(send(proxy.get(url("/private/"))).status, 403);

    // Limits per client_ip count the client behind the proxy.
    let limited: Vec<u16> = (0..3).map(|_| status(&proxy, "/limited/", "198.51.100.1")).collect();
    assert_eq!(limited, [200, 200, 429]);
    assert_eq!(status(&proxy, "/limited/", "198.51.100.2"), 200, "another client behind the proxy has its own budget");
    // A stranger claiming to be a client with budget left is counted as itself.
    let stranger_statuses: Vec<u16> = (0..3).map(|_| status(&stranger, "/limited/", "198.51.100.3")).collect();
    assert_eq!(stranger_statuses, [200, 200, 429]);
    assert_eq!(status(&proxy, "/limited/", "198.51.100.3"), 200);

    // X-Forwarded-For upstream: `replace` sends the client; `append`
    // keeps the chain and adds the peer, as every hop does.
    let reply = send(proxy.get(url("/echo")).header("X-Forwarded-For", "6.6.6.6, 203.0.113.9"));
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("203.0.113.9"));
    let reply = send(stranger.get(url("/echo")).header("X-Forwarded-For", "203.0.113.9"));
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("127.0.0.1"));
    let reply = send(proxy.get(url("/append/")).header("X-Forwarded-For", "203.0.113.9"));
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("203.0.113.9, 127.0.0.2"));
}
