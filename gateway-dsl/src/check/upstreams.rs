//! Upstreams: their names (collected first, so routes can name upstreams
//! declared below them) and their backends.

use super::args::Args;
use super::names::{Names, valid_name};
use super::{Checker, Once, files, literal};
use crate::ast::{self, ArgKind, Directive};
use crate::diagnostics::{Diagnostic, Span, did_you_mean};
use crate::ir;
use crate::symbol;

/// Collects every `upstream NAME`, reporting names declared twice. The IR
/// index of an upstream is its position among the first declarations.
///
/// A misspelt `upstream` (`upstrem web { }`) is reported as an unknown
/// directive; its name still counts as declared here, after the real ones,
/// so that routes naming it do not each get a second, misleading error.
pub(crate) fn collect(checker: &Checker<'_>, file: &ast::File) -> Names {
    let mut names = Names::new("upstream");
    let misspelt = |directive: &&Directive| {
        directive.name.text != "upstream"
            && did_you_mean(&directive.name.text, symbol::TOP.iter().copied()) == Some("upstream")
    };
    for directive in file.directives.iter().filter(|directive| directive.name.text == "upstream") {
        let Some((name, span)) = declared_name(directive) else { continue };
        names.declare(checker, name, span, names.len());
    }
    for directive in file.directives.iter().filter(misspelt) {
        if let Some((name, span)) = declared_name(directive)
            && !names.contains(name)
        {
            names.declare(checker, name, span, names.len());
        }
    }
    names
}

/// The valid name an `upstream` directive declares, if it has one.
fn declared_name(directive: &Directive) -> Option<(&str, Span)> {
    let arg = directive.args.first()?;
    let ArgKind::Word(name) = &arg.kind else { return None };
    valid_name("upstream", name).ok().map(|_| (name.as_str(), arg.span))
}

