//! The routing decision of all routes together, built at compile time, and
//! the checks that need all routes at once: two routes with the same
//! matchers, a route an earlier one always takes first, and patterns that
//! differ only in letter case.
//!
//! The precedence built here is the one `gateway_runtime::router` applies:
//! host groups from the most specific (exact name, wildcard suffix, any
//! host); within a group, exact, then the longest prefix, then regexes in
//! file order, then `route /`; at each place, the first route in file order
//! whose other matchers accept the request.

use regex_syntax::hir::{Hir, HirKind, Look};

use super::Checker;
use super::routes::SpannedRoute;
use crate::diagnostics::Diagnostic;
use crate::ir;

/// Where a route sits within its host group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Exact(usize),
    Subtree(usize),
    Below(usize),
    Regex,
    Default,
}

pub(crate) fn build_router(checker: &Checker<'_>, routes: &[SpannedRoute]) -> ir::Router {
    let mut router = ir::Router::default();
    for (route_id, spanned) in routes.iter().enumerate() {
        let route = &spanned.route;
        let groups: Vec<(Option<&ir::HostPattern>, String)> = if route.hosts.is_empty() {
            vec![(None, String::new())]
        } else {
            route.hosts.iter().map(|host| (Some(host), host_text(host))).collect()
        };
        for (host, host_text) in groups {
            let group = group_of(&mut router, host);
            let place = place_of(group, &route.path);
            let candidates = candidates(group, place);
            if conflict(checker, routes, candidates, route_id, &host_text) {
                continue;
            }
            candidates_mut(group, place).push(route_id);
        }
    }
    for group in
        router.exact_hosts.iter().chain(&router.wildcard_hosts).map(|(_, group)| group).chain([&router.any_host])
    {
        check_regexes_reachable(checker, routes, group);
    }
    router.exact_hosts.sort_by(|a, b| a.0.cmp(&b.0));
    router.wildcard_hosts.sort_by(|a, b| a.0.cmp(&b.0));
    router
}

fn host_text(host: &ir::HostPattern) -> String {
    match host {
        ir::HostPattern::Exact(name) => format!(" for host `{name}`"),
        ir::HostPattern::Wildcard(suffix) => format!(" for host `*.{suffix}`"),
    }
}

fn group_of<'r>(router: &'r mut ir::Router, host: Option<&ir::HostPattern>) -> &'r mut ir::HostRoutes {
    let (groups, key) = match host {
        None => return &mut router.any_host,
        Some(ir::HostPattern::Exact(name)) => (&mut router.exact_hosts, name),
        Some(ir::HostPattern::Wildcard(suffix)) => (&mut router.wildcard_hosts, suffix),
    };
    let index = match groups.iter().position(|(name, _)| name == key) {
        Some(index) => index,
        None => {
            groups.push((key.clone(), ir::HostRoutes::default()));
            groups.len() - 1
        }
    };
    &mut groups[index].1
}

/// The place of a pattern, creating trie nodes on the way.
///
/// A path's segments are what lies between its slashes: `/a/b` is `a`, `b`;
/// `/a/` is `a`, `` (empty). An exact path sits at the node of all its
/// segments. A prefix with a trailing slash (`/a/`) sits in `below` of the
/// node of its segments without the last, empty one; without (`/a`), in
/// `subtree` of the node of its segments. `/` is the default route.
fn place_of(group: &mut ir::HostRoutes, pattern: &ir::PathPattern) -> Place {
    match pattern {
        ir::PathPattern::Regex { .. } => Place::Regex,
        ir::PathPattern::Prefix(path) if path == "/" => Place::Default,
        ir::PathPattern::Exact(path) => Place::Exact(node_of(group, path)),
        ir::PathPattern::Prefix(path) => match path.strip_suffix('/') {
            Some(stem) => Place::Below(node_of(group, stem)),
            None => Place::Subtree(node_of(group, path)),
        },
    }
}

