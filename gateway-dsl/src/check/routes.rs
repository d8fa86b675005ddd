//! Routes: their matchers, actions and edits.
//!
//! Lowering a route checks each directive on its own and the ones that only
//! make sense together (one action; proxy-only directives on proxied routes;
//! `strip_prefix` against the route's own prefix). The routing decision of
//! all routes together is built in `router`.

use super::args::Args;
use super::names::Names;
use super::{Checker, Once, literal};
use crate::ast::{ArgKind, Block, Directive};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir;
use crate::policy;
use crate::symbol;

/// A lowered route with the spans later passes report at.
pub(crate) struct SpannedRoute {
    pub(crate) route: ir::Route,
    pub(crate) pattern_span: Span,
    /// Whether the route had errors of its own: what it matches may be
    /// incomplete, so it is not compared with other routes (no follow-on
    /// "duplicate route" for two routes with the same bad regex).
    pub(crate) broken: bool,
}

/// The names a route refers to.
pub(crate) struct RouteNames<'a> {
    pub(crate) upstreams: &'a Names,
    pub(crate) listeners: &'a Names,
}

/// Server-wide settings routes start from.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteDefaults {
    pub(crate) forwarded: ir::Forwarded,
    pub(crate) error_pages: Vec<ir::ErrorPage>,
    /// The server's policies, which apply to every route.
    pub(crate) policies: Vec<ir::PolicyId>,
}

/// The policies of a block (a route or `server`), as they are read.
#[derive(Default)]
pub(crate) struct PolicyParts {
    ids: Vec<ir::PolicyId>,
    /// The block's `cors`, of which there is one.
    cors: Option<Span>,
    access: Vec<(ir::AccessRule, Span)>,
}

impl PolicyParts {
    /// The block's policy ids, its access rules made one list.
    pub(crate) fn finish(self, checker: &Checker<'_>) -> Vec<ir::PolicyId> {
        let mut ids = self.ids;
        if let Some(first) = self.access.first().map(|(_, span)| *span)
            && let Some(access) = policy::access::finish(checker, self.access)
        {
            ids.push(checker.add_policy(ir::Policy::Access(access), first));
        }
        ids
    }
}

/// The settings a `server` block and a route share: forwarding headers and error pages.
#[derive(Default)]
pub(crate) struct SharedSettings {
    x_forwarded_for: Once<ir::ForwardedFor>,
    x_forwarded_proto: Once<bool>,
    x_forwarded_host: Once<bool>,
    request_id: Once<bool>,
    pub(crate) error_pages: Vec<(ir::ErrorPage, Span)>,
}

impl SharedSettings {
    /// The settings over `base`, with the route's error pages first.
    pub(crate) fn apply(self, base: &RouteDefaults) -> RouteDefaults {
        let forwarded = ir::Forwarded {
            x_forwarded_for: self.x_forwarded_for.get().unwrap_or(base.forwarded.x_forwarded_for),
            x_forwarded_proto: self.x_forwarded_proto.get().unwrap_or(base.forwarded.x_forwarded_proto),
            x_forwarded_host: self.x_forwarded_host.get().unwrap_or(base.forwarded.x_forwarded_host),
            request_id: self.request_id.get().unwrap_or(base.forwarded.request_id),
        };
        let mut error_pages: Vec<ir::ErrorPage> = self.error_pages.into_iter().map(|(page, _)| page).collect();
        for page in &base.error_pages {
            let statuses: Vec<u16> = page
                .statuses
                .iter()
                .copied()
                .filter(|status| !error_pages.iter().any(|own| own.statuses.contains(status)))
                .collect();
            if !statuses.is_empty() {
                error_pages.push(ir::ErrorPage { statuses, ..page.clone() });
            }
        }
        RouteDefaults { forwarded, error_pages, policies: base.policies.clone() }
    }
}

