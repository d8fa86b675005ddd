//! The check passes: from `ast` to `ir`, collecting every diagnostic.
//!
//! They run in this order, all of them even when an earlier one found
//! errors, so that one build reports every mistake in the file:
//!
//! 1. `upstreams::collect`: the upstream names, so that a route may name an
//!    upstream declared after it.
//! 2. `lower_file`: the `server` block first (routes start from its
//!    defaults), then every other directive in its place, with its arguments
//!    typed (`literal`, through `args`), names resolved, regexes compiled and
//!    certificate files read (`files`).
//! 3. `listeners`: no two listeners bind the same port, and each serves a
//!    route.
//! 4. `router::build_router`: the routing decision, with duplicate, shadowed
//!    and case-ambiguous routes.
//! 5. `route_tests::run`: the file's `test` blocks, on a file without errors,
//!    through the gateway's own routing decision.

pub(crate) mod args;
pub(crate) mod files;
mod http2;
pub mod literal;
mod names;
mod route_tests;
mod router;
mod routes;
mod tls;
mod upstreams;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::ast::{self, Block, Directive};
use crate::diagnostics::{Ctxt, Diagnostic, SourceFile, Span, did_you_mean};
use crate::ir;
use crate::symbol;
use args::{Args, list};

/// The largest request head Pingora reads.
const PINGORA_MAX_HEAD: u64 = 1_048_575;

/// Where the file being checked lives.
#[derive(Debug, Clone)]
pub struct Options {
    /// The absolute path of the `.gw` file. Files it names are relative to its directory.
    pub source_path: PathBuf,
}

/// Check a parsed file and lower it into the IR.
pub fn check(file: &ast::File, source: &SourceFile, options: &Options) -> Result<ir::Gateway, Vec<Diagnostic>> {
    let cx = Ctxt::new();
    let base_dir = options.source_path.parent().unwrap_or(Path::new("."));
    let checker = Checker {
        cx: &cx,
        source,
        base_dir,
        regexes: RefCell::default(),
        body_regexes: RefCell::default(),
        policies: RefCell::default(),
        files: RefCell::default(),
    };
    let upstream_names = upstreams::collect(&checker, file);
    let lowered = checker.lower_file(file, &upstream_names);
    checker.check_listeners(&lowered);
    checker.scope_shared_limits(file, &lowered);
    checker.check_certificate_hosts(&lowered);
    checker.check_proxy_protocol(&lowered);
    checker.check_client_cert_routes(&lowered);
    let router = router::build_router(&checker, &lowered.routes);
    if cx.has_errors() {
        return Err(cx.into_diagnostics());
    }
    let tests = lowered.tests;
    let gateway = ir::Gateway {
        source_path: options.source_path.clone(),
        display_path: source.display_path.clone(),
        source_sha256: sha256_hex(&source.text),
        server: lowered.server,
        listeners: lowered.listeners.into_iter().map(|(listener, _)| listener).collect(),
        admin: lowered.admin.map(|(admin, _)| admin),
        upstreams: lowered.upstreams,
        routes: lowered.routes.into_iter().map(|route| route.route).collect(),
        router,
        regexes: checker.regexes.into_inner(),
        body_regexes: checker.body_regexes.into_inner(),
        error_pages: lowered.defaults.error_pages,
        policies: checker.policies.into_inner(),
        files: {
            let mut files = checker.files.into_inner();
            files.sort();
            files.dedup();
            files
        },
    };
    let failures = route_tests::run(&gateway, &tests);
    if !failures.is_empty() {
        return Err(failures);
    }
    Ok(gateway)
}

