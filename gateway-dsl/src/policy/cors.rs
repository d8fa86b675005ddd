//! `cors { origins ...; methods ...; headers ...; expose ...; credentials;
//! max_age D }`: preflights answered by the gateway, CORS fields on every
//! response of the route. Runtime: `gateway_runtime::policy::cors`.

use std::time::Duration;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Emit, Site};
use crate::ast::Directive;
use crate::check::args::Args;
use crate::check::{Checker, literal};
use crate::diagnostics::{Diagnostic, Span};
use crate::symbol;

#[derive(Debug, Clone, PartialEq)]
pub struct Cors {
    /// Serialized origins; empty for `*`.
    pub origins: Vec<String>,
    /// Upper case.
    pub methods: Vec<String>,
    /// Lower case; `["*"]` for any.
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub credentials: bool,
    pub max_age: Option<Duration>,
}

/// Methods allowed when the block names none: the CORS-safelisted ones.
pub const DEFAULT_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// The longest `max_age` a browser keeps (Firefox; Chromium keeps 2 hours).
const MAX_AGE: Duration = Duration::from_secs(86_400);

pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive) -> Option<Cors> {
    let block = ck.block(directive, "cors { origins https://app.example.com }")?;
    let mut cors = Cors {
        origins: Vec::new(),
        methods: DEFAULT_METHODS.iter().map(|method| method.to_string()).collect(),
        headers: Vec::new(),
        expose: Vec::new(),
        credentials: false,
        max_age: None,
    };
    let mut ok = true;
    let mut any_origin: Option<Span> = None;
    let mut credentials: Option<Span> = None;
    let mut any_header: Option<Span> = None;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for inner in &block.directives {
        ck.no_block(inner);
        let mut args = Args::new(ck.cx, inner);
        let name = inner.name.text.as_str();
        if symbol::CORS.contains(&name) && !ck.first_in_block(&mut seen, inner) {
            ok = false;
            continue;
        }
        match name {
            "origins" => loop {
                match args.text("an origin (`https://app.example.com`) or `*`") {
                    Some(("*", span)) => any_origin = Some(span),
                    Some((text, span)) => match origin(text) {
                        Ok(origin) => cors.origins.push(origin),
                        Err(message) => {
                            ck.cx.push(Diagnostic::new(span, message).label("not a serialized origin"));
                            ok = false;
                        }
                    },
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            },
            "methods" => {
                cors.methods.clear();
                loop {
                    match args.parse("a method", literal::method) {
                        Some((method, _)) => cors.methods.push(method),
                        None => ok = false,
                    }
                    if args.is_done() {
                        break;
                    }
                }
            }
            "headers" | "expose" => loop {
                match args.text("a header name") {
                    Some(("*", span)) if name == "headers" => {
                        any_header = Some(span);
                        cors.headers.push("*".to_string());
                    }
                    Some((text, span)) => match literal::header_name_to_match(text) {
                        Ok(header) => {
                            let target = if name == "headers" { &mut cors.headers } else { &mut cors.expose };
                            target.push(header.to_ascii_lowercase());
                        }
                        Err(message) => {
                            ck.cx.error(span, message);
                            ok = false;
                        }
                    },
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            },
            "credentials" => {
                credentials = Some(inner.head_span());
                cors.credentials = true;
            }
            "max_age" => match args.parse("a duration", literal::duration) {
                Some((age, span)) if age.subsec_nanos() != 0 || age > MAX_AGE => {
                    ck.cx.push(
                        Diagnostic::new(span, "`max_age` is whole seconds, at most 24h")
                            .label("out of range")
                            .note("browsers keep a preflight at most 24 hours (Firefox), 2 hours (Chromium)"),
                    );
                    ok = false;
                }
                Some((age, _)) => cors.max_age = Some(age),
                None => ok = false,
            },
            _ => {
                ck.unknown_directive(inner, "a `cors` block", symbol::CORS);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    if let Some(span) = any_origin
        && !cors.origins.is_empty()
    {
        ck.cx.push(
            Diagnostic::new(span, "`*` with other origins")
                .label("`*` already allows every origin")
                .help("keep `*` alone, or list the origins"),
        );
        ok = false;
    }
    if any_origin.is_none() && cors.origins.is_empty() && ok {
        ck.cx.push(
            Diagnostic::new(directive.head_span(), "`cors` without `origins` allows no one")
                .label("no `origins`")
                .help("add `origins https://app.example.com` (or `origins *` for a public API without credentials)"),
        );
        ok = false;
    }
    if let Some(credentials) = credentials {
        for (star, what) in [(any_origin, "origins"), (any_header, "headers")] {
            if let Some(span) = star {
                ck.cx.push(
                    Diagnostic::new(span, format!("`{what} *` with `credentials`"))
                        .label("not a wildcard when credentials are sent")
                        .note(format!(
                            "with credentials browsers take `*` literally, and answering every origin with \
                             credentials would let any site act as the user (`credentials` at line {})",
                            ck.line(credentials)
                        ))
                        .help(format!("list the {what} by name")),
                );
                ok = false;
            }
        }
    }
    ok.then_some(cors)
}

/// A serialized origin: `scheme://host[:port]`, no path, no trailing slash.
fn origin(text: &str) -> Result<String, String> {
    let problem = || {
        format!(
            "`{text}` is not an origin: write `scheme://host` or `scheme://host:port`, without a path or a trailing `/`"
        )
    };
    let (scheme, rest) = text.split_once("://").ok_or_else(problem)?;
    if !matches!(scheme, "http" | "https") {
        return Err(format!("`{text}`: an origin's scheme is `http` or `https`"));
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => (host, Some(port)),
        _ => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c))
        && !host.chars().any(|c| c.is_ascii_uppercase());
    let port_ok =
        port.is_none_or(|port| !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    if !host_ok || !port_ok {
        return Err(problem());
    }
    Ok(text.to_string())
}

impl Cors {
    /// The runtime's `Cors` as a constant expression.
    fn value(&self) -> TokenStream {
        let path = quote!(::gateway_runtime::policy::cors);
        let origins = if self.origins.is_empty() {
            quote!(#path::Origins::Any)
        } else {
            let origins = &self.origins;
            quote!(#path::Origins::List(&[#(#origins),*]))
        };
        let (methods, headers) = (&self.methods, &self.headers);
        let (allow_methods, allow_headers, expose_headers) =
            (self.methods.join(", "), self.headers.join(", "), self.expose.join(", "));
        let credentials = self.credentials;
        let max_age = match self.max_age {
            Some(age) => {
                let seconds = age.as_secs();
                quote!(::core::option::Option::Some(#seconds))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #path::Cors {
                origins: #origins,
                methods: &[#(#methods),*],
                headers: &[#(#headers),*],
                allow_methods: #allow_methods,
                allow_headers: #allow_headers,
                expose_headers: #expose_headers,
                credentials: #credentials,
                max_age: #max_age,
            }
        }
    }

    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let table = site.table();
        let value = self.value();
        // A refused preflight gets no CORS fields, not even the origin's.
        let pages = &site.pages;
        let refusal = quote!(::gateway_runtime::respond::refusal(session, refusal, #pages));
        Emit {
            statics: quote!(static #table: ::gateway_runtime::policy::cors::Cors = #value;),
            request: Site::answer(quote! {
                match #table.preflight(session) {
                    ::core::option::Option::Some(::core::result::Result::Ok(headers)) => {
                        ::core::option::Option::Some(::gateway_runtime::respond::preflight(session, headers))
                    }
                    ::core::option::Option::Some(::core::result::Result::Err(refusal)) => {
                        ::core::option::Option::Some(#refusal)
                    }
                    ::core::option::Option::None => ::core::option::Option::None,
                }
            }),
            response: quote!(#table.apply(session.req_header(), upstream_response)?;),
            ..Emit::default()
        }
    }

    /// The statement that adds the route's CORS fields to `refusal`, a
    /// response the gateway writes itself.
    pub(crate) fn decorate(site: &Site) -> TokenStream {
        let table = site.table();
        quote!(refusal.headers.extend(#table.response_headers(session.req_header()));)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert!(origin("https://app.example.com").is_ok());
        assert!(origin("http://127.0.0.1:8080").is_ok());
        assert!(origin("http://[::1]:8080").is_ok());
        assert!(origin("https://app.example.com/").is_err());
        assert!(origin("https://app.example.com/path").is_err());
        assert!(origin("app.example.com").is_err());
        assert!(origin("ftp://app.example.com").is_err());
        assert!(origin("https://App.example.com").is_err());
        assert!(origin("https://app.example.com:").is_err());
    }
}
