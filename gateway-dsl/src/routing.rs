//! The routing decision at build time: the router's flat tables, laid out
//! once here for both the generated statics (`codegen::router`) and the
//! evaluation of requests against a checked file ([`decide`]), which runs a
//! file's `test` blocks and `gw explain`. The lookup is
//! [`gateway_http::router::Router::find`], the gateway's own; paths are
//! normalised by [`gateway_http::path::normalize`] and query and cookie
//! values read by [`gateway_http::query`], as the gateway does.

use gateway_http::router::{EMPTY, Found, Router, group, layout, node};

use crate::ir;

/// The IR router laid out in the runtime's flat arrays. Group 0 is the one
/// of routes without host, then exact host names, then wildcard suffixes.
#[derive(Default)]
pub struct Tables {
    pub nodes: Vec<FlatNode>,
    pub candidates: Vec<ir::RouteId>,
    pub slots: Vec<Option<(String, u32)>>,
    pub regex: Vec<ir::RouteId>,
    pub groups: Vec<(u32, [u32; 2], [u32; 2])>,
    pub hosts: [u32; 2],
    pub wildcards: [u32; 2],
}

pub struct FlatNode {
    pub parent: Option<u32>,
    pub exact: [u32; 2],
    pub subtree: [u32; 2],
    pub below: [u32; 2],
    pub children: [u32; 2],
}

impl Tables {
    pub fn build(gateway: &ir::Gateway) -> Tables {
        let router = &gateway.router;
        let mut tables = Tables::default();
        tables.add_group(&router.any_host);
        let mut host_keys = Vec::new();
        for (name, group) in &router.exact_hosts {
            host_keys.push((name.clone(), tables.add_group(group)));
        }
        let mut wildcard_keys = Vec::new();
        for (suffix, group) in &router.wildcard_hosts {
            wildcard_keys.push((suffix.clone(), tables.add_group(group)));
        }
        tables.hosts = tables.add_table(host_keys);
        tables.wildcards = tables.add_table(wildcard_keys);
        tables
    }

    fn add_group(&mut self, group: &ir::HostRoutes) -> u32 {
        let base = self.nodes.len() as u32;
        for node in &group.trie {
            let exact = self.add_candidates(&node.exact);
            let subtree = self.add_candidates(&node.subtree);
            let below = self.add_candidates(&node.below);
            let children =
                node.children.iter().map(|(segment, child)| (segment.clone(), base + *child as u32)).collect();
            let children = self.add_table(children);
            let parent = node.parent.map(|parent| base + parent as u32);
            self.nodes.push(FlatNode { parent, exact, subtree, below, children });
        }
        let regex = [self.regex.len() as u32, group.regex.len() as u32];
        self.regex.extend(&group.regex);
        let default = self.add_candidates(&group.default);
        self.groups.push((base, regex, default));
        (self.groups.len() - 1) as u32
    }

    fn add_candidates(&mut self, route_ids: &[ir::RouteId]) -> [u32; 2] {
        let start = self.candidates.len() as u32;
        self.candidates.extend(route_ids);
        [start, route_ids.len() as u32]
    }

    fn add_table(&mut self, entries: Vec<(String, u32)>) -> [u32; 2] {
        if entries.is_empty() {
            return [0, 0];
        }
        let table = layout(entries);
        let start = self.slots.len() as u32;
        let size = table.len() as u32;
        self.slots.extend(table);
        [start, size]
    }
}

/// The pattern a candidate is checked against with case: the path of a
/// prefix or exact route (regex routes are not candidates).
pub fn candidate_pattern(route: &ir::Route) -> &str {
    match &route.path {
        ir::PathPattern::Prefix(path) | ir::PathPattern::Exact(path) => path,
        ir::PathPattern::Regex { .. } => "",
    }
}

/// A request to route: what `gw explain` and a `test` line describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The `Host` header (or the authority of an absolute target), as sent.
    pub host: Option<String>,
    /// The path and query, as sent.
    pub target: String,
    /// Other header fields, as sent.
    pub headers: Vec<(String, String)>,
    /// The index of the listener it arrives on.
    pub listener: usize,
}

