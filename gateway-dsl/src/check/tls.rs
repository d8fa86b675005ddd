//! The edge of a listener: `listen https ADDR { ... }` (certificates chosen
//! by SNI, TLS policy, client certificates, HSTS, the SNI/Host agreement)
//! and `listen http ADDR { redirect_https }`. Runtime: `gateway_runtime::tls`.

use std::time::Duration;

use openssl::nid::Nid;
use openssl::ssl::{SslContext, SslMethod};
use openssl::x509::X509;

use super::args::Args;
use super::{Checker, Lowered, Once, files};
use crate::ast::{Block, Directive};
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

/// The TLS 1.2 cipher suites when `ciphers` is not given: Mozilla's
/// "intermediate" profile (guideline 6.0: ECDHE only, no DHE).
pub const DEFAULT_CIPHERS: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// How long a PROXY header may take to arrive, by default.
pub const DEFAULT_PROXY_PROTOCOL_TIMEOUT: Duration = Duration::from_secs(5);

/// The least `max_age` of `hsts ... preload` (hstspreload.org's rule).
const PRELOAD_MIN_AGE: Duration = Duration::from_secs(31_536_000);

impl Checker<'_> {
    /// The block of `listen https`, and its `proxy_protocol`.
    pub(super) fn lower_tls(&self, directive: &Directive, block: &Block) -> Option<(ir::Tls, Option<Duration>)> {
        let mut certs: Vec<(String, Span)> = Vec::new();
        // `ocsp FILE` belongs to the `cert` before it.
        let mut staples: Vec<Option<std::path::PathBuf>> = Vec::new();
        let mut keys: Vec<(String, Span)> = Vec::new();
        let mut alpn = Once::new();
        let mut min_version = Once::new();
        let mut max_version = Once::new();
        let mut ciphers = Once::new();
        let mut groups = Once::new();
        let mut session_tickets = Once::new();
        let mut client_ca = Once::new();
        let mut client_cert = Once::new();
        let mut verify_depth = Once::new();
        let mut hsts = Once::new();
        let mut strict_sni = Once::new();
        let mut proxy_protocol = Once::new();
        let mut ok = true;
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "cert" => match args.text("a certificate file") {
                    Some((text, span)) => {
                        certs.push((text.to_string(), span));
                        staples.push(None);
                    }
                    None => ok = false,
                },
                "ocsp" => match (args.text("an OCSP response file (DER)"), staples.last_mut()) {
                    (Some((text, span)), Some(staple @ None)) => match self.check_ocsp(text, span) {
                        Some(path) => *staple = Some(path),
                        None => ok = false,
                    },
                    (Some(_), Some(Some(_))) => {
                        self.cx.push(
                            Diagnostic::new(inner.head_span(), "a second `ocsp` for one certificate")
                                .label("the `cert` before it has one already"),
                        );
                        ok = false;
                    }
                    (Some(_), None) => {
                        self.cx.push(
                            Diagnostic::new(inner.head_span(), "`ocsp` before any `cert`")
                                .label("an OCSP response belongs to the `cert` written before it"),
                        );
                        ok = false;
                    }
                    (None, _) => ok = false,
                },
                "key" => match args.text("a private key file") {
                    Some((text, span)) => keys.push((text.to_string(), span)),
                    None => ok = false,
                },
                "alpn" => alpn.set(self, inner, super::lower_alpn(&mut args)),
                "min_version" => min_version.set(self, inner, version(&mut args)),
                "max_version" => max_version.set(self, inner, version(&mut args)),
                "ciphers" => ciphers.set(self, inner, self.openssl_list(&mut args, "cipher", check_cipher)),
                "groups" => groups.set(self, inner, self.openssl_list(&mut args, "group", check_group)),
                "session_tickets" => session_tickets.set(self, inner, on_off(&mut args)),
                "client_ca" => {
                    let ca = args.text("a CA certificate file").and_then(|(text, span)| {
                        let path = files::resolve(self.base_dir, text);
                        files::check_certificates(self, &path, text, span).map(|()| path)
                    });
                    client_ca.set(self, inner, ca);
                }
                "client_cert" => {
                    let mode = args.keyword("`required` or `optional`", &["required", "optional"]);
                    client_cert.set(self, inner, mode.map(|(mode, _)| mode == "required"));
                }
                "verify_depth" => verify_depth.set(
                    self,
                    inner,
                    args.parse("a depth (1 to 10)", |text| super::literal::count(text, 10)).map(|(n, _)| n as u32),
                ),
                "hsts" => hsts.set(self, inner, self.lower_hsts(&mut args)),
                "strict_sni" => strict_sni.set(self, inner, on_off(&mut args)),
                "proxy_protocol" => proxy_protocol.set(self, inner, self.lower_proxy_protocol(&mut args)),
                _ => {
                    self.unknown_directive(inner, "a `listen https` block", symbol::TLS);
                    continue;
                }
            }
            args.finish();
        }
        for (list, name) in [(&certs, "cert"), (&keys, "key")] {
            if list.is_empty() && ok {
                self.cx.push(
                    Diagnostic::new(directive.head_span(), format!("`listen https` needs a `{name}` file"))
                        .label(format!("no `{name}` in this block")),
                );
                ok = false;
            }
        }
        if certs.len() != keys.len() && ok {
            let (extra, what, other) = if certs.len() > keys.len() {
                (certs[keys.len()].1, "a `cert` without its `key`", "key")
            } else {
                (keys[certs.len()].1, "a `key` without its `cert`", "cert")
            };
            self.cx.push(
                Diagnostic::new(extra, what)
                    .label(format!("no `{other}` pairs with this one"))
                    .note("`cert` and `key` pair up in order: the first `cert` with the first `key`, ...")
                    .help("give each certificate its key: `cert a.crt  key a.key  cert b.crt  key b.key`"),
            );
            ok = false;
        }
        let mut certificates: Vec<ir::Certificate> = Vec::new();
        let mut claimed: Vec<(String, Span)> = Vec::new();
        for (((cert_text, cert_span), (key_text, key_span)), ocsp) in certs.iter().zip(&keys).zip(staples) {
            let cert = files::resolve(self.base_dir, cert_text);
            let key = files::resolve(self.base_dir, key_text);
            let Some(leaf) =
                files::check_cert_and_key(self, (&cert, cert_text, *cert_span), (&key, key_text, *key_span))
            else {
                ok = false;
                continue;
            };
            let names = names(&leaf);
            let mut taken: Vec<(&str, Span)> = Vec::new();
            for name in &names {
                match claimed.iter().find(|(known, _)| known == name) {
                    Some((_, first)) => taken.push((name, *first)),
                    None => claimed.push((name.clone(), *cert_span)),
                }
            }
            if let Some((_, first)) = taken.first() {
                let listed: Vec<String> = taken.iter().map(|(name, _)| format!("`{name}`")).collect();
                self.cx.push(
                    Diagnostic::new(*cert_span, format!("two certificates claim {}", listed.join(", ")))
                        .label("this one")
                        .note(format!("the certificate at line {} names it too", self.line(*first)))
                        .help("a name is served by one certificate: remove it from one of them"),
                );
                ok = false;
            }
            certificates.push(ir::Certificate { cert, key, names, ocsp, span: *cert_span });
        }
        let (min, max) = (min_version.get().unwrap_or(ir::TlsVersion::Tls12), max_version.value().copied());
        if let (Some(max_value), Some(span)) = (max, max_version.span())
            && max_value < min
        {
            self.cx.push(
                Diagnostic::new(span, "`max_version` is below `min_version`")
                    .label("no version would be left")
                    .help("TLS 1.2 and 1.3 are both allowed by default: remove one of them"),
            );
            ok = false;
        }
        let client = match (client_ca.get(), client_cert.value().copied(), client_cert.span()) {
            (Some(ca), required, _) => {
                Some(ir::ClientAuth { ca, required: required.unwrap_or(true), depth: verify_depth.value().copied() })
            }
            (None, Some(_), Some(span)) => {
                self.cx.push(
                    Diagnostic::new(span, "`client_cert` needs a `client_ca`")
                        .label("client certificates verified against what?")
                        .help("add `client_ca \"clients-ca.crt\"`: the CA(s) that sign client certificates"),
                );
                ok = false;
                None
            }
            _ => None,
        };
        if let (None, Some(span), None) = (&client, verify_depth.span(), client_cert.span()) {
            self.cx.push(
                Diagnostic::new(span, "`verify_depth` without `client_ca`")
                    .label("there are no client certificates to verify"),
            );
            ok = false;
        }
        let tls = ir::Tls {
            certificates,
            alpn: alpn.get().unwrap_or(ir::Alpn::H2Http1),
            min_version: min,
            max_version: max.unwrap_or(ir::TlsVersion::Tls13),
            ciphers: ciphers.get().unwrap_or_else(|| DEFAULT_CIPHERS.to_string()),
            groups: groups.get(),
            session_tickets: session_tickets.get().unwrap_or(true),
            client,
            hsts: hsts.get(),
            strict_sni: strict_sni.get().unwrap_or(true),
        };
        ok.then_some((tls, proxy_protocol.get()))
    }

    /// `proxy_protocol [timeout D]`: the time the header may take.
    fn lower_proxy_protocol(&self, args: &mut Args<'_>) -> Option<Duration> {
        if args.is_done() {
            return Some(DEFAULT_PROXY_PROTOCOL_TIMEOUT);
        }
        args.keyword("`timeout`", &["timeout"])?;
        match args.parse("a duration", super::literal::duration)? {
            (timeout, span) if timeout < Duration::from_millis(100) || timeout > Duration::from_secs(60) => {
                self.cx.push(
                    Diagnostic::new(span, "the PROXY header's timeout is between 100ms and 60s")
                        .label("how long a new connection may take to send its PROXY header")
                        .help("at least 3s covers a lost packet: the default is `timeout 5s`"),
                );
                None
            }
            (timeout, _) => Some(timeout),
        }
    }

    /// A route's `client_cert` needs a listener it is served on that asks
    /// for client certificates (`client_ca`): elsewhere it refuses all.
    pub(super) fn check_client_cert_routes(&self, lowered: &Lowered) {
        let policies = self.policies.borrow();
        let mut reported = Vec::new();
        for route in lowered.routes.iter().map(|route| &route.route) {
            let asks = lowered.listeners.iter().enumerate().any(|(id, (listener, _))| {
                (route.conditions.listeners.is_empty() || route.conditions.listeners.contains(&id))
                    && listener.tls.as_ref().is_some_and(|tls| tls.client.is_some())
            });
            if asks {
                continue;
            }
            for id in &route.policies {
                let instance = &policies[*id];
                if matches!(instance.policy, ir::Policy::ClientCert(_)) && !reported.contains(id) {
                    reported.push(*id);
                    self.cx.push(
                        Diagnostic::new(instance.span, "`client_cert` on a route no listener asks client certificates for")
                            .label("every request here would get 403")
                            .help("give a listener this route is served on `client_ca FILE`, or bind the route to one with `on`"),
                    );
                }
            }
        }
    }

    /// `proxy_protocol` is accepted only from `trusted_proxies`: without
    /// them anyone could choose its address.
    pub(super) fn check_proxy_protocol(&self, lowered: &Lowered) {
        if lowered.server.real_ip.is_some() {
            return;
        }
        for (listener, span) in &lowered.listeners {
            if listener.proxy_protocol.is_some() {
                self.cx.push(
                    Diagnostic::new(*span, "`proxy_protocol` needs `trusted_proxies`")
                        .label("PROXY headers accepted from whom?")
                        .note("the header says who the client is; from anyone else, it would let a client choose its address")
                        .help("add `trusted_proxies CIDR...` to `server` with the load balancers' addresses"),
                );
            }
        }
    }

    /// `ocsp FILE`: a DER OCSP response whose status is `successful`.
    fn check_ocsp(&self, written: &str, span: Span) -> Option<std::path::PathBuf> {
        let path = files::resolve(self.base_dir, written);
        let bytes = files::read(self, &path, written, span, "OCSP response")?;
        let response = openssl::ocsp::OcspResponse::from_der(&bytes).ok();
        let good = response.as_ref().is_some_and(|response| {
            response.status() == openssl::ocsp::OcspResponseStatus::SUCCESSFUL && response.basic().is_ok()
        });
        if !good {
            self.cx.push(
                Diagnostic::new(span, format!("`{written}` is not a successful OCSP response"))
                    .label("expected a DER OCSP response, as `openssl ocsp -respout` writes")
                    .help("fetch it from the CA's responder: `openssl ocsp -issuer ca.crt -cert server.crt -url URL -respout FILE`"),
            );
            return None;
        }
        Some(path)
    }

    /// `hsts max_age D [include_subdomains] [preload]`: the header's value.
    fn lower_hsts(&self, args: &mut Args<'_>) -> Option<String> {
        args.keyword("`max_age`", &["max_age"])?;
        let (age, _) = args.parse("a duration such as `730d`", super::literal::duration)?;
        let mut value = format!("max-age={}", age.as_secs());
        let (mut subdomains, mut preload) = (false, None);
        while !args.is_done() {
            match args.keyword("`include_subdomains` or `preload`", &["include_subdomains", "preload"])? {
                ("include_subdomains", _) => subdomains = true,
                (_, span) => preload = Some(span),
            }
        }
        if subdomains {
            value.push_str("; includeSubDomains");
        }
        if let Some(span) = preload {
            if age < PRELOAD_MIN_AGE || !subdomains {
                self.cx.push(
                    Diagnostic::new(span, "`preload` needs `max_age` of a year or more and `include_subdomains`")
                        .label("browsers' preload lists refuse this")
                        .note(format!("max_age is {}s here", age.as_secs()))
                        .help("`hsts max_age 730d include_subdomains preload`"),
                );
                return None;
            }
            value.push_str("; preload");
        }
        Some(value)
    }

    /// A list of OpenSSL names (ciphers, groups), each checked against the
    /// OpenSSL the gateway is built with; joined with `:`.
    fn openssl_list(&self, args: &mut Args<'_>, what: &str, check: fn(&str) -> bool) -> Option<String> {
        let mut names = Vec::new();
        let mut ok = true;
        while !args.is_done() || names.is_empty() {
            let (name, span) = args.text(&format!("a {what} name"))?;
            for part in name.split(':').filter(|part| !part.is_empty()) {
                if check(part) {
                    names.push(part.to_string());
                } else {
                    self.cx.push(
                        Diagnostic::new(span, format!("OpenSSL knows no {what} `{part}`"))
                            .label(format!("not a {what} name"))
                            .help(match what {
                                "cipher" => {
                                    "TLS 1.2 suites by OpenSSL name, e.g. `ECDHE-ECDSA-AES128-GCM-SHA256` \
                                             (TLS 1.3 suites are always OpenSSL's)"
                                }
                                _ => "e.g. `X25519 P-256 P-384`",
                            }),
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| names.join(":"))
    }

    /// `listen http ADDR { redirect_https [PORT]; proxy_protocol }`.
    pub(super) fn lower_listen_http(
        &self,
        directive: &Directive,
    ) -> Option<(Option<ir::RedirectHttps>, Option<Duration>)> {
        let mut redirect = Once::new();
        let mut proxy_protocol = Once::new();
        let mut ok = true;
        for inner in directive.block.iter().flat_map(|block| &block.directives) {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "redirect_https" => {
                    let port = if args.is_done() {
                        Some(None)
                    } else {
                        args.parse("a port", |text| match text.parse::<u16>() {
                            Ok(port) if port > 0 => Ok(port),
                            _ => Err(format!("`{text}` is not a port (1 to 65535)")),
                        })
                        .map(|(port, _)| Some(port))
                    };
                    match port {
                        Some(port) => redirect.set(self, inner, Some(ir::RedirectHttps { port })),
                        None => ok = false,
                    }
                }
                "proxy_protocol" => proxy_protocol.set(self, inner, self.lower_proxy_protocol(&mut args)),
                "hsts" => {
                    self.cx.push(
                        Diagnostic::new(inner.head_span(), "`hsts` on a plain HTTP listener")
                            .label("browsers ignore it here (RFC 6797 §8.1)")
                            .help("give it to the `listen https` block, and `redirect_https` to this one"),
                    );
                    ok = false;
                    continue;
                }
                _ => {
                    self.unknown_directive(inner, "a `listen http` block", symbol::LISTEN_HTTP);
                    ok = false;
                    continue;
                }
            }
            args.finish();
        }
        ok.then(|| (redirect.get(), proxy_protocol.get()))
    }

    /// Every certificate of a listener covers a host some route served there
    /// asks for, unless a route there takes any host.
    pub(super) fn check_certificate_hosts(&self, lowered: &Lowered) {
        for (id, (listener, _)) in lowered.listeners.iter().enumerate() {
            let Some(tls) = &listener.tls else { continue };
            let routes: Vec<&ir::Route> = lowered
                .routes
                .iter()
                .map(|route| &route.route)
                .filter(|route| route.conditions.listeners.is_empty() || route.conditions.listeners.contains(&id))
                .collect();
            if routes.is_empty() || routes.iter().any(|route| route.hosts.is_empty()) {
                continue;
            }
            for certificate in &tls.certificates {
                let covers = routes
                    .iter()
                    .flat_map(|route| &route.hosts)
                    .any(|host| certificate.names.iter().any(|name| covers(name, host)));
                if !covers {
                    let hosts: Vec<String> = routes.iter().flat_map(|route| &route.hosts).map(host_text).collect();
                    self.cx.push(
                        Diagnostic::new(certificate.span, "this certificate covers no host routed on its listener")
                            .label(format!("for {}", certificate.names.join(", ")))
                            .note(format!("the routes here serve {}", hosts.join(", ")))
                            .help("give the listener the certificate of those hosts, or route its hosts"),
                    );
                }
            }
        }
    }
}

/// The names a certificate is for: its DNS SANs, or its CN without any.
fn names(certificate: &X509) -> Vec<String> {
    let mut names: Vec<String> = certificate
        .subject_alt_names()
        .map(|sans| sans.iter().filter_map(|san| san.dnsname().map(str::to_ascii_lowercase)).collect())
        .unwrap_or_default();
    if names.is_empty() {
        names.extend(
            certificate
                .subject_name()
                .entries_by_nid(Nid::COMMONNAME)
                .filter_map(|entry| entry.data().to_string().ok().map(|cn| cn.to_ascii_lowercase())),
        );
    }
    names.dedup();
    names
}

/// Whether a certificate name (`api.example.com`, `*.example.com`) covers a
/// route's host: a wildcard covers one label, and a wildcard route host only
/// the same wildcard.
fn covers(name: &str, host: &ir::HostPattern) -> bool {
    match host {
        ir::HostPattern::Exact(host) => {
            name == host
                || name.strip_prefix("*.").is_some_and(|parent| {
                    host.split_once('.').is_some_and(|(label, rest)| !label.is_empty() && rest == parent)
                })
        }
        ir::HostPattern::Wildcard(parent) => name.strip_prefix("*.") == Some(parent.as_str()),
    }
}

fn host_text(host: &ir::HostPattern) -> String {
    match host {
        ir::HostPattern::Exact(host) => format!("`{host}`"),
        ir::HostPattern::Wildcard(parent) => format!("`*.{parent}`"),
    }
}

fn version(args: &mut Args<'_>) -> Option<ir::TlsVersion> {
    let cx = args.cx();
    match args.keyword("a TLS version (`1.2` or `1.3`)", &["1.2", "1.3", "1.0", "1.1"])? {
        ("1.2", _) => Some(ir::TlsVersion::Tls12),
        ("1.3", _) => Some(ir::TlsVersion::Tls13),
        (old, span) => {
            cx.push(
                Diagnostic::new(span, format!("TLS {old} is deprecated (RFC 8996)"))
                    .label("browsers and current OpenSSL refuse it")
                    .help("`min_version 1.2` is the least"),
            );
            None
        }
    }
}

fn on_off(args: &mut Args<'_>) -> Option<bool> {
    args.keyword("`on` or `off`", &["on", "off"]).map(|(word, _)| word == "on")
}

fn check_cipher(name: &str) -> bool {
    SslContext::builder(SslMethod::tls()).is_ok_and(|mut builder| builder.set_cipher_list(name).is_ok())
}

fn check_group(name: &str) -> bool {
    SslContext::builder(SslMethod::tls()).is_ok_and(|mut builder| builder.set_groups_list(name).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_names_cover_one_label() {
        let exact = |host: &str| ir::HostPattern::Exact(host.to_string());
        assert!(covers("api.example.com", &exact("api.example.com")));
        assert!(covers("*.example.com", &exact("api.example.com")));
        assert!(!covers("*.example.com", &exact("example.com")));
        assert!(!covers("*.example.com", &exact("a.b.example.com")));
        assert!(covers("*.example.com", &ir::HostPattern::Wildcard("example.com".to_string())));
        assert!(!covers("api.example.com", &ir::HostPattern::Wildcard("example.com".to_string())));
        assert!(check_cipher("ECDHE-ECDSA-AES128-GCM-SHA256"));
        assert!(!check_cipher("NOT-A-CIPHER"));
        assert!(check_group("P-256"));
        assert!(!check_group("P-999"));
    }
}
