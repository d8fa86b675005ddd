//! Routes: their matchers and actions, and the routing decision built from
//! all of them at once.
//!
//! Precedence is decided here, at build time, and is the same as the runtime
//! lookup in `gateway_runtime::router`: routes naming the request's host are
//! tried before routes without `host`; among those, an exact path wins over
//! any prefix, and a longer prefix wins over a shorter one.

use super::args::Args;
use super::upstreams::Names;
use super::{Checker, Once, literal};
use crate::ast::{ArgKind, Block, Directive};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir;
use crate::symbol;

/// A lowered route with the spans the router reports duplicates at.
pub(crate) struct SpannedRoute {
    pub(crate) route: ir::Route,
    pub(crate) pattern_span: Span,
}

impl Checker<'_> {
    pub(super) fn lower_route(&self, directive: &Directive, upstreams: &Names) -> Option<SpannedRoute> {
        let mut args = Args::new(self.cx, directive);
        let exact = args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(word) if word == "="));
        if exact {
            args.next("`=`");
        }
        let path = args.parse("a path (`/prefix/`, or `= /exact`)", literal::path);
        args.finish();
        let block = self.block(directive, "route /api/ { to api }");
        let (path, path_span) = path?;
        let block = block?;
        let pattern_span = directive.args.first().map_or(path_span, |first| first.span.to(path_span));

        let mut hosts = Once::new();
        let mut to = Once::new();
        let mut respond = Once::new();
        let mut request_headers = Once::new();
        let mut response_headers = Once::new();
        let mut limit = Once::new();
        let mut auth = Once::new();
        let mut cache = Once::new();
        for inner in &block.directives {
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "host" => hosts.set(self, inner, self.lower_hosts(&mut args)),
                "to" => {
                    let target = args.text("an upstream name");
                    to.set(self, inner, target.and_then(|(name, span)| upstreams.resolve(self, name, span)));
                }
                "respond" => respond.set(self, inner, self.lower_respond(&mut args)),
                "request" | "response" => {
                    args.finish();
                    let edits = self
                        .block(inner, &format!("{} {{ set X-Name value }}", inner.name.text))
                        .map(|block| self.lower_header_edits(block));
                    let slot = if inner.name.text == "request" { &mut request_headers } else { &mut response_headers };
                    slot.set(self, inner, edits);
                    continue;
                }
                "limit" => limit.set(self, inner, self.lower_limit(&mut args)),
                "auth" => auth.set(self, inner, self.lower_auth(&mut args)),
                "cache" => cache.set(self, inner, self.lower_cache(&mut args)),
                _ => {
                    self.unknown_directive(inner, "a `route` block", symbol::ROUTE);
                    continue;
                }
            }
            self.no_block(inner);
            args.finish();
        }

        let pattern_text = if exact { format!("= {path}") } else { path.clone() };
        let action = match (to.span(), respond.span()) {
            (Some(_), Some(respond_span)) => {
                self.cx.push(
                    Diagnostic::new(respond_span, format!("route `{pattern_text}` has both `to` and `respond`"))
                        .label("a route either proxies or responds")
                        .help("remove `to` to answer here, or `respond` to proxy"),
                );
                None
            }
            (None, None) => {
                let written = block.directives.iter().any(|inner| matches!(inner.name.text.as_str(), "to" | "respond"));
                if !written {
                    self.cx.push(
                        Diagnostic::new(pattern_span, format!("route `{pattern_text}` has neither `to` nor `respond`"))
                            .label("this route does nothing")
                            .help("add `to UPSTREAM` to proxy, or `respond STATUS \"body\"` to answer"),
                    );
                }
                None
            }
            (Some(_), None) => to.get().map(|upstream| ir::Action::Proxy { upstream }),
            (None, Some(_)) => respond.get(),
        };
        let cache_span = cache.span();
        let cache = cache.get();
        if let (Some(span), Some(ir::Action::Respond { .. })) = (cache_span, &action) {
            self.cx.push(
                Diagnostic::new(span, "`cache` on a route that responds itself")
                    .label("nothing to cache")
                    .help("`cache` stores responses of an upstream; use it with `to`"),
            );
        }
        let hosts: Vec<String> = hosts.get().unwrap_or_default();
        let label = if hosts.is_empty() { pattern_text } else { format!("{} {pattern_text}", hosts.join(",")) };
        let route = ir::Route {
            label,
            location: self.source.location(directive.name.span),
            hosts,
            path: if exact { ir::PathPattern::Exact(path) } else { ir::PathPattern::Prefix(path) },
            action: action?,
            request_headers: request_headers.get().unwrap_or_default(),
            response_headers: response_headers.get().unwrap_or_default(),
            limit: limit.get(),
            auth: auth.get(),
            cache,
        };
        Some(SpannedRoute { route, pattern_span })
    }

    fn lower_hosts(&self, args: &mut Args<'_>) -> Option<Vec<String>> {
        let mut hosts: Vec<String> = Vec::new();
        let mut ok = true;
        loop {
            match args.parse("a host name", literal::host_name) {
                Some((host, span)) if hosts.contains(&host) => {
                    self.cx.push(Diagnostic::new(span, format!("host `{host}` is listed twice")).label("listed again"));
                }
                Some((host, _)) => hosts.push(host),
                None => ok = false,
            }
            if args.is_done() {
                break;
            }
        }
        ok.then_some(hosts)
    }

    /// `respond STATUS ["body"]`.
    fn lower_respond(&self, args: &mut Args<'_>) -> Option<ir::Action> {
        let status = args.parse("a status code", literal::response_status);
        let body =
            if args.is_done() { Some(String::new()) } else { args.text("a body").map(|(body, _)| body.to_string()) };
        Some(ir::Action::Respond { status: status?.0, body: body? })
    }

    fn lower_header_edits(&self, block: &Block) -> Vec<ir::HeaderEdit> {
        let mut edits = Vec::new();
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            let edit = match inner.name.text.as_str() {
                "set" => {
                    let name = args.parse("a header name", literal::header_name);
                    let value = args.parse("a header value", literal::header_value);
                    name.zip(value).map(|((name, _), (value, _))| ir::HeaderEdit::Set { name, value })
                }
                "remove" => {
                    let name = args.parse("a header name", literal::header_name);
                    name.map(|(name, _)| ir::HeaderEdit::Remove { name })
                }
                _ => {
                    self.unknown_directive(inner, "a `request` or `response` block", symbol::HEADERS);
                    continue;
                }
            };
            args.finish();
            edits.extend(edit);
        }
        edits
    }

    /// `limit rate N/s per client_ip`.
    fn lower_limit(&self, args: &mut Args<'_>) -> Option<ir::RateLimit> {
        args.keyword("a limit kind", symbol::LIMIT_KINDS)?;
        let rate = args.parse("a rate such as `100/s`", literal::rate);
        let per = args.keyword("`per`", &["per"]);
        let key = per.and_then(|_| args.keyword("what to count per", symbol::LIMIT_KEYS));
        let (rate, _) = rate?;
        key?;
        Some(ir::RateLimit { count: rate.count, window: rate.window, key: ir::LimitKey::ClientIp })
    }

    /// `auth bearer env(NAME)`.
    fn lower_auth(&self, args: &mut Args<'_>) -> Option<ir::Auth> {
        args.keyword("an auth scheme", symbol::AUTH_SCHEMES)?;
        let token = args.next("the token, as `env(NAME)`")?;
        let ArgKind::Call { func, arg } = &token.kind else {
            self.cx.push(
                Diagnostic::new(token.span, "a token written in the file would be compiled into the binary")
                    .label("secret in the source")
                    .help("read it from the environment at start-up: `auth bearer env(API_TOKEN)`"),
            );
            return None;
        };
        if !symbol::SECRET_SOURCES.contains(&func.text.as_str()) {
            self.cx.push(
                Diagnostic::new(func.span, format!("unknown secret source `{}`", func.text))
                    .label("expected `env`")
                    .help("write `env(NAME)` to read the secret from an environment variable at start-up"),
            );
            return None;
        }
        let Some(name_text) = arg.text() else {
            self.cx.error(arg.span, "expected an environment variable name");
            return None;
        };
        match literal::env_name(name_text) {
            Ok(name) => {
                Some(ir::Auth::Bearer { token: ir::Secret::Env { name, location: self.source.location(token.span) } })
            }
            Err(message) => {
                self.cx.error(arg.span, message);
                None
            }
        }
    }

    /// `cache ttl DURATION [swr DURATION]`.
    fn lower_cache(&self, args: &mut Args<'_>) -> Option<ir::CachePolicy> {
        args.keyword("`ttl`", &["ttl"])?;
        let ttl = args.parse("a duration", literal::duration);
        let mut swr_seconds = 0;
        if !args.is_done() {
            args.keyword("`swr`", &["swr"])?;
            let (swr, span) = args.parse("a duration", literal::duration)?;
            if swr.subsec_nanos() != 0 || swr.as_secs() > u64::from(u32::MAX) {
                self.cx.push(
                    Diagnostic::new(span, format!("`swr {}` needs whole seconds", super::duration_text(swr)))
                        .label("stale-while-revalidate counts whole seconds"),
                );
                return None;
            }
            swr_seconds = swr.as_secs() as u32;
        }
        let (ttl, ttl_span) = ttl?;
        if ttl.is_zero() {
            self.cx.push(
                Diagnostic::new(ttl_span, "`ttl 0s` would cache nothing")
                    .label("must be longer than 0")
                    .help("remove `cache` instead"),
            );
            return None;
        }
        Some(ir::CachePolicy { ttl, stale_while_revalidate_seconds: swr_seconds })
    }
}

