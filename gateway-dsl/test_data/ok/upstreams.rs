const _: &str = ::core::include_str!("$TEST_DATA/ok/upstreams.gw");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/ca.crt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/server.crt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/../../../certs/server.key");
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
    /// The gateway compiled from `ok/upstreams.gw`.
    pub struct Gateway {
        /// Upstream `web`.
        upstream_0_web: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<::gateway_runtime::upstream::LeastConn>,
        >,
        /// Upstream `api`.
        upstream_1_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::KetamaHashing,
            >,
        >,
        /// Upstream `secret_files`.
        upstream_2_secret_files: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Upstream `grpc`.
        upstream_3_grpc: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<::gateway_runtime::__private::Random>,
        >,
        /// Upstream `by_ip`.
        upstream_4_by_ip: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::KetamaHashing,
            >,
        >,
        /// Upstream `dynamic`.
        upstream_5_dynamic: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Upstream `outside`.
        upstream_6_outside: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Upstream `haproxy`.
        upstream_7_haproxy: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        metrics: ::gateway_runtime::metrics::Metrics,
    }
    /// The routes of the file, in file order; `ROUTE_LABELS` names them.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Route {
        R0,
        R1,
        R2,
        R3,
        R4,
        R5,
        R6,
        R7,
        R8,
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 9usize] = [
        "/api/",
        "/grpc/",
        "/ip/",
        "/dynamic/",
        "/outside/",
        "/haproxy/",
        "/files/",
        "/ws/",
        "/",
    ];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 16]),
            __n(0, [0, 0], [0, 0], [0, 1], [0, 0]),
            __n(0, [1, 0], [1, 0], [1, 1], [0, 0]),
            __n(0, [2, 0], [2, 0], [2, 1], [0, 0]),
            __n(0, [3, 0], [3, 0], [3, 1], [0, 0]),
            __n(0, [4, 0], [4, 0], [4, 1], [0, 0]),
            __n(0, [5, 0], [5, 0], [5, 1], [0, 0]),
            __n(0, [6, 0], [6, 0], [6, 1], [0, 0]),
            __n(0, [7, 0], [7, 0], [7, 1], [0, 0]),
        ],
        candidates: &[
            (Route::R0, "/api/"),
            (Route::R1, "/grpc/"),
            (Route::R2, "/ip/"),
            (Route::R3, "/dynamic/"),
            (Route::R4, "/outside/"),
            (Route::R5, "/haproxy/"),
            (Route::R6, "/files/"),
            (Route::R7, "/ws/"),
            (Route::R8, "/"),
        ],
        slots: &[
            ("files", 7),
            ("ws", 8),
            ("", __E),
            ("", __E),
            ("outside", 5),
            ("grpc", 2),
            ("", __E),
            ("api", 1),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("ip", 3),
            ("", __E),
            ("dynamic", 4),
            ("haproxy", 6),
        ],
        regex: &[],
        groups: &[__g(0, [0, 0], [8, 1])],
        hosts: [0, 0],
        wildcards: [0, 0],
        any_host: 0,
    };
    /// What one request carries from phase to phase.
    pub struct Ctx {
        route: ::core::option::Option<Route>,
        /// The client's address (`gateway_runtime::client_ip`).
        client_ip: ::core::option::Option<::std::net::IpAddr>,
        start: ::std::time::Instant,
        /// The last upstream connection, for metrics, logs and spans.
        connected: ::core::option::Option<::gateway_runtime::upstream::Connected>,
        _in_flight: ::gateway_runtime::metrics::InFlight,
        /// Why the gateway refused the request, for logs and metrics.
        outcome: ::core::option::Option<&'static str>,
        request_id: ::core::option::Option<::gateway_runtime::__private::HeaderValue>,
        upstream: ::gateway_runtime::upstream::RequestState,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                client_ip: ::core::option::Option::None,
                start: ::std::time::Instant::now(),
                connected: ::core::option::Option::None,
                _in_flight: ::gateway_runtime::metrics::InFlight::enter(),
                outcome: ::core::option::Option::None,
                request_id: ::core::option::Option::None,
                upstream: ::gateway_runtime::upstream::RequestState::new(),
            }
        }
    }
    static UPSTREAM_0: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "web",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        8001u16,
                    ),
                ),
                3,
            ),
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        8002u16,
                    ),
                ),
                1,
            ),
            ::gateway_runtime::upstream::BackendSpec::Dns("app.internal", 8080u16, 2),
            ::gateway_runtime::upstream::BackendSpec::Unix("/run/app.sock", 1),
        ],
        backups: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        8009u16,
                    ),
                ),
                1,
            ),
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        8010u16,
                    ),
                ),
                1,
            ),
        ],
        hash_key: ::gateway_runtime::upstream::HashKey::None,
        sticky: ::core::option::Option::Some(::gateway_runtime::upstream::StickyConfig {
            cookie: "gw_backend",
            max_age: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(3600000),
            ),
            secure: true,
            http_only: true,
        }),
        health: ::core::option::Option::Some(::gateway_runtime::upstream::HealthConfig {
            kind: ::gateway_runtime::upstream::HealthKind::Http {
                path: "/health",
                host: ::core::option::Option::Some("app.internal"),
                expect: 200u16,
                body: ::core::option::Option::Some("ok"),
            },
            every: ::core::time::Duration::from_millis(1000),
            timeout: ::core::time::Duration::from_millis(500),
            rise: 2,
            fall: 3,
        }),
        retries: 2,
        fail_timeout: ::core::time::Duration::from_millis(5000),
        resolve_every: ::core::time::Duration::from_millis(10000),
        discover: ::core::option::Option::None,
        tls: ::core::option::Option::None,
        protocol: ::gateway_runtime::upstream::Protocol::Http1,
        via: ::core::option::Option::None,
        proxy_protocol: ::core::option::Option::None,
        timeouts: ::gateway_runtime::upstream::PeerTimeouts {
            connect: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(1000),
            ),
            total_connect: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(2000),
            ),
            read: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(10000),
            ),
            write: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(10000),
            ),
            idle: ::core::option::Option::Some(
                ::core::time::Duration::from_millis(60000),
            ),
        },
    };
    static UPSTREAM_1: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "api",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Dns("api.internal", 443u16, 1),
        ],
        backups: &[],
        hash_key: ::gateway_runtime::upstream::HashKey::Header("x-user"),
        sticky: ::core::option::Option::None,
        health: ::core::option::Option::None,
        retries: 0,
        fail_timeout: ::core::time::Duration::from_millis(10000),
        resolve_every: ::core::time::Duration::from_millis(30000),
        discover: ::core::option::Option::None,
        tls: ::core::option::Option::Some(::gateway_runtime::upstream::TlsConfig {
            sni: ::core::option::Option::Some("api.internal"),
            verify: true,
            ca: ::core::option::Option::Some(
                ::gateway_runtime::upstream::FileSource::Path(
                    "$TEST_DATA/ok/../../../certs/ca.crt",
                ),
            ),
            client_cert: ::core::option::Option::Some((
                ::gateway_runtime::upstream::FileSource::Path(
                    "$TEST_DATA/ok/../../../certs/server.crt",
                ),
                ::gateway_runtime::upstream::FileSource::Path(
                    "$TEST_DATA/ok/../../../certs/server.key",
                ),
            )),
        }),
        protocol: ::gateway_runtime::upstream::Protocol::H2Http1,
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
    static UPSTREAM_2: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "secret_files",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 1u8),
                        443u16,
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
        tls: ::core::option::Option::Some(::gateway_runtime::upstream::TlsConfig {
            sni: ::core::option::Option::Some("internal.example"),
            verify: true,
            ca: ::core::option::Option::Some(::gateway_runtime::upstream::FileSource::Env {
                name: "GW_CA_FILE",
                location: "ok/upstreams.gw:31:31",
            }),
            client_cert: ::core::option::Option::Some((
                ::gateway_runtime::upstream::FileSource::Env {
                    name: "GW_CLIENT_CERT",
                    location: "ok/upstreams.gw:32:15",
                },
                ::gateway_runtime::upstream::FileSource::Env {
                    name: "GW_CLIENT_KEY",
                    location: "ok/upstreams.gw:32:35",
                },
            )),
        }),
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
    static UPSTREAM_3: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "grpc",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 2u8),
                        50051u16,
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
        protocol: ::gateway_runtime::upstream::Protocol::H2,
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
    static UPSTREAM_4: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "by_ip",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 3u8),
                        80u16,
                    ),
                ),
                1,
            ),
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 4u8),
                        80u16,
                    ),
                ),
                1,
            ),
        ],
        backups: &[],
        hash_key: ::gateway_runtime::upstream::HashKey::ClientIp,
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
    static UPSTREAM_5: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "dynamic",
        backends: &[],
        backups: &[],
        hash_key: ::gateway_runtime::upstream::HashKey::None,
        sticky: ::core::option::Option::None,
        health: ::core::option::Option::Some(::gateway_runtime::upstream::HealthConfig {
            kind: ::gateway_runtime::upstream::HealthKind::Tcp,
            every: ::core::time::Duration::from_millis(2000),
            timeout: ::core::time::Duration::from_millis(1000),
            rise: 1,
            fall: 1,
        }),
        retries: 0,
        fail_timeout: ::core::time::Duration::from_millis(10000),
        resolve_every: ::core::time::Duration::from_millis(30000),
        discover: ::core::option::Option::Some((
            "/etc/gw/backends.txt",
            ::core::time::Duration::from_millis(1000),
        )),
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
    static UPSTREAM_6: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "outside",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(203u8, 0u8, 113u8, 7u8),
                        443u16,
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
        tls: ::core::option::Option::Some(::gateway_runtime::upstream::TlsConfig {
            sni: ::core::option::Option::Some("outside.example"),
            verify: true,
            ca: ::core::option::Option::None,
            client_cert: ::core::option::Option::None,
        }),
        protocol: ::gateway_runtime::upstream::Protocol::Http1,
        via: ::core::option::Option::Some(
            ::std::net::SocketAddr::V4(
                ::std::net::SocketAddrV4::new(
                    ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 9u8),
                    3128u16,
                ),
            ),
        ),
        proxy_protocol: ::core::option::Option::Some(
            ::gateway_runtime::proxy_protocol::Version::V2,
        ),
        timeouts: ::gateway_runtime::upstream::PeerTimeouts {
            connect: ::core::option::Option::None,
            total_connect: ::core::option::Option::None,
            read: ::core::option::Option::None,
            write: ::core::option::Option::None,
            idle: ::core::option::Option::None,
        },
    };
    static UPSTREAM_7: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "haproxy",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(10u8, 0u8, 0u8, 5u8),
                        8080u16,
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
        proxy_protocol: ::core::option::Option::Some(
            ::gateway_runtime::proxy_protocol::Version::V1,
        ),
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
            _listener: usize,
        ) -> bool {
            true
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
                ctx.outcome = ::core::option::Option::Some("strict");
                return response.await;
            }
            let normal = ::gateway_runtime::path::normalize_target(
                session.req_header_mut(),
            );
            if !normal {
                ctx.outcome = ::core::option::Option::Some("strict");
                return ::gateway_runtime::respond::error(session, 400, &ERROR_PAGES)
                    .await;
            }
            let listener = 0;
            let route = match self.find(session.req_header(), listener) {
                ::gateway_runtime::router::Found::Route(route) => route,
                _ => {
                    return ::gateway_runtime::respond::error(session, 404, &ERROR_PAGES)
                        .await;
                }
            };
            ctx.route = ::core::option::Option::Some(route);
            ctx.client_ip = ::gateway_runtime::client_ip::peer(session);
            match route {
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
                ::core::option::Option::Some(Route::R1) => {
                    self.upstream_3_grpc
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R2) => {
                    self.upstream_4_by_ip
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R3) => {
                    self.upstream_5_dynamic
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R4) => {
                    self.upstream_6_outside
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::Some(
                                ::core::time::Duration::from_millis(2000),
                            ),
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R5) => {
                    self.upstream_7_haproxy
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R6) => {
                    self.upstream_2_secret_files
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                ::core::option::Option::Some(Route::R7) => {
                    let upgrade = ::gateway_runtime::upstream::is_websocket(
                        session.req_header(),
                    );
                    self.upstream_0_web
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                        .map(|peer| ::gateway_runtime::upstream::for_websocket(
                            peer,
                            upgrade,
                            ::core::option::Option::Some(
                                ::core::time::Duration::from_millis(300000),
                            ),
                        ))
                }
                ::core::option::Option::Some(Route::R8) => {
                    self.upstream_0_web
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                _ => {
                    self.upstream_1_api
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
            match ctx.route {
                ::core::option::Option::Some(Route::R7 | Route::R8) => {
                    ::gateway_runtime::forwarded::echo_request_id(
                        ctx.request_id.as_ref(),
                        upstream_response,
                    )?;
                    ctx.upstream.add_sticky_cookie(upstream_response)?;
                }
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
                ::core::option::Option::Some(Route::R0) => {
                    let error = self
                        .upstream_1_api
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("api", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R1) => {
                    let error = self
                        .upstream_3_grpc
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("grpc", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R2) => {
                    let error = self
                        .upstream_4_by_ip
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("by_ip", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R3) => {
                    let error = self
                        .upstream_5_dynamic
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("dynamic", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R4) => {
                    let error = self
                        .upstream_6_outside
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("outside", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R5) => {
                    let error = self
                        .upstream_7_haproxy
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("haproxy", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R6) => {
                    let error = self
                        .upstream_2_secret_files
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("secret_files", error.retry());
                    error
                }
                ::core::option::Option::Some(Route::R7 | Route::R8) => {
                    let error = self
                        .upstream_0_web
                        .connect_failed(peer, &ctx.upstream, error);
                    self.metrics.connect_failed("web", error.retry());
                    error
                }
                _ => error,
            }
        }
        async fn connected_to_upstream(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            reused: bool,
            peer: &::gateway_runtime::__private::HttpPeer,
            #[cfg(unix)]
            _fd: ::std::os::unix::io::RawFd,
            #[cfg(windows)]
            _sock: ::std::os::windows::io::RawSocket,
            _digest: ::core::option::Option<&::gateway_runtime::__private::Digest>,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            self.metrics.connection(ctx.upstream.upstream(), reused);
            ctx.connected = ::gateway_runtime::upstream::Connected::of(peer);
            ::core::result::Result::Ok(())
        }
        async fn logging(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _error: ::core::option::Option<&::gateway_runtime::__private::Error>,
            ctx: &mut Ctx,
        ) {
            self.metrics
                .record(
                    session,
                    &::gateway_runtime::metrics::Outcome {
                        route: ctx.route.map(|route| route as usize),
                        start: ctx.start,
                        refused: ctx.outcome,
                        cache: ::core::option::Option::None,
                        upstream: ctx
                            .connected
                            .map(|connected| (
                                ctx.upstream.upstream(),
                                connected.elapsed(),
                            )),
                    },
                );
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
                upstream_0_web: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_0)?,
                ),
                upstream_1_api: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_1)?,
                ),
                upstream_2_secret_files: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_2)?,
                ),
                upstream_3_grpc: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_3)?,
                ),
                upstream_4_by_ip: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_4)?,
                ),
                upstream_5_dynamic: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_5)?,
                ),
                upstream_6_outside: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_6)?,
                ),
                upstream_7_haproxy: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_7)?,
                ),
                metrics: {
                    ::gateway_runtime::build::Build {
                        file: "ok/upstreams.gw",
                        sha256: "61ee293096b3953c350760699193f2561e859c135fe2893025b2985907acfdad",
                    }
                        .register()?;
                    ::gateway_runtime::metrics::Metrics::new(&ROUTE_LABELS)?
                },
            })
        }
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/upstreams.gw",
                threads: ::core::option::Option::None,
                grace_period_seconds: ::core::option::Option::None,
                graceful_shutdown_timeout_seconds: ::core::option::Option::None,
                keepalive_pool: ::core::option::Option::Some(256),
                timeouts: ::gateway_runtime::guard::Timeouts {
                    header: ::gateway_runtime::guard::Timeouts::DEFAULT.header,
                    body: ::gateway_runtime::guard::Timeouts::DEFAULT.body,
                    keepalive: ::gateway_runtime::guard::Timeouts::DEFAULT.keepalive,
                },
                proxy_protocol: ::core::option::Option::None,
                http2: ::gateway_runtime::server::Http2 {
                    max_concurrent_streams: 128,
                    max_header_list_size: ::gateway_runtime::strict::Limits::DEFAULT
                        .head_bytes as u32,
                    max_pending_resets: 20,
                    max_error_resets: 1024,
                },
            };
            let server = ::gateway_runtime::server::new_server(opt, &settings)?;
            let gateway = Gateway::new()?;
            let mut services: ::std::vec::Vec<
                ::std::boxed::Box<dyn ::gateway_runtime::server::Service>,
            > = ::std::vec::Vec::new();
            services.extend(gateway.upstream_0_web.services());
            services.extend(gateway.upstream_1_api.services());
            services.extend(gateway.upstream_2_secret_files.services());
            services.extend(gateway.upstream_3_grpc.services());
            services.extend(gateway.upstream_4_by_ip.services());
            services.extend(gateway.upstream_5_dynamic.services());
            services.extend(gateway.upstream_6_outside.services());
            services.extend(gateway.upstream_7_haproxy.services());
            gateway
                .metrics
                .watch_health(
                    ::std::vec![
                        gateway.upstream_0_web.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway.upstream_1_api
                        .clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway
                        .upstream_2_secret_files.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway.upstream_3_grpc
                        .clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway.upstream_4_by_ip
                        .clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway
                        .upstream_5_dynamic.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway
                        .upstream_6_outside.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway
                        .upstream_7_haproxy.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >
                    ],
                )?;
            services
                .push(
                    ::gateway_runtime::admin::service(
                        "127.0.0.1:9100",
                        ::gateway_runtime::build::Build {
                            file: "ok/upstreams.gw",
                            sha256: "61ee293096b3953c350760699193f2561e859c135fe2893025b2985907acfdad",
                        },
                        ::core::option::Option::Some(
                            ::gateway_runtime::auth::BearerToken::from_env(
                                "GW_ADMIN_TOKEN",
                                "ok/upstreams.gw:4:30",
                            )?,
                        ),
                        ::std::vec![
                            gateway.upstream_0_web.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_1_api.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_2_secret_files.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_3_grpc.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_4_by_ip.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_5_dynamic.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_6_outside.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_7_haproxy.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >
                        ],
                        ::core::option::Option::None,
                        "{\"routes\":[{\"host\":\"*\",\"pattern\":\"/dynamic/\",\"label\":\"/dynamic/\",\"matchers\":[],\"action\":\"to dynamic\",\"upstream\":\"dynamic\",\"policies\":[],\"location\":\"ok/upstreams.gw:44:1\"},{\"host\":\"*\",\"pattern\":\"/outside/\",\"label\":\"/outside/\",\"matchers\":[],\"action\":\"to outside\",\"upstream\":\"outside\",\"policies\":[],\"location\":\"ok/upstreams.gw:45:1\"},{\"host\":\"*\",\"pattern\":\"/haproxy/\",\"label\":\"/haproxy/\",\"matchers\":[],\"action\":\"to haproxy\",\"upstream\":\"haproxy\",\"policies\":[],\"location\":\"ok/upstreams.gw:46:1\"},{\"host\":\"*\",\"pattern\":\"/files/\",\"label\":\"/files/\",\"matchers\":[],\"action\":\"to secret_files\",\"upstream\":\"secret_files\",\"policies\":[],\"location\":\"ok/upstreams.gw:47:1\"},{\"host\":\"*\",\"pattern\":\"/grpc/\",\"label\":\"/grpc/\",\"matchers\":[],\"action\":\"to grpc\",\"upstream\":\"grpc\",\"policies\":[],\"location\":\"ok/upstreams.gw:42:1\"},{\"host\":\"*\",\"pattern\":\"/api/\",\"label\":\"/api/\",\"matchers\":[],\"action\":\"to api\",\"upstream\":\"api\",\"policies\":[],\"location\":\"ok/upstreams.gw:41:1\"},{\"host\":\"*\",\"pattern\":\"/ip/\",\"label\":\"/ip/\",\"matchers\":[],\"action\":\"to by_ip\",\"upstream\":\"by_ip\",\"policies\":[],\"location\":\"ok/upstreams.gw:43:1\"},{\"host\":\"*\",\"pattern\":\"/ws/\",\"label\":\"/ws/\",\"matchers\":[],\"action\":\"to web\",\"upstream\":\"web\",\"policies\":[],\"location\":\"ok/upstreams.gw:48:1\"},{\"host\":\"*\",\"pattern\":\"/\",\"label\":\"/\",\"matchers\":[],\"action\":\"to web\",\"upstream\":\"web\",\"policies\":[],\"location\":\"ok/upstreams.gw:49:1\"}]}",
                    ),
                );
            let mut proxy = ::gateway_runtime::server::proxy_service(
                &server,
                &settings,
                gateway,
            );
            proxy.add_tcp("127.0.0.1:8080");
            services.push(::std::boxed::Box::new(proxy));
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
