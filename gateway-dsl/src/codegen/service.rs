//! The `Gateway` struct's fields and the code that builds and runs the server.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{auth_field, duration, has_cache, limit_field, upstream_field};
use crate::ir;

pub(super) fn fields(gateway: &ir::Gateway) -> TokenStream {
    let upstreams = gateway.upstreams.iter().enumerate().map(|(upstream_id, upstream)| {
        let field = upstream_field(gateway, upstream_id);
        let doc = format!(" Upstream `{}`.", upstream.name);
        let ty = match upstream.balance {
            ir::Balance::RoundRobin => quote!(::gateway_runtime::lb::RoundRobinUpstream),
        };
        quote!(#[doc = #doc] #field: ::std::sync::Arc<#ty>,)
    });
    let limits =
        gateway.routes.iter().enumerate().filter(|(_, route)| route.limit.is_some()).map(|(route_id, route)| {
            let field = limit_field(route_id);
            let doc = format!(" `limit` of route `{}`.", route.label);
            quote!(#[doc = #doc] #field: ::gateway_runtime::limit::RateLimiter,)
        });
    let auths = gateway.routes.iter().enumerate().filter(|(_, route)| route.auth.is_some()).map(|(route_id, route)| {
        let field = auth_field(route_id);
        let doc = format!(" `auth` of route `{}`.", route.label);
        quote!(#[doc = #doc] #field: ::gateway_runtime::auth::BearerToken,)
    });
    let cache = has_cache(gateway).then(|| quote!(cache: &'static ::gateway_runtime::cache::CacheStore,));
    let metrics = gateway.admin.as_ref().map(|_| quote!(metrics: ::gateway_runtime::metrics::Metrics,));
    let regex_count = gateway.regexes.len();
    let regexes = (regex_count > 0).then(|| {
        quote!(#[doc = " Every regex of the file, compiled at start-up."] regexes: [::gateway_runtime::__private::Regex; #regex_count],)
    });
    let body_regex_count = gateway.body_regexes.len();
    let body_regexes = (body_regex_count > 0)
        .then(|| quote!(body_regexes: [::gateway_runtime::__private::BytesRegex; #body_regex_count],));
    quote! {
        #(#upstreams)*
        #(#limits)*
        #(#auths)*
        #cache
        #metrics
        #regexes
        #body_regexes
    }
}

pub(super) fn serve(gateway: &ir::Gateway) -> TokenStream {
    let server = &gateway.server;
    let threads = option(server.threads.map(Literal::usize_unsuffixed));
    let grace_period = option(server.grace_period_seconds.map(Literal::u64_unsuffixed));
    let shutdown_timeout = option(server.graceful_shutdown_timeout_seconds.map(Literal::u64_unsuffixed));

    let upstreams = gateway.upstreams.iter().enumerate().map(|(upstream_id, upstream)| {
        let field = upstream_field(gateway, upstream_id);
        let name = &upstream.name;
        let backends = upstream.backends.iter().map(|backend| {
            let addr = socket_addr(backend.addr);
            let weight = Literal::usize_unsuffixed(backend.weight);
            quote!((#addr, #weight))
        });
        quote!(#field: ::gateway_runtime::lb::round_robin(#name, &[#(#backends),*])?,)
    });
    let limits = gateway.routes.iter().enumerate().filter_map(|(route_id, route)| {
        let limit = route.limit.as_ref()?;
        let field = limit_field(route_id);
        let count = Literal::u64_unsuffixed(limit.count);
        let window = duration(limit.window);
        Some(quote!(#field: ::gateway_runtime::limit::RateLimiter::new(#count, #window),))
    });
    let auths = gateway.routes.iter().enumerate().filter_map(|(route_id, route)| {
        let ir::Auth::Bearer { token: ir::Secret::Env { name, location } } = route.auth.as_ref()?;
        let field = auth_field(route_id);
        Some(quote!(#field: ::gateway_runtime::auth::BearerToken::from_env(#name, #location)?,))
    });
    let cache = has_cache(gateway).then(|| {
        let size = Literal::u64_unsuffixed(server.cache_size);
        quote!(cache: ::gateway_runtime::cache::CacheStore::leak(#size),)
    });
    let metrics =
        gateway.admin.as_ref().map(|_| quote!(metrics: ::gateway_runtime::metrics::Metrics::new(&ROUTE_LABELS)?,));
    let regexes = (!gateway.regexes.is_empty()).then(|| {
        let patterns = &gateway.regexes;
        quote!(regexes: ::gateway_runtime::regexes::compile([#(#patterns),*])?,)
    });
    let body_regexes = (!gateway.body_regexes.is_empty()).then(|| {
        let patterns = &gateway.body_regexes;
        quote!(body_regexes: ::gateway_runtime::regexes::compile_bytes([#(#patterns),*])?,)
    });

    let listeners = gateway.listeners.iter().map(|listener| {
        let addr = listener.addr.to_string();
        match &listener.tls {
            None => quote!(proxy.add_tcp(#addr);),
            Some(tls) => {
                let cert = tls.cert.display().to_string();
                let key = tls.key.display().to_string();
                let alpn = match tls.alpn {
                    ir::Alpn::Http1 => quote!(::gateway_runtime::server::Alpn::H1),
                    ir::Alpn::H2 => quote!(::gateway_runtime::server::Alpn::H2),
                    ir::Alpn::H2Http1 => quote!(::gateway_runtime::server::Alpn::H2H1),
                };
                quote!(::gateway_runtime::server::add_tls(&mut proxy, #addr, #cert, #key, #alpn)?;)
            }
        }
    });
    let admin = gateway.admin.as_ref().map(|admin| {
        let addr = admin.addr.to_string();
        quote!(, ::gateway_runtime::admin::service(#addr))
    });
    let display_path = &gateway.display_path;

    quote! {
        impl Gateway {
            /// Reads the command line (`-c FILE`, `-d`, `-u`, `-t`, see `--help`),
            /// then builds and runs the gateway until it is told to stop.
            pub fn serve() -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
                Gateway::run(::gateway_runtime::server::Opt::parse_args())
            }

            /// Builds the gateway: upstreams, limiters, secrets from the
            /// environment, compiled regexes, the cache and the metrics.
            pub fn new() -> ::core::result::Result<Gateway, ::std::boxed::Box<dyn ::std::error::Error>> {
                ::core::result::Result::Ok(Gateway {
                    #(#upstreams)*
                    #(#limits)*
                    #(#auths)*
                    #cache
                    #metrics
                    #regexes
                    #body_regexes
                })
            }

            /// Builds and runs the gateway with the given options until it is told
            /// to stop (SIGINT: at once; SIGTERM: after the grace period).
            pub fn run(
                opt: ::gateway_runtime::server::Opt,
            ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
                let settings = ::gateway_runtime::server::Settings {
                    source: #display_path,
                    threads: #threads,
                    grace_period_seconds: #grace_period,
                    graceful_shutdown_timeout_seconds: #shutdown_timeout,
                };
                let server = ::gateway_runtime::server::new_server(opt, &settings)?;
                let gateway = Gateway::new()?;
                let mut proxy = ::gateway_runtime::server::proxy_service(&server, gateway);
                #(#listeners)*
                let services: ::std::vec::Vec<::std::boxed::Box<dyn ::gateway_runtime::server::Service>> =
                    ::std::vec![::std::boxed::Box::new(proxy) #admin];
                ::gateway_runtime::server::run(server, services)?;
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// A socket address as a constant expression: nothing to parse at start-up.
fn socket_addr(addr: std::net::SocketAddr) -> TokenStream {
    let port = addr.port();
    match addr.ip() {
        std::net::IpAddr::V4(ip) => {
            let octets = ip.octets();
            quote!(::std::net::SocketAddr::from(([#(#octets),*], #port)))
        }
        std::net::IpAddr::V6(ip) => {
            let segments = ip.segments();
            quote!(::std::net::SocketAddr::from(([#(#segments),*], #port)))
        }
    }
}

fn option(value: Option<Literal>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