impl Request {
    /// `METHOD URL`, where the URL is `/path?query`, `host/path` or
    /// `http[s]://host[:port]/path`.
    pub fn parse(method: &str, url: &str) -> Result<Request, String> {
        let method = method.to_string();
        if method.is_empty() || !method.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_".contains(&byte)) {
            return Err(format!("`{method}` is not a method"));
        }
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
        let (host, target) = if rest.starts_with('/') || rest == "*" {
            (None, rest.to_string())
        } else {
            match rest.find(['/', '?']) {
                Some(0) => (None, rest.to_string()),
                Some(at) if rest.as_bytes()[at] == b'/' => (Some(rest[..at].to_string()), rest[at..].to_string()),
                Some(at) => (Some(rest[..at].to_string()), format!("/{}", &rest[at..])),
                None => (Some(rest.to_string()), "/".to_string()),
            }
        };
        if host.as_deref().is_some_and(str::is_empty) {
            return Err(format!("`{url}` has an empty host"));
        }
        Ok(Request { method, host, target, headers: Vec::new(), listener: 0 })
    }

    fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let host = self.host.as_deref().filter(|_| name.eq_ignore_ascii_case("host"));
        host.into_iter().chain(
            self.headers.iter().filter(move |(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str()),
        )
    }
}

/// What the gateway does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Routed to this route.
    Route(ir::RouteId),
    /// Refused before any route runs: the status and why.
    Refused(u16, String),
}

/// A decision and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The normalised path, if the path could be normalised.
    pub path: Option<String>,
    /// The host routing looked at, without port.
    pub host: Option<String>,
    pub outcome: Outcome,
    /// Candidates the router offered before the one chosen, with why each
    /// was passed over, in the order they were tried.
    pub passed_over: Vec<(ir::RouteId, String)>,
}

/// Routes `request` through `gateway` as the gateway would: normalise the
/// path (400 if it cannot be), find the host's routes, and try candidates in
/// the router's order with each route's matchers.
pub fn decide(gateway: &ir::Gateway, request: &Request) -> Decision {
    let (raw_path, query) = match request.target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (request.target.as_str(), None),
    };
    let path = match gateway_http::path::normalize(raw_path) {
        Ok(path) => path.into_owned(),
        Err(error) => {
            return Decision {
                path: None,
                host: None,
                outcome: Outcome::Refused(400, error.to_string()),
                passed_over: Vec::new(),
            };
        }
    };
    let host = request.header_values("host").next().map(gateway_http::router::host_without_port);
    let routes_by_host = !gateway.router.exact_hosts.is_empty() || !gateway.router.wildcard_hosts.is_empty();
    let lookup_host = host.filter(|_| routes_by_host);
    let tables = Tables::build(gateway);
    let candidates: Vec<(ir::RouteId, &str)> =
        tables.candidates.iter().map(|id| (*id, candidate_pattern(&gateway.routes[*id]))).collect();
    let slots: Vec<(&str, u32)> = tables
        .slots
        .iter()
        .map(|slot| slot.as_ref().map_or(("", EMPTY), |(key, value)| (key.as_str(), *value)))
        .collect();
    let nodes: Vec<_> = tables
        .nodes
        .iter()
        .map(|flat| node(flat.parent.unwrap_or(EMPTY), flat.exact, flat.subtree, flat.below, flat.children))
        .collect();
    let groups: Vec<_> = tables.groups.iter().map(|(root, regex, default)| group(*root, *regex, *default)).collect();
    let router = Router {
        nodes: &nodes,
        candidates: &candidates,
        slots: &slots,
        regex: &tables.regex,
        groups: &groups,
        hosts: tables.hosts,
        wildcards: tables.wildcards,
        any_host: 0,
    };
    let regexes: Vec<Option<regex::Regex>> =
        gateway.regexes.iter().map(|source| regex::Regex::new(source).ok()).collect();
    let mut passed_over = Vec::new();
    let found = router.find(lookup_host, &path, |route_id| {
        match rejection(&regexes, &gateway.routes[route_id], request, &path, query) {
            None => true,
            Some(reason) => {
                passed_over.push((route_id, reason));
                false
            }
        }
    });
    let outcome = match found {
        Found::Route(route_id) => Outcome::Route(route_id),
        Found::NotFound => Outcome::Refused(404, "no route matches".to_string()),
        Found::CaseMismatch(route_id) => Outcome::Refused(
            404,
            format!(
                "the path matches `route {}` only if letter case is ignored",
                crate::table::pattern(&gateway.routes[route_id].path)
            ),
        ),
    };
    Decision { path: Some(path), host: host.map(str::to_string), outcome, passed_over }
}

