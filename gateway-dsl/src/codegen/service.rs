//! The `Gateway` struct's fields and the code that builds and runs the server.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{duration, has_cache, optional, policies, upstream_field};
use crate::ir;

pub(super) fn fields(gateway: &ir::Gateway) -> TokenStream {
    let upstreams = gateway.upstreams.iter().enumerate().map(|(upstream_id, upstream)| {
        let field = upstream_field(gateway, upstream_id);
        let doc = format!(" Upstream `{}`.", upstream.name);
        let selection = selection_type(&upstream.balance);
        quote!(#[doc = #doc] #field: ::std::sync::Arc<::gateway_runtime::upstream::Upstream<#selection>>,)
    });
    let limits = policies::fields(gateway);
    let cache = has_cache(gateway).then(|| quote!(cache: &'static ::gateway_runtime::cache::CacheStore,));
    let access_logs = crate::policy::access_log::enabled(gateway)
        .then(|| quote!(access_logs: ::gateway_runtime::access_log::AccessLogs,));
    let tracing =
        crate::policy::tracing::enabled(gateway).then(|| quote!(tracing: &'static ::gateway_runtime::trace::Tracing,));
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
        #limits
        #cache
        #access_logs
        #tracing
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
    let keepalive_pool = option(server.keepalive_pool.map(Literal::usize_unsuffixed));
    let timeout = |value: Option<std::time::Duration>, name: &str| {
        let name = quote::format_ident!("{}", name);
        match value {
            Some(value) => {
                let value = duration(value);
                quote!(#name: #value)
            }
            None => quote!(#name: ::gateway_runtime::guard::Timeouts::DEFAULT.#name),
        }
    };
    let timeouts = &server.timeouts;
    let header_timeout = timeout(timeouts.header, "header");
    let body_timeout = timeout(timeouts.body, "body");
    let keepalive_timeout = timeout(timeouts.keepalive, "keepalive");

    let upstreams = gateway.upstreams.iter().enumerate().map(|(upstream_id, _)| {
        let field = upstream_field(gateway, upstream_id);
        let config = config_static(upstream_id);
        quote!(#field: ::std::sync::Arc::new(::gateway_runtime::upstream::Upstream::new(&#config)?),)
    });
    let limits = policies::inits(gateway);
    let cache = has_cache(gateway).then(|| {
        let store = crate::policy::cache::store(gateway);
        quote!(cache: #store,)
    });
    let metrics = gateway.admin.as_ref().map(|_| {
        let (file, sha256) = (&gateway.display_path, &gateway.source_sha256);
        quote!(metrics: {
            ::gateway_runtime::build::Build { file: #file, sha256: #sha256 }.register()?;
            ::gateway_runtime::metrics::Metrics::new(&ROUTE_LABELS)?
        },)
    });
    let access_logs = crate::policy::access_log::enabled(gateway)
        .then(|| quote!(access_logs: ::gateway_runtime::access_log::AccessLogs::new(&ACCESS_LOGS)?,));
    let tracing = crate::policy::tracing::enabled(gateway)
        .then(|| quote!(tracing: ::gateway_runtime::trace::Tracing::leak(&TRACING),));
    let trace_service =
        crate::policy::tracing::enabled(gateway).then(|| quote!(services.push(gateway.tracing.service());));
    let cache_subscription = crate::policy::cache::subscription(gateway);
    let log_services =
        crate::policy::access_log::enabled(gateway).then(|| quote!(services.extend(gateway.access_logs.services());));
    let regexes = (!gateway.regexes.is_empty()).then(|| {
        let patterns = &gateway.regexes;
        quote!(regexes: ::gateway_runtime::regexes::compile([#(#patterns),*])?,)
    });
    let body_regexes = (!gateway.body_regexes.is_empty()).then(|| {
        let patterns = &gateway.body_regexes;
        quote!(body_regexes: ::gateway_runtime::regexes::compile_bytes([#(#patterns),*])?,)
    });

    let listeners = gateway.listeners.iter().enumerate().map(|(id, listener)| super::tls::add_listener(id, listener));
    let upstream_services = (0..gateway.upstreams.len()).map(|upstream_id| {
        let field = upstream_field(gateway, upstream_id);
        quote!(services.extend(gateway.#field.services());)
    });
    let admin = gateway.admin.as_ref().map(|admin| {
        let addr = admin.addr.to_string();
        let token = match &admin.token {
            Some(ir::Secret::Env { name, location }) => {
                quote!(::core::option::Option::Some(::gateway_runtime::auth::BearerToken::from_env(#name, #location)?))
            }
            None => quote!(::core::option::Option::None),
        };
        let controls: Vec<TokenStream> = (0..gateway.upstreams.len())
            .map(|upstream_id| {
                let field = upstream_field(gateway, upstream_id);
                quote!(gateway.#field.clone() as ::std::sync::Arc<dyn ::gateway_runtime::upstream::Control>)
            })
            .collect();
        let (file, sha256) = (&gateway.display_path, &gateway.source_sha256);
        let build = quote!(::gateway_runtime::build::Build { file: #file, sha256: #sha256 });
        let cache = match has_cache(gateway) {
            true => quote!(::core::option::Option::Some(gateway.cache)),
            false => quote!(::core::option::Option::None),
        };
        let routes = crate::table::json(gateway);
        quote!(gateway.metrics.watch_health(::std::vec![#(#controls),*])?;
        services.push(::gateway_runtime::admin::service(
            #addr,
            #build,
            #token,
            ::std::vec![#(#controls),*],
            #cache,
            #routes,
        ));)
    });
    let display_path = &gateway.display_path;
    let store = crate::policy::store::init(gateway);
    let (proxy_protocol_static, proxy_protocol) = super::tls::proxy_protocol(gateway);
    let http2 = http2_settings(gateway);

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
                #store
                ::core::result::Result::Ok(Gateway {
                    #(#upstreams)*
                    #limits
                    #cache
                    #access_logs
                    #tracing
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
                #proxy_protocol_static
                let settings = ::gateway_runtime::server::Settings {
                    source: #display_path,
                    threads: #threads,
                    grace_period_seconds: #grace_period,
                    graceful_shutdown_timeout_seconds: #shutdown_timeout,
                    keepalive_pool: #keepalive_pool,
                    timeouts: ::gateway_runtime::guard::Timeouts { #header_timeout, #body_timeout, #keepalive_timeout },
                    proxy_protocol: #proxy_protocol,
                    http2: #http2,
                };
                let server = ::gateway_runtime::server::new_server(opt, &settings)?;
                let gateway = Gateway::new()?;
                let mut services: ::std::vec::Vec<::std::boxed::Box<dyn ::gateway_runtime::server::Service>> =
                    ::std::vec::Vec::new();
                #(#upstream_services)*
                #log_services
                #cache_subscription
                #trace_service
                #admin
                let mut proxy = ::gateway_runtime::server::proxy_service(&server, &settings, gateway);
                #(#listeners)*
                services.push(::std::boxed::Box::new(proxy));
                ::gateway_runtime::server::run(server, services)?;
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// A socket address as a constant expression: nothing to parse at start-up.
pub(super) fn socket_addr(addr: std::net::SocketAddr) -> TokenStream {
    let port = addr.port();
    match addr {
        std::net::SocketAddr::V4(addr) => {
            let octets = addr.ip().octets();
            quote!(::std::net::SocketAddr::V4(::std::net::SocketAddrV4::new(::std::net::Ipv4Addr::new(#(#octets),*), #port)))
        }
        std::net::SocketAddr::V6(addr) => {
            let segments = addr.ip().segments();
            let (flow, scope) = (addr.flowinfo(), addr.scope_id());
            quote!(::std::net::SocketAddr::V6(::std::net::SocketAddrV6::new(
                ::std::net::Ipv6Addr::new(#(#segments),*), #port, #flow, #scope
            )))
        }
    }
}

fn selection_type(balance: &ir::Balance) -> TokenStream {
    match balance {
        ir::Balance::RoundRobin => quote!(::gateway_runtime::__private::RoundRobin),
        ir::Balance::Random => quote!(::gateway_runtime::__private::Random),
        ir::Balance::LeastConn => quote!(::gateway_runtime::upstream::LeastConn),
        ir::Balance::Ketama(_) => quote!(::gateway_runtime::__private::KetamaHashing),
    }
}

fn config_static(upstream_id: ir::UpstreamId) -> proc_macro2::Ident {
    quote::format_ident!("UPSTREAM_{}", upstream_id)
}

/// Every upstream's settings, as `static` data the runtime reads at start-up.
pub(super) fn configs(gateway: &ir::Gateway) -> TokenStream {
    let configs = gateway.upstreams.iter().enumerate().map(|(upstream_id, upstream)| {
        let name = &upstream.name;
        let static_name = config_static(upstream_id);
        let backends = upstream.backends.iter().map(backend_spec);
        let backups = upstream.backups.iter().map(backend_spec);
        let hash_key = match &upstream.balance {
            ir::Balance::Ketama(key) => match key {
                ir::HashKey::Path => quote!(Path),
                ir::HashKey::Uri => quote!(Uri),
                ir::HashKey::ClientIp => quote!(ClientIp),
                ir::HashKey::Header(name) => quote!(Header(#name)),
                ir::HashKey::Cookie(name) => quote!(Cookie(#name)),
            },
            _ => quote!(None),
        };
        let sticky = optional(upstream.sticky.as_ref().map(|sticky| {
            let cookie = &sticky.cookie;
            let max_age = optional(sticky.max_age.map(duration));
            let (secure, http_only) = (sticky.secure, sticky.http_only);
            quote!(::gateway_runtime::upstream::StickyConfig { cookie: #cookie, max_age: #max_age, secure: #secure, http_only: #http_only })
        }));
        let health = optional(upstream.health.as_ref().map(|health| {
            let kind = match &health.kind {
                ir::HealthKind::Tcp => quote!(::gateway_runtime::upstream::HealthKind::Tcp),
                ir::HealthKind::Http { path, host, expect, body } => {
                    let host = optional(host.as_ref().map(|host| quote!(#host)));
                    let body = optional(body.as_ref().map(|body| quote!(#body)));
                    quote!(::gateway_runtime::upstream::HealthKind::Http { path: #path, host: #host, expect: #expect, body: #body })
                }
            };
            let (every, timeout) = (duration(health.every), duration(health.timeout));
            let (rise, fall) = (Literal::usize_unsuffixed(health.rise), Literal::usize_unsuffixed(health.fall));
            quote!(::gateway_runtime::upstream::HealthConfig { kind: #kind, every: #every, timeout: #timeout, rise: #rise, fall: #fall })
        }));
        let retries = Literal::usize_unsuffixed(upstream.retries as usize);
        let fail_timeout = duration(upstream.fail_timeout);
        let resolve_every = duration(upstream.resolve_every);
        let discover = optional(upstream.discover.as_ref().map(|discover| {
            let path = discover.path.display().to_string();
            let every = duration(discover.every);
            quote!((#path, #every))
        }));
        let tls = optional(upstream.tls.as_ref().map(|tls| {
            let sni = optional(tls.sni.as_ref().map(|sni| quote!(#sni)));
            let verify = tls.verify;
            let ca = optional(tls.ca.as_ref().map(file_source));
            let client_cert = optional(tls.client_cert.as_ref().map(|(cert, key)| {
                let (cert, key) = (file_source(cert), file_source(key));
                quote!((#cert, #key))
            }));
            quote!(::gateway_runtime::upstream::TlsConfig { sni: #sni, verify: #verify, ca: #ca, client_cert: #client_cert })
        }));
        let protocol = match upstream.protocol {
            ir::Protocol::Http1 => quote!(Http1),
            ir::Protocol::H2 => quote!(H2),
            ir::Protocol::H2Http1 => quote!(H2Http1),
        };
        let via = optional(upstream.via.map(socket_addr));
        let proxy_protocol = optional(upstream.proxy_protocol.map(|version| match version {
            ir::ProxyVersion::V1 => quote!(::gateway_runtime::proxy_protocol::Version::V1),
            ir::ProxyVersion::V2 => quote!(::gateway_runtime::proxy_protocol::Version::V2),
        }));
        let timeouts = upstream.timeouts;
        let [connect, total_connect, read, write, idle] =
            [timeouts.connect, timeouts.total_connect, timeouts.read, timeouts.write, timeouts.idle].map(|value| optional(value.map(duration)));
        quote! {
            static #static_name: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
                name: #name,
                backends: &[#(#backends),*],
                backups: &[#(#backups),*],
                hash_key: ::gateway_runtime::upstream::HashKey::#hash_key,
                sticky: #sticky,
                health: #health,
                retries: #retries,
                fail_timeout: #fail_timeout,
                resolve_every: #resolve_every,
                discover: #discover,
                tls: #tls,
                protocol: ::gateway_runtime::upstream::Protocol::#protocol,
                via: #via,
                proxy_protocol: #proxy_protocol,
                timeouts: ::gateway_runtime::upstream::PeerTimeouts {
                    connect: #connect, total_connect: #total_connect, read: #read, write: #write, idle: #idle,
                },
            };
        }
    });
    quote!(#(#configs)*)
}

fn backend_spec(backend: &ir::BackendSpec) -> TokenStream {
    match backend {
        ir::BackendSpec::Addr { addr, weight } => {
            let (addr, weight) = (socket_addr(*addr), Literal::usize_unsuffixed(*weight));
            quote!(::gateway_runtime::upstream::BackendSpec::Addr(#addr, #weight))
        }
        ir::BackendSpec::Dns { host, port, weight } => {
            let weight = Literal::usize_unsuffixed(*weight);
            quote!(::gateway_runtime::upstream::BackendSpec::Dns(#host, #port, #weight))
        }
        ir::BackendSpec::Unix { path, weight } => {
            let weight = Literal::usize_unsuffixed(*weight);
            quote!(::gateway_runtime::upstream::BackendSpec::Unix(#path, #weight))
        }
    }
}

fn file_source(file: &ir::FileRef) -> TokenStream {
    match file {
        ir::FileRef::Path(path) => {
            let path = path.display().to_string();
            quote!(::gateway_runtime::upstream::FileSource::Path(#path))
        }
        ir::FileRef::Env { name, location } => {
            quote!(::gateway_runtime::upstream::FileSource::Env { name: #name, location: #location })
        }
    }
}

fn option(value: Option<Literal>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// `server { http2 { } }` as `gateway_runtime::server::Http2`. The header
/// list size defaults to the server's `max_header_size`, so that HTTP/1 and
/// HTTP/2 requests are held to one limit.
fn http2_settings(gateway: &ir::Gateway) -> TokenStream {
    let http2 = &gateway.server.http2;
    let streams = Literal::u32_unsuffixed(u32::try_from(http2.max_concurrent_streams).unwrap_or(u32::MAX));
    let header_list = match http2.max_header_list_size.or(gateway.server.limits.head_bytes) {
        Some(size) => {
            let size = Literal::u32_unsuffixed(u32::try_from(size).unwrap_or(u32::MAX));
            quote!(#size)
        }
        None => quote!(::gateway_runtime::strict::Limits::DEFAULT.head_bytes as u32),
    };
    let pending = Literal::usize_unsuffixed(usize::try_from(http2.max_pending_resets).unwrap_or(usize::MAX));
    let errors = Literal::usize_unsuffixed(usize::try_from(http2.max_error_resets).unwrap_or(usize::MAX));
    quote! {
        ::gateway_runtime::server::Http2 {
            max_concurrent_streams: #streams,
            max_header_list_size: #header_list,
            max_pending_resets: #pending,
            max_error_resets: #errors,
        }
    }
}
