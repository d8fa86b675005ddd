use crate::support::{Gateway, https_client, origin, send};

#[test]
fn https_listener_negotiates_h2_by_alpn() {
    let _echo = origin("echo", "127.71.0.8:18001");
    let _gateway = Gateway::start("tls", "127.71.0.8:18443", &[]);

    let reply = send(https_client("127.71.0.8", false).get("https://gw.test:18443/secure"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version, reqwest::Version::HTTP_2);
    assert_eq!(reply.server(), "echo");
    assert_eq!(reply.echo()["target"], "/secure");
    // Over h2 the origin still gets a Host (from the :authority).
    assert_eq!(reply.received("host").as_deref(), Some("gw.test:18443"));

    // A client without h2 gets HTTP/1.1 on the same listener.
    let reply = send(https_client("127.71.0.8", true).get("https://gw.test:18443/"));
    assert_eq!(reply.version, reqwest::Version::HTTP_11);

    // `alpn http1` offers HTTP/1.1 only.
    let reply = send(https_client("127.71.0.8", false).get("https://gw.test:18444/"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version, reqwest::Version::HTTP_11);
}
