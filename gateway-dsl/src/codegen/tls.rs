//! The TLS edge of listeners: each `listen https` listener's
//! `gateway_runtime::tls::Listener` static, and the steps of
//! `request_filter` and `response_filter` it needs (`redirect_https`,
//! `strict_sni`'s 421, client certificate headers, HSTS).

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, format_ident, quote};

use crate::ir;

/// Adds listener `id` to the proxy service (in `Gateway::run`).
pub(super) fn add_listener(id: usize, listener: &ir::Listener) -> TokenStream {
    let addr = listener.addr.to_string();
    let Some(tls) = &listener.tls else { return quote!(proxy.add_tcp(#addr);) };
    let name = format_ident!("TLS_LISTENER_{}", id);
    let certificates = tls.certificates.iter().map(|certificate| {
        let cert = certificate.cert.display().to_string();
        let key = certificate.key.display().to_string();
        let names = &certificate.names;
        let ocsp = super::optional(certificate.ocsp.as_ref().map(|path| {
            let path = path.display().to_string();
            quote!(#path)
        }));
        quote!(::gateway_runtime::tls::Certificate { cert: #cert, key: #key, names: &[#(#names),*], ocsp: #ocsp })
    });
    let alpn = match tls.alpn {
        ir::Alpn::Http1 => quote!(::gateway_runtime::server::Alpn::H1),
        ir::Alpn::H2 => quote!(::gateway_runtime::server::Alpn::H2),
        ir::Alpn::H2Http1 => quote!(::gateway_runtime::server::Alpn::H2H1),
    };
    let version = |version: ir::TlsVersion| match version {
        ir::TlsVersion::Tls12 => quote!(::gateway_runtime::tls::Version::Tls12),
        ir::TlsVersion::Tls13 => quote!(::gateway_runtime::tls::Version::Tls13),
    };
    let (min_version, max_version) = (version(tls.min_version), version(tls.max_version));
    let ciphers = &tls.ciphers;
    let groups = super::optional(tls.groups.as_ref().map(|groups| quote!(#groups)));
    let session_tickets = tls.session_tickets;
    let client = super::optional(tls.client.as_ref().map(|client| {
        let ca = client.ca.display().to_string();
        let required = client.required;
        let depth = super::optional(client.depth.map(|depth| Literal::u32_unsuffixed(depth).into_token_stream()));
        quote!(::gateway_runtime::tls::ClientAuth { ca: #ca, required: #required, depth: #depth })
    }));
    let hsts = super::optional(tls.hsts.as_ref().map(|hsts| quote!(#hsts)));
    let strict_sni = tls.strict_sni;
    quote! {
        static #name: ::gateway_runtime::tls::Listener = ::gateway_runtime::tls::Listener {
            addr: #addr,
            certificates: &[#(#certificates),*],
            alpn: #alpn,
            min_version: #min_version,
            max_version: #max_version,
            ciphers: #ciphers,
            groups: #groups,
            session_tickets: #session_tickets,
            client: #client,
            hsts: #hsts,
            strict_sni: #strict_sni,
        };
        ::gateway_runtime::tls::add(&mut proxy, &#name)?;
    }
}

/// Whether a listener redirects to HTTPS (then requests look up their listener).
pub(super) fn redirects(gateway: &ir::Gateway) -> bool {
    gateway.listeners.iter().any(|listener| listener.redirect_https.is_some())
}

/// `REDIRECT_HTTPS`: per listener, its `redirect_https`.
pub(super) fn statics(gateway: &ir::Gateway) -> TokenStream {
    if !redirects(gateway) {
        return TokenStream::new();
    }
    let count = gateway.listeners.len();
    let entries = gateway.listeners.iter().map(|listener| {
        super::optional(listener.redirect_https.map(|redirect| {
            let port = redirect.port.unwrap_or(443);
            quote!(::gateway_runtime::tls::RedirectHttps { port: #port })
        }))
    });
    quote! {
        static REDIRECT_HTTPS: [::core::option::Option<::gateway_runtime::tls::RedirectHttps>; #count] = [#(#entries),*];
    }
}

/// The steps of `request_filter` before routing (`listener` is the
/// request's listener): `redirect_https`, `strict_sni`, client certificate
/// headers.
pub(super) fn request(gateway: &ir::Gateway, outcome: &TokenStream) -> TokenStream {
    let tls = || gateway.listeners.iter().filter_map(|listener| listener.tls.as_ref());
    let redirect = redirects(gateway).then(|| {
        quote! {
            if let ::core::option::Option::Some(location) = REDIRECT_HTTPS
                .get(listener)
                .copied()
                .flatten()
                .and_then(|redirect| redirect.location(session.req_header()))
            {
                return ::gateway_runtime::respond::redirect_to(session, 308, location).await;
            }
        }
    });
    let strict = tls().any(|tls| tls.strict_sni).then(|| {
        quote! {
            if ::gateway_runtime::tls::misdirected(session) {
                #outcome
                return ::gateway_runtime::respond::error(session, 421, &ERROR_PAGES).await;
            }
        }
    });
    let client =
        tls().any(|tls| tls.client.is_some()).then(|| quote!(::gateway_runtime::tls::forward_client_cert(session);));
    quote!(#redirect #strict #client)
}

/// The step of `response_filter` that adds HSTS, when a listener has it.
pub(super) fn response(gateway: &ir::Gateway) -> TokenStream {
    let hsts = gateway.listeners.iter().filter_map(|listener| listener.tls.as_ref()).any(|tls| tls.hsts.is_some());
    if !hsts {
        return TokenStream::new();
    }
    quote!(::gateway_runtime::tls::add_hsts(session, upstream_response);)
}

/// `PROXY_PROTOCOL` (the listeners with `proxy_protocol`, the trusted
/// proxies, the timeout) and the `Settings` field that names it.
pub(super) fn proxy_protocol(gateway: &ir::Gateway) -> (TokenStream, TokenStream) {
    let listeners: Vec<&ir::Listener> =
        gateway.listeners.iter().filter(|listener| listener.proxy_protocol.is_some()).collect();
    let (false, Some(real_ip)) = (listeners.is_empty(), &gateway.server.real_ip) else {
        return (TokenStream::new(), quote!(::core::option::Option::None));
    };
    let entries = listeners.iter().map(|listener| {
        let addr = super::service::socket_addr(listener.addr);
        let timeout = super::duration(listener.proxy_protocol.unwrap_or_default());
        quote!((#addr, #timeout))
    });
    let trusted = real_ip.trusted.iter().map(|cidr| super::cidr(*cidr));
    let statics = quote! {
        static PROXY_PROTOCOL: ::gateway_runtime::proxy_protocol::ProxyProtocol =
            ::gateway_runtime::proxy_protocol::ProxyProtocol {
                listeners: &[#(#entries),*],
                trusted: &[#(#trusted),*],
            };
    };
    (statics, quote!(::core::option::Option::Some(&PROXY_PROTOCOL)))
}