impl Checker<'_> {
    /// Lowers one `upstream` directive; `None` for the second of two with one
    /// name (already reported by `collect`) or when it has errors.
    pub(super) fn lower_upstream(&self, directive: &Directive, names: &Names) -> Option<ir::Upstream> {
        let mut args = Args::new(self.cx, directive);
        let name = args.parse("an upstream name", |text| valid_name("upstream", text));
        args.finish();
        let block = self.block(directive, "upstream web { backend 127.0.0.1:8080 }");
        let (name, name_span) = name?;
        let block = block?;
        let mut parts = UpstreamParts::default();
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            if !self.lower_upstream_directive(inner, &mut args, &mut parts) {
                self.unknown_directive(inner, "an `upstream` block", symbol::UPSTREAM);
                continue;
            }
            args.finish();
        }
        let written = |name: &str| block.directives.iter().any(|inner| inner.name.text == name);
        if parts.backends.is_empty() && !written("backend") && !written("discover") {
            self.cx.push(
                Diagnostic::new(directive.head_span(), format!("upstream `{name}` has no backend"))
                    .label("no `backend` in this block")
                    .help("add `backend IP:PORT` inside the block, or `discover file PATH every 1s`"),
            );
        }
        self.check_upstream_parts(&parts);
        for (backup, span) in parts.backups.iter().zip(&parts.backup_spans) {
            if let Some((_, primary)) = parts.backends.iter().find(|(primary, _)| same_target(primary, backup)) {
                self.cx.push(
                    Diagnostic::new(*span, "a backup that is also a primary backend")
                        .label("already a `backend`")
                        .note(format!("listed as a backend at line {}", self.line(*primary)))
                        .help("a backup takes traffic only when no primary can; list it in one place"),
                );
            }
        }
        if !names.is_first_declaration(&name, name_span) {
            return None;
        }
        let tls = parts.tls.get();
        let protocol = match (parts.alpn.get(), parts.h2c.span().is_some()) {
            (Some(alpn), _) => alpn,
            (None, true) => ir::Protocol::H2,
            (None, false) => ir::Protocol::Http1,
        };
        Some(ir::Upstream {
            name,
            location: self.source.location(directive.name.span),
            backends: parts.backends.into_iter().map(|(backend, _)| backend).collect(),
            backups: parts.backups,
            balance: parts.balance.get().unwrap_or(ir::Balance::RoundRobin),
            sticky: parts.sticky.get(),
            health: parts.health.get(),
            retries: parts.retries.get().unwrap_or(0),
            fail_timeout: parts.fail_timeout.get().unwrap_or(ir::DEFAULT_FAIL_TIMEOUT),
            resolve_every: parts.resolve.get().unwrap_or(ir::DEFAULT_RESOLVE_EVERY),
            discover: parts.discover.get(),
            tls: tls.map(|tls| ir::UpstreamTls { client_cert: parts.client_cert.get(), ..tls }),
            protocol,
            via: parts.via.get(),
            proxy_protocol: parts.proxy_protocol.get(),
            timeouts: parts.timeouts.get().unwrap_or_default(),
        })
    }

    /// One directive of an upstream block; `false` if it is not one.
    fn lower_upstream_directive(&self, inner: &Directive, args: &mut Args<'_>, parts: &mut UpstreamParts) -> bool {
        match inner.name.text.as_str() {
            "backend" => {
                if let Some((backend, span)) = self.lower_backend(args) {
                    let same = parts.backends.iter().find(|(other, _)| same_target(other, &backend));
                    if let Some((_, first)) = same {
                        self.cx.push(
                            Diagnostic::new(span, "backend listed twice")
                                .label("listed again here")
                                .note(format!("first listed at line {}", self.line(*first)))
                                .help("give one backend a higher `weight` instead"),
                        );
                    } else {
                        parts.backends.push((backend, span));
                    }
                }
            }
            "backup" => loop {
                if let Some((backend, span)) = args.parse("a backup address", |text| literal::backend(text, 1)) {
                    parts.backups.push(backend);
                    parts.backup_spans.push(span);
                }
                if args.is_done() {
                    break;
                }
            },
            "balance" => parts.balance.set(self, inner, self.lower_balance(args)),
            "sticky" => parts.sticky.set(self, inner, self.lower_sticky(args)),
            "health" => parts.health.set(self, inner, self.lower_health(args)),
            "retries" => {
                let retries = args.parse("a number of retries", |text| match text.parse::<u32>() {
                    Ok(retries @ 0..=10) => Ok(retries),
                    _ => Err(format!("invalid retries `{text}`: a whole number from 0 to 10")),
                });
                parts.retries.set(self, inner, retries.map(|(retries, _)| retries));
            }
            "fail_timeout" => {
                let value = args.parse("a duration", literal::duration).map(|(value, _)| value);
                parts.fail_timeout.set(self, inner, value);
            }
            "resolve" => {
                args.keyword("`every`", &["every"]);
                let value = args
                    .parse("a duration", literal::duration)
                    .and_then(|(value, span)| self.at_least_100ms(value, span));
                parts.resolve.set(self, inner, value);
            }
            "discover" => {
                let discover = args.keyword("`file`", &["file"]).and_then(|_| {
                    let (path, _) = args.text("a file path")?;
                    args.keyword("`every`", &["every"])?;
                    let (every, span) = args.parse("a duration", literal::duration)?;
                    let every = self.at_least_100ms(every, span)?;
                    Some(ir::FileDiscovery { path: files::resolve(self.base_dir, path), every })
                });
                parts.discover.set(self, inner, discover);
            }
            "tls" => parts.tls.set(self, inner, self.lower_upstream_tls(args)),
            "client_cert" => {
                let cert = args.next("the client certificate file").and_then(|arg| self.file_ref(arg, "certificate"));
                let key = args.next("the client key file").and_then(|arg| self.file_ref(arg, "key"));
                if let (
                    Some((ir::FileRef::Path(cert), cert_span, cert_text)),
                    Some((ir::FileRef::Path(key), key_span, key_text)),
                ) = (&cert, &key)
                {
                    files::check_cert_and_key(self, (cert, cert_text, *cert_span), (key, key_text, *key_span));
                }
                parts.client_cert.set(self, inner, cert.zip(key).map(|((cert, _, _), (key, _, _))| (cert, key)));
            }
            "alpn" => {
                if let Some(h3) = args.peek().filter(|arg| arg.text().is_some_and(|text| text.starts_with("h3"))) {
                    args.reported();
                    self.cx.push(http3_unsupported(h3.span));
                    return true;
                }
                let alpn = args.keyword("`h1`, `h2` or `h2h1`", symbol::UPSTREAM_ALPN).map(|(alpn, _)| match alpn {
                    "h1" => ir::Protocol::Http1,
                    "h2" => ir::Protocol::H2,
                    _ => ir::Protocol::H2Http1,
                });
                parts.alpn.set(self, inner, alpn);
            }
            "h2c" => parts.h2c.set(self, inner, Some(())),
            "via" => {
                let via = args
                    .keyword("`http-proxy`", &["http-proxy"])
                    .and_then(|_| args.parse("the proxy's address", literal::socket_addr));
                parts.via.set(self, inner, via.map(|(addr, _)| addr));
            }
            "proxy_protocol" => {
                let version = match args.peek() {
                    None => Some(ir::ProxyVersion::V2),
                    Some(_) => args
                        .keyword("`v1` or `v2`", symbol::PROXY_PROTOCOL_VERSIONS)
                        .map(|(version, _)| if version == "v1" { ir::ProxyVersion::V1 } else { ir::ProxyVersion::V2 }),
                };
                parts.proxy_protocol.set(self, inner, version);
            }
            "timeout" => parts.timeouts.set(self, inner, self.lower_peer_timeouts(args)),
            _ => return false,
        }
        true
    }

    /// Directives that do not go together.
    fn check_upstream_parts(&self, parts: &UpstreamParts) {
        let tls = parts.tls.span().is_some();
        if let (Some(span), false) = (parts.client_cert.span(), tls) {
            self.cx.push(
                Diagnostic::new(span, "`client_cert` without `tls`")
                    .label("a client certificate needs TLS")
                    .help("add `tls`"),
            );
        }
        if let (Some(span), false) = (parts.alpn.span(), tls) {
            self.cx.push(
                Diagnostic::new(span, "`alpn` without `tls`")
                    .label("ALPN is negotiated in TLS")
                    .help("add `tls`, or use `h2c` for cleartext HTTP/2"),
            );
        }
        if let (Some(span), true) = (parts.h2c.span(), tls) {
            self.cx.push(
                Diagnostic::new(span, "`h2c` with `tls`")
                    .label("h2c is cleartext HTTP/2")
                    .help("use `alpn h2` over TLS"),
            );
        }
        if let Some(span) = parts.via.span() {
            for (backend, backend_span) in &parts.backends {
                if matches!(backend, ir::BackendSpec::Unix { .. }) {
                    self.cx.push(
                        Diagnostic::new(*backend_span, "a unix socket backend cannot be reached through `via`")
                            .label("not a network address")
                            .note(format!("`via` at line {}", self.line(span))),
                    );
                }
            }
        }
        if let (Some(span), Some(ir::Balance::Ketama(_))) = (parts.balance.span(), parts.balance.value()) {
            for (backend, backend_span) in &parts.backends {
                if matches!(backend, ir::BackendSpec::Unix { .. }) {
                    self.cx.push(
                        Diagnostic::new(*backend_span, "`ketama` cannot hash to a unix socket backend")
                            .label("Pingora's ketama ring holds network addresses only")
                            .note(format!("`balance` at line {}", self.line(span))),
                    );
                }
            }
        }
        if let (Some(span), Some(ir::Balance::Ketama(_))) = (parts.sticky.span(), parts.balance.value()) {
            self.cx.push(
                Diagnostic::new(span, "`sticky` with `ketama`")
                    .label("ketama already keeps a key on its backend")
                    .help("use one of them"),
            );
        }
    }

    fn at_least_100ms(&self, value: std::time::Duration, span: Span) -> Option<std::time::Duration> {
        if value < std::time::Duration::from_millis(100) {
            self.cx.error(span, "an interval under 100ms would keep the gateway busy");
            return None;
        }
        Some(value)
    }

    /// `backend ADDRESS [weight N]`.
    fn lower_backend(&self, args: &mut Args<'_>) -> Option<(ir::BackendSpec, Span)> {
        let (text, span) = args.text("a backend address (IP:PORT, NAME:PORT or unix:/path)")?;
        let text = text.to_string();
        let mut weight = 1;
        if !args.is_done() {
            args.keyword("`weight`", &["weight"])?;
            let (value, weight_span) = args.text("a weight")?;
            match value.parse::<u64>() {
                Ok(0) => {
                    self.cx.push(
                        Diagnostic::new(weight_span, "weight 0 would never receive traffic")
                            .label("weights start at 1")
                            .help("remove the backend, or give it `weight 1`"),
                    );
                    return None;
                }
                Ok(value @ 1..=1000) => weight = value as usize,
                _ => {
                    self.cx.error(weight_span, format!("invalid weight `{value}`: a whole number from 1 to 1000"));
                    return None;
                }
            }
        }
        match literal::backend(&text, weight) {
            Ok(backend) => Some((backend, span)),
            Err(message) => {
                self.cx.error(span, message);
                None
            }
        }
    }

    /// `round_robin`, `random`, `least_conn`, or `ketama(KEY)`.
    fn lower_balance(&self, args: &mut Args<'_>) -> Option<ir::Balance> {
        let arg = args.next("a balancing algorithm")?;
        let (name, name_span, key_args) = match &arg.kind {
            ArgKind::Word(word) => (word.as_str(), arg.span, None),
            ArgKind::Call { func, args } => (func.text.as_str(), func.span, Some(args)),
            ArgKind::Str(_) => {
                self.cx.error(arg.span, "expected a balancing algorithm");
                return None;
            }
        };
        let balance = match (name, key_args) {
            ("round_robin", None) => ir::Balance::RoundRobin,
            ("random", None) => ir::Balance::Random,
            ("least_conn", None) => ir::Balance::LeastConn,
            ("ketama", Some(key_args)) => ir::Balance::Ketama(self.lower_hash_key(arg.span, key_args)?),
            ("ketama", None) => {
                self.cx.push(
                    Diagnostic::new(arg.span, "`ketama` needs the key it hashes")
                        .label("as in `ketama(path)`")
                        .help("the keys are `path`, `uri`, `client_ip`, `header NAME` and `cookie NAME`"),
                );
                return None;
            }
            (other, _) => {
                let mut diagnostic = Diagnostic::new(name_span, format!("unknown balancing algorithm `{other}`"))
                    .label("expected `round_robin`, `random`, `least_conn` or `ketama(KEY)`");
                if let Some(suggestion) = crate::diagnostics::did_you_mean(other, symbol::BALANCE.iter().copied()) {
                    diagnostic = diagnostic.help(format!("did you mean `{suggestion}`?"));
                }
                self.cx.push(diagnostic);
                return None;
            }
        };
        Some(balance)
    }

    fn lower_hash_key(&self, span: Span, args: &[crate::ast::Arg]) -> Option<ir::HashKey> {
        let texts: Vec<&str> = args.iter().filter_map(|arg| arg.text()).collect();
        let key = match texts.as_slice() {
            ["path"] => ir::HashKey::Path,
            ["uri"] => ir::HashKey::Uri,
            ["client_ip"] => ir::HashKey::ClientIp,
            ["header", name] => ir::HashKey::Header(literal::header_name_to_match(name).ok()?.to_ascii_lowercase()),
            ["cookie", name] => ir::HashKey::Cookie(literal::cookie_name(name).ok()?),
            _ => {
                let help = match texts.as_slice() {
                    [one] if matches!(*one, "ip" | "client" | "remote_addr" | "addr" | "source" | "src_ip") => {
                        "did you mean `ketama(client_ip)`?".to_string()
                    }
                    [one] if matches!(*one, "url" | "request_uri" | "target") => {
                        "did you mean `ketama(uri)` (the path and query)?".to_string()
                    }
                    [kind @ ("header" | "cookie")] => format!("`{kind}` needs a name: `ketama({kind} NAME)`"),
                    [one, ..] => match crate::diagnostics::did_you_mean(one, symbol::HASH_KEYS.iter().copied()) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => "as in `ketama(header X-User)`".to_string(),
                    },
                    [] => "as in `ketama(header X-User)`".to_string(),
                };
                self.cx.push(
                    Diagnostic::new(span, "invalid ketama key")
                        .label("expected `path`, `uri`, `client_ip`, `header NAME` or `cookie NAME`")
                        .help(help),
                );
                return None;
            }
        };
        Some(key)
    }

    /// `sticky cookie NAME [max_age D] [secure] [http_only]`.
    fn lower_sticky(&self, args: &mut Args<'_>) -> Option<ir::Sticky> {
        args.keyword("`cookie`", &["cookie"])?;
        // `sticky cookie max_age 1h`: an attribute (or a misspelt one)
        // where the name goes is not taken as the name.
        if let Some(arg) = args.peek()
            && let Some(text) = arg.text()
            && args.remaining() > 1
            && let Some(attribute) = symbol::STICKY_OPTIONS
                .iter()
                .find(|option| **option == text)
                .copied()
                .or_else(|| crate::diagnostics::did_you_mean(text, symbol::STICKY_OPTIONS.iter().copied()))
        {
            args.reported();
            self.cx.push(
                Diagnostic::new(arg.span, format!("expected the cookie's name, found `{text}`"))
                    .label(format!("`{attribute}` is an attribute"))
                    .help(format!("the name comes first: `sticky cookie NAME {attribute} ...`")),
            );
            return None;
        }
        let (cookie, _) = args.parse("a cookie name", literal::cookie_name)?;
        let mut sticky = ir::Sticky { cookie, max_age: None, secure: false, http_only: false };
        while !args.is_done() {
            match args.keyword("a cookie attribute", symbol::STICKY_OPTIONS)?.0 {
                "max_age" => sticky.max_age = Some(args.parse("a duration", literal::duration)?.0),
                "secure" => sticky.secure = true,
                _ => sticky.http_only = true,
            }
        }
        Some(sticky)
    }

    /// `health tcp|http PATH [host H] [expect STATUS] [body TEXT] [every D] [timeout D] [rise N] [fall N]`.
    fn lower_health(&self, args: &mut Args<'_>) -> Option<ir::HealthCheck> {
        let (kind, _) = args.keyword("`tcp` or `http`", symbol::HEALTH_KINDS)?;
        let path = if kind == "http" { Some(args.parse("the path to check", literal::path)?.0) } else { None };
        let mut check = ir::HealthCheck {
            kind: ir::HealthKind::Tcp,
            every: std::time::Duration::from_secs(5),
            timeout: std::time::Duration::from_secs(1),
            rise: 1,
            fall: 1,
        };
        let (mut host, mut expect, mut body) = (None, 200, None);
        let mut failed = false;
        while !args.is_done() {
            let (option, option_span) = args.keyword("a health check option", symbol::HEALTH_OPTIONS)?;
            if kind == "tcp" && matches!(option, "host" | "expect" | "body") {
                self.cx.error(option_span, format!("`{option}` is an option of `health http`"));
                args.reported();
                return None;
            }
            match option {
                "every" => {
                    let (every, every_span) = args.parse("a duration", literal::duration)?;
                    match self.at_least_100ms(every, every_span) {
                        Some(every) => check.every = every,
                        None => {
                            args.reported();
                            failed = true;
                        }
                    }
                }
                "timeout" => check.timeout = args.parse("a duration", literal::duration)?.0,
                "rise" => check.rise = args.parse("a count", |text| literal::count(text, 100))?.0 as usize,
                "fall" => check.fall = args.parse("a count", |text| literal::count(text, 100))?.0 as usize,
                "host" => host = Some(args.parse("a host name", literal::host_name)?.0),
                "expect" => expect = args.parse("a status", literal::response_status)?.0,
                _ => body = Some(args.text("the text the body must contain")?.0.to_string()),
            }
        }
        if let Some(path) = path {
            check.kind = ir::HealthKind::Http { path, host, expect, body };
        }
        (!failed).then_some(check)
    }

    /// `tls [sni NAME] [verify on|off] [ca FILE]`.
    fn lower_upstream_tls(&self, args: &mut Args<'_>) -> Option<ir::UpstreamTls> {
        let mut tls = ir::UpstreamTls { sni: None, verify: true, ca: None, client_cert: None };
        while !args.is_done() {
            match args.keyword("`sni`, `verify` or `ca`", symbol::TLS_OPTIONS)?.0 {
                "sni" => tls.sni = Some(args.parse("a server name", literal::host_name)?.0),
                "verify" => tls.verify = args.keyword("`on` or `off`", symbol::ON_OFF)?.0 == "on",
                _ => {
                    let arg = args.next("a CA certificate file")?;
                    let (ca, span, text) = self.file_ref(arg, "CA certificate")?;
                    if let ir::FileRef::Path(path) = &ca {
                        files::check_certificates(self, path, &text, span)?;
                    }
                    tls.ca = Some(ca);
                }
            }
        }
        Some(tls)
    }

    /// A file argument: a path (relative to the `.gw` file), or `env(NAME)`.
    fn file_ref(&self, arg: &crate::ast::Arg, what: &str) -> Option<(ir::FileRef, Span, String)> {
        match &arg.kind {
            ArgKind::Word(text) | ArgKind::Str(text) => {
                Some((ir::FileRef::Path(files::resolve(self.base_dir, text)), arg.span, text.clone()))
            }
            ArgKind::Call { func, args } if func.text == "env" => {
                let name = self.env_call_name(arg.span, args)?;
                let location = self.source.location(arg.span);
                Some((ir::FileRef::Env { name, location }, arg.span, String::new()))
            }
            ArgKind::Call { func, .. } => {
                self.cx.error(func.span, format!("expected a {what} file or `env(NAME)`"));
                None
            }
        }
    }

    /// `timeout connect D total_connect D read D write D idle D`, any of them, each once.
    fn lower_peer_timeouts(&self, args: &mut Args<'_>) -> Option<ir::PeerTimeouts> {
        let mut timeouts = ir::PeerTimeouts::default();
        loop {
            let (kind, kind_span) = args.keyword("a timeout kind", symbol::PEER_TIMEOUTS)?;
            let (value, value_span) = args.parse("a duration", literal::duration)?;
            let slot = match kind {
                "connect" => &mut timeouts.connect,
                "total_connect" => &mut timeouts.total_connect,
                "read" => &mut timeouts.read,
                "write" => &mut timeouts.write,
                _ => &mut timeouts.idle,
            };
            if value.is_zero() || slot.is_some() {
                let (problem, span) = if value.is_zero() {
                    ("0 would fail every request", value_span)
                } else {
                    ("given twice", kind_span)
                };
                self.cx.error(span, format!("`{kind}` timeout: {problem}"));
                args.reported();
                return None;
            }
            *slot = Some(value);
            if args.is_done() {
                return Some(timeouts);
            }
        }
    }
}

