use crate::support::{Gateway, client_builder, origin, send};

fn https_client(http1_only: bool) -> reqwest::blocking::Client {
    let ca_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs/ca.crt");
    let ca = std::fs::read(ca_path).expect("test CA");
    let mut builder = client_builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA certificate"))
        .resolve("gw.test", "127.71.0.8:0".parse().expect("address"));
    if http1_only {
        builder = builder.http1_only();
    }
    builder.build().expect("client")
}

#[test]
fn https_listener_negotiates_h2_by_alpn() {
    let _echo = origin("echo", "127.71.0.8:18001");
    let _gateway = Gateway::start("tls", "127.71.0.8:18443", &[]);

    let reply = send(https_client(false).get("https://gw.test:18443/secure"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version, reqwest::Version::HTTP_2);
    assert_eq!(reply.server(), "echo");
    assert_eq!(reply.echo()["target"], "/secure");
    // Over h2 the origin still gets a Host (from the :authority).
    assert_eq!(reply.received("host").as_deref(), Some("gw.test:18443"));

    // A client without h2 gets HTTP/1.1 on the same listener.
    let reply = send(https_client(true).get("https://gw.test:18443/"));
    assert_eq!(reply.version, reqwest::Version::HTTP_11);

    // `alpn http1` offers HTTP/1.1 only.
    let reply = send(https_client(false).get("https://gw.test:18444/"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version, reqwest::Version::HTTP_11);
}
