//! The routing table as people read it: every route in the order the
//! gateway tries them, with what it matches, what it does and the policies
//! that run. Served by the admin listener's `GET /routes` (as JSON, made at
//! build time) and printed by tools.
//!
//! The order is the router's (docs/language.md, "How a request finds its
//! route"): host groups first (each exact host, then wildcards by longest
//! suffix, then routes without `host`); within a group an exact path, then
//! prefixes longest first, then regexes in file order, then `route /`; file
//! order among routes of one pattern. A route with several hosts appears in
//! each of their groups.

use std::fmt::Write as _;

use crate::ir;

/// One route in one host group.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// `api.example.com`, `*.example.com`, or `*` for any host.
    pub host: String,
    pub route: &'a ir::Route,
    pub route_id: ir::RouteId,
}

/// The rows of `gateway`, in the order the gateway tries them.
pub fn rows(gateway: &ir::Gateway) -> Vec<Row<'_>> {
    let mut rows: Vec<(HostRank, PathRank, usize, Row<'_>)> = Vec::new();
    for (route_id, route) in gateway.routes.iter().enumerate() {
        let path = path_rank(&route.path);
        if route.hosts.is_empty() {
            rows.push((HostRank::Any, path.clone(), route_id, Row { host: "*".to_string(), route, route_id }));
        }
        for host in &route.hosts {
            let (rank, name) = match host {
                ir::HostPattern::Exact(name) => (HostRank::Exact(name.clone()), name.clone()),
                ir::HostPattern::Wildcard(suffix) => {
                    (HostRank::Wildcard(std::cmp::Reverse(suffix.len()), suffix.clone()), format!("*.{suffix}"))
                }
            };
            rows.push((rank, path.clone(), route_id, Row { host: name, route, route_id }));
        }
    }
    rows.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    rows.into_iter().map(|(_, _, _, row)| row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum HostRank {
    Exact(String),
    Wildcard(std::cmp::Reverse<usize>, String),
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PathRank {
    Exact,
    Prefix(std::cmp::Reverse<usize>),
    Regex,
    Root,
}

fn path_rank(path: &ir::PathPattern) -> PathRank {
    match path {
        ir::PathPattern::Exact(_) => PathRank::Exact,
        ir::PathPattern::Prefix(prefix) if prefix == "/" => PathRank::Root,
        ir::PathPattern::Prefix(prefix) => PathRank::Prefix(std::cmp::Reverse(prefix.len())),
        ir::PathPattern::Regex { .. } => PathRank::Regex,
    }
}

/// The pattern as written: `/api/`, `= /health`, `~ "^/v[0-9]+/"`.
pub fn pattern(path: &ir::PathPattern) -> String {
    match path {
        ir::PathPattern::Prefix(prefix) => prefix.clone(),
        ir::PathPattern::Exact(path) => format!("= {path}"),
        ir::PathPattern::Regex { source, .. } => format!("~ {source:?}"),
    }
}

/// The matchers besides host and path, as written (`methods GET POST`, `header X-Beta`, ...).
pub fn matchers(gateway: &ir::Gateway, route: &ir::Route) -> Vec<String> {
    let conditions = &route.conditions;
    let mut out = Vec::new();
    if !conditions.listeners.is_empty() {
        let names: Vec<String> = conditions
            .listeners
            .iter()
            .map(|id| {
                let listener = &gateway.listeners[*id];
                listener.name.clone().unwrap_or_else(|| listener.addr.to_string())
            })
            .collect();
        out.push(format!("on {}", names.join(" ")));
    }
    if !conditions.methods.is_empty() {
        out.push(format!("methods {}", conditions.methods.join(" ")));
    }
    for (kind, list) in [("header", &conditions.headers), ("query", &conditions.query), ("cookie", &conditions.cookies)]
    {
        for (name, value) in list {
            out.push(match value {
                ir::ValueMatch::Present => format!("{kind} {name}"),
                ir::ValueMatch::Equals(value) => format!("{kind} {name} {value:?}"),
                ir::ValueMatch::Regex { source, .. } => format!("{kind} {name} ~ {source:?}"),
            });
        }
    }
    out
}

/// What the route does: `to NAME`, `respond 200`, `redirect 301 URL`.
pub fn action(gateway: &ir::Gateway, route: &ir::Route) -> String {
    match &route.action {
        ir::Action::Proxy { upstream } => format!("to {}", gateway.upstreams[*upstream].name),
        ir::Action::Respond { status, .. } => format!("respond {status}"),
        ir::Action::Redirect { status, .. } => format!("redirect {status}"),
    }
}

/// The policies that run, in order, by directive (`allow/deny`, `limit
/// rate`, `auth jwt`, ...), then `cache`, `compress` and `access_log off`.
pub fn policies(gateway: &ir::Gateway, route: &ir::Route) -> Vec<String> {
    let mut out: Vec<String> =
        route.policies.iter().map(|id| gateway.policies[*id].policy.directive().to_string()).collect();
    if route.cache.is_some() {
        out.push("cache".to_string());
    }
    if crate::policy::compress::of(gateway, route).is_some() {
        out.push("compress".to_string());
    }
    if route.access_log == crate::policy::access_log::RouteLog::Off {
        out.push("access_log off".to_string());
    }
    out
}

/// The table as JSON: `{"routes":[{"host":..,"pattern":..,"label":..,
/// "matchers":[..],"action":..,"upstream":..,"policies":[..],"location":..}]}`.
pub fn json(gateway: &ir::Gateway) -> String {
    let mut out = String::from("{\"routes\":[");
    for (index, row) in rows(gateway).iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let route = row.route;
        let upstream = match route.action {
            ir::Action::Proxy { upstream } => json_string(&gateway.upstreams[upstream].name),
            _ => "null".to_string(),
        };
        let list = |items: Vec<String>| items.iter().map(|item| json_string(item)).collect::<Vec<_>>().join(",");
        let _ = write!(
            out,
            "{{\"host\":{},\"pattern\":{},\"label\":{},\"matchers\":[{}],\"action\":{},\"upstream\":{},\"policies\":[{}],\"location\":{}}}",
            json_string(&row.host),
            json_string(&pattern(&route.path)),
            json_string(&route.label),
            list(matchers(gateway, route)),
            json_string(&action(gateway, route)),
            upstream,
            list(policies(gateway, route)),
            json_string(&route.location),
        );
    }
    out.push_str("]}");
    out
}

/// `text` as a JSON string, quoted and escaped.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            character if u32::from(character) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(character));
            }
            character => out.push(character),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway(source: &str) -> ir::Gateway {
        let options = crate::Options { source_path: std::path::PathBuf::from("/tmp/t.gw") };
        crate::compile(&crate::SourceFile::new("t.gw", source), &options).unwrap_or_else(|errors| panic!("{errors:?}"))
    }

    #[test]
    fn rows_follow_the_routers_order() {
        let gateway = gateway(
            "listen http 127.0.0.1:8080\nupstream a { backend 127.0.0.1:9000 }\n\
             route / { to a }\nroute ~ \"^/v[0-9]+/\" { to a }\nroute /api/ { to a }\n\
             route /api/v1/ { to a }\nroute = /api { to a }\n\
             route /x/ { host *.example.com; to a }\nroute /x/ { host api.example.com; methods GET; to a }\n",
        );
        let order: Vec<(String, String)> =
            rows(&gateway).iter().map(|row| (row.host.clone(), pattern(&row.route.path))).collect();
        let expected = [
            ("api.example.com", "/x/"),
            ("*.example.com", "/x/"),
            ("*", "= /api"),
            ("*", "/api/v1/"),
            ("*", "/api/"),
            ("*", "~ \"^/v[0-9]+/\""),
            ("*", "/"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(order, expected);
        let json = json(&gateway);
        assert!(json.contains("\"matchers\":[\"methods GET\"]"), "{json}");
        assert!(json.starts_with("{\"routes\":[{\"host\":\"api.example.com\""), "{json}");
    }
}