/// Why `route` does not take the request, beyond its host and path pattern;
/// `None` if it does. The same tests, in the same order, as the generated
/// `Gateway::accept`.
fn rejection(
    regexes: &[Option<regex::Regex>],
    route: &ir::Route,
    request: &Request,
    path: &str,
    query: Option<&str>,
) -> Option<String> {
    let conditions = &route.conditions;
    if !conditions.listeners.is_empty() && !conditions.listeners.contains(&request.listener) {
        return Some("it is bound to other listeners (`on`)".to_string());
    }
    let matches =
        |regex: usize, text: &str| regexes.get(regex).and_then(Option::as_ref).is_some_and(|r| r.is_match(text));
    if let ir::PathPattern::Regex { regex, source } = &route.path
        && !matches(*regex, path)
    {
        return Some(format!("the path does not match {source:?}"));
    }
    if !conditions.methods.is_empty() && !conditions.methods.contains(&request.method) {
        return Some(format!("`methods {}` does not take {}", conditions.methods.join(" "), request.method));
    }
    let accepts = |value: &ir::ValueMatch, text: &str| match value {
        ir::ValueMatch::Present => true,
        ir::ValueMatch::Equals(expected) => text == expected,
        ir::ValueMatch::Regex { regex, .. } => matches(*regex, text),
    };
    let written = |kind: &str, name: &str, value: &ir::ValueMatch| match value {
        ir::ValueMatch::Present => format!("`{kind} {name}`"),
        ir::ValueMatch::Equals(text) => format!("`{kind} {name} {text:?}`"),
        ir::ValueMatch::Regex { source, .. } => format!("`{kind} {name} ~ {source:?}`"),
    };
    for (name, value) in &conditions.headers {
        if !request.header_values(name).any(|text| accepts(value, text)) {
            return Some(format!("{} is not met", written("header", name, value)));
        }
    }
    for (name, value) in &conditions.query {
        if !gateway_http::query::query_values(query, name).any(|text| accepts(value, &text)) {
            return Some(format!("{} is not met", written("query", name, value)));
        }
    }
    for (name, value) in &conditions.cookies {
        let mut cookies =
            request.header_values("cookie").flat_map(|header| gateway_http::query::cookie_values(header, name));
        if !cookies.any(|text| accepts(value, text)) {
            return Some(format!("{} is not met", written("cookie", name, value)));
        }
    }
    None
}

/// What happens to the request, in a sentence: "it goes to `route /api/`
/// (gateway.gw:12:1), upstream `api`", "it is refused with 404: no route matches".
pub fn describe(gateway: &ir::Gateway, decision: &Decision) -> String {
    match &decision.outcome {
        Outcome::Refused(status, reason) => format!("it is refused with {status}: {reason}"),
        Outcome::Route(route_id) => {
            let route = &gateway.routes[*route_id];
            let what = match &route.action {
                ir::Action::Proxy { upstream } => format!("upstream `{}`", gateway.upstreams[*upstream].name),
                ir::Action::Respond { status, .. } => format!("answered {status} by `respond`"),
                ir::Action::Redirect { status, .. } => format!("redirected with {status}"),
            };
            format!("it goes to `route {}` ({}), {what}", crate::table::pattern(&route.path), route.location)
        }
    }
}