impl Checker<'_> {
    /// Gives each `shared` limit the scope it is counted under in the
    /// store, the same in every instance built from the same file
    /// (`server` or the labels of its routes, and the directive as
    /// written, spaces collapsed), and reports `shared` without a store.
    fn scope_shared_limits(&self, file: &ast::File, lowered: &Lowered) {
        // A `store` with errors of its own was reported already.
        let store_written = file
            .directives
            .iter()
            .filter(|directive| directive.name.text == "server")
            .flat_map(|server| server.block.iter().flat_map(|block| &block.directives))
            .any(|inner| inner.name.text == "store");
        let mut policies = self.policies.borrow_mut();
        for (id, instance) in policies.iter_mut().enumerate() {
            let shared = match &mut instance.policy {
                ir::Policy::LimitRate(limit) => &mut limit.shared,
                ir::Policy::LimitConcurrency(limit) => &mut limit.shared,
                _ => continue,
            };
            let Some(shared) = shared else { continue };
            if lowered.server.store.is_none() {
                if store_written {
                    continue;
                }
                self.cx.push(
                    Diagnostic::new(instance.span, "a `shared` limit needs a store")
                        .label("counted across instances, but where?")
                        .help("add `store redis HOST:PORT` to the `server` block"),
                );
                continue;
            }
            let written = self.source.text.get(instance.span.start..instance.span.end).unwrap_or_default();
            let written = written.split_whitespace().collect::<Vec<_>>().join(" ");
            let place = if lowered.defaults.policies.contains(&id) {
                "server".to_string()
            } else {
                let labels: Vec<&str> = lowered
                    .routes
                    .iter()
                    .filter(|route| route.route.policies.contains(&id))
                    .map(|route| route.route.label.as_str())
                    .collect();
                labels.join(",")
            };
            shared.scope = format!("{place}|{written}");
        }
    }
}

/// SHA-256 of `text`, in lower-case hex.
fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What the passes share: where to report, the source (for line numbers in
/// notes) and the directory files are relative to.
pub(crate) struct Checker<'a> {
    pub(crate) cx: &'a Ctxt,
    pub(crate) source: &'a SourceFile,
    pub(crate) base_dir: &'a Path,
    /// Every regex of the file, as compiled at start-up (flags included).
    pub(crate) regexes: RefCell<Vec<String>>,
    pub(crate) body_regexes: RefCell<Vec<String>>,
    /// Every policy instance of the file (`ir::Gateway::policies`).
    pub(crate) policies: RefCell<Vec<ir::PolicyInstance>>,
    /// Every file the check read (`ir::Gateway::files`).
    pub(crate) files: RefCell<Vec<PathBuf>>,
}

/// The file lowered, with the spans later passes report at.
struct Lowered {
    server: ir::Server,
    defaults: routes::RouteDefaults,
    listeners: Vec<(ir::Listener, Span)>,
    admin: Option<(ir::Admin, Span)>,
    upstreams: Vec<ir::Upstream>,
    routes: Vec<routes::SpannedRoute>,
    tests: Vec<route_tests::RouteTest>,
}

/// A directive that may appear once in its block: the second one is an error
/// that points at both. Every such directive goes through here.
pub(crate) struct Once<T> {
    value: Option<(T, Span)>,
}

impl<T> Default for Once<T> {
    fn default() -> Once<T> {
        Once { value: None }
    }
}

impl<T> Once<T> {
    pub(crate) fn new() -> Once<T> {
        Once::default()
    }

    pub(crate) fn value(&self) -> Option<&T> {
        self.value.as_ref().map(|(value, _)| value)
    }

    pub(crate) fn set(&mut self, checker: &Checker<'_>, directive: &Directive, value: Option<T>) {
        if let Some((_, first)) = &self.value {
            checker.cx.push(
                Diagnostic::new(directive.head_span(), format!("duplicate `{}`", directive.name.text))
                    .label("given again here")
                    .note(format!("first given at line {}", checker.line(*first))),
            );
            return;
        }
        if let Some(value) = value {
            self.value = Some((value, directive.head_span()));
        }
    }

    pub(crate) fn get(self) -> Option<T> {
        self.value.map(|(value, _)| value)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(_, span)| *span)
    }
}

