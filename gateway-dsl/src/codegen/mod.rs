//! Code generation: `ir::Gateway` → Rust items, through `quote`.
//!
//! Reads only the IR and reports nothing: every user error was found by
//! `check`. The output names `::gateway_runtime` for everything it calls and
//! keeps its helper items in a private module, so that the calling module
//! only gains `Gateway`.
//!
//! What it emits, for one `.gw` file:
//! - `struct Gateway`, with a typed field per upstream, limiter and secret;
//! - the policies' tables and statements (`policies`, from `crate::policy`);
//! - `enum Route`, one variant per route, and `static ROUTER`, the routing
//!   decision as tables;
//! - `struct Ctx`, the per-request context, holding only what the file needs;
//! - `impl ProxyHttp for Gateway`, with only the hooks the file needs;
//! - `Gateway::serve()` and `Gateway::run(opt)`, which build and run the server.

mod filters;
mod policies;
mod router;
mod service;
mod tls;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir;

/// The items a `.gw` file compiles to.
pub fn generate(gateway: &ir::Gateway) -> TokenStream {
    let source_path = gateway.source_path.display().to_string();
    let doc = format!(" The gateway compiled from `{}`.", gateway.display_path);
    let fields = service::fields(gateway);
    let router = router::router(gateway);
    let ctx = filters::ctx(gateway);
    let matching = filters::matching(gateway);
    let proxy = filters::proxy_impl(gateway);
    let serve = service::serve(gateway);
    let configs = service::configs(gateway);
    let tables = filters::tables(gateway);
    // The files the check read: a certificate replaced by a broken one must
    // fail the next build, not keep a binary checked against the old one.
    // (`const _` items are never used: nothing is embedded in the binary.)
    let files = gateway.files.iter().map(|path| {
        let path = path.display().to_string();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        )
    });
    quote! {
        // Makes rustc rebuild this crate when the `.gw` file changes.
        const _: &str = ::core::include_str!(#source_path);
        // ... and when a file it names changes.
        #(#files)*

        pub use __gw_gateway::Gateway;

        #[doc(hidden)]
        #[allow(
            // Route variants are numbered, not named.
            non_camel_case_types,
            // A route's match arm may be the only one, or empty.
            clippy::match_single_binding,
            clippy::single_match,
            // Generated signatures follow Pingora's, not clippy's taste.
            clippy::needless_lifetimes,
            unused_variables,
        )]
        mod __gw_gateway {
            #[doc = #doc]
            pub struct Gateway {
                #fields
            }

            #router
            #ctx
            #configs
            #tables
            #matching
            #proxy
            #serve
        }
    }
}

/// The stand-in emitted when a file has errors, so that the only errors the
/// user sees are the file's, not "cannot find `Gateway`".
pub fn skeleton(source_path: Option<&str>) -> TokenStream {
    let include = source_path.map(|path| {
        quote!(
            const _: &str = ::core::include_str!(#path);
        )
    });
    quote! {
        #include
        /// Stand-in for a gateway whose `.gw` file has errors.
        pub struct Gateway;
        impl Gateway {
            pub fn new() -> ::core::result::Result<Gateway, ::std::boxed::Box<dyn ::std::error::Error>> {
                ::core::result::Result::Ok(Gateway)
            }
            pub fn serve() -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
                ::core::result::Result::Ok(())
            }
            pub fn run<O>(_opt: O) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
                ::core::result::Result::Ok(())
            }
        }
    }
}

pub(crate) fn route_variant(route_id: ir::RouteId) -> Ident {
    format_ident!("R{}", route_id)
}

fn upstream_field(gateway: &ir::Gateway, upstream_id: ir::UpstreamId) -> Ident {
    let name: String = gateway.upstreams[upstream_id]
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format_ident!("upstream_{}_{}", upstream_id, name)
}

/// `Some(value)` or `None`, as an expression.
pub(crate) fn optional(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn duration(value: std::time::Duration) -> TokenStream {
    let millis = Literal::u64_unsuffixed(value.as_millis() as u64);
    quote!(::core::time::Duration::from_millis(#millis))
}

/// A range as a constant expression.
pub(crate) fn cidr(cidr: gateway_http::cidr::Cidr) -> TokenStream {
    let path = quote!(::gateway_runtime::client_ip::Cidr);
    if cidr == gateway_http::cidr::Cidr::ALL {
        return quote!(#path::ALL);
    }
    match cidr.parts() {
        (std::net::IpAddr::V4(ip), prefix) => {
            let octets = ip.octets();
            quote!(#path::v4([#(#octets),*], #prefix))
        }
        (std::net::IpAddr::V6(ip), prefix) => {
            let segments = ip.segments();
            quote!(#path::v6([#(#segments),*], #prefix))
        }
    }
}

/// Percent-encodes a query name or value: everything but unreserved characters.
pub(crate) fn encode_query_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn has_cache(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(|route| route.cache.is_some())
}