/// Two backends that would be the same target.
fn same_target(a: &ir::BackendSpec, b: &ir::BackendSpec) -> bool {
    match (a, b) {
        (ir::BackendSpec::Addr { addr: a, .. }, ir::BackendSpec::Addr { addr: b, .. }) => a == b,
        (ir::BackendSpec::Dns { host: a, port: p, .. }, ir::BackendSpec::Dns { host: b, port: q, .. }) => {
            a == b && p == q
        }
        (ir::BackendSpec::Unix { path: a, .. }, ir::BackendSpec::Unix { path: b, .. }) => a == b,
        _ => false,
    }
}

/// What an upstream block says, directive by directive.
#[derive(Default)]
struct UpstreamParts {
    backends: Vec<(ir::BackendSpec, Span)>,
    backups: Vec<ir::BackendSpec>,
    /// Where each backup is written.
    backup_spans: Vec<Span>,
    balance: Once<ir::Balance>,
    sticky: Once<ir::Sticky>,
    health: Once<ir::HealthCheck>,
    retries: Once<u32>,
    fail_timeout: Once<std::time::Duration>,
    resolve: Once<std::time::Duration>,
    discover: Once<ir::FileDiscovery>,
    tls: Once<ir::UpstreamTls>,
    client_cert: Once<(ir::FileRef, ir::FileRef)>,
    alpn: Once<ir::Protocol>,
    h2c: Once<()>,
    via: Once<std::net::SocketAddr>,
    proxy_protocol: Once<ir::ProxyVersion>,
    timeouts: Once<ir::PeerTimeouts>,
}

/// `alpn h3`: HTTP/3 is not something Pingora 0.9 speaks, on either side.
pub(crate) fn http3_unsupported(span: Span) -> Diagnostic {
    Diagnostic::new(span, "HTTP/3 is not supported").label("no QUIC in Pingora 0.9").help(
        "the gateway speaks HTTP/1.1 and HTTP/2 (`h2`); put an HTTP/3 terminator in front of it if clients need h3",
    )
}