impl Checker<'_> {
    /// Reads a policy (`limit`, `allow`, `deny`), in a route or `server`;
    /// `false` if the directive is not one.
    pub(crate) fn lower_policy(&self, directive: &Directive, args: &mut Args<'_>, parts: &mut PolicyParts) -> bool {
        if policy::is_access_rule(directive) {
            parts.access.extend(policy::access::lower_rules(directive, args));
        } else if directive.name.text == "cors" {
            if let Some(first) = parts.cors {
                self.cx.push(
                    Diagnostic::new(directive.head_span(), "duplicate `cors`")
                        .label("given again here")
                        .note(format!("first given at line {}", self.line(first))),
                );
                return true;
            }
            parts.cors = Some(directive.head_span());
            if let Some(cors) = policy::lower_cors(self, directive) {
                parts.ids.push(self.add_policy(cors, directive.head_span()));
            }
        } else if directive.name.text == "limit" {
            if let Some(limit) = policy::lower_limit(self, args) {
                parts.ids.push(self.add_policy(limit, directive.head_span()));
            }
        } else if directive.name.text == "client_cert" {
            if let Some(rule) = policy::client_cert::lower(args) {
                parts.ids.push(self.add_policy(policy::Policy::ClientCert(rule), directive.head_span()));
            }
        } else {
            return false;
        }
        true
    }

    /// Reads a directive shared by `server` and routes; `false` if it is not one.
    pub(crate) fn lower_shared(
        &self,
        directive: &Directive,
        args: &mut Args<'_>,
        settings: &mut SharedSettings,
    ) -> bool {
        match directive.name.text.as_str() {
            "x_forwarded_for" => {
                let mode =
                    args.keyword("`replace`, `append` or `off`", symbol::FORWARDED_FOR).map(|(mode, _)| match mode {
                        "replace" => ir::ForwardedFor::Replace,
                        "append" => ir::ForwardedFor::Append,
                        _ => ir::ForwardedFor::Off,
                    });
                settings.x_forwarded_for.set(self, directive, mode);
            }
            "x_forwarded_proto" => settings.x_forwarded_proto.set(self, directive, on_off(args)),
            "x_forwarded_host" => settings.x_forwarded_host.set(self, directive, on_off(args)),
            "request_id" => settings.request_id.set(self, directive, on_off(args)),
            "error_page" => {
                if let Some(page) = self.lower_error_page(args, &settings.error_pages) {
                    settings.error_pages.push((page, directive.head_span()));
                }
            }
            _ => return false,
        }
        true
    }

    /// `error_page STATUS... BODY [CONTENT_TYPE]`.
    fn lower_error_page(&self, args: &mut Args<'_>, earlier: &[(ir::ErrorPage, Span)]) -> Option<ir::ErrorPage> {
        let mut statuses = Vec::new();
        while let Some(arg) = args.peek() {
            let ArgKind::Word(word) = &arg.kind else { break };
            if !word.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            let (status, span) = args.parse("a status", literal::error_status)?;
            if let Some((_, first)) = earlier.iter().find(|(page, _)| page.statuses.contains(&status)) {
                self.cx.push(
                    Diagnostic::new(span, format!("a page for status {status} is already given"))
                        .label("given again")
                        .note(format!("first given at line {}", self.line(*first))),
                );
                args.reported();
                return None;
            }
            statuses.push(status);
        }
        if statuses.is_empty() {
            args.parse("a status (400 to 599)", literal::error_status)?;
        }
        let (body, _) = args.text("the page's body")?;
        let content_type = if args.is_done() {
            "text/plain; charset=utf-8".to_string()
        } else {
            args.parse("a content type", literal::media_type)?.0
        };
        Some(ir::ErrorPage { statuses, body: body.to_string(), content_type })
    }

    pub(super) fn lower_route(
        &self,
        directive: &Directive,
        names: &RouteNames<'_>,
        defaults: &RouteDefaults,
    ) -> Option<SpannedRoute> {
        let errors_before = self.cx.error_count();
        let mut args = Args::new(self.cx, directive);
        let pattern = self.lower_pattern(&mut args);
        args.finish();
        let block = self.block(directive, "route /api/ { to api }");
        let (path, pattern_text, pattern_span) = pattern?;
        let block = block?;

        let mut route = RouteParts::default();
        for inner in &block.directives {
            let mut args = Args::new(self.cx, inner);
            if !matches!(
                inner.name.text.as_str(),
                "request" | "response" | "body" | "auth" | "cors" | "cache" | "access_log" | "compress"
            ) {
                self.no_block(inner);
            }
            if !self.lower_route_directive(inner, &mut args, &mut route, names) {
                self.unknown_directive(inner, "a `route` block", symbol::ROUTE);
                continue;
            }
            args.finish();
        }

        let block_broken = self.cx.error_count() > errors_before;
        let action = self.route_action(block, &route, &pattern_text, pattern_span, block_broken);
        if let Some(action) = &action
            && !matches!(action, ir::Action::Proxy { .. })
        {
            for inner in block.directives.iter().filter(|inner| symbol::PROXY_ONLY.contains(&inner.name.text.as_str()))
            {
                self.cx.push(
                    Diagnostic::new(inner.name.span, format!("`{}` on a route that does not proxy", inner.name.text))
                        .label("nothing is sent upstream")
                        .help("it applies to routes with `to UPSTREAM`"),
                );
            }
        }
        let upstream_path = self.upstream_path(&route, &path);
        let settings = std::mem::take(&mut route.shared).apply(defaults);
        let mut policies = settings.policies.clone();
        let own = std::mem::take(&mut route.policies).finish(self);
        // A route's `cors` replaces the server's.
        if own.iter().any(|id| self.is_cors(*id)) {
            policies.retain(|id| !self.is_cors(*id));
        }
        policies.extend(own);
        self.sort_policies(&mut policies);
        self.check_claim_keys(&policies, &pattern_text);
        // A route that answers CORS preflights must match them, whatever
        // methods it lists for the requests themselves.
        let methods = &mut route.conditions.methods;
        if !methods.is_empty()
            && !methods.iter().any(|method| method == "OPTIONS")
            && policies.iter().any(|id| self.is_cors(*id))
        {
            methods.push("OPTIONS".to_string());
        }
        let hosts: Vec<ir::HostPattern> = route.hosts.get().unwrap_or_default();
        let host_text: Vec<String> = hosts
            .iter()
            .map(|host| match host {
                ir::HostPattern::Exact(name) => name.clone(),
                ir::HostPattern::Wildcard(suffix) => format!("*.{suffix}"),
            })
            .collect();
        let label = if hosts.is_empty() { pattern_text } else { format!("{} {pattern_text}", host_text.join(",")) };
        let route = ir::Route {
            label,
            location: self.source.location(directive.name.span),
            hosts,
            path,
            conditions: ir::Conditions { listeners: route.on.get().unwrap_or_default(), ..route.conditions },
            calls: route.calls,
            action: action?,
            upstream_path: upstream_path?,
            request_edits: route.request_edits.get().unwrap_or_default(),
            response_headers: route.response_headers.get().unwrap_or_default(),
            forwarded: settings.forwarded,
            policies,
            cache: route.cache.get(),
            access_log: route.access_log.get().unwrap_or_default(),
            compress: route.compress.get().unwrap_or_default(),
            timeouts: route.timeouts.get().unwrap_or_default(),
            websocket: route.websocket.get(),
            body: route.body.get(),
            error_pages: settings.error_pages,
        };
        Some(SpannedRoute { route, pattern_span, broken: self.cx.error_count() > errors_before })
    }

    /// `/prefix/`, `= /exact`, `~ "regex"` or `~* "regex"`; with the pattern as
    /// written and its span.
    fn lower_pattern(&self, args: &mut Args<'_>) -> Option<(ir::PathPattern, String, Span)> {
        let first = args.peek();
        let marker = first.and_then(|arg| match &arg.kind {
            ArgKind::Word(word) if matches!(word.as_str(), "=" | "~" | "~*") => Some((word.clone(), arg.span)),
            _ => None,
        });
        let Some((marker, marker_span)) = marker else {
            let (path, span) = args.parse("a path (`/prefix/`, `= /exact` or `~ \"regex\"`)", literal::path)?;
            return Some((ir::PathPattern::Prefix(path.clone()), path, span));
        };
        args.next("`=` or `~`");
        if marker == "=" {
            let (path, span) = args.parse("a path", literal::path)?;
            return Some((ir::PathPattern::Exact(path.clone()), format!("= {path}"), marker_span.to(span)));
        }
        let (source, span) = args.text("a regex")?;
        let case_insensitive = marker == "~*";
        let regex = self.regex(source, span, case_insensitive)?;
        let text = format!("{marker} {source}");
        Some((ir::PathPattern::Regex { source: source.to_string(), regex }, text, marker_span.to(span)))
    }

    /// One directive of a route block; `false` if it is not a route directive.
    fn lower_route_directive(
        &self,
        inner: &Directive,
        args: &mut Args<'_>,
        route: &mut RouteParts,
        names: &RouteNames<'_>,
    ) -> bool {
        match inner.name.text.as_str() {
            "host" => route.hosts.set(self, inner, self.lower_hosts(args)),
            "methods" => {
                let methods = self.repeated(args, "a method", literal::method);
                if let Some(methods) = methods {
                    if !route.conditions.methods.is_empty() {
                        self.cx.error(inner.head_span(), "duplicate `methods`; list every method in one");
                    }
                    route.conditions.methods = methods;
                }
            }
            "header" => {
                let matcher = self.lower_value_match(args, "a header name", literal::header_name_to_match);
                route.conditions.headers.extend(matcher.map(|(name, value)| (name.to_ascii_lowercase(), value)));
            }
            "query" => {
                let matcher = self.lower_value_match(args, "a query parameter name", literal::query_name);
                route.conditions.query.extend(matcher);
            }
            "cookie" => {
                let matcher = self.lower_value_match(args, "a cookie name", literal::cookie_name);
                route.conditions.cookies.extend(matcher);
            }
            "on" => route.on.set(self, inner, self.lower_on(args, names.listeners)),
            "to" => {
                let target = args.text("an upstream name");
                let declare = |name: &str| format!("add `upstream {name} {{ backend IP:PORT }}`");
                route.to.set(
                    self,
                    inner,
                    target.and_then(|(name, span)| names.upstreams.resolve(self, name, span, &declare(name))),
                );
            }
            "respond" => route.respond.set(self, inner, self.lower_respond(args)),
            "redirect" => {
                let status = args.parse("a redirect status", literal::redirect_status);
                let location = args.parse("a URL", literal::redirect_template);
                let redirect =
                    status.zip(location).map(|((status, _), (location, _))| ir::Action::Redirect { status, location });
                route.redirect.set(self, inner, redirect);
            }
            "call" => route.calls.extend(args.parse("a Rust function path", literal::rust_path).map(|(path, span)| {
                let written = self.source.text.get(span.start..span.end).unwrap_or_default().to_string();
                ir::Call { path, written, location: self.source.location(inner.name.span) }
            })),
            "strip_prefix" => route.strip_prefix.set(self, inner, args.parse("a path prefix", literal::path)),
            "rewrite" => {
                let regex = args
                    .text("a regex")
                    .and_then(|(source, span)| Some((self.regex(source, span, false)?, source, span)));
                let replacement = args.text("a replacement");
                let rewrite = regex.zip(replacement).and_then(|((regex, source, _), (replacement, span))| {
                    self.check_replacement(source, replacement, span)?;
                    Some((regex, replacement.to_string()))
                });
                route.rewrite.set(self, inner, rewrite);
            }
            "request" | "response" => {
                let request = inner.name.text == "request";
                let example = if request { "request { set X-Name value }" } else { "response { set X-Name value }" };
                if let Some(block) = self.block(inner, example) {
                    if request {
                        route.request_edits.set(self, inner, Some(self.lower_request_edits(block)));
                    } else {
                        let edits = self.lower_header_edits(block, "a `response` block", symbol::RESPONSE);
                        route.response_headers.set(self, inner, Some(edits));
                    }
                }
            }
            "auth" => {
                let auth = crate::policy::auth::lower(self, inner, args);
                if route.auth.span().is_none()
                    && let Some(auth) = &auth
                {
                    route.policies.ids.push(self.add_policy(auth.clone(), inner.head_span()));
                }
                route.auth.set(self, inner, auth.map(|_| ()));
            }
            "cache" => route.cache.set(self, inner, crate::policy::cache::lower(self, inner, args)),
            "access_log" => {
                route.access_log.set(self, inner, crate::policy::access_log::lower(self, inner, args, true));
            }
            "compress" => route.compress.set(self, inner, crate::policy::compress::lower(self, inner, args, true)),
            "timeout" => route.timeouts.set(self, inner, self.lower_timeouts(args)),
            "websocket" => {
                let idle = if args.is_done() {
                    Some(None)
                } else {
                    args.keyword("`idle`", &["idle"])
                        .and_then(|_| args.parse("a duration", literal::duration))
                        .map(|(idle, _)| Some(idle))
                };
                route.websocket.set(self, inner, idle);
            }
            "body" => {
                let rules = self.block(inner, "body { deny \"text\" }").and_then(|block| self.lower_body(inner, block));
                route.body.set(self, inner, rules);
            }
            _ => {
                return self.lower_policy(inner, args, &mut route.policies)
                    || self.lower_shared(inner, args, &mut route.shared);
            }
        }
        true
    }

    /// Exactly one of `to`, `respond` and `redirect`.
    fn route_action(
        &self,
        block: &Block,
        route: &RouteParts,
        pattern_text: &str,
        pattern_span: Span,
        block_broken: bool,
    ) -> Option<ir::Action> {
        let given: Vec<Span> =
            [route.to.span(), route.respond.span(), route.redirect.span()].into_iter().flatten().collect();
        match given.as_slice() {
            [] => {
                // A misspelt action is reported as unknown; do not report it missing too.
                let is_action = |name: &str| matches!(name, "to" | "respond" | "redirect");
                let written = block.directives.iter().any(|inner| {
                    is_action(&inner.name.text)
                        || crate::diagnostics::did_you_mean(&inner.name.text, symbol::ROUTE.iter().copied())
                            .is_some_and(is_action)
                });
                if !written && !block_broken {
                    self.cx.push(
                        Diagnostic::new(
                            pattern_span,
                            format!("route `{pattern_text}` has no `to`, `respond` or `redirect`"),
                        )
                        .label("this route does nothing")
                        .help(
                            "add `to UPSTREAM` to proxy, `respond STATUS \"body\"` to answer, or `redirect STATUS URL`",
                        ),
                    );
                }
                None
            }
            [_] => {
                if route.to.span().is_some() {
                    route.to.value().map(|upstream| ir::Action::Proxy { upstream: *upstream })
                } else {
                    route.respond.value().or(route.redirect.value()).cloned()
                }
            }
            [_, second, ..] => {
                self.cx.push(
                    Diagnostic::new(
                        *second,
                        format!("route `{pattern_text}` has more than one of `to`, `respond` and `redirect`"),
                    )
                    .label("a second action")
                    .help("a route either proxies (`to`), answers (`respond`) or redirects (`redirect`)"),
                );
                None
            }
        }
    }

    /// `strip_prefix` or `rewrite`, checked against the route's pattern.
    fn upstream_path(&self, route: &RouteParts, pattern: &ir::PathPattern) -> Option<ir::UpstreamPath> {
        match (route.strip_prefix.value(), route.rewrite.value()) {
            (Some(_), Some(_)) => {
                let span = route.rewrite.span().unwrap_or_default();
                self.cx.push(
                    Diagnostic::new(span, "`strip_prefix` and `rewrite` on one route")
                        .label("use one")
                        .help("`rewrite \"^/api(/.*)$\" \"$1\"` can do what `strip_prefix /api` does"),
                );
                None
            }
            (Some((prefix, span)), None) => {
                let route_path = match pattern {
                    ir::PathPattern::Prefix(path) | ir::PathPattern::Exact(path) => Some(path.as_str()),
                    ir::PathPattern::Regex { .. } => None,
                };
                let stem = prefix.strip_suffix('/').unwrap_or(prefix);
                let fits = route_path.is_some_and(|path| {
                    path.starts_with(stem) && matches!(path.as_bytes().get(stem.len()), None | Some(b'/'))
                });
                if !fits {
                    let label = match route_path {
                        Some(path) => format!("not a prefix of this route's path `{path}`"),
                        None => "a regex route has no fixed prefix".to_string(),
                    };
                    self.cx.push(
                        Diagnostic::new(*span, format!("`strip_prefix {prefix}` would not apply to the requests of this route"))
                            .label(label)
                            .help("strip whole leading segments of the route's own path, e.g. `route /api/ { strip_prefix /api }`"),
                    );
                    return None;
                }
                Some(ir::UpstreamPath::StripPrefix(stem.to_string()))
            }
            (None, Some((regex, replacement))) => {
                Some(ir::UpstreamPath::Rewrite { regex: *regex, replacement: replacement.clone() })
            }
            (None, None) => Some(ir::UpstreamPath::Unchanged),
        }
    }

    /// `$1`, `${name}` in a rewrite's replacement must name groups of its regex.
    fn check_replacement(&self, source: &str, replacement: &str, span: Span) -> Option<()> {
        let regex = regex::Regex::new(source).ok()?;
        let mut rest = replacement;
        while let Some(dollar) = rest.find('$') {
            rest = &rest[dollar + 1..];
            if let Some(after) = rest.strip_prefix('$') {
                rest = after;
                continue;
            }
            let (name, after) = match rest.strip_prefix('{') {
                Some(braced) => match braced.split_once('}') {
                    Some((name, after)) => (name, after),
                    None => {
                        self.cx.error(span, "unclosed `${` in the replacement");
                        return None;
                    }
                },
                None => {
                    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            let known = match name.parse::<usize>() {
                Ok(index) => index < regex.captures_len(),
                Err(_) => regex.capture_names().flatten().any(|group| group == name),
            };
            if !known {
                self.cx.push(
                    Diagnostic::new(span, format!("`${name}` names no group of the regex"))
                        .label("unknown group")
                        .note(format!("the regex has groups $0 to ${}", regex.captures_len() - 1))
                        .help("write `$$` for a literal `$`"),
                );
                return None;
            }
            rest = after;
        }
        Some(())
    }

    fn lower_hosts(&self, args: &mut Args<'_>) -> Option<Vec<ir::HostPattern>> {
        let mut hosts = Vec::new();
        let mut ok = true;
        loop {
            match args.parse("a host name", literal::host_pattern) {
                Some((host, span)) if hosts.contains(&host) => {
                    self.cx.push(Diagnostic::new(span, "host listed twice").label("listed again"));
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

    /// One or more arguments of one kind.
    /// `on NAME...`: the listeners a route is served on, ascending.
    fn lower_on(&self, args: &mut Args<'_>, listeners: &Names) -> Option<Vec<ir::ListenerId>> {
        let mut ids = Vec::new();
        let mut ok = true;
        let declare = "name one where it is declared: `listen http NAME IP:PORT`";
        loop {
            match args.text("a listener name") {
                Some((name, span)) => match listeners.resolve(self, name, span, declare) {
                    Some(id) if ids.contains(&id) => {
                        self.cx.push(
                            Diagnostic::new(span, format!("listener `{name}` is listed twice")).label("listed again"),
                        );
                        ok = false;
                    }
                    Some(id) => ids.push(id),
                    None => ok = false,
                },
                None => ok = false,
            }
            if args.is_done() || !ok {
                break;
            }
        }
        if !ok {
            args.reported();
            return None;
        }
        ids.sort_unstable();
        Some(ids)
    }

    fn repeated<T>(
        &self,
        args: &mut Args<'_>,
        expected: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Vec<T>> {
        let mut values = Vec::new();
        let mut ok = true;
        loop {
            match args.parse(expected, &parse) {
                Some((value, _)) => values.push(value),
                None => ok = false,
            }
            if args.is_done() {
                break;
            }
        }
        ok.then_some(values)
    }

    /// `NAME`, `NAME VALUE` or `NAME ~ REGEX`.
    fn lower_value_match(
        &self,
        args: &mut Args<'_>,
        expected: &str,
        parse_name: impl FnOnce(&str) -> Result<String, String>,
    ) -> Option<(String, ir::ValueMatch)> {
        let (name, _) = args.parse(expected, parse_name)?;
        if args.is_done() {
            return Some((name, ir::ValueMatch::Present));
        }
        let regex_marker = args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(word) if word == "~"));
        if regex_marker {
            args.next("`~`");
            let (source, span) = args.text("a regex")?;
            let regex = self.regex(source, span, false)?;
            return Some((name, ir::ValueMatch::Regex { source: source.to_string(), regex }));
        }
        let (value, _) = args.text("a value")?;
        Some((name, ir::ValueMatch::Equals(value.to_string())))
    }

    /// `respond STATUS [BODY [CONTENT_TYPE]]`.
    fn lower_respond(&self, args: &mut Args<'_>) -> Option<ir::Action> {
        let status = args.parse("a status code", literal::response_status);
        let body =
            if args.is_done() { Some(String::new()) } else { args.text("a body").map(|(body, _)| body.to_string()) };
        let content_type = if args.is_done() {
            Some("text/plain; charset=utf-8".to_string())
        } else {
            args.parse("a content type", literal::media_type).map(|(content_type, _)| content_type)
        };
        Some(ir::Action::Respond { status: status?.0, body: body?, content_type: content_type? })
    }

    fn lower_request_edits(&self, block: &Block) -> Vec<ir::RequestEdit> {
        let mut edits = Vec::new();
        for inner in &block.directives {
            if inner.name.text != "query" {
                let header_edits = self.lower_header_edit(inner, "a `request` block", symbol::REQUEST);
                edits.extend(header_edits.map(ir::RequestEdit::Header));
                continue;
            }
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            let edit = match args.keyword("`remove`, `add` or `set`", symbol::QUERY_EDITS) {
                Some(("remove", _)) => args
                    .parse("a parameter name", literal::query_name)
                    .map(|(name, _)| ir::RequestEdit::QueryRemove(name)),
                Some((verb, _)) => {
                    let name = args.parse("a parameter name", literal::query_name);
                    let value = args.text("a value");
                    name.zip(value).map(|((name, _), (value, _))| {
                        if verb == "add" {
                            ir::RequestEdit::QueryAdd(name, value.to_string())
                        } else {
                            ir::RequestEdit::QuerySet(name, value.to_string())
                        }
                    })
                }
                None => None,
            };
            args.finish();
            edits.extend(edit);
        }
        edits
    }

    fn lower_header_edits(&self, block: &Block, context: &str, allowed: &[&str]) -> Vec<ir::HeaderEdit> {
        block.directives.iter().filter_map(|inner| self.lower_header_edit(inner, context, allowed)).collect()
    }

    /// `set NAME VALUE`, `add NAME VALUE`, `remove NAME`, `copy FROM TO`.
    fn lower_header_edit(&self, inner: &Directive, context: &str, allowed: &[&str]) -> Option<ir::HeaderEdit> {
        self.no_block(inner);
        let mut args = Args::new(self.cx, inner);
        let edit = match inner.name.text.as_str() {
            "set" | "add" => {
                let name = args.parse("a header name", literal::header_name);
                let value = args.parse("a header value", literal::header_value);
                name.zip(value).map(|((name, _), (value, _))| {
                    if inner.name.text == "set" {
                        ir::HeaderEdit::Set { name, value }
                    } else {
                        ir::HeaderEdit::Add { name, value }
                    }
                })
            }
            "remove" => {
                args.parse("a header name", literal::header_name).map(|(name, _)| ir::HeaderEdit::Remove { name })
            }
            "copy" => {
                let from = args.parse("the header to copy", literal::header_name);
                let to = args.parse("the header to copy it to", literal::header_name);
                from.zip(to).map(|((from, _), (to, _))| ir::HeaderEdit::Copy { from, to })
            }
            _ => {
                self.unknown_directive(inner, context, allowed);
                return None;
            }
        };
        args.finish();
        edit
    }

    /// `timeout connect D read D write D`, any of them, each once.
    fn lower_timeouts(&self, args: &mut Args<'_>) -> Option<ir::Timeouts> {
        let mut timeouts = ir::Timeouts::default();
        let mut ok = true;
        loop {
            let (kind, kind_span) = args.keyword("`connect`, `read` or `write`", symbol::TIMEOUTS)?;
            let value = args.parse("a duration", literal::duration);
            let slot = match kind {
                "connect" => &mut timeouts.connect,
                "read" => &mut timeouts.read,
                _ => &mut timeouts.write,
            };
            match value {
                Some((duration, value_span)) if duration.is_zero() => {
                    self.cx.error(value_span, format!("a `{kind}` timeout of 0 would fail every request"));
                    ok = false;
                }
                Some(_) if slot.is_some() => {
                    self.cx.error(kind_span, format!("`{kind}` is given twice"));
                    ok = false;
                }
                Some((duration, _)) => *slot = Some(duration),
                None => ok = false,
            }
            if args.is_done() {
                break;
            }
        }
        ok.then_some(timeouts)
    }

    /// `body { deny "text"; deny ~ "regex"; status N; inspect SIZE }`.
    fn lower_body(&self, directive: &Directive, block: &Block) -> Option<ir::BodyRules> {
        let mut deny = Vec::new();
        let mut status = Once::new();
        let mut inspect = Once::new();
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "deny" => {
                    let regex_marker =
                        args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(word) if word == "~"));
                    if regex_marker {
                        args.next("`~`");
                        if let Some((source, span)) = args.text("a regex") {
                            deny.extend(self.body_regex(source, span).map(ir::BodyPattern::Regex));
                        }
                    } else if let Some((text, span)) = args.text("the text to deny") {
                        if text.is_empty() {
                            self.cx.error(span, "an empty text would deny every body");
                        } else {
                            deny.push(ir::BodyPattern::Literal(text.to_string()));
                        }
                    }
                }
                "status" => {
                    let parsed = args.parse("a status (400 to 599)", literal::error_status);
                    status.set(self, inner, parsed.map(|(status, _)| status));
                }
                "inspect" => {
                    let parsed = args.parse("a size", literal::size).and_then(|(size, span)| {
                        if size == 0 || size > 16 << 20 {
                            self.cx
                                .error(span, "`inspect` is from 1B to 16MiB: that much of each body is held in memory");
                            return None;
                        }
                        Some(size as usize)
                    });
                    inspect.set(self, inner, parsed);
                }
                _ => {
                    self.unknown_directive(inner, "a `body` block", symbol::BODY);
                    continue;
                }
            }
            args.finish();
        }
        if deny.is_empty() && !block.directives.iter().any(|inner| inner.name.text == "deny") {
            self.cx.push(
                Diagnostic::new(directive.head_span(), "`body` without `deny` inspects nothing")
                    .label("no `deny` in this block")
                    .help("add `deny \"text\"` or `deny ~ \"regex\"`"),
            );
            return None;
        }
        Some(ir::BodyRules { deny, status: status.get().unwrap_or(403), inspect: inspect.get().unwrap_or(64 << 10) })
    }
}