/// Builds the routing decision; two routes claiming the same host and path are an error.
pub(crate) fn build_router(checker: &Checker<'_>, routes: &[SpannedRoute]) -> ir::Router {
    let mut router = ir::Router::default();
    for (route_id, spanned) in routes.iter().enumerate() {
        let route = &spanned.route;
        let hosts: Vec<Option<&String>> =
            if route.hosts.is_empty() { vec![None] } else { route.hosts.iter().map(Some).collect() };
        for host in hosts {
            let trie = match host {
                None => &mut router.any_host,
                Some(host) => {
                    let index = match router.hosts.iter().position(|(name, _)| name == host) {
                        Some(index) => index,
                        None => {
                            router.hosts.push((host.clone(), ir::PathTrie::default()));
                            router.hosts.len() - 1
                        }
                    };
                    &mut router.hosts[index].1
                }
            };
            let (node, slot) = insert(trie, &route.path);
            let owner = match slot {
                Slot::Exact => &mut trie.nodes[node].exact,
                Slot::Subtree => &mut trie.nodes[node].subtree,
                Slot::Below => &mut trie.nodes[node].below,
            };
            match owner {
                Some(existing) => {
                    let first = &routes[*existing];
                    let for_host = host.map(|host| format!(" for host `{host}`")).unwrap_or_default();
                    checker.cx.push(
                        Diagnostic::new(
                            spanned.pattern_span,
                            format!("duplicate route `{}`{for_host}", pattern_text(&route.path)),
                        )
                        .label("routed again here")
                        .note(format!("first routed at line {}", checker.line(first.pattern_span))),
                    );
                }
                None => *owner = Some(route_id),
            }
        }
    }
    router.hosts.sort_by(|a, b| a.0.cmp(&b.0));
    router
}

