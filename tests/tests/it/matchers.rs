use crate::support::{Gateway, client, get, origin, send};

const GATEWAY: &str = "http://127.71.0.11:18080";

/// Which origin (or the gateway itself) answered.
fn who(reply: &crate::support::Reply) -> String {
    match reply.status {
        200 if reply.body == "legacy\n" => "legacy".to_string(),
        200 => reply.server(),
        status => status.to_string(),
    }
}

#[test]
fn matchers_select_among_routes_and_regexes_come_before_the_default() {
    let _a = origin("a", "127.71.0.11:18001");
    let _b = origin("b", "127.71.0.11:18002");
    let _gateway = Gateway::start("matchers", "127.71.0.11:18080", &[]);
    let client = client();
    let url = |path: &str| format!("{GATEWAY}{path}");

    // Candidates of one path in file order; the first that accepts wins.
    assert_eq!(who(&get(&client, &url("/api/x"))), "a");
    assert_eq!(who(&send(client.post(url("/api/x")))), "b");
    assert_eq!(who(&send(client.put(url("/api/x")))), "b");
    assert_eq!(who(&send(client.delete(url("/api/x")))), "a");
    assert_eq!(who(&send(client.get(url("/api/x")).header("X-Env", "prod"))), "b");
    assert_eq!(who(&send(client.get(url("/api/x")).header("X-Env", "staging"))), "a");

    assert_eq!(who(&send(client.get(url("/h/")).header("X-Version", "v12"))), "b");
    assert_eq!(who(&send(client.get(url("/h/")).header("X-Version", "12"))), "a");

    assert_eq!(who(&get(&client, &url("/q/?debug"))), "b");
    assert_eq!(who(&get(&client, &url("/q/?debug=1&x=2"))), "b");
    assert_eq!(who(&get(&client, &url("/q/?mode=fast"))), "b");
    assert_eq!(who(&get(&client, &url("/q/?mode=slow"))), "a");
    assert_eq!(who(&get(&client, &url("/q/?debugger=1"))), "a");

    assert_eq!(who(&send(client.get(url("/c/")).header("Cookie", "a=1; beta=yes"))), "b");
    assert_eq!(who(&send(client.get(url("/c/")).header("Cookie", "beta=no"))), "a");

    // Regex routes come after prefixes and before the default route.
    assert_eq!(who(&get(&client, &url("/files/logo.png"))), "b");
    assert_eq!(who(&get(&client, &url("/files/a/b.jpg"))), "b");
    assert_eq!(who(&get(&client, &url("/files/notes.txt"))), "a");
    // `~*` ignores case.
    assert_eq!(who(&get(&client, &url("/LEGACY/x"))), "legacy");
    // The default route takes the rest.
    assert_eq!(who(&get(&client, &url("/anything"))), "a");
}
