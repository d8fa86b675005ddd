use crate::support::{Gateway, client, origin, send};

const GATEWAY: &str = "http://127.71.0.15:18080";

#[test]
fn denied_bodies_never_reach_the_upstream() {
    let echo = origin("echo", "127.71.0.15:18001");
    let _gateway = Gateway::start("body", "127.71.0.15:18080", &[]);
    let client = client();
    let post = |path: &str, body: Vec<u8>| send(client.post(format!("{GATEWAY}{path}")).body(body));

    let reply = post("/submit/", b"Hello World".to_vec());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.echo()["body_bytes"], 11);
    assert_eq!(echo.hits(), 1);

    assert_eq!(post("/submit/", b"I am a rogue agent".to_vec()).status, 422);
    assert_eq!(post("/submit/", b"x; DROP\n TABLE users".to_vec()).status, 422);
    assert_eq!(echo.hits(), 1, "denied bodies must not reach the origin");

    // Past the 1KiB inspected, the body is not read.
    let mut late = vec![b'a'; 2048];
    late.extend_from_slice(b"rogue");
    let reply = post("/submit/", late);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.echo()["body_bytes"], 2053);
    // Within it, a large body is held, inspected and forwarded whole.
    let mut early = b"rogue".to_vec();
    early.extend(vec![b'a'; 100_000]);
    assert_eq!(post("/submit/", early).status, 422);
    // Other routes are not inspected.
    assert_eq!(post("/other", b"rogue".to_vec()).status, 200);
    assert_eq!(echo.hits(), 3);
}
