//! Routes bound to named listeners (`listen http NAME ADDR`, `on NAME`).

use crate::support::{Gateway, client, get, https_client, origin, send};

const PUBLIC: &str = "http://127.71.0.34:18080";
const INTERNAL: &str = "http://127.71.0.34:18081";
const SECURE: &str = "https://gw.test:18443";

#[test]
fn routes_are_served_only_on_the_listeners_they_are_bound_to() {
    let app = origin("app", "127.71.0.34:18001");
    let ops = origin("ops", "127.71.0.34:18002");
    let _gateway = Gateway::start("listeners", "127.71.0.34:18080", &[]);
    let client = client();
    let h2 = https_client("127.71.0.34", false);

    // The internal route answers on its listener only; elsewhere the
    // request goes to the route the public listeners serve.
    let internal = get(&client, &format!("{INTERNAL}/admin/users"));
    assert_eq!((internal.status, internal.server().as_str()), (200, "ops"));
    let public = get(&client, &format!("{PUBLIC}/admin/users"));
    assert_eq!((public.status, public.server().as_str()), (200, "app"));
    // Over HTTP/2 (no Host header at all): the same, by listener.
    let secure = send(h2.get(format!("{SECURE}/admin/users")));
    assert_eq!(secure.version, reqwest::Version::HTTP_2);
    assert_eq!((secure.status, secure.server().as_str()), (200, "app"));
    assert_eq!(ops.hits(), 1, "a public listener reached the internal route");

    // One pattern, one route per listener.
    assert_eq!(get(&client, &format!("{PUBLIC}/status")).body, "public");
    assert_eq!(send(h2.get(format!("{SECURE}/status"))).body, "public");
    assert_eq!(get(&client, &format!("{INTERNAL}/status")).body, "internal");

    // The internal listener serves no catch-all: 404.
    assert_eq!(get(&client, &format!("{INTERNAL}/other")).status, 404);

    // Cached routes for one host and path on two listeners keep their own
    // entries: the public route's response is never a HIT on the internal one.
    let first = get(&client, &format!("{PUBLIC}/cached/page"));
    assert_eq!((first.server().as_str(), first.header("x-cache-status")), ("app", Some("MISS")));
    assert_eq!(get(&client, &format!("{PUBLIC}/cached/page")).header("x-cache-status"), Some("HIT"));
    let other = get(&client, &format!("{INTERNAL}/cached/page"));
    assert_eq!((other.server().as_str(), other.header("x-cache-status")), ("ops", Some("MISS")));
    assert_eq!(app.hits(), 3);
}
