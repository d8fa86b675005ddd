//! The example gateway, `routes/gateway.gw`, answers the README's curl lines.

use crate::support::{Gateway, client, client_builder, get, origin, send};

#[test]
fn example_gateway_does_what_the_readme_says() {
    let _web1 = origin("web-1", "127.0.0.1:8001");
    let _web2 = origin("web-2", "127.0.0.1:8002");
    let _api = origin("api", "127.0.0.1:8003");
    let _gateway = Gateway::start("example", "127.0.0.1:6188", &[("API_TOKEN", "demo-token")]);
    let client = client();

    let reply = get(&client, "http://127.0.0.1:6188/healthz");
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok\n"));

    let servers: Vec<String> = (0..4).map(|_| get(&client, "http://127.0.0.1:6188/hello").server()).collect();
    assert_eq!(servers.iter().filter(|server| *server == "web-1").count(), 3, "{servers:?}");

    assert_eq!(get(&client, "http://127.0.0.1:6188/api/users").status, 401);
    let reply = send(client.get("http://127.0.0.1:6188/api/users").header("Authorization", "Bearer demo-token"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.server(), "api");
    assert_eq!(reply.received("x-forwarded-proto").as_deref(), Some("http"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));

    assert_eq!(get(&client, "http://127.0.0.1:6188/static/app.css").header("x-cache-status"), Some("MISS"));
    assert_eq!(get(&client, "http://127.0.0.1:6188/static/app.css").header("x-cache-status"), Some("HIT"));

    let ca = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../certs/ca.crt")).expect("test CA");
    let https = client_builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA"))
        .build()
        .expect("client");
    let reply = send(https.get("https://localhost:6443/hello"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version, reqwest::Version::HTTP_2);

    let reply = send(client.get("http://127.0.0.1:6188/tenants/orders?x=1").header("X-Tenant", "acme"));
    assert_eq!(reply.echo()["target"], "/orders?x=1");
    assert_eq!(get(&client, "http://127.0.0.1:6188/tenants/orders").status, 400);
    let reply = get(&client, "http://127.0.0.1:6188/docs/intro?v=2");
    assert_eq!(reply.header("location"), Some("https://docs.example.com/docs/intro?v=2"));

    let metrics = get(&client, "http://127.0.0.1:9100/metrics").body;
    assert!(metrics.contains(r#"gw_requests_total{route="= /healthz",status="200"} 1"#), "{metrics}");
}
