use crate::support::{Gateway, client, get, origin, send};

const GATEWAY: &str = "http://127.71.0.16:18080";

#[test]
fn called_rust_functions_let_through_answer_or_fail() {
    let echo = origin("echo", "127.71.0.16:18001");
    let _gateway = Gateway::start("call", "127.71.0.16:18080", &[]);
    let client = client();

    let reply = send(client.get(format!("{GATEWAY}/tenants/x")).header("X-Tenant", "acme-1"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.received("x-tenant").as_deref(), Some("acme-1"));
    // The function answered itself.
    let reply = get(&client, &format!("{GATEWAY}/tenants/x"));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body, "{\"error\":\"X-Tenant is required\"}");
    // The function failed the request with a status.
    assert_eq!(send(client.get(format!("{GATEWAY}/tenants/x")).header("X-Tenant", "a b")).status, 403);
    // Other routes do not call it.
    assert_eq!(get(&client, &format!("{GATEWAY}/other")).status, 200);
    assert_eq!(echo.hits(), 2);
}
