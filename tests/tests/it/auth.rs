use crate::support::{Gateway, client, get, origin, send};

#[test]
fn bearer_token_gives_401_403_or_200() {
    let echo = origin("echo", "127.71.0.6:18001");
    let _gateway = Gateway::start("auth", "127.71.0.6:18080", &[("GW_TEST_TOKEN", "s3cret-token")]);
    let client = client();
    let url = "http://127.71.0.6:18080/private/data";

    let reply = get(&client, url);
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    assert_eq!(send(client.get(url).header("Authorization", "Basic czNjcmV0")).status, 401);
    assert_eq!(send(client.get(url).header("Authorization", "Bearer wrong")).status, 403);
    assert_eq!(send(client.get(url).header("Authorization", "Bearer s3cret-token-and-more")).status, 403);
    assert_eq!(echo.hits(), 0, "refused requests must not reach the origin");

    let reply = send(client.get(url).header("Authorization", "Bearer s3cret-token"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.server(), "echo");
    // Routes without `auth` are open.
    assert_eq!(get(&client, "http://127.71.0.6:18080/public").status, 200);
}

#[test]
fn missing_token_variable_stops_the_gateway_at_start() {
    let mut gateway = Gateway::spawn("auth", &[], &[]);
    let status = gateway.wait_for_exit();
    assert!(!status.success());
    let log = gateway.log_text();
    assert!(
        log.contains("environment variable `GW_TEST_TOKEN` is not set")
            && log.contains("`auth bearer env(GW_TEST_TOKEN)` at tests/gw/auth.gw:8:15"),
        "{log}"
    );
}
