use crate::support::{Gateway, client, get, origin};

const GATEWAY: &str = "http://127.71.0.1:18080";

#[test]
fn prefix_exact_and_fallback_404() {
    let _api = origin("api", "127.71.0.1:18001");
    let _docs = origin("docs", "127.71.0.1:18002");
    let _gateway = Gateway::start("routing", "127.71.0.1:18080", &[]);
    let client = client();
    let route = |path: &str| {
        let reply = get(&client, &format!("{GATEWAY}{path}"));
        match reply.status {
            200 if reply.body == "exact\n" => "exact".to_string(),
            200 => reply.server(),
            status => status.to_string(),
        }
    };

    // `route /api/`: everything below /api/, the query aside.
    assert_eq!(route("/api/"), "api");
    assert_eq!(route("/api/users/7?x=1"), "api");
    // `route = /api/exact` wins over the prefix, for that path only.
    assert_eq!(route("/api/exact"), "exact");
    assert_eq!(route("/api/exact?x=1"), "exact");
    assert_eq!(route("/api/exact/more"), "api");
    // A trailing slash makes the prefix need something below it.
    assert_eq!(route("/api"), "404");
    // `route /docs`: the path itself and below, at segment boundaries only.
    assert_eq!(route("/docs"), "docs");
    assert_eq!(route("/docs/intro"), "docs");
    assert_eq!(route("/docsearch"), "404");
    // No route: 404 from the gateway, not from an origin.
    let reply = get(&client, &format!("{GATEWAY}/elsewhere"));
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body, "not found\n");
    // A backend that refuses connections: 502 from the gateway.
    assert_eq!(get(&client, &format!("{GATEWAY}/down/x")).status, 502);
}

#[test]
fn host_routes_first_then_routes_without_host() {
    let _main = origin("main", "127.71.0.2:18001");
    let _other = origin("other", "127.71.0.2:18002");
    let _gateway = Gateway::start("hosts", "127.71.0.2:18080", &[]);
    let client = client();
    let route = |host: &str, path: &str| {
        let reply = crate::support::send(client.get(format!("http://127.71.0.2:18080{path}")).header("Host", host));
        match reply.body.as_str() {
            "www\n" => "www".to_string(),
            "wildcard\n" => "wildcard".to_string(),
            "exact beats wildcard\n" => "exact".to_string(),
            _ => reply.server(),
        }
    };

    assert_eq!(route("api.gw.test", "/api/x"), "other");
    assert_eq!(route("admin.gw.test", "/api/x"), "other");
    // Host names match without case and without port.
    assert_eq!(route("API.gw.test:18080", "/api/x"), "other");
    // A host's routes do not cover paths they do not match...
    assert_eq!(route("api.gw.test", "/elsewhere"), "main");
    // ...and other hosts never see them.
    assert_eq!(route("gw.test", "/api/x"), "main");
    assert_eq!(route("www.gw.test", "/api/x"), "www");
    assert_eq!(route("www.gw.test.", "/"), "www");
    // Wildcards: any name under the suffix, the exact name first.
    assert_eq!(route("x.apps.gw.test", "/"), "wildcard");
    assert_eq!(route("a.b.apps.gw.test", "/y"), "wildcard");
    assert_eq!(route("deep.apps.gw.test", "/"), "exact");
    assert_eq!(route("apps.gw.test", "/"), "main");
}
