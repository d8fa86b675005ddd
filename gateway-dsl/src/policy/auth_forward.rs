//! `auth forward URL { copy_request ...; copy_response ...; timeout D }`:
//! an auth service decides; 2xx lets the request through with the named
//! headers of its answer, any other answer goes back to the client, a
//! service that fails or is late gives 503. Runtime:
//! `gateway_runtime::policy::auth_forward`.

use std::time::Duration;

use quote::quote;

use super::{Emit, Site};
use crate::ast::Directive;
use crate::check::args::Args;
use crate::check::{Checker, Once, literal};
use crate::diagnostics::Diagnostic;
use crate::symbol;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthForward {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// Path and query.
    pub path: String,
    pub copy_request: Vec<String>,
    pub copy_response: Vec<String>,
    pub timeout: Duration,
    pub location: String,
}

/// Headers sent to the auth service when the block names none: what
/// carries credentials.
pub const DEFAULT_COPY_REQUEST: [&str; 2] = ["Authorization", "Cookie"];
/// The timeout when the block names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) fn lower(
    ck: &Checker<'_>,
    directive: &Directive,
    args: &mut Args<'_>,
    location: String,
) -> Option<AuthForward> {
    let url = args.parse("the auth service's URL, as `http://127.0.0.1:9000/verify`", url);
    let mut copy_request = Once::new();
    let mut copy_response = Once::new();
    let mut timeout = Once::new();
    let mut ok = true;
    for inner in directive.block.iter().flat_map(|block| &block.directives) {
        ck.no_block(inner);
        let mut inner_args = Args::new(ck.cx, inner);
        match inner.name.text.as_str() {
            "copy_request" | "copy_response" => {
                let mut names = Vec::new();
                loop {
                    match inner_args.parse("a header name", literal::header_name) {
                        Some((name, _)) => names.push(name),
                        None => ok = false,
                    }
                    if inner_args.is_done() {
                        break;
                    }
                }
                let target = if inner.name.text == "copy_request" { &mut copy_request } else { &mut copy_response };
                target.set(ck, inner, Some(names));
            }
            "timeout" => {
                let value = inner_args.parse("a duration", literal::duration).and_then(|(value, span)| {
                    if value.is_zero() {
                        ck.cx.push(Diagnostic::new(span, "a timeout of 0 would refuse every request").label("zero"));
                        return None;
                    }
                    Some(value)
                });
                ok &= value.is_some();
                timeout.set(ck, inner, value);
            }
            _ => {
                ck.unknown_directive(inner, "an `auth forward` block", symbol::AUTH_FORWARD);
                ok = false;
                continue;
            }
        }
        inner_args.finish();
    }
    let ((tls, host, port, path), _) = url?;
    ok.then(|| AuthForward {
        tls,
        host,
        port,
        path,
        copy_request: copy_request
            .get()
            .unwrap_or_else(|| DEFAULT_COPY_REQUEST.iter().map(|name| name.to_string()).collect()),
        copy_response: copy_response.get().unwrap_or_default(),
        timeout: timeout.get().unwrap_or(DEFAULT_TIMEOUT),
        location,
    })
}

/// `http(s)://host[:port][/path[?query]]`: TLS, host, port, path and query.
fn url(text: &str) -> Result<(bool, String, u16, String), String> {
    let (tls, rest) = if let Some(rest) = text.strip_prefix("http://") {
        (false, rest)
    } else if let Some(rest) = text.strip_prefix("https://") {
        (true, rest)
    } else {
        return Err(format!("`{text}` is not an `http://` or `https://` URL"));
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(index) => (&rest[..index], &rest[index..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') { format!("/{path}") } else { path.to_string() };
    if authority.contains('@') {
        return Err("credentials in the URL would be compiled into the binary".to_string());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            let port = port.parse::<u16>().ok().filter(|port| *port > 0).ok_or(format!("invalid port `{port}`"))?;
            (host, port)
        }
        _ => (authority, if tls { 443 } else { 80 }),
    };
    let valid_host = !host.is_empty()
        && (host.starts_with('[') && host.ends_with(']')
            || host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'));
    if !valid_host {
        return Err(format!("invalid host `{host}`"));
    }
    if path.bytes().any(|byte| byte <= b' ' || byte == 0x7f || byte == b'#') {
        return Err("the path cannot hold spaces, control characters or a fragment".to_string());
    }
    Ok((tls, host.to_string(), port, path))
}

impl AuthForward {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let (tls, host, port, path, location) = (self.tls, &self.host, self.port, &self.path, &self.location);
        let (copy_request, copy_response) = (&self.copy_request, &self.copy_response);
        let timeout = crate::codegen::duration(self.timeout);
        let refusal = site.refusal();
        let trace = &site.trace;
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::auth_forward::ForwardAuth),
                quote!(::gateway_runtime::policy::auth_forward::ForwardAuth::load(
                    ::gateway_runtime::policy::auth_forward::Config {
                        tls: #tls,
                        host: #host,
                        port: #port,
                        path: #path,
                        copy_request: &[#(#copy_request),*],
                        copy_response: &[#(#copy_response),*],
                        timeout: #timeout,
                        location: #location,
                    }
                )?),
            )),
            // Boxed: the exchange with the auth service is a large future.
            request: Site::answer(quote! {
                match ::std::boxed::Box::pin(self.#field.check(session, ctx.client_ip, #trace)).await {
                    ::core::result::Result::Ok(()) => ::core::option::Option::None,
                    ::core::result::Result::Err(::gateway_runtime::policy::auth_forward::Denial::Answer(header, body)) => {
                        ::core::option::Option::Some(::gateway_runtime::respond::answer(session, header, body))
                    }
                    ::core::result::Result::Err(::gateway_runtime::policy::auth_forward::Denial::Refused(refusal)) => {
                        ::core::option::Option::Some(#refusal)
                    }
                }
            }),
            ..Emit::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_into_scheme_host_port_and_path() {
        assert_eq!(url("http://127.0.0.1:9000/verify"), Ok((false, "127.0.0.1".into(), 9000, "/verify".into())));
        assert_eq!(url("https://auth.example.com"), Ok((true, "auth.example.com".into(), 443, "/".into())));
        assert_eq!(url("http://[::1]:81/a?b=c"), Ok((false, "[::1]".into(), 81, "/a?b=c".into())));
        assert_eq!(url("http://auth?x=1"), Ok((false, "auth".into(), 80, "/?x=1".into())));
        assert!(url("ftp://auth/").is_err());
        assert!(url("http://user:pw@auth/").is_err());
        assert!(url("http://auth:0/").is_err());
        assert!(url("http://au th/").is_err());
        assert!(url("http://auth/a b").is_err());
    }
}
