const _: &str = ::core::include_str!("$TEST_DATA/ok/policies.gw");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/auth/ed.pub.pem");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/auth/hmac.key");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/auth/jwks.json");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/auth/tokens.txt");
const _: &[u8] = ::core::include_bytes!("$TEST_DATA/ok/auth/users.htpasswd");
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
    /// The gateway compiled from `ok/policies.gw`.
    pub struct Gateway {
        /// Upstream `api`.
        upstream_0_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// The policy at ok/policies.gw:7:3.
        policy_0: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:16:3.
        policy_3: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:17:3.
        policy_4: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:18:3.
        policy_5: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter,
        /// The policy at ok/policies.gw:22:3.
        policy_7: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter,
        /// The policy at ok/policies.gw:23:3.
        policy_8: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:24:3.
        policy_9: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:27:11.
        policy_10: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:29:3.
        policy_11: ::gateway_runtime::policy::auth_basic::BasicAuth,
        /// The policy at ok/policies.gw:32:23.
        policy_12: ::gateway_runtime::policy::auth_bearer::BearerAuth,
        /// The policy at ok/policies.gw:33:20.
        policy_13: ::gateway_runtime::policy::auth_api_key::ApiKeyAuth,
        /// The policy at ok/policies.gw:34:26.
        policy_14: ::gateway_runtime::policy::auth_api_key::ApiKeyAuth,
        /// The policy at ok/policies.gw:36:3.
        policy_15: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:37:3.
        policy_16: ::gateway_runtime::policy::auth_jwt::JwtAuth,
        /// The policy at ok/policies.gw:46:3.
        policy_17: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/policies.gw:47:3.
        policy_18: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter,
        /// The policy at ok/policies.gw:50:19.
        policy_19: ::gateway_runtime::policy::auth_jwt::JwtAuth,
        /// The policy at ok/policies.gw:51:20.
        policy_20: ::gateway_runtime::policy::auth_jwt::JwtAuth,
        /// The policy at ok/policies.gw:61:3.
        policy_22: ::gateway_runtime::policy::auth_bearer::BearerAuth,
        /// The policy at ok/policies.gw:66:3.
        policy_24: ::gateway_runtime::policy::auth_forward::ForwardAuth,
        /// The policy at ok/policies.gw:73:33.
        policy_25: ::gateway_runtime::policy::auth_forward::ForwardAuth,
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
        R9,
        R10,
        R11,
        R12,
        R13,
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 14usize] = [
        "/api/",
        "/admin/",
        "/",
        "/auth/basic/",
        "/auth/bearer/",
        "/auth/key/",
        "/auth/query-key/",
        "/auth/jwt/",
        "/auth/hs/",
        "/auth/pem/",
        "/cors/",
        "/cors-fixed/",
        "/auth/forward/",
        "/auth/forward-defaults/",
    ];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 16]),
            __n(0, [0, 0], [0, 0], [0, 1], [0, 0]),
            __n(0, [1, 0], [1, 0], [1, 1], [0, 0]),
            __n(0, [2, 0], [2, 0], [2, 0], [16, 32]),
            __n(3, [2, 0], [2, 0], [2, 1], [0, 0]),
            __n(3, [3, 0], [3, 0], [3, 1], [0, 0]),
            __n(3, [4, 0], [4, 0], [4, 1], [0, 0]),
            __n(3, [5, 0], [5, 0], [5, 1], [0, 0]),
            __n(3, [6, 0], [6, 0], [6, 1], [0, 0]),
            __n(3, [7, 0], [7, 0], [7, 1], [0, 0]),
            __n(3, [8, 0], [8, 0], [8, 1], [0, 0]),
            __n(0, [9, 0], [9, 0], [9, 1], [0, 0]),
            __n(0, [10, 0], [10, 0], [10, 1], [0, 0]),
            __n(3, [11, 0], [11, 0], [11, 1], [0, 0]),
            __n(3, [12, 0], [12, 0], [12, 1], [0, 0]),
        ],
        candidates: &[
            (Route::R0, "/api/"),
            (Route::R1, "/admin/"),
            (Route::R3, "/auth/basic/"),
            (Route::R4, "/auth/bearer/"),
            (Route::R5, "/auth/key/"),
            (Route::R6, "/auth/query-key/"),
            (Route::R7, "/auth/jwt/"),
            (Route::R8, "/auth/hs/"),
            (Route::R9, "/auth/pem/"),
            (Route::R10, "/cors/"),
            (Route::R11, "/cors-fixed/"),
            (Route::R12, "/auth/forward/"),
            (Route::R13, "/auth/forward-defaults/"),
            (Route::R2, "/"),
        ],
        slots: &[
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("admin", 2),
            ("cors", 11),
            ("", __E),
            ("api", 1),
            ("cors-fixed", 12),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("auth", 3),
            ("", __E),
            ("query-key", 7),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("forward-defaults", 14),
            ("", __E),
            ("pem", 10),
            ("", __E),
            ("", __E),
            ("hs", 9),
            ("key", 6),
            ("", __E),
            ("", __E),
            ("bearer", 5),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("", __E),
            ("forward", 13),
            ("", __E),
            ("", __E),
            ("basic", 4),
            ("jwt", 8),
            ("", __E),
        ],
        regex: &[],
        groups: &[__g(0, [0, 0], [13, 1])],
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
        /// The slots of `limit concurrency`, held until the request ends.
        inflight: [::core::option::Option<
            ::gateway_runtime::policy::limit_concurrency::Slot,
        >; 1],
        /// The claims of the request's JWT, for limits counted per claim.
        claims: ::core::option::Option<::gateway_runtime::policy::auth_jwt::Claims>,
        body_bytes: u64,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                client_ip: ::core::option::Option::None,
                request_id: ::core::option::Option::None,
                upstream: ::gateway_runtime::upstream::RequestState::new(),
                inflight: [::core::option::Option::None],
                claims: ::core::option::Option::None,
                body_bytes: 0,
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
    static POLICY_1: [::gateway_runtime::policy::access::Rule; 1usize] = [
        ::gateway_runtime::policy::access::Rule {
            cidr: ::gateway_runtime::client_ip::Cidr::v4([192u8, 0u8, 2u8, 0u8], 24u8),
            allow: false,
        },
    ];
    static POLICY_6: [::gateway_runtime::policy::access::Rule; 3usize] = [
        ::gateway_runtime::policy::access::Rule {
            cidr: ::gateway_runtime::client_ip::Cidr::v4([10u8, 0u8, 0u8, 0u8], 8u8),
            allow: true,
        },
        ::gateway_runtime::policy::access::Rule {
            cidr: ::gateway_runtime::client_ip::Cidr::v6(
                [8193u16, 3512u16, 0u16, 0u16, 0u16, 0u16, 0u16, 0u16],
                32u8,
            ),
            allow: true,
        },
        ::gateway_runtime::policy::access::Rule {
            cidr: ::gateway_runtime::client_ip::Cidr::ALL,
            allow: false,
        },
    ];
    static POLICY_21: ::gateway_runtime::policy::cors::Cors = ::gateway_runtime::policy::cors::Cors {
        origins: ::gateway_runtime::policy::cors::Origins::List(
            &["https://app.example.com", "http://localhost:3000"],
        ),
        methods: &["GET", "PUT"],
        headers: &["content-type", "authorization"],
        allow_methods: "GET, PUT",
        allow_headers: "content-type, authorization",
        expose_headers: "x-request-id",
        credentials: true,
        max_age: ::core::option::Option::Some(3600u64),
    };
    static POLICY_23: ::gateway_runtime::policy::cors::Cors = ::gateway_runtime::policy::cors::Cors {
        origins: ::gateway_runtime::policy::cors::Origins::Any,
        methods: &["GET", "HEAD", "POST"],
        headers: &["*"],
        allow_methods: "GET, HEAD, POST",
        allow_headers: "*",
        expose_headers: "",
        credentials: false,
        max_age: ::core::option::Option::None,
    };
    static REAL_IP: ::gateway_runtime::client_ip::RealIp = ::gateway_runtime::client_ip::RealIp {
        trusted: &[
            ::gateway_runtime::client_ip::Cidr::v4([10u8, 0u8, 0u8, 0u8], 8u8),
            ::gateway_runtime::client_ip::Cidr::v6(
                [8193u16, 3512u16, 0u16, 0u16, 0u16, 0u16, 0u16, 0u16],
                32u8,
            ),
        ],
        header: ::gateway_runtime::client_ip::Header::XRealIp,
    };
    static ERROR_PAGES: [::gateway_runtime::respond::ErrorPage; 0usize] = [];
    static RESPONSE_HEADERS_1: [::gateway_runtime::headers::Edit; 0usize] = [];
    static RESPONSE_1: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
        status: 200u16,
        body: b"admin",
        content_type: "text/plain; charset=utf-8",
        headers: &RESPONSE_HEADERS_1,
    };
    static RESPONSE_HEADERS_11: [::gateway_runtime::headers::Edit; 0usize] = [];
    static RESPONSE_11: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
        status: 200u16,
        body: b"ok",
        content_type: "text/plain; charset=utf-8",
        headers: &RESPONSE_HEADERS_11,
    };
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
                return response.await;
            }
            let normal = ::gateway_runtime::path::normalize_target(
                session.req_header_mut(),
            );
            if !normal {
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
            ctx.client_ip = ::gateway_runtime::client_ip::behind(session, &REAL_IP);
            match route {
                Route::R1 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_8
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Route,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_9
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_7
                            .acquire_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Route,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ctx.inflight[0] = value;
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
                    ::gateway_runtime::respond::fixed(session, &RESPONSE_1).await
                }
                Route::R2 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_10
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Path,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                Route::R3 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(self.policy_11.check(session))
                            .await
                        {
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
                Route::R4 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_12.check(session) {
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
                Route::R5 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_13.check(session) {
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
                Route::R6 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_14.check(session) {
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
                Route::R7 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_15
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_16.check(session) {
                            ::core::result::Result::Ok(value) => {
                                ctx.claims = ::core::option::Option::Some(value);
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_17
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Claim("sub"),
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_18
                            .acquire_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Claim("tenant"),
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ctx.inflight[0] = value;
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
                Route::R8 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_19.check(session) {
                            ::core::result::Result::Ok(value) => {
                                ctx.claims = ::core::option::Option::Some(value);
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
                Route::R9 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_20.check(session) {
                            ::core::result::Result::Ok(value) => {
                                ctx.claims = ::core::option::Option::Some(value);
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
                Route::R10 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
                        ) {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    refusal
                                        .headers
                                        .extend(POLICY_21.response_headers(session.req_header()));
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                })
                            }
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match POLICY_21.preflight(session) {
                            ::core::option::Option::Some(
                                ::core::result::Result::Ok(headers),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::preflight(session, headers),
                                )
                            }
                            ::core::option::Option::Some(
                                ::core::result::Result::Err(refusal),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    ),
                                )
                            }
                            ::core::option::Option::None => ::core::option::Option::None,
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    refusal
                                        .headers
                                        .extend(POLICY_21.response_headers(session.req_header()));
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                })
                            }
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self.policy_22.check(session) {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    refusal
                                        .headers
                                        .extend(POLICY_21.response_headers(session.req_header()));
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                })
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
                Route::R11 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
                        ) {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    refusal
                                        .headers
                                        .extend(POLICY_23.response_headers(session.req_header()));
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                })
                            }
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match POLICY_23.preflight(session) {
                            ::core::option::Option::Some(
                                ::core::result::Result::Ok(headers),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::preflight(session, headers),
                                )
                            }
                            ::core::option::Option::Some(
                                ::core::result::Result::Err(refusal),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    ),
                                )
                            }
                            ::core::option::Option::None => ::core::option::Option::None,
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    refusal
                                        .headers
                                        .extend(POLICY_23.response_headers(session.req_header()));
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                })
                            }
                        };
                        sending
                    } {
                        return sending.await;
                    }
                    ::gateway_runtime::respond::fixed_with(
                            session,
                            &RESPONSE_11,
                            POLICY_23.response_headers(session.req_header()),
                        )
                        .await
                }
                Route::R12 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_24
                                    .check(session, ctx.client_ip, ::core::option::Option::None),
                            )
                            .await
                        {
                            ::core::result::Result::Ok(()) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(
                                ::gateway_runtime::policy::auth_forward::Denial::Answer(
                                    header,
                                    body,
                                ),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::answer(session, header, body),
                                )
                            }
                            ::core::result::Result::Err(
                                ::gateway_runtime::policy::auth_forward::Denial::Refused(
                                    refusal,
                                ),
                            ) => {
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
                Route::R13 => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_25
                                    .check(session, ctx.client_ip, ::core::option::Option::None),
                            )
                            .await
                        {
                            ::core::result::Result::Ok(()) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(
                                ::gateway_runtime::policy::auth_forward::Denial::Answer(
                                    header,
                                    body,
                                ),
                            ) => {
                                ::core::option::Option::Some(
                                    ::gateway_runtime::respond::answer(session, header, body),
                                )
                            }
                            ::core::result::Result::Err(
                                ::gateway_runtime::policy::auth_forward::Denial::Refused(
                                    refusal,
                                ),
                            ) => {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_1,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::access::check(
                            &POLICY_6,
                            ctx.client_ip,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::gateway_runtime::policy::limit_body::check_length(
                            session.req_header(),
                            1048576,
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_0
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_3
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Header(
                                    "x-api-key",
                                ),
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_4
                            .check_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Query("key"),
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match self
                            .policy_5
                            .acquire_request(
                                session,
                                ::gateway_runtime::policy::key::KeySpec::Cookie("session"),
                                ::gateway_runtime::policy::key::Facts {
                                    route: route as usize,
                                    client: ctx.client_ip,
                                    claims: ctx.claims.as_ref(),
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ctx.inflight[0] = value;
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
        async fn request_body_filter(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            body: &mut ::core::option::Option<::gateway_runtime::__private::Bytes>,
            end_of_stream: bool,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            match ctx.route {
                ::core::option::Option::Some(Route::R0) => {
                    ::gateway_runtime::policy::limit_body::count(
                        &mut ctx.body_bytes,
                        body,
                        1048576,
                    )?;
                }
                _ => {}
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
                ::core::option::Option::Some(Route::R10) => {
                    ::gateway_runtime::forwarded::echo_request_id(
                        ctx.request_id.as_ref(),
                        upstream_response,
                    )?;
                    POLICY_21.apply(session.req_header(), upstream_response)?;
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
                ::core::option::Option::Some(
                    Route::R0
                    | Route::R2
                    | Route::R3
                    | Route::R4
                    | Route::R5
                    | Route::R6
                    | Route::R7
                    | Route::R8
                    | Route::R9
                    | Route::R10
                    | Route::R12
                    | Route::R13,
                ) => self.upstream_0_api.connect_failed(peer, &ctx.upstream, error),
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
                policy_0: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    1000,
                    ::core::time::Duration::from_millis(60000),
                    true,
                    "client_ip",
                ),
                policy_3: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    100,
                    ::core::time::Duration::from_millis(1000),
                    true,
                    "header-x-api-key",
                ),
                policy_4: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    10,
                    ::core::time::Duration::from_millis(60000),
                    false,
                    "query-key",
                ),
                policy_5: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter::new(
                    20,
                    503u16,
                ),
                policy_7: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter::new(
                    2,
                    429u16,
                ),
                policy_8: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    5,
                    ::core::time::Duration::from_millis(3600000),
                    true,
                    "route",
                ),
                policy_9: ::gateway_runtime::policy::limit_rate::RateLimiter::with_burst(
                    10,
                    ::core::time::Duration::from_millis(1000),
                    20,
                    "client_ip",
                ),
                policy_10: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    50,
                    ::core::time::Duration::from_millis(1000),
                    true,
                    "path",
                ),
                policy_11: ::gateway_runtime::policy::auth_basic::BasicAuth::load(::gateway_runtime::policy::auth_basic::Sources {
                    realm: "Staff",
                    files: &["$TEST_DATA/ok/auth/users.htpasswd"],
                    users: &[],
                    location: "ok/policies.gw:29:3",
                })?,
                policy_12: ::gateway_runtime::policy::auth_bearer::BearerAuth::load(::gateway_runtime::policy::auth_bearer::Sources {
                    envs: &[],
                    files: &["$TEST_DATA/ok/auth/tokens.txt"],
                    directive: "auth bearer",
                    location: "ok/policies.gw:32:23",
                })?,
                policy_13: ::gateway_runtime::policy::auth_api_key::ApiKeyAuth::load(
                    ::gateway_runtime::policy::auth_api_key::Carrier::Header(
                        "x-api-key",
                    ),
                    ::gateway_runtime::policy::auth_bearer::Sources {
                        envs: &[],
                        files: &["$TEST_DATA/ok/auth/tokens.txt"],
                        directive: "auth api_key",
                        location: "ok/policies.gw:33:20",
                    },
                )?,
                policy_14: ::gateway_runtime::policy::auth_api_key::ApiKeyAuth::load(
                    ::gateway_runtime::policy::auth_api_key::Carrier::Query("key"),
                    ::gateway_runtime::policy::auth_bearer::Sources {
                        envs: &[],
                        files: &["$TEST_DATA/ok/auth/tokens.txt"],
                        directive: "auth api_key",
                        location: "ok/policies.gw:34:26",
                    },
                )?,
                policy_15: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    10,
                    ::core::time::Duration::from_millis(1000),
                    true,
                    "client_ip",
                ),
                policy_16: ::gateway_runtime::policy::auth_jwt::JwtAuth::load(::gateway_runtime::policy::auth_jwt::Config {
                    key: ::gateway_runtime::policy::auth_jwt::KeySource::Jwks(
                        "$TEST_DATA/ok/auth/jwks.json",
                    ),
                    algorithms: &["ES256"],
                    issuers: &["https://id.example.test/"],
                    audiences: &["api"],
                    leeway_seconds: 10u64,
                    required: &["sub"],
                    claims: &[("sub", "X-User")],
                    location: "ok/policies.gw:37:3",
                })?,
                policy_17: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    100,
                    ::core::time::Duration::from_millis(60000),
                    true,
                    "claim-sub",
                ),
                policy_18: ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter::new(
                    5,
                    429u16,
                ),
                policy_19: ::gateway_runtime::policy::auth_jwt::JwtAuth::load(::gateway_runtime::policy::auth_jwt::Config {
                    key: ::gateway_runtime::policy::auth_jwt::KeySource::SecretFile(
                        "$TEST_DATA/ok/auth/hmac.key",
                    ),
                    algorithms: &["HS256", "HS512"],
                    issuers: &[],
                    audiences: &[],
                    leeway_seconds: 60u64,
                    required: &[],
                    claims: &[],
                    location: "ok/policies.gw:50:19",
                })?,
                policy_20: ::gateway_runtime::policy::auth_jwt::JwtAuth::load(::gateway_runtime::policy::auth_jwt::Config {
                    key: ::gateway_runtime::policy::auth_jwt::KeySource::PublicKey(
                        "$TEST_DATA/ok/auth/ed.pub.pem",
                    ),
                    algorithms: &["EdDSA"],
                    issuers: &[],
                    audiences: &[],
                    leeway_seconds: 60u64,
                    required: &[],
                    claims: &[],
                    location: "ok/policies.gw:51:20",
                })?,
                policy_22: ::gateway_runtime::policy::auth_bearer::BearerAuth::load(::gateway_runtime::policy::auth_bearer::Sources {
                    envs: &[],
                    files: &["$TEST_DATA/ok/auth/tokens.txt"],
                    directive: "auth bearer",
                    location: "ok/policies.gw:61:3",
                })?,
                policy_24: ::gateway_runtime::policy::auth_forward::ForwardAuth::load(::gateway_runtime::policy::auth_forward::Config {
                    tls: false,
                    host: "127.0.0.1",
                    port: 4180u16,
                    path: "/oauth2/auth",
                    copy_request: &["Authorization", "Cookie"],
                    copy_response: &["X-Auth-Request-User", "X-Auth-Request-Email"],
                    timeout: ::core::time::Duration::from_millis(2000),
                    location: "ok/policies.gw:66:3",
                })?,
                policy_25: ::gateway_runtime::policy::auth_forward::ForwardAuth::load(::gateway_runtime::policy::auth_forward::Config {
                    tls: true,
                    host: "127.0.0.1",
                    port: 8443u16,
                    path: "/verify",
                    copy_request: &["Authorization", "Cookie"],
                    copy_response: &[],
                    timeout: ::core::time::Duration::from_millis(5000),
                    location: "ok/policies.gw:73:33",
                })?,
            })
        }
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/policies.gw",
                threads: ::core::option::Option::None,
                grace_period_seconds: ::core::option::Option::None,
                graceful_shutdown_timeout_seconds: ::core::option::Option::None,
                keepalive_pool: ::core::option::Option::None,
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
            services.extend(gateway.upstream_0_api.services());
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
