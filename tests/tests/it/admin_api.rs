use std::time::{Duration, Instant};

use crate::support::{Gateway, client, get, origin, send};

const GATEWAY: &str = "http://127.71.0.25:18080";
const ADMIN: &str = "http://127.71.0.25:19100";

#[test]
fn refused_backends_are_retried_left_aside_and_replaced_through_the_api() {
    let live = origin("live", "127.71.0.25:18001");
    let _gateway = Gateway::start("admin_api", "127.71.0.25:18080", &[("GW_TEST_ADMIN_TOKEN", "adm1n")]);
    let client = client();

    // Half the picks hit the dead backend: each is retried on the live one.
    for _ in 0..10 {
        let reply = get(&client, &format!("{GATEWAY}/x"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.server(), "live");
    }
    assert_eq!(live.hits(), 10);

    // The upstreams API: a token is needed.
    assert_eq!(get(&client, &format!("{ADMIN}/upstreams")).status, 401);
    assert_eq!(send(client.get(format!("{ADMIN}/upstreams")).bearer_auth("nope")).status, 403);
    let reply = send(client.get(format!("{ADMIN}/upstreams")).bearer_auth("adm1n"));
    assert_eq!(reply.status, 200);
    let listed: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let backends = &listed["upstreams"][0]["backends"];
    assert_eq!(listed["upstreams"][0]["name"], "web");
    let dead = backends
        .as_array()
        .into_iter()
        .flatten()
        .find(|backend| backend["addr"] == "127.71.0.25:18008")
        .expect("dead backend listed");
    assert_eq!(dead["left_aside"], true);

    // A wrong list changes nothing.
    let reply = send(
        client
            .put(format!("{ADMIN}/upstreams/web/backends"))
            .bearer_auth("adm1n")
            .body("127.71.0.25:18002\nnot-an-address\n"),
    );
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("2: invalid address"), "{}", reply.body);
    assert_eq!(get(&client, &format!("{GATEWAY}/x")).server(), "live");
    assert_eq!(send(client.put(format!("{ADMIN}/upstreams/nope/backends")).bearer_auth("adm1n").body("")).status, 404);

    // A good one takes effect at once.
    let replacement = origin("replacement", "127.71.0.25:18002");
    let reply = send(
        client.put(format!("{ADMIN}/upstreams/web/backends")).bearer_auth("adm1n").body("127.71.0.25:18002 weight 2\n"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let deadline = Instant::now() + Duration::from_secs(3);
    while get(&client, &format!("{GATEWAY}/x")).server() != "replacement" {
        assert!(Instant::now() < deadline, "the replacement never got traffic");
    }
    for _ in 0..5 {
        assert_eq!(get(&client, &format!("{GATEWAY}/x")).server(), "replacement");
    }
    assert!(replacement.hits() >= 5);

    // Probes for orchestrators, without the token.
    let health = get(&client, &format!("{ADMIN}/health"));
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    let ready = get(&client, &format!("{ADMIN}/ready"));
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
    // What the gateway was built from: the file's SHA-256 as `sha256sum`
    // gives it, in `/build` and in `gw_build_info`.
    let source = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/gw/admin_api.gw")).expect("admin_api.gw");
    let sha256 = openssl::sha::sha256(&source).iter().map(|byte| format!("{byte:02x}")).collect::<String>();
    let build: serde_json::Value = serde_json::from_str(&get(&client, &format!("{ADMIN}/build")).body).expect("json");
    assert_eq!(build["gw_sha256"], sha256.as_str());
    assert_eq!(build["gw_file"], "tests/gw/admin_api.gw");
    assert_eq!(build["pingora"], "0.9.1");
    let metrics = get(&client, &format!("{ADMIN}/metrics")).body;
    assert!(
        metrics.contains(&format!("gw_build_info{{gw_sha256=\"{sha256}\",pingora=\"0.9.1\",version=\"")),
        "{metrics}"
    );

    // Connections are pooled, and the metrics tell reused from new.
    let metrics = get(&client, &format!("{ADMIN}/metrics")).body;
    let reused =
        metrics.lines().find(|line| line.starts_with(r#"gw_upstream_connections_total{reused="true",upstream="web"}"#));
    let count: f64 =
        reused.and_then(|line| line.split(' ').next_back()).and_then(|value| value.parse().ok()).unwrap_or(0.0);
    assert!(count >= 5.0, "{metrics}");
}
