use crate::support::{Gateway, client, get, origin, send};

#[test]
fn request_and_response_headers_are_edited() {
    let _echo = origin("echo", "127.71.0.4:18001");
    let _gateway = Gateway::start("headers", "127.71.0.4:18080", &[]);
    let client = client();

    let reply = send(
        client
            .get("http://127.71.0.4:18080/page")
            .header("User-Agent", "test-agent")
            .header("X-Secret", "hide me")
            .header("X-Replaced", "old")
            .header("X-Kept", "kept"),
    );
    assert_eq!(reply.status, 200);
    // What the origin received.
    assert_eq!(reply.received("x-forwarded-proto").as_deref(), Some("http"));
    assert_eq!(reply.received("x-replaced").as_deref(), Some("new"));
    assert_eq!(reply.received("user-agent"), None);
    assert_eq!(reply.received("x-secret"), None);
    assert_eq!(reply.received("x-kept").as_deref(), Some("kept"));
    // What the client received.
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("x-server"), Some("gateway"));
    assert_eq!(reply.header("x-app-version"), None);
    assert_eq!(reply.header("x-request-count"), Some("1"));

    // A route that responds itself applies its response edits too.
    let reply = get(&client, "http://127.71.0.4:18080/teapot");
    assert_eq!(reply.status, 418);
    assert_eq!(reply.body, "short and stout\n");
    assert_eq!(reply.header("content-type"), Some("text/x-teapot"));
    assert_eq!(reply.header("x-teapot"), Some("yes"));
}
