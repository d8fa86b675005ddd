const _: &str = ::core::include_str!("$TEST_DATA/ok/full.gw");
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
    /// The gateway compiled from `ok/full.gw`.
    pub struct Gateway {
        /// Upstream `web`.
        upstream_0_web: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Upstream `api`.
        upstream_1_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// The policy at ok/full.gw:30:3.
        policy_0: ::gateway_runtime::policy::limit_rate::RateLimiter,
        /// The policy at ok/full.gw:31:3.
        policy_1: ::gateway_runtime::policy::auth_bearer::BearerAuth,
        cache: &'static ::gateway_runtime::cache::CacheStore,
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
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 6usize] = [
        "api.example.com,example.org /api/",
        "= /healthz",
        "= /teapot",
        "/static/",
        "/docs",
        "/",
    ];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 8]),
            __n(0, [0, 1], [1, 0], [1, 0], [0, 0]),
            __n(0, [1, 1], [2, 0], [2, 0], [0, 0]),
            __n(0, [2, 0], [2, 0], [2, 1], [0, 0]),
            __n(0, [3, 0], [3, 1], [4, 0], [0, 0]),
            __n(__E, [5, 0], [5, 0], [5, 0], [8, 2]),
            __n(5, [5, 0], [5, 0], [5, 1], [0, 0]),
            __n(__E, [6, 0], [6, 0], [6, 0], [10, 2]),
            __n(7, [6, 0], [6, 0], [6, 1], [0, 0]),
        ],
        candidates: &[
            (Route::R1, "/healthz"),
            (Route::R2, "/teapot"),
            (Route::R3, "/static/"),
            (Route::R4, "/docs"),
            (Route::R5, "/"),
            (Route::R0, "/api/"),
            (Route::R0, "/api/"),
        ],
        slots: &[
            ("teapot", 2),
            ("", __E),
            ("docs", 4),
            ("static", 3),
            ("", __E),
            ("", __E),
            ("", __E),
            ("healthz", 1),
            ("", __E),
            ("api", 6),
            ("", __E),
            ("api", 8),
            ("api.example.com", 1),
            ("example.org", 2),
            ("", __E),
            ("", __E),
        ],
        regex: &[],
        groups: &[
            __g(0, [0, 0], [4, 1]),
            __g(5, [0, 0], [6, 0]),
            __g(7, [0, 0], [7, 0]),
        ],
        hosts: [12, 4],
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
    static UPSTREAM_1: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "api",
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
    fn fresh_3(
        status: ::gateway_runtime::__private::StatusCode,
    ) -> ::core::option::Option<::core::time::Duration> {
        match status.as_u16() {
            _ => {
                ::gateway_runtime::cache::default_freshness(
                    status,
                    ::core::time::Duration::from_millis(60000),
                )
            }
        }
    }
    static CACHE_3: ::gateway_runtime::cache::Route = ::gateway_runtime::cache::Route {
        slot: 0usize,
        label: "/static/",
        scope: "route 3 /static/ -> web",
        defaults: ::gateway_runtime::__private::CacheMetaDefaults::new(
            fresh_3,
            30u32,
            0u32,
        ),
        lock_timeout: ::core::option::Option::Some(
            ::core::time::Duration::from_millis(5000),
        ),
        max_size: ::core::option::Option::None,
        min_uses: 1u32,
        max_variants: 16u32,
        status_header: true,
        bypass: &[],
        key: ::gateway_runtime::cache::KeyRules {
            headers: &[],
            cookies: &[],
            query: ::gateway_runtime::cache::Query::All,
            sort_query: false,
        },
        purge: ::core::option::Option::None,
    };
    static CACHE_ROUTES: [&::gateway_runtime::cache::Route; 1usize] = [&CACHE_3];
    /// The cache rules of a request's route; `None` for routes without `cache`.
    fn cache_route(
        route: ::core::option::Option<Route>,
    ) -> ::core::option::Option<&'static ::gateway_runtime::cache::Route> {
        match route {
            ::core::option::Option::Some(Route::R3) => {
                ::core::option::Option::Some(&CACHE_3)
            }
            _ => ::core::option::Option::None,
        }
    }
    static ERROR_PAGES: [::gateway_runtime::respond::ErrorPage; 0usize] = [];
    static REQUEST_HEADERS_0: [::gateway_runtime::headers::Edit; 2usize] = [
        ::gateway_runtime::headers::Edit::Set(
            "X-Forwarded-Proto",
            ::gateway_runtime::__private::HeaderValue::from_static("https"),
        ),
        ::gateway_runtime::headers::Edit::Remove("User-Agent"),
    ];
    static RESPONSE_HEADERS_0: [::gateway_runtime::headers::Edit; 2usize] = [
        ::gateway_runtime::headers::Edit::Set(
            "X-Content-Type-Options",
            ::gateway_runtime::__private::HeaderValue::from_static("nosniff"),
        ),
        ::gateway_runtime::headers::Edit::Remove("X-App-Version"),
    ];
    static RESPONSE_HEADERS_1: [::gateway_runtime::headers::Edit; 0usize] = [];
    static RESPONSE_1: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
        status: 200u16,
        body: b"ok\n",
        content_type: "text/plain; charset=utf-8",
        headers: &RESPONSE_HEADERS_1,
    };
    static RESPONSE_HEADERS_2: [::gateway_runtime::headers::Edit; 1usize] = [
        ::gateway_runtime::headers::Edit::Set(
            "X-Teapot",
            ::gateway_runtime::__private::HeaderValue::from_static("short and stout"),
        ),
    ];
    static RESPONSE_2: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
        status: 418u16,
        body: b"",
        content_type: "text/plain; charset=utf-8",
        headers: &RESPONSE_HEADERS_2,
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
                    ::gateway_runtime::router::request_host(request),
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
                    ::gateway_runtime::router::request_host(request),
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
            if ::gateway_runtime::tls::misdirected(session) {
                ctx.outcome = ::core::option::Option::Some("misdirected");
                return ::gateway_runtime::respond::error(session, 421, &ERROR_PAGES)
                    .await;
            }
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
                Route::R0 => {
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
                                    claims: ::core::option::Option::None,
                                },
                            )
                        {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    ctx.outcome = ::core::option::Option::Some("limit_rate");
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
                        > = match self.policy_1.check(session) {
                            ::core::result::Result::Ok(value) => {
                                ::core::option::Option::None
                            }
                            ::core::result::Result::Err(refusal) => {
                                ::core::option::Option::Some({
                                    let mut refusal = refusal;
                                    ctx.outcome = ::core::option::Option::Some("auth");
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
                Route::R1 => {
                    ::gateway_runtime::respond::fixed(session, &RESPONSE_1).await
                }
                Route::R2 => {
                    ::gateway_runtime::respond::fixed(session, &RESPONSE_2).await
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
                ::core::option::Option::Some(Route::R0) => {
                    self.upstream_1_api
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
                _ => {
                    self.upstream_0_web
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
                ::core::option::Option::Some(Route::R0) => {
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
                    ::gateway_runtime::headers::edit_request(
                        &REQUEST_HEADERS_0,
                        upstream_request,
                    )?;
                }
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
                ::core::option::Option::Some(Route::R0) => {
                    ::gateway_runtime::forwarded::echo_request_id(
                        ctx.request_id.as_ref(),
                        upstream_response,
                    )?;
                    ::gateway_runtime::headers::edit_response(
                        &RESPONSE_HEADERS_0,
                        upstream_response,
                    )?;
                }
                ::core::option::Option::Some(Route::R3) => {
                    ::gateway_runtime::cache::add_status_header(
                        session,
                        upstream_response,
                    )?;
                    ::gateway_runtime::forwarded::echo_request_id(
                        ctx.request_id.as_ref(),
                        upstream_response,
                    )?;
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
        fn request_cache_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            if let ::core::option::Option::Some(rules) = cache_route(ctx.route) {
                self.cache.enable(session, rules);
            }
            ::core::result::Result::Ok(())
        }
        fn cache_key_callback(
            &self,
            session: &::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<
            ::gateway_runtime::__private::CacheKey,
        > {
            match cache_route(ctx.route) {
                ::core::option::Option::Some(rules) => {
                    ::core::result::Result::Ok(self.cache.key(session, rules))
                }
                ::core::option::Option::None => ::gateway_runtime::cache::no_key(),
            }
        }
        fn cache_vary_filter(
            &self,
            meta: &::gateway_runtime::__private::CacheMeta,
            _ctx: &mut Ctx,
            request: &::gateway_runtime::__private::RequestHeader,
        ) -> ::core::option::Option<::gateway_runtime::__private::HashBinary> {
            ::gateway_runtime::cache::vary::variance(meta, request)
        }
        fn is_purge(
            &self,
            session: &::gateway_runtime::__private::Session,
            ctx: &Ctx,
        ) -> bool {
            ::gateway_runtime::cache::purge::purges(
                cache_route(ctx.route),
                session.req_header(),
            )
        }
        fn response_cache_filter(
            &self,
            session: &::gateway_runtime::__private::Session,
            response: &::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<
            ::gateway_runtime::__private::RespCacheable,
        > {
            ::core::result::Result::Ok(
                match cache_route(ctx.route) {
                    ::core::option::Option::Some(rules) => {
                        self.cache.cacheable(session, response, rules)
                    }
                    ::core::option::Option::None => {
                        ::gateway_runtime::cache::uncacheable()
                    }
                },
            )
        }
        fn should_serve_stale(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _ctx: &mut Ctx,
            error: ::core::option::Option<&::gateway_runtime::__private::Error>,
        ) -> bool {
            ::gateway_runtime::cache::should_serve_stale(session, error)
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
                ::core::option::Option::Some(Route::R3 | Route::R4 | Route::R5) => {
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
                        cache: cache_route(ctx.route)
                            .map(|_| ::gateway_runtime::cache::status(session)),
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
                policy_0: ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                    100,
                    ::core::time::Duration::from_millis(1000),
                    true,
                    "client_ip",
                ),
                policy_1: ::gateway_runtime::policy::auth_bearer::BearerAuth::load(::gateway_runtime::policy::auth_bearer::Sources {
                    envs: &["API_TOKEN"],
                    files: &[],
                    directive: "auth bearer env(API_TOKEN)",
                    location: "ok/full.gw:31:3",
                })?,
                cache: ::gateway_runtime::cache::CacheStore::leak(
                    134217728,
                    &CACHE_ROUTES,
                    ::std::vec![::core::option::Option::None],
                ),
                metrics: {
                    ::gateway_runtime::build::Build {
                        file: "ok/full.gw",
                        sha256: "c34468941da0cdd5f86e00edd10d57b99c3db58b108c0de0c52bf764f3156b91",
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
                source: "ok/full.gw",
                threads: ::core::option::Option::Some(2),
                grace_period_seconds: ::core::option::Option::Some(30),
                graceful_shutdown_timeout_seconds: ::core::option::Option::Some(5),
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
            services.extend(gateway.upstream_0_web.services());
            services.extend(gateway.upstream_1_api.services());
            gateway
                .metrics
                .watch_health(
                    ::std::vec![
                        gateway.upstream_0_web.clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >, gateway.upstream_1_api
                        .clone() as ::std::sync::Arc < dyn
                        ::gateway_runtime::upstream::Control >
                    ],
                )?;
            services
                .push(
                    ::gateway_runtime::admin::service(
                        "127.0.0.1:9100",
                        ::gateway_runtime::build::Build {
                            file: "ok/full.gw",
                            sha256: "c34468941da0cdd5f86e00edd10d57b99c3db58b108c0de0c52bf764f3156b91",
                        },
                        ::core::option::Option::None,
                        ::std::vec![
                            gateway.upstream_0_web.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >, gateway
                            .upstream_1_api.clone() as ::std::sync::Arc < dyn
                            ::gateway_runtime::upstream::Control >
                        ],
                        ::core::option::Option::Some(gateway.cache),
                        "{\"routes\":[{\"host\":\"api.example.com\",\"pattern\":\"/api/\",\"label\":\"api.example.com,example.org /api/\",\"matchers\":[],\"action\":\"to api\",\"upstream\":\"api\",\"policies\":[\"limit rate\",\"auth bearer\"],\"location\":\"ok/full.gw:28:1\"},{\"host\":\"example.org\",\"pattern\":\"/api/\",\"label\":\"api.example.com,example.org /api/\",\"matchers\":[],\"action\":\"to api\",\"upstream\":\"api\",\"policies\":[\"limit rate\",\"auth bearer\"],\"location\":\"ok/full.gw:28:1\"},{\"host\":\"*\",\"pattern\":\"= /healthz\",\"label\":\"= /healthz\",\"matchers\":[],\"action\":\"respond 200\",\"upstream\":null,\"policies\":[],\"location\":\"ok/full.gw:37:1\"},{\"host\":\"*\",\"pattern\":\"= /teapot\",\"label\":\"= /teapot\",\"matchers\":[],\"action\":\"respond 418\",\"upstream\":null,\"policies\":[],\"location\":\"ok/full.gw:38:1\"},{\"host\":\"*\",\"pattern\":\"/static/\",\"label\":\"/static/\",\"matchers\":[],\"action\":\"to web\",\"upstream\":\"web\",\"policies\":[\"cache\"],\"location\":\"ok/full.gw:40:1\"},{\"host\":\"*\",\"pattern\":\"/docs\",\"label\":\"/docs\",\"matchers\":[],\"action\":\"to web\",\"upstream\":\"web\",\"policies\":[],\"location\":\"ok/full.gw:45:1\"},{\"host\":\"*\",\"pattern\":\"/\",\"label\":\"/\",\"matchers\":[],\"action\":\"to web\",\"upstream\":\"web\",\"policies\":[],\"location\":\"ok/full.gw:46:1\"}]}",
                    ),
                );
            let mut proxy = ::gateway_runtime::server::proxy_service(
                &server,
                &settings,
                gateway,
            );
            proxy.add_tcp("0.0.0.0:6188");
            static TLS_LISTENER_1: ::gateway_runtime::tls::Listener = ::gateway_runtime::tls::Listener {
                addr: "[::]:6443",
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
                client: ::core::option::Option::None,
                hsts: ::core::option::Option::None,
                strict_sni: true,
            };
            ::gateway_runtime::tls::add(&mut proxy, &TLS_LISTENER_1)?;
            services.push(::std::boxed::Box::new(proxy));
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
