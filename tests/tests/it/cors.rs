//! `cors` (tests/gw/cors.gw): preflights answered before the limits and
//! `auth`, CORS fields on proxied responses, refusals and `respond`
//! routes, `Vary: Origin` where the answer depends on the origin, and a
//! server-wide policy a route replaces.

use crate::support::{Gateway, Reply, client, origin, send};

const GATEWAY: &str = "127.71.0.37:18080";
const APP: &str = "https://app.example";

fn url(path: &str) -> String {
    format!("http://{GATEWAY}{path}")
}

fn preflight(path: &str, origin: &str, method: &str, headers: Option<&str>) -> Reply {
    let request = client()
        .request(reqwest::Method::OPTIONS, url(path))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method);
    send(match headers {
        Some(headers) => request.header("Access-Control-Request-Headers", headers),
        None => request,
    })
}

fn get(path: &str, origin: &str, token: Option<&str>) -> Reply {
    let request = client().get(url(path)).header("Origin", origin);
    send(match token {
        Some(token) => request.header("Authorization", format!("Bearer {token}")),
        None => request,
    })
}

#[test]
fn preflights_are_answered_and_responses_carry_the_fields() {
    let echo = origin("echo", "127.71.0.37:18001");
    let _gateway = Gateway::start("cors", GATEWAY, &[("GW_TEST_TOKEN", "s3cret-token")]);

    // Preflights: answered by the gateway, without credentials, before the
    // rate limit (five of them spend none of its 2/m).
    for _ in 0..5 {
        let reply = preflight("/api/items", APP, "PUT", Some("content-type,authorization"));
        assert_eq!(reply.status, 204, "{:?}", reply.headers);
        assert_eq!(reply.header("access-control-allow-origin"), Some(APP));
        assert_eq!(reply.header("access-control-allow-credentials"), Some("true"));
        assert_eq!(reply.header("access-control-allow-methods"), Some("GET, POST, PUT, DELETE"));
        assert_eq!(reply.header("access-control-allow-headers"), Some("content-type, authorization"));
        assert_eq!(reply.header("access-control-max-age"), Some("600"));
        assert!(reply.header("vary").is_some_and(|vary| vary.contains("Origin")));
        assert!(reply.body.is_empty());
    }
    assert_eq!(echo.hits(), 0, "preflights never reach the upstream");
    // Refused: another origin, method or header.
    for reply in [
        preflight("/api/items", "https://evil.example", "GET", None),
        preflight("/api/items", "https://app.example/", "GET", None),
        preflight("/api/items", APP, "PATCH", None),
        preflight("/api/items", APP, "PUT", Some("x-other")),
    ] {
        assert_eq!(reply.status, 403);
        assert_eq!(reply.header("access-control-allow-origin"), None);
    }
    // A safelisted method needs no listing.
    assert_eq!(preflight("/api/items", "http://localhost:3000", "HEAD", None).status, 204);

    // Actual requests: a refusal carries the fields, so the page can read
    // its 401; a proxied response does too; another origin gets none.
    let reply = get("/api/items", APP, None);
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("access-control-allow-origin"), Some(APP));
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    let reply = get("/api/items", APP, Some("s3cret-token"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some(APP));
    assert_eq!(reply.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(reply.header("access-control-expose-headers"), Some("x-request-id"));
    assert_eq!(reply.header("vary"), Some("Origin"));
    let reply = get("/api/items", "https://evil.example", Some("s3cret-token"));
    assert_eq!(reply.status, 429, "the third request of the minute");
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(reply.header("vary"), Some("Origin"));

    // A `respond` route; its `methods GET` still lets its preflights in.
    let reply = get("/fixed/", APP, None);
    assert_eq!((reply.status, reply.header("access-control-allow-origin")), (200, Some(APP)));
    let reply = preflight("/fixed/", APP, "GET", None);
    assert_eq!((reply.status, reply.header("access-control-allow-origin")), (204, Some(APP)));

    // The server's policy: any origin, `*`, nothing varies.
    let reply = get("/other", "https://anyone.example", None);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-credentials"), None);
    assert_eq!(reply.header("vary"), None);
    let reply = preflight("/other", "https://anyone.example", "POST", None);
    assert_eq!((reply.status, reply.header("access-control-allow-origin")), (204, Some("*")));
    assert_eq!(reply.header("access-control-max-age"), Some("600"));
    // Requests without `Origin` are not CORS requests.
    let reply = send(client().get(url("/other")));
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let reply = send(client().request(reqwest::Method::OPTIONS, url("/other")));
    assert_ne!(reply.status, 204, "a plain OPTIONS goes to the upstream");
}
