const _: &str = ::core::include_str!("$TEST_DATA/ok/tls_edge.gw");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/a.crt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/a.key");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/clients-ca.crt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/server.crt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/server.key");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/server.ocsp.der");
pub use __gw_gateway::Gateway;
#[doc(hidden)]
#[allow(
    non_camel_case_types,
    clippy::match_single_binding,
    clippy::single_match,
    clippy::needless_lifetimes,
    unused_variables,
)]
mod __gw_gateway {
    /// The gateway compiled from `ok/tls_edge.gw`.
    pub struct Gateway {
        /// Upstream `api`.
        upstream_0_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
    }
    /// The routes of the file, in file order; `ROUTE_LABELS` names them.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Route {
        R0,
        R1,
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 2usize] = ["/", "/internal/"];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 2]),
            __n(0, [0, 0], [0, 0], [0, 1], [0, 0]),
        ],
        candidates: &[(Route::R1, "/internal/"), (Route::R0, "/")],
        slots: &[("internal", 1), ("", __E)],
        regex: &[],
        groups: &[__g(0, [0, 0], [1, 1])],
        hosts: [0, 0],
        wildcards: [0, 0],
        any_host: 0,
    };
    /// What one request carries from phase to phase.
    pub struct Ctx {
        route: ::core::option::Option<Route>,
        /// The client's address (`gateway_runtime::client_ip`).
        client_ip: ::core::option::Option<::std::net::IpAddr>,
        request_id: ::core::option::Option<::gateway_runtime::__private::HeaderValue>,
        upstream: ::gateway_runtime::upstream::RequestState,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                client_ip: ::core::option::Option::None,
                request_id: ::core::option::Option::None,
                upstream: ::gateway_runtime::upstream::RequestState::new(),
            }
        }
    }
    static UPSTREAM_0: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "api",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        9001u16,
                    ),
                ),
                1,
            ),
        ],
        backups: &[],
        hash_key: ::gateway_runtime::upstream::HashKey::None,
        sticky: ::core::option::Option::None,
        health: ::core::option::Option::None,
        retries: 0,
        fail_timeout: ::core::time::Duration::from_millis(10000),
        resolve_every: ::core::time::Duration::from_millis(30000),
        discover: ::core::option::Option::None,
        tls: ::core::option::Option::None,
        protocol: ::gateway_runtime::upstream::Protocol::Http1,
        via: ::core::option::Option::None,
        proxy_protocol: ::core::option::Option::None,
        timeouts: ::gateway_runtime::upstream::PeerTimeouts {
            connect: ::core::option::Option::None,
            total_connect: ::core::option::Option::None,
            read: ::core::option::Option::None,
            write: ::core::option::Option::None,
            idle: ::core::option::Option::None,
        },
    };
    static LIMITS: ::gateway_runtime::strict::Limits = ::gateway_runtime::strict::Limits {
        request_line: ::gateway_runtime::strict::Limits::DEFAULT.request_line,
        headers: ::gateway_runtime::strict::Limits::DEFAULT.headers,
        head_bytes: ::gateway_runtime::strict::Limits::DEFAULT.head_bytes,
    };
    static LISTENERS: [::std::net::SocketAddr; 4usize] = [
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                8080u16,
            ),
        ),
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                8081u16,
            ),
        ),
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                8443u16,
            ),
        ),
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                9443u16,
            ),
        ),
    ];
    static REDIRECT_HTTPS: [::core::option::Option<
        ::gateway_runtime::tls::RedirectHttps,
    >; 4usize] = [
        ::core::option::Option::Some(::gateway_runtime::tls::RedirectHttps {
            port: 8443u16,
        }),
        ::core::option::Option::None,
        ::core::option::Option::None,
        ::core::option::Option::None,
    ];
    static POLICY_0: ::gateway_runtime::policy::client_cert::Rule = ::gateway_runtime::policy::client_cert::Rule::San(
        &["spiffe://example.net/billing", "DNS:billing.internal"],
    );
    static REAL_IP: ::gateway_runtime::client_ip::RealIp = ::gateway_runtime::client_ip::RealIp {
        trusted: &[::gateway_runtime::client_ip::Cidr::v4([10u8, 0u8, 0u8, 0u8], 8u8)],
        header: ::gateway_runtime::client_ip::Header::XForwardedFor,
    };
    static ERROR_PAGES: [::gateway_runtime::respond::ErrorPage; 0usize] = [];
    impl Gateway {
        /// Whether `route` takes the request, beyond its host and path
        /// pattern; `listener` is the index of the listener it came on.
        #[inline]
        fn accept(
            &self,
            route: Route,
            request: &::gateway_runtime::__private::RequestHeader,
            path: &str,
            listener: usize,
        ) -> bool {
            match route {
                Route::R1 => ::gateway_runtime::router::on_listener(8, listener),
                _ => true,
            }
        }
        /// The route of a request whose path is normal, on listener `listener`.
        fn find(
            &self,
            request: &::gateway_runtime::__private::RequestHeader,
            listener: usize,
        ) -> ::gateway_runtime::router::Found<Route> {
            let path = request.uri.path();
            ROUTER
                .find(
                    ::core::option::Option::None,
                    path,
                    |route| self.accept(route, request, path, listener),
                )
        }
        /// The label of the route a request on the first listener would
        /// take; see [`Gateway::route_label_on`].
        pub fn route_label(
            &self,
            request: &::gateway_runtime::__private::RequestHeader,
        ) -> ::core::option::Option<&'static str> {
            self.route_label_on(0, request)
        }
        /// The label of the route a request on listener `listener` (its
        /// index among the file's `listen` directives) would take, its path
        /// normalised first, or `None` for a 400 or 404: what the gateway
        /// decides, for tools and benchmarks.
        pub fn route_label_on(
            &self,
            listener: usize,
            request: &::gateway_runtime::__private::RequestHeader,
        ) -> ::core::option::Option<&'static str> {
            self.route_index_on(listener, request)
                .ok()
                .and_then(|route| ROUTE_LABELS.get(route).copied())
        }
        /// The index (in file order) of the route a request on listener
        /// `listener` would take, or the status it is refused with (400
        /// for a path that cannot be normalised, 404): the decision
        /// `gateway_dsl::routing::decide` makes at build time for `test`
        /// blocks, made here by the generated tables.
        pub fn route_index_on(
            &self,
            listener: usize,
            request: &::gateway_runtime::__private::RequestHeader,
        ) -> ::core::result::Result<usize, u16> {
            let path = ::gateway_runtime::path::normalize(request.uri.path())
                .map_err(|_| 400u16)?;
            match ROUTER
                .find(
                    ::core::option::Option::None,
                    &path,
                    |route| self.accept(route, request, &path, listener),
                )
            {
                ::gateway_runtime::router::Found::Route(route) => {
                    ::core::result::Result::Ok(route as usize)
                }
                _ => ::core::result::Result::Err(404),
            }
        }
    }
    #[::gateway_runtime::__private::async_trait]
    impl ::gateway_runtime::__private::ProxyHttp for Gateway {
        type CTX = Ctx;
        fn new_ctx(&self) -> Ctx {
            Ctx::new()
        }
        /// No downstream module: nothing in the file transforms response
        /// bodies, and Pingora's default (a disabled compression module)
        /// would still be set up and run for every request.
        fn init_downstream_modules(
            &self,
            _modules: &mut ::gateway_runtime::__private::HttpModules,
        ) {}
        async fn request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<bool> {
            if let ::core::option::Option::Some(response) = ::gateway_runtime::strict::screen(
                session,
                &LIMITS,
                &ERROR_PAGES,
            ) {
                return response.await;
            }
            let normal = ::gateway_runtime::path::normalize_target(
                session.req_header_mut(),
            );
            if !normal {
                return ::gateway_runtime::respond::error(session, 400, &ERROR_PAGES)
                    .await;
            }
            let listener = ::gateway_runtime::router::listener_index(
                session.as_downstream().server_addr(),
                &LISTENERS,
            );
            if let ::core::option::Option::Some(location) = REDIRECT_HTTPS
                .get(listener)
                .copied()
                .flatten()
                .and_then(|redirect| redirect.location(session.req_header()))
            {
                return ::gateway_runtime::respond::redirect_to(session, 308, location)
                    .await;
            }
            if ::gateway_runtime::tls::misdirected(session) {
                return ::gateway_runtime::respond::error(session, 421, &ERROR_PAGES)
                    .await;
            }
            ::gateway_runtime::tls::forward_client_cert(session);
            let route = match self.find(session.req_header(), listener) {
                ::gateway_runtime::router::Found::Route(route) => route,
                _ => {
                    return ::gateway_runtime::respond::error(session, 404, &ERROR_PAGES)
                        .await;
                }
            };
            ctx.route = ::core::option::Option::Some(route);
            ctx.client_ip = ::gateway_runtime::client_ip::behind(session, &REAL_IP);
            match route {
                Route::R1 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::client_cert::check(
                            session,
                            &POLICY_0,
                        ) {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    ),
                                )
                            }
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if ::gateway_runtime::strict::first_chunk_pending(session) {
                        ::std::boxed::Box::pin(
                                ::gateway_runtime::strict::read_first_chunk(
                                    session,
                                    &ERROR_PAGES,
                                ),
                            )
                            .await
                    } else {
                        ::core::result::Result::Ok(false)
                    }
                }
                _ => {
                    if ::gateway_runtime::strict::first_chunk_pending(session) {
                        ::std::boxed::Box::pin(
                                ::gateway_runtime::strict::read_first_chunk(
                                    session,
                                    &ERROR_PAGES,
                                ),
                            )
                            .await
                    } else {
                        ::core::result::Result::Ok(false)
                    }
                }
            }
        }
        async fn upstream_peer(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<
            ::std::boxed::Box<::gateway_runtime::__private::HttpPeer>,
        > {
            match ctx.route {
                _ => {
                    self.upstream_0_api
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
            }
        }
        async fn upstream_request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_request: &mut ::gateway_runtime::__private::RequestHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            match ctx.route {
                _ => {
                    ::gateway_runtime::forwarded::add(
                        session,
                        upstream_request,
                        ctx.client_ip,
                        ::gateway_runtime::forwarded::For::Replace,
                        true,
                        true,
                    )?;
                    ctx.request_id = ::core::option::Option::Some(
                        ::gateway_runtime::forwarded::request_id(upstream_request)?,
                    );
                }
            }
            ::core::result::Result::Ok(())
        }
        async fn response_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_response: &mut ::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            ::gateway_runtime::tls::add_hsts(session, upstream_response);
            match ctx.route {
                _ => {
                    ::gateway_runtime::forwarded::echo_request_id(
                        ctx.request_id.as_ref(),
                        upstream_response,
                    )?;
                }
            }
            ::core::result::Result::Ok(())
        }
        async fn fail_to_proxy(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            error: &::gateway_runtime::__private::Error,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::FailToProxy {
            let pages: &[::gateway_runtime::respond::ErrorPage] = match ctx.route {
                _ => &ERROR_PAGES,
            };
            ::gateway_runtime::respond::fail_to_proxy(session, error, pages).await
        }
        fn fail_to_connect(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            peer: &::gateway_runtime::__private::HttpPeer,
            ctx: &mut Ctx,
            error: ::std::boxed::Box<::gateway_runtime::__private::Error>,
        ) -> ::std::boxed::Box<::gateway_runtime::__private::Error> {
            match ctx.route {
                ::core::option::Option::Some(Route::R0 | Route::R1) => {
                    self.upstream_0_api.connect_failed(peer, &ctx.upstream, error)
                }
                _ => error,
            }
        }
    }
    impl Gateway {
        /// Reads the command line (`-c FILE`, `-d`, `-u`, `-t`, see `--help`),
        /// then builds and runs the gateway until it is told to stop.
        pub fn serve() -> ::core::result::Result<
            (),
            ::std::boxed::Box<dyn ::std::error::Error>,
        > {
            Gateway::run(::gateway_runtime::server::Opt::parse_args())
        }
        /// Builds the gateway: upstreams, limiters, secrets from the
        /// environment, compiled regexes, the cache and the metrics.
        pub fn new() -> ::core::result::Result<
            Gateway,
            ::std::boxed::Box<dyn ::std::error::Error>,
        > {
            ::core::result::Result::Ok(Gateway {
                upstream_0_api: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_0)?,
                ),
            })
        }
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            static PROXY_PROTOCOL: ::gateway_runtime::proxy_protocol::ProxyProtocol = ::gateway_runtime::proxy_protocol::ProxyProtocol {
                listeners: &[
                    (
                        ::std::net::SocketAddr::V4(
                            ::std::net::SocketAddrV4::new(
                                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                                8081u16,
                            ),
                        ),
                        ::core::time::Duration::from_millis(3000),
                    ),
                    (
                        ::std::net::SocketAddr::V4(
                            ::std::net::SocketAddrV4::new(
                                ::std::net::Ipv4Addr::new(0u8, 0u8, 0u8, 0u8),
                                9443u16,
                            ),
                        ),
                        ::core::time::Duration::from_millis(5000),
                    ),
                ],
                trusted: &[
                    ::gateway_runtime::client_ip::Cidr::v4([10u8, 0u8, 0u8, 0u8], 8u8),
                ],
            };
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/tls_edge.gw",
                threads: ::core::option::Option::None,
                grace_period_seconds: ::core::option::Option::None,
                graceful_shutdown_timeout_seconds: ::core::option::Option::None,
                keepalive_pool: ::core::option::Option::None,
                timeouts: ::gateway_runtime::guard::Timeouts {
                    header: ::gateway_runtime::guard::Timeouts::DEFAULT.header,
                    body: ::gateway_runtime::guard::Timeouts::DEFAULT.body,
                    keepalive: ::gateway_runtime::guard::Timeouts::DEFAULT.keepalive,
                },
                proxy_protocol: ::core::option::Option::Some(&PROXY_PROTOCOL),
                http2: ::gateway_runtime::server::Http2 {
                    max_concurrent_streams: 64,
                    max_header_list_size: 65536,
                    max_pending_resets: 10,
                    max_error_resets: 100,
                },
            };
            let server = ::gateway_runtime::server::new_server(opt, &settings)?;
            let gateway = Gateway::new()?;
            let mut services: ::std::vec::Vec<
                ::std::boxed::Box<dyn ::gateway_runtime::server::Service>,
            > = ::std::vec::Vec::new();
            services.extend(gateway.upstream_0_api.services());
            let mut proxy = ::gateway_runtime::server::proxy_service(
                &server,
                &settings,
                gateway,
            );
            proxy.add_tcp("0.0.0.0:8080");
            proxy.add_tcp("0.0.0.0:8081");
            static TLS_LISTENER_2: ::gateway_runtime::tls::Listener = ::gateway_runtime::tls::Listener {
                addr: "0.0.0.0:8443",
                certificates: &[
                    ::gateway_runtime::tls::Certificate {
                        cert: "$TEST_DATA/ok/../../../certs/server.crt",
                        key: "$TEST_DATA/ok/../../../certs/server.key",
                        names: &["localhost", "gw.test", "*.gw.test"],
                        ocsp: ::core::option::Option::Some(
                            "$TEST_DATA/ok/../../../certs/server.ocsp.der",
                        ),
                    },
                    ::gateway_runtime::tls::Certificate {
                        cert: "$TEST_DATA/ok/../../../certs/a.crt",
                        key: "$TEST_DATA/ok/../../../certs/a.key",
                        names: &["a.test"],
                        ocsp: ::core::option::Option::None,
                    },
                ],
                alpn: ::gateway_runtime::server::Alpn::H2H1,
                min_version: ::gateway_runtime::tls::Version::Tls12,
                max_version: ::gateway_runtime::tls::Version::Tls13,
                ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
                groups: ::core::option::Option::Some("X25519:P-256"),
                session_tickets: false,
                client: ::core::option::Option::None,
                hsts: ::core::option::Option::Some(
                    "max-age=63072000; includeSubDomains; preload",
                ),
                strict_sni: true,
            };
            ::gateway_runtime::tls::add(&mut proxy, &TLS_LISTENER_2)?;
            static TLS_LISTENER_3: ::gateway_runtime::tls::Listener = ::gateway_runtime::tls::Listener {
                addr: "0.0.0.0:9443",
                certificates: &[
                    ::gateway_runtime::tls::Certificate {
                        cert: "$TEST_DATA/ok/../../../certs/server.crt",
                        key: "$TEST_DATA/ok/../../../certs/server.key",
                        names: &["localhost", "gw.test", "*.gw.test"],
                        ocsp: ::core::option::Option::None,
                    },
                ],
                alpn: ::gateway_runtime::server::Alpn::H2H1,
                min_version: ::gateway_runtime::tls::Version::Tls12,
                max_version: ::gateway_runtime::tls::Version::Tls13,
                ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
                groups: ::core::option::Option::None,
                session_tickets: true,
                client: ::core::option::Option::Some(::gateway_runtime::tls::ClientAuth {
                    ca: "$TEST_DATA/ok/../../../certs/clients-ca.crt",
                    required: false,
                    depth: ::core::option::Option::Some(2),
                }),
                hsts: ::core::option::Option::None,
                strict_sni: false,
            };
            ::gateway_runtime::tls::add(&mut proxy, &TLS_LISTENER_3)?;
            services.push(::std::boxed::Box::new(proxy));
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