impl Checker<'_> {
    /// Checks a regex over text and registers it; its index in `ir::Gateway::regexes`.
    pub(crate) fn regex(&self, source: &str, span: Span, case_insensitive: bool) -> Option<ir::RegexId> {
        let pattern = if case_insensitive { format!("(?i){source}") } else { source.to_string() };
        let error = regex::Regex::new(&pattern).err();
        self.register_regex(&self.regexes, pattern, error, span)
    }

    /// Checks a regex over request bodies (bytes) and registers it.
    pub(crate) fn body_regex(&self, source: &str, span: Span) -> Option<usize> {
        let error = regex::bytes::Regex::new(source).err();
        self.register_regex(&self.body_regexes, source.to_string(), error, span)
    }

    fn register_regex(
        &self,
        table: &RefCell<Vec<String>>,
        pattern: String,
        error: Option<regex::Error>,
        span: Span,
    ) -> Option<usize> {
        if let Some(error) = error {
            let detail = match &error {
                regex::Error::Syntax(text) => {
                    let last = text.lines().last().unwrap_or("").trim();
                    last.strip_prefix("error: ").unwrap_or(last).to_string()
                }
                other => other.to_string(),
            };
            self.cx.push(
                Diagnostic::new(span, format!("invalid regex: {detail}"))
                    .label("does not compile")
                    .note("the syntax is the `regex` crate's: https://docs.rs/regex/latest/regex/#syntax"),
            );
            return None;
        }
        let mut table = table.borrow_mut();
        if let Some(index) = table.iter().position(|existing| *existing == pattern) {
            return Some(index);
        }
        table.push(pattern);
        Some(table.len() - 1)
    }

    /// Registers a policy written at `span`; its id.
    pub(crate) fn add_policy(&self, policy: ir::Policy, span: Span) -> ir::PolicyId {
        let mut policies = self.policies.borrow_mut();
        policies.push(ir::PolicyInstance { policy, location: self.source.location(span), span });
        policies.len() - 1
    }

    /// Limits counted per JWT claim need the route's `auth jwt`.
    pub(crate) fn check_claim_keys(&self, ids: &[ir::PolicyId], route: &str) {
        let policies = self.policies.borrow();
        if ids.iter().any(|id| matches!(policies[*id].policy, ir::Policy::AuthJwt(_))) {
            return;
        }
        for id in ids.iter().filter(|id| policies[**id].policy.counts_per_claim()) {
            self.cx.push(
                Diagnostic::new(policies[*id].span, format!("`per claim` on route `{route}`, which has no `auth jwt`"))
                    .label("no verified token to read a claim from")
                    .help("add `auth jwt { ... }` to the route, or count per another key"),
            );
        }
    }

    /// Whether policy `id` is a `cors`.
    pub(crate) fn is_cors(&self, id: ir::PolicyId) -> bool {
        matches!(self.policies.borrow()[id].policy, ir::Policy::Cors(_))
    }

    /// `ids` in the order their policies run (stable: file order within a kind).
    pub(crate) fn sort_policies(&self, ids: &mut [ir::PolicyId]) {
        let policies = self.policies.borrow();
        ids.sort_by_key(|id| policies[*id].policy.rank());
    }

    /// The variable name of `env(NAME)`.
    pub(crate) fn env_call_name(&self, call_span: Span, args: &[ast::Arg]) -> Option<String> {
        let [arg] = args else {
            self.cx.push(
                Diagnostic::new(call_span, "`env` takes one environment variable name").label("as in `env(API_TOKEN)`"),
            );
            return None;
        };
        let Some(text) = arg.text() else {
            self.cx.error(arg.span, "expected an environment variable name");
            return None;
        };
        match literal::env_name(text) {
            Ok(name) => Some(name),
            Err(message) => {
                self.cx.error(arg.span, message);
                None
            }
        }
    }

    pub(crate) fn line(&self, span: Span) -> usize {
        self.source.line_col(span.start).0
    }

    /// The block of a directive that needs one.
    pub(crate) fn block<'d>(&self, directive: &'d Directive, example: &str) -> Option<&'d Block> {
        if directive.block.is_none() {
            self.cx.push(
                Diagnostic::new(directive.head_span(), format!("`{}` needs a block", directive.name.text))
                    .label("expected `{` after this")
                    .help(format!("write it as `{example}`")),
            );
        }
        directive.block.as_ref()
    }

    /// Whether `inner` is the first directive of its name in a block whose
    /// directives are each given once; a second one is reported (pointing
    /// at the first) and `false`. `seen` holds the names met so far.
    pub(crate) fn first_in_block<'d>(&self, seen: &mut Vec<(&'d str, Span)>, inner: &'d Directive) -> bool {
        let name = inner.name.text.as_str();
        if let Some((_, first)) = seen.iter().find(|(known, _)| *known == name) {
            self.cx.push(
                Diagnostic::new(inner.head_span(), format!("duplicate `{name}`"))
                    .label("given again here")
                    .note(format!("first given at line {}", self.line(*first))),
            );
            return false;
        }
        seen.push((name, inner.head_span()));
        true
    }

    /// Reports the block of a directive that takes none.
    pub(crate) fn no_block(&self, directive: &Directive) {
        if let Some(block) = &directive.block {
            self.cx.push(
                Diagnostic::new(block.span, format!("`{}` takes no block", directive.name.text))
                    .label("unexpected block"),
            );
        }
    }

    /// Reports a directive that is not one of `allowed` in `context`.
    pub(crate) fn unknown_directive(&self, directive: &Directive, context: &str, allowed: &[&str]) {
        let name = directive.name.text.as_str();
        // `strip-prefix`: the grammar reads a name up to the `-`.
        if let Some(first) = directive.args.first()
            && let Some(rest) = first.text().and_then(|text| text.strip_prefix('-'))
            && first.span.start == directive.name.span.end
        {
            let meant = format!("{name}_{}", rest.replace('-', "_"));
            if symbol::is_directive(&meant) {
                let written = format!("{name}-{rest}");
                self.cx.push(
                    Diagnostic::new(
                        directive.name.span.to(first.span),
                        format!("unknown directive `{written}` in {context}"),
                    )
                    .label("unknown directive")
                    .help(format!("directive names are written with `_`: `{meant}`")),
                );
                return;
            }
        }
        let mut diagnostic = Diagnostic::new(directive.name.span, format!("unknown directive `{name}` in {context}"));
        let homes: Vec<&str> =
            symbol::CONTEXTS.iter().filter(|(_, names)| names.contains(&name)).map(|(home, _)| *home).collect();
        if let Some((_, meant)) = symbol::FOREIGN.iter().find(|(foreign, _)| *foreign == name) {
            diagnostic = diagnostic.label("not a directive of this language").help(*meant);
        } else if !homes.is_empty() {
            diagnostic =
                diagnostic.label("not allowed here").help(format!("`{name}` belongs in {}", homes.join(" or ")));
        } else if let Some(suggestion) = did_you_mean(name, allowed.iter().copied()) {
            diagnostic = diagnostic.label("unknown directive").help(format!("did you mean `{suggestion}`?"));
        } else {
            diagnostic = diagnostic.label("unknown directive");
        }
        self.cx.push(diagnostic.note(format!("{context} takes {}", list(allowed))));
    }

    fn lower_file(&self, file: &ast::File, upstream_names: &names::Names) -> Lowered {
        let mut server = Once::new();
        for directive in file.directives.iter().filter(|directive| directive.name.text == "server") {
            server.set(self, directive, self.lower_server(directive));
        }
        let (server, defaults) = server.get().unwrap_or((
            ir::Server { cache_size: ir::DEFAULT_CACHE_SIZE, ..ir::Server::default() },
            routes::RouteDefaults::default(),
        ));
        // Listeners next: routes name them (`on NAME`).
        let mut listeners = Vec::new();
        let mut listener_names = names::Names::new("listener");
        for directive in file.directives.iter().filter(|directive| directive.name.text == "listen") {
            let Some((listener, name_span)) = self.lower_listen(directive) else { continue };
            if let (Some(name), Some(span)) = (&listener.name, name_span) {
                listener_names.declare(self, name, span, listeners.len());
            }
            listeners.push((listener, directive.head_span()));
        }
        let names = routes::RouteNames { upstreams: upstream_names, listeners: &listener_names };
        let mut admin = Once::new();
        let mut upstreams = Vec::new();
        let mut routes = Vec::new();
        let mut tests = Vec::new();
        for directive in &file.directives {
            match directive.name.text.as_str() {
                "server" | "listen" => {}
                "admin" => admin.set(self, directive, self.lower_admin(directive)),
                "upstream" => upstreams.extend(self.lower_upstream(directive, upstream_names)),
                "route" => routes.extend(self.lower_route(directive, &names, &defaults)),
                "test" => tests.extend(self.lower_test(directive, upstream_names, &listener_names)),
                _ => self.unknown_directive(directive, "the top level of the file", symbol::TOP),
            }
        }
        if listeners.is_empty() && !self.cx.has_errors() {
            self.cx.push(
                Diagnostic::new(
                    Span::new(0, 0),
                    "the gateway has no `listen` directive, so it would accept no traffic",
                )
                .help("add `listen http 0.0.0.0:8080` (or `listen https ADDR { cert FILE  key FILE }`)"),
            );
        }
        let admin_span = admin.span();
        Lowered { server, defaults, listeners, admin: admin.get().zip(admin_span), upstreams, routes, tests }
    }

    fn lower_server(&self, directive: &Directive) -> Option<(ir::Server, routes::RouteDefaults)> {
        Args::new(self.cx, directive).finish();
        let block = self.block(directive, "server { threads 2 }")?;
        let mut threads = Once::new();
        let mut grace_period = Once::new();
        let mut shutdown_timeout = Once::new();
        let mut cache_size = Once::new();
        let mut keepalive_pool = Once::new();
        let mut request_line = Once::new();
        let mut headers = Once::new();
        let mut head_bytes = Once::new();
        let mut header_timeout = Once::new();
        let mut body_timeout = Once::new();
        let mut keepalive_timeout = Once::new();
        let mut trusted_proxies = Once::new();
        let mut real_ip = Once::new();
        let mut access_log = Once::new();
        let mut compress = Once::new();
        let mut tracing = Once::new();
        let mut store = Once::new();
        let mut http2 = Once::new();
        let mut shared = routes::SharedSettings::default();
        let mut policies = routes::PolicyParts::default();
        for inner in &block.directives {
            if !matches!(inner.name.text.as_str(), "cors" | "access_log" | "compress" | "tracing" | "store" | "http2") {
                self.no_block(inner);
            }
            let mut args = Args::new(self.cx, inner);
            if self.lower_policy(inner, &mut args, &mut policies) {
                args.finish();
                continue;
            }
            match inner.name.text.as_str() {
                "threads" => {
                    threads.set(self, inner, args.parse("a number of threads", |text| literal::count(text, 1024)));
                }
                "grace_period" => grace_period.set(self, inner, self.whole_seconds(&mut args)),
                "graceful_shutdown_timeout" => shutdown_timeout.set(self, inner, self.whole_seconds(&mut args)),
                "cache_size" => cache_size.set(self, inner, args.parse("a size", literal::size)),
                "access_log" => {
                    let log = crate::policy::access_log::lower(self, inner, &mut args, false);
                    let log = log.and_then(|log| match log {
                        crate::policy::access_log::RouteLog::Own(log) => Some(log),
                        _ => None,
                    });
                    access_log.set(self, inner, log);
                }
                "tracing" => tracing.set(self, inner, crate::policy::tracing::lower(self, inner)),
                "store" => store.set(self, inner, crate::policy::store::lower(self, inner, &mut args)),
                "http2" => http2.set(self, inner, self.lower_http2(inner)),
                "compress" => {
                    let rules = crate::policy::compress::lower(self, inner, &mut args, false);
                    let rules = rules.and_then(|rules| match rules {
                        crate::policy::compress::RouteCompress::Own(rules) => Some(rules),
                        _ => None,
                    });
                    compress.set(self, inner, rules);
                }
                "keepalive_pool" => {
                    let size = args.parse("a number of connections", |text| literal::count(text, 65536));
                    keepalive_pool.set(self, inner, size.map(|(size, _)| size as usize));
                }
                "max_request_line" => request_line.set(self, inner, self.head_size(&mut args, 64)),
                "max_header_size" => head_bytes.set(self, inner, self.head_size(&mut args, 256)),
                "max_headers" => {
                    // Pingora's parser takes at most 256 fields.
                    let count = args.parse("a number of header fields", |text| literal::count(text, 256));
                    headers.set(self, inner, count.map(|(count, _)| count));
                }
                "header_timeout" => header_timeout.set(self, inner, self.positive_duration(&mut args)),
                "body_timeout" => body_timeout.set(self, inner, self.positive_duration(&mut args)),
                "keepalive_timeout" => keepalive_timeout.set(self, inner, self.positive_duration(&mut args)),
                "trusted_proxies" => trusted_proxies.set(self, inner, self.lower_trusted_proxies(&mut args)),
                "real_ip" => {
                    let header = args.keyword("`header`", &["header"]).and_then(|_| {
                        args.parse("`X-Forwarded-For` or `X-Real-IP`", |text| {
                            if text.eq_ignore_ascii_case("x-forwarded-for") {
                                Ok(ir::RealIpHeader::XForwardedFor)
                            } else if text.eq_ignore_ascii_case("x-real-ip") {
                                Ok(ir::RealIpHeader::XRealIp)
                            } else {
                                Err("the client's address is read from `X-Forwarded-For` or `X-Real-IP`".to_string())
                            }
                        })
                    });
                    real_ip.set(self, inner, header.map(|(header, _)| header));
                }
                _ => {
                    if !self.lower_shared(inner, &mut args, &mut shared) {
                        self.unknown_directive(inner, "a `server` block", symbol::SERVER);
                        continue;
                    }
                }
            }
            args.finish();
        }
        let real_ip = self.real_ip(block, trusted_proxies, real_ip);
        let server = ir::Server {
            threads: threads.get().map(|(threads, _)| threads as usize),
            grace_period_seconds: grace_period.get(),
            graceful_shutdown_timeout_seconds: shutdown_timeout.get(),
            cache_size: cache_size.get().map_or(ir::DEFAULT_CACHE_SIZE, |(size, _)| size),
            keepalive_pool: keepalive_pool.get(),
            limits: ir::HeadLimits {
                request_line: request_line.get(),
                headers: headers.get(),
                head_bytes: head_bytes.get(),
            },
            timeouts: ir::DownstreamTimeouts {
                header: header_timeout.get(),
                body: body_timeout.get(),
                keepalive: keepalive_timeout.get(),
            },
            real_ip,
            access_log: access_log.get(),
            compress: compress.get(),
            tracing: tracing.get(),
            store: store.get(),
            http2: http2.get().unwrap_or_default(),
        };
        let mut defaults = shared.apply(&routes::RouteDefaults::default());
        defaults.policies = policies.finish(self);
        Some((server, defaults))
    }

    /// `trusted_proxies CIDR...`: the proxies whose word on the client's
    /// address is taken.
    fn lower_trusted_proxies(&self, args: &mut Args<'_>) -> Option<Vec<ir::Cidr>> {
        let mut ranges = Vec::new();
        let mut ok = true;
        loop {
            match args.parse("an address range (`10.0.0.0/8`) of the proxies in front", ir::Cidr::parse) {
                Some((cidr, span)) if cidr == ir::Cidr::ALL => {
                    self.cx.push(
                        Diagnostic::new(span, "`trusted_proxies all` would let every client choose its address")
                            .label("trusts everyone")
                            .help("list the load balancers in front of the gateway: `trusted_proxies 10.0.0.0/8`"),
                    );
                    ok = false;
                }
                Some((cidr, _)) => ranges.push(cidr),
                None => ok = false,
            }
            if args.is_done() {
                break;
            }
        }
        ok.then_some(ranges)
    }

    /// `trusted_proxies` with `real_ip` (which defaults to
    /// `X-Forwarded-For`); `real_ip` alone trusts no one and is an error.
    fn real_ip(
        &self,
        block: &Block,
        trusted: Once<Vec<ir::Cidr>>,
        header: Once<ir::RealIpHeader>,
    ) -> Option<ir::RealIp> {
        let written = |name: &str| block.directives.iter().find(|inner| inner.name.text == name);
        if let (Some(real_ip), None) = (written("real_ip"), written("trusted_proxies")) {
            self.cx.push(
                Diagnostic::new(real_ip.head_span(), "`real_ip` without `trusted_proxies`")
                    .label("whose header would be believed?")
                    .note("the header is read only from peers listed in `trusted_proxies`; anyone else could forge it")
                    .help("add `trusted_proxies CIDR...` with the addresses of the proxies in front of the gateway"),
            );
        }
        Some(ir::RealIp { trusted: trusted.get()?, header: header.get().unwrap_or(ir::RealIpHeader::XForwardedFor) })
    }

    /// A size of request head: at least `min` bytes, at most the 1 MiB
    /// Pingora reads.
    fn head_size(&self, args: &mut Args<'_>, min: u64) -> Option<u64> {
        let (size, span) = args.parse("a size", literal::size)?;
        let problem = if size < min {
            format!("at least {min} bytes are needed for any request")
        } else if size > PINGORA_MAX_HEAD {
            "Pingora reads at most 1 MiB (1048575 bytes) of request head".to_string()
        } else {
            return Some(size);
        };
        self.cx.push(Diagnostic::new(span, format!("size out of range: {problem}")).label("out of range"));
        None
    }

    /// A duration longer than zero.
    fn positive_duration(&self, args: &mut Args<'_>) -> Option<Duration> {
        let (duration, span) = args.parse("a duration", literal::duration)?;
        if duration.is_zero() {
            self.cx.push(Diagnostic::new(span, "a timeout must be longer than zero").label("zero"));
            return None;
        }
        Some(duration)
    }

    /// A duration Pingora takes in whole seconds.
    fn whole_seconds(&self, args: &mut Args<'_>) -> Option<u64> {
        let (duration, span) = args.parse("a duration", literal::duration)?;
        if duration.subsec_nanos() != 0 {
            self.cx.push(
                Diagnostic::new(span, format!("`{}` needs whole seconds", duration_text(duration)))
                    .label("not a whole number of seconds")
                    .help(format!("use `{}s`", duration.as_secs() + 1)),
            );
            return None;
        }
        Some(duration.as_secs())
    }

    /// `listen http|https [NAME] ADDR`, and the span of its name.
    fn lower_listen(&self, directive: &Directive) -> Option<(ir::Listener, Option<Span>)> {
        let mut args = Args::new(self.cx, directive);
        let kind = args.keyword("`http` or `https`", symbol::LISTEN_KINDS);
        // A name is a word before the address: two words follow the kind.
        let named = directive.args.len() > 2
            || directive.args.get(1).is_some_and(|arg| {
                matches!(&arg.kind, ast::ArgKind::Word(word)
                    if word.starts_with(|c: char| c.is_ascii_alphabetic()) && !word.contains(':'))
            });
        let name = if named { args.parse("a listener name", |text| names::valid_name("listener", text)) } else { None };
        let addr = args.parse("an address (IP:PORT)", literal::socket_addr);
        args.finish();
        let (kind, _) = kind?;
        let (name, name_span) = name.map_or((None, None), |(name, span)| (Some(name), Some(span)));
        if kind == "http" {
            let (redirect_https, proxy_protocol) = self.lower_listen_http(directive)?;
            return Some((ir::Listener { name, addr: addr?.0, tls: None, redirect_https, proxy_protocol }, name_span));
        }
        let block = self.block(directive, "listen https 0.0.0.0:443 { cert \"server.crt\"  key \"server.key\" }")?;
        let (tls, proxy_protocol) = self.lower_tls(directive, block)?;
        Some((ir::Listener { name, addr: addr?.0, tls: Some(tls), redirect_https: None, proxy_protocol }, name_span))
    }

    /// `admin ADDR [{ token env(NAME) }]`.
    fn lower_admin(&self, directive: &Directive) -> Option<ir::Admin> {
        let mut args = Args::new(self.cx, directive);
        let addr = args.parse("an address (IP:PORT)", literal::socket_addr);
        args.finish();
        let mut token = Once::new();
        for inner in directive.block.iter().flat_map(|block| &block.directives) {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "token" => {
                    let secret = args.next("the token, as `env(NAME)`").and_then(|arg| match &arg.kind {
                        ast::ArgKind::Call { func, args } if func.text == "env" => {
                            let name = self.env_call_name(arg.span, args)?;
                            Some(ir::Secret::Env { name, location: self.source.location(arg.span) })
                        }
                        _ => {
                            self.cx.push(
                                Diagnostic::new(
                                    arg.span,
                                    "a token written in the file would be compiled into the binary",
                                )
                                .label("secret in the source")
                                .help("read it from the environment at start-up: `token env(GW_ADMIN_TOKEN)`"),
                            );
                            None
                        }
                    });
                    token.set(self, inner, secret);
                }
                _ => {
                    self.unknown_directive(inner, "an `admin` block", symbol::ADMIN);
                    continue;
                }
            }
            args.finish();
        }
        Some(ir::Admin { addr: addr?.0, token: token.get() })
    }

    /// Two sockets cannot bind one port (unless both name different, specific
    /// IPs), and a graceful upgrade hands over at most [`MAX_UPGRADE_SOCKETS`].
    fn check_listeners(&self, lowered: &Lowered) {
        let mut bound: Vec<(std::net::SocketAddr, Span)> = Vec::new();
        let sockets = lowered.listeners.iter().map(|(listener, span)| (listener.addr, *span));
        let sockets: Vec<_> = sockets.chain(lowered.admin.iter().map(|(admin, span)| (admin.addr, *span))).collect();
        if let Some((_, span)) = sockets.get(MAX_UPGRADE_SOCKETS) {
            self.cx.push(
                Diagnostic::new(*span, format!("more than {MAX_UPGRADE_SOCKETS} listening sockets"))
                    .label(format!("socket {} of {}", MAX_UPGRADE_SOCKETS + 1, sockets.len()))
                    .note(format!(
                        "a graceful upgrade (`-u`, then SIGQUIT) hands every listening socket to the new process in \
                         one message of at most {MAX_UPGRADE_SOCKETS} (Pingora 0.9); with more, the new process \
                         cannot take over"
                    ))
                    .help("listen on fewer addresses (`0.0.0.0:PORT` covers every address of a port), or run more gateways"),
            );
        }
        if !lowered.routes.is_empty() {
            for (id, (listener, span)) in lowered.listeners.iter().enumerate() {
                let served = lowered.routes.iter().any(|route| {
                    let on = &route.route.conditions.listeners;
                    on.is_empty() || on.contains(&id)
                });
                if !served {
                    let name = listener.name.clone().unwrap_or_else(|| listener.addr.to_string());
                    self.cx.push(
                        Diagnostic::new(*span, format!("listener `{name}` serves no route"))
                            .label("every request here would get 404")
                            .note("every route is bound (`on`) to other listeners")
                            .help(match &listener.name {
                                Some(name) => format!("add `on {name}` to the routes it should serve, or remove it"),
                                None => {
                                    "name it (`listen http NAME IP:PORT`) and add `on NAME` to its routes".to_string()
                                }
                            }),
                    );
                }
            }
        }
        for (addr, span) in sockets {
            let clash = bound.iter().find(|(other, _)| {
                other.port() == addr.port()
                    && (other.ip() == addr.ip() || other.ip().is_unspecified() || addr.ip().is_unspecified())
            });
            if let Some((other, other_span)) = clash {
                self.cx.push(
                    Diagnostic::new(span, format!("`{addr}` binds port {} again", addr.port()))
                        .label("port already bound")
                        .note(format!("`{other}` at line {} binds it first", self.line(*other_span))),
                );
            } else {
                bound.push((addr, span));
            }
        }
    }
}