fn node_of(group: &mut ir::HostRoutes, path: &str) -> usize {
    let mut node = 0;
    for segment in path.strip_prefix('/').into_iter().flat_map(|rest| rest.split('/')) {
        let key = segment.to_ascii_lowercase();
        let children = &group.trie[node].children;
        node = match children.binary_search_by(|(child, _)| child.as_str().cmp(&key)) {
            Ok(index) => children[index].1,
            Err(index) => {
                let child = group.trie.len();
                group.trie.push(ir::TrieNode { parent: Some(node), ..ir::TrieNode::default() });
                group.trie[node].children.insert(index, (key, child));
                child
            }
        };
    }
    node
}

fn candidates(group: &ir::HostRoutes, place: Place) -> &[ir::RouteId] {
    match place {
        Place::Exact(node) => &group.trie[node].exact,
        Place::Subtree(node) => &group.trie[node].subtree,
        Place::Below(node) => &group.trie[node].below,
        Place::Regex => &group.regex,
        Place::Default => &group.default,
    }
}

fn candidates_mut(group: &mut ir::HostRoutes, place: Place) -> &mut Vec<ir::RouteId> {
    match place {
        Place::Exact(node) => &mut group.trie[node].exact,
        Place::Subtree(node) => &mut group.trie[node].subtree,
        Place::Below(node) => &mut group.trie[node].below,
        Place::Regex => &mut group.regex,
        Place::Default => &mut group.default,
    }
}

/// Reports why `route_id` cannot join the routes already at its place:
/// the same pattern in other letter case (the router finds routes without
/// case), the same matchers, or an earlier route that takes every request
/// it would.
fn conflict(
    checker: &Checker<'_>,
    routes: &[SpannedRoute],
    earlier: &[ir::RouteId],
    route_id: ir::RouteId,
    for_host: &str,
) -> bool {
    let route = &routes[route_id];
    if route.broken {
        return false;
    }
    for &other_id in earlier {
        let other = &routes[other_id];
        if other.broken {
            continue;
        }
        let line = checker.line(other.pattern_span);
        let same_pattern = same_pattern(&route.route.path, &other.route.path);
        if same_pattern == Some(false) {
            checker.cx.push(
                Diagnostic::new(
                    route.pattern_span,
                    format!(
                        "route `{}` differs from the route at line {line} only in letter case",
                        pattern_text(&route.route.path)
                    ),
                )
                .label("ambiguous")
                .note(format!(
                    "routes are found without regard to case, and `{}` must match with it",
                    pattern_text(&other.route.path)
                ))
                .help("use one spelling"),
            );
            return true;
        }
        if same_pattern.is_none() || !covers(&other.route.conditions, &route.route.conditions) {
            continue;
        }
        let message = if other.route.conditions == route.route.conditions {
            format!("duplicate route `{}`{for_host}", pattern_text(&route.route.path))
        } else {
            format!("route `{}`{for_host} can never match", pattern_text(&route.route.path))
        };
        let note = if other.route.conditions == route.route.conditions {
            format!("the route at line {line} has the same matchers")
        } else {
            format!("the route at line {line} comes first and takes every request this one would")
        };
        let label = if other.route.conditions == route.route.conditions { "routed again here" } else { "unreachable" };
        checker.cx.push(Diagnostic::new(route.pattern_span, message).label(label).note(note));
        return true;
    }
    false
}

