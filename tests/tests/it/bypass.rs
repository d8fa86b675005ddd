use crate::support::{Gateway, origin, raw_get};

const GATEWAY: &str = "127.71.0.12:18080";

#[test]
fn normalised_paths_cannot_bypass_a_protected_route() {
    let origin = origin("origin", "127.71.0.12:18001");
    let _gateway = Gateway::start("bypass", "127.71.0.12:18080", &[("GW_TEST_TOKEN", "letmein")]);
    // Raw requests: a client library would resolve the dot segments itself.
    let status = |path: &str| raw_get(GATEWAY, path, "").0;

    // The protected route itself.
    assert_eq!(status("/admin"), 401);
    assert_eq!(status("/admin/users"), 401);
    // Other spellings of it reach it too, and its `auth` refuses them.
    for path in [
        "/public/../admin",
        "/public/../admin/users",
        "/admin//users",
        "//admin",
        "/%61dmin",
        "/./admin",
        "/public/%2e%2e/admin",
    ] {
        assert_eq!(status(path), 401, "{path}");
    }
    // Spellings that cannot be made safe are refused outright.
    for path in ["/..", "/public/../../admin", "/%2e%2e/admin", "/admin%2fusers", "/x%zz", "/a%00"] {
        assert_eq!(status(path), 400, "{path}");
    }
    // Another letter case finds the route but does not match it: refused,
    // not handed to `/`, which `auth` does not protect.
    for path in ["/ADMIN", "/Admin/users", "/aDmin"] {
        assert_eq!(status(path), 404, "{path}");
    }
    assert_eq!(origin.hits(), 0, "no bypass attempt may reach the origin");

    // The origin sees the normal path, through the route it was routed by.
    let (status, response) = raw_get(GATEWAY, "/public/a/../b//c?q=%2F", "");
    assert_eq!(status, 200);
    assert!(response.contains(r#""target":"/public/b/c?q=%2F""#), "{response}");
    let (status, response) = raw_get(GATEWAY, "/public/../admin", "Authorization: Bearer letmein\r\n");
    assert_eq!(status, 200);
    assert!(response.contains(r#""target":"/admin""#), "{response}");
}