/// The most listening sockets (`listen` and `admin`) a graceful upgrade
/// can hand over: pingora-core 0.9 sends them in one `sendmsg` and receives
/// at most this many (`MAX_FDS` in `server/transfer_fd`).
pub(crate) const MAX_UPGRADE_SOCKETS: usize = 32;

/// `alpn h2 http1`: the protocols offered, HTTP/2 preferred when both are.
fn lower_alpn(args: &mut Args<'_>) -> Option<ir::Alpn> {
    let (mut h2, mut http1, mut ok) = (false, false, true);
    loop {
        if let Some(h3) = args.peek().filter(|arg| arg.text().is_some_and(|text| text.starts_with("h3"))) {
            args.next("a protocol");
            args.reported();
            args.cx().push(upstreams::http3_unsupported(h3.span));
            ok = false;
            if args.is_done() {
                break;
            }
            continue;
        }
        match args.keyword("a protocol (`h2` or `http1`)", symbol::ALPN_PROTOCOLS) {
            Some(("h2", _)) => h2 = true,
            Some(_) => http1 = true,
            None => ok = false,
        }
        if args.is_done() {
            break;
        }
    }
    match (ok, h2, http1) {
        (false, _, _) => None,
        (true, true, true) => Some(ir::Alpn::H2Http1),
        (true, true, false) => Some(ir::Alpn::H2),
        (true, _, _) => Some(ir::Alpn::Http1),
    }
}

/// A duration the way a user would write it, for messages.
pub(crate) fn duration_text(duration: Duration) -> String {
    if duration.subsec_millis() != 0 || duration.as_secs() == 0 {
        format!("{}ms", duration.as_millis())
    } else {
        format!("{}s", duration.as_secs())
    }
}