fn pattern_text(path: &ir::PathPattern) -> String {
    match path {
        ir::PathPattern::Exact(path) => format!("= {path}"),
        ir::PathPattern::Prefix(path) => path.clone(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Exact,
    Subtree,
    Below,
}

/// The node and slot a pattern occupies, creating nodes on the way.
///
/// A path's segments are what lies between its slashes: `/a/b` is `a`, `b`;
/// `/a/` is `a`, `` (empty). An exact path occupies the node of all its
/// segments. A prefix with a trailing slash (`/a/`) occupies `below` at the
/// node of its segments without the last, empty one: it matches any path
/// with at least one more segment. A prefix without one (`/a`) occupies
/// `subtree` at the node of its segments: the path itself and below.
fn insert(trie: &mut ir::PathTrie, pattern: &ir::PathPattern) -> (usize, Slot) {
    let (path, slot) = match pattern {
        ir::PathPattern::Exact(path) => (path.as_str(), Slot::Exact),
        ir::PathPattern::Prefix(path) => match path.strip_suffix('/') {
            Some(stem) => (stem, Slot::Below),
            None => (path.as_str(), Slot::Subtree),
        },
    };
    let mut node = 0;
    let segments = if slot == Slot::Below && path.is_empty() { None } else { path.strip_prefix('/') };
    for segment in segments.into_iter().flat_map(|rest| rest.split('/')) {
        node = match trie.nodes[node].children.binary_search_by(|(child, _)| child.as_str().cmp(segment)) {
            Ok(index) => trie.nodes[node].children[index].1,
            Err(index) => {
                let child = trie.nodes.len();
                trie.nodes.push(ir::TrieNode::default());
                trie.nodes[node].children.insert(index, (segment.to_string(), child));
                child
            }
        };
    }
    (node, slot)
}