fn on_off(args: &mut Args<'_>) -> Option<bool> {
    args.keyword("`on` or `off`", symbol::ON_OFF).map(|(value, _)| value == "on")
}

/// What a route block says, directive by directive, before the checks that
/// need all of it.
#[derive(Default)]
struct RouteParts {
    hosts: Once<Vec<ir::HostPattern>>,
    on: Once<Vec<ir::ListenerId>>,
    conditions: ir::Conditions,
    to: Once<ir::UpstreamId>,
    respond: Once<ir::Action>,
    redirect: Once<ir::Action>,
    calls: Vec<ir::Call>,
    strip_prefix: Once<(String, Span)>,
    rewrite: Once<(ir::RegexId, String)>,
    request_edits: Once<Vec<ir::RequestEdit>>,
    response_headers: Once<Vec<ir::HeaderEdit>>,
    policies: PolicyParts,
    /// One `auth` per route.
    auth: Once<()>,
    cache: Once<ir::CachePolicy>,
    access_log: Once<crate::policy::access_log::RouteLog>,
    compress: Once<crate::policy::compress::RouteCompress>,
    timeouts: Once<ir::Timeouts>,
    websocket: Once<Option<std::time::Duration>>,
    body: Once<ir::BodyRules>,
    shared: SharedSettings,
}
