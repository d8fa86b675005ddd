use crate::support::{Gateway, client, get, origin, send};

const GATEWAY: &str = "http://127.71.0.13:18080";

#[test]
fn upstream_targets_headers_forwarding_redirects_and_responses() {
    let _echo = origin("echo", "127.71.0.13:18001");
    let _gateway = Gateway::start("actions", "127.71.0.13:18080", &[]);
    let client = client();

    // strip_prefix, query edits, header add/copy and a Host override.
    let reply = send(
        client
            .get(format!("{GATEWAY}/api/users?q=rust&debug=true&page=3"))
            .header("X-Client-Id", "c-42")
            .header("X-Forwarded-For", "6.6.6.6")
            .header("X-Request-Id", "req-123"),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.echo()["target"], "/users?q=rust&ref=pingora&page=1");
    assert_eq!(reply.received("x-tag").as_deref(), Some("one, two"));
    assert_eq!(reply.received("x-copied-id").as_deref(), Some("c-42"));
    assert_eq!(reply.received("host").as_deref(), Some("backend.internal"));
    // Forwarding headers, on by default; a client's X-Forwarded-For is replaced.
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("127.0.0.1"));
    assert_eq!(reply.received("x-forwarded-proto").as_deref(), Some("http"));
    assert_eq!(reply.received("x-forwarded-host").as_deref(), Some("127.71.0.13:18080"));
    // A sensible request id is kept, and echoed to the client.
    assert_eq!(reply.received("x-request-id").as_deref(), Some("req-123"));
    assert_eq!(reply.header("x-request-id"), Some("req-123"));
    // Response edits: copy and add.
    assert!(reply.header("x-legacy-date").is_some_and(|date| date.ends_with(" GMT")));
    assert_eq!(reply.header("x-legacy-date"), reply.header("date"));
    assert_eq!(reply.header("x-served-by"), Some("gw"));

    // rewrite with a named group; X-Forwarded-For appended; no request id.
    let reply = send(client.get(format!("{GATEWAY}/v1/items/7?x=1")).header("X-Forwarded-For", "10.0.0.1"));
    assert_eq!(reply.echo()["target"], "/v2/items/7?x=1");
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("10.0.0.1, 127.0.0.1"));
    assert_eq!(reply.received("x-request-id"), None);
    assert_eq!(reply.header("x-request-id"), None);

    // Forwarding headers turned off; a generated request id otherwise.
    let reply = send(client.get(format!("{GATEWAY}/plain/x")).header("X-Forwarded-For", "6.6.6.6"));
    assert_eq!(reply.received("x-forwarded-for").as_deref(), Some("6.6.6.6"));
    assert_eq!(reply.received("x-forwarded-proto"), None);
    assert_eq!(reply.received("x-forwarded-host"), None);
    let generated = reply.received("x-request-id").unwrap_or_default();
    assert_eq!(generated.len(), 32, "{generated}");
    assert!(generated.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(reply.header("x-request-id"), Some(generated.as_str()));
    let other = get(&client, &format!("{GATEWAY}/plain/x")).received("x-request-id").unwrap_or_default();
    assert_ne!(other, generated);

    // Redirects and fixed responses.
    let reply = send(client.get(format!("{GATEWAY}/old/page?id=3")).header("Host", "shop.gw.test:18080"));
    assert_eq!(reply.status, 301);
    assert_eq!(reply.header("location"), Some("https://shop.gw.test/new/old/page?id=3"));
    let reply = get(&client, &format!("{GATEWAY}/same/a?b=c"));
    assert_eq!(reply.status, 302);
    assert_eq!(reply.header("location"), Some("http://127.71.0.13/other/same/a"));
    let reply = get(&client, &format!("{GATEWAY}/moved"));
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), Some("/elsewhere"));

    let reply = get(&client, &format!("{GATEWAY}/json"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.body, "{\"ok\":true}");
}