/// `Some(true)`: the same pattern; `Some(false)`: the same but for letter case.
fn same_pattern(a: &ir::PathPattern, b: &ir::PathPattern) -> Option<bool> {
    match (a, b) {
        (ir::PathPattern::Regex { source: a, .. }, ir::PathPattern::Regex { source: b, .. }) => {
            (a == b).then_some(true)
        }
        (ir::PathPattern::Prefix(a), ir::PathPattern::Prefix(b))
        | (ir::PathPattern::Exact(a), ir::PathPattern::Exact(b)) => {
            if a == b {
                Some(true)
            } else if a.eq_ignore_ascii_case(b) {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn pattern_text(pattern: &ir::PathPattern) -> String {
    match pattern {
        ir::PathPattern::Exact(path) => format!("= {path}"),
        ir::PathPattern::Prefix(path) => path.clone(),
        ir::PathPattern::Regex { source, .. } => format!("~ {source}"),
    }
}

/// Whether every request `later` accepts, `earlier` accepts too.
///
/// A syntactic check, and so a conservative one: for each matcher of
/// `earlier`, `later` has one at least as strict (the same, or any value
/// where `earlier` only asks for presence); methods and listeners (`on`)
/// are a subset.
fn covers(earlier: &ir::Conditions, later: &ir::Conditions) -> bool {
    let listeners = earlier.listeners.is_empty()
        || (!later.listeners.is_empty() && later.listeners.iter().all(|id| earlier.listeners.contains(id)));
    let methods = earlier.methods.is_empty()
        || (!later.methods.is_empty() && later.methods.iter().all(|method| earlier.methods.contains(method)));
    let each = |earlier: &[(String, ir::ValueMatch)], later: &[(String, ir::ValueMatch)]| {
        earlier.iter().all(|(name, wanted)| {
            later.iter().any(|(other, given)| {
                other == name && (*wanted == ir::ValueMatch::Present || same_value(wanted, given))
            })
        })
    };
    listeners
        && methods
        && each(&earlier.headers, &later.headers)
        && each(&earlier.query, &later.query)
        && each(&earlier.cookies, &later.cookies)
}

fn same_value(a: &ir::ValueMatch, b: &ir::ValueMatch) -> bool {
    match (a, b) {
        (ir::ValueMatch::Regex { source: a, .. }, ir::ValueMatch::Regex { source: b, .. }) => a == b,
        _ => a == b,
    }
}

/// A regex route is tried after the prefixes of its group: if every path it
/// matches starts with a prefix route's path, and that route has no other
/// matchers, the regex route never matches.
fn check_regexes_reachable(checker: &Checker<'_>, routes: &[SpannedRoute], group: &ir::HostRoutes) {
    let unconditional_prefixes: Vec<(&str, ir::RouteId)> = group
        .trie
        .iter()
        .flat_map(|node| node.below.iter().chain(&node.subtree))
        .filter(|route_id| routes[**route_id].route.conditions == ir::Conditions::default())
        .filter_map(|route_id| match &routes[*route_id].route.path {
            ir::PathPattern::Prefix(path) => Some((path.as_str(), *route_id)),
            _ => None,
        })
        .collect();
    for &route_id in &group.regex {
        let ir::PathPattern::Regex { source, .. } = &routes[route_id].route.path else { continue };
        let Some(prefixes) = anchored_prefixes(source) else { continue };
        let covering = prefixes.iter().map(|literal| {
            unconditional_prefixes.iter().find(|(path, _)| {
                let stem = path.strip_suffix('/').unwrap_or(path);
                path.ends_with('/') && literal.starts_with(path)
                    || literal.starts_with(stem) && literal[stem.len()..].starts_with('/')
            })
        });
        let covering: Option<Vec<_>> = covering.collect();
        if let Some(&(path, prefix_id)) = covering.as_ref().and_then(|all| all.first().copied()) {
            let spanned = &routes[route_id];
            checker.cx.push(
                Diagnostic::new(spanned.pattern_span, format!("route `~ {source}` can never match"))
                    .label("unreachable")
                    .note(format!(
                        "every path it matches starts with `{path}`, and route `{path}` at line {} is tried first",
                        checker.line(routes[prefix_id].pattern_span)
                    ))
                    .help("regex routes are tried after exact and prefix routes, before `route /`"),
            );
        }
    }
}

/// The literal texts every match of an anchored regex starts with, if it is
/// anchored (`^...`) and they are few and known.
fn anchored_prefixes(source: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let (first, rest) = parts.split_first()?;
    if !matches!(first.kind(), HirKind::Look(Look::Start)) {
        return None;
    }
    let rest = Hir::concat(rest.to_vec());
    let mut extractor = regex_syntax::hir::literal::Extractor::new();
    extractor.kind(regex_syntax::hir::literal::ExtractKind::Prefix);
    let sequence = extractor.extract(&rest);
    let literals = sequence.literals()?;
    if literals.is_empty() {
        return None;
    }
    literals.iter().map(|literal| String::from_utf8(literal.as_bytes().to_vec()).ok()).collect()
}
