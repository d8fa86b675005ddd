//! The shape of the benchmark gateways and of the requests sent to them,
//! shared by `build.rs` (which generates the gateways) and the benchmarks.

/// The requests each benchmark routes: `(host, path)` pairs that hit routes
/// of every kind across the table, and misses, for a gateway of `routes` routes.
pub fn requests(routes: usize) -> Vec<(String, String)> {
    let picks = [0, 1, 2, 3, routes / 3, routes / 2 + 1, routes - 2, routes - 1];
    let mut requests = Vec::new();
    for index in picks {
        let (host, path) = match index % 4 {
            0 => ("gw.test".to_string(), format!("/api/v{}/svc{index}/status", index % 3)),
            1 => ("gw.test".to_string(), format!("/svc{index}/orders/42")),
            2 => ("gw.test".to_string(), format!("/api/v1/svc{index}/items/7?page=2")),
            _ => (format!("h{index}.example.com"), "/x/y".to_string()),
        };
        requests.push((host, path));
    }
    requests.push(("gw.test".to_string(), "/nowhere/at/all".to_string()));
    requests.push(("unknown.example.com".to_string(), "/svc1/a/../orders".to_string()));
    requests
}

/// The `.gw` text of a gateway with `routes` routes: exact, prefix, deeper
/// prefix and host routes in turn, over four upstreams, and a default route.
pub fn gateway_source(routes: usize) -> String {
    let mut text = String::from("listen http 127.0.0.1:8080\n");
    for upstream in 0..4 {
        text.push_str(&format!("upstream u{upstream} {{ backend 127.0.0.1:{} }}\n", 9000 + upstream));
    }
    for index in 0..routes - 1 {
        let upstream = index % 4;
        let route = match index % 4 {
            0 => format!("route = /api/v{}/svc{index}/status {{ to u{upstream} }}\n", index % 3),
            1 => format!("route /svc{index}/ {{ to u{upstream} }}\n"),
            2 => format!("route /api/v1/svc{index}/items {{ to u{upstream} }}\n"),
            _ => format!("route /x/ {{ host h{index}.example.com; to u{upstream} }}\n"),
        };
        text.push_str(&route);
    }
    text.push_str("route / { to u0 }\n");
    text
}
