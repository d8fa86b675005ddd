const _: &str = ::core::include_str!("$TEST_DATA/ok/shared_limits.gw");
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
    /// The gateway compiled from `ok/shared_limits.gw`.
    pub struct Gateway {
        /// Upstream `api`.
        upstream_0_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// The policy at ok/shared_limits.gw:9:3.
        policy_0: ::gateway_runtime::policy::limit_rate::SharedRateLimiter,
        /// The policy at ok/shared_limits.gw:14:3.
        policy_1: ::gateway_runtime::policy::limit_rate::SharedRateLimiter,
        /// The policy at ok/shared_limits.gw:15:3.
        policy_2: ::gateway_runtime::policy::limit_concurrency::SharedConcurrencyLimiter,
        cache: &'static ::gateway_runtime::cache::CacheStore,
    }
    /// The routes of the file, in file order; `ROUTE_LABELS` names them.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Route {
        R0,
        R1,
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 2usize] = ["/api/", "/static/"];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 4]),
            __n(0, [0, 0], [0, 0], [0, 1], [0, 0]),
            __n(0, [1, 0], [1, 0], [1, 1], [0, 0]),
        ],
        candidates: &[(Route::R0, "/api/"), (Route::R1, "/static/")],
        slots: &[("static", 2), ("", __E), ("", __E), ("api", 1)],
        regex: &[],
        groups: &[__g(0, [0, 0], [2, 0])],
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
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                client_ip: ::core::option::Option::None,
                request_id: ::core::option::Option::None,
                upstream: ::gateway_runtime::upstream::RequestState::new(),
                inflight: [::core::option::Option::None],
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
    fn fresh_1(
        status: ::gateway_runtime::__private::StatusCode,
    ) -> ::core::option::Option<::core::time::Duration> {
        match status.as_u16() {
            _ => {
                ::gateway_runtime::cache::default_freshness(
                    status,
                    ::core::time::Duration::from_millis(600000),
                )
            }
        }
    }
    static CACHE_1: ::gateway_runtime::cache::Route = ::gateway_runtime::cache::Route {
        slot: 0usize,
        label: "/static/",
        scope: "route 1 /static/ -> api",
        defaults: ::gateway_runtime::__private::CacheMetaDefaults::new(
            fresh_1,
            0u32,
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
        purge: ::core::option::Option::Some(::gateway_runtime::cache::Purge {
            allow: &[::gateway_runtime::client_ip::Cidr::v4([10u8, 0u8, 0u8, 0u8], 8u8)],
            token: false,
        }),
    };
    static CACHE_ROUTES: [&::gateway_runtime::cache::Route; 1usize] = [&CACHE_1];
    /// The cache rules of a request's route; `None` for routes without `cache`.
    fn cache_route(
        route: ::core::option::Option<Route>,
    ) -> ::core::option::Option<&'static ::gateway_runtime::cache::Route> {
        match route {
            ::core::option::Option::Some(Route::R1) => {
                ::core::option::Option::Some(&CACHE_1)
            }
            _ => ::core::option::Option::None,
        }
    }
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
            ctx.client_ip = ::gateway_runtime::client_ip::peer(session);
            match route {
                Route::R1 => {
                    if ::gateway_runtime::cache::purge::is_purge(session.req_header()) {
                        if let ::core::option::Option::Some(sending) = {
                            let sending: ::core::option::Option<
                                ::gateway_runtime::respond::Sending<'_>,
                            > = self
                                .cache
                                .authorize_purge(
                                    &CACHE_1,
                                    session.req_header(),
                                    ctx.client_ip,
                                )
                                .err()
                                .map(|refusal| {
                                    ::gateway_runtime::respond::refusal(
                                        session,
                                        refusal,
                                        &ERROR_PAGES,
                                    )
                                });
                            sending
                        } {
                            return sending.await;
                        }
                        return ::core::result::Result::Ok(false);
                    }
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_0
                                    .check_request(
                                        session,
                                        ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                        ::gateway_runtime::policy::key::Facts {
                                            route: route as usize,
                                            client: ctx.client_ip,
                                            claims: ::core::option::Option::None,
                                        },
                                    ),
                            )
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
                _ => {
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_0
                                    .check_request(
                                        session,
                                        ::gateway_runtime::policy::key::KeySpec::ClientIp,
                                        ::gateway_runtime::policy::key::Facts {
                                            route: route as usize,
                                            client: ctx.client_ip,
                                            claims: ::core::option::Option::None,
                                        },
                                    ),
                            )
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_1
                                    .check_request(
                                        session,
                                        ::gateway_runtime::policy::key::KeySpec::Header(
                                            "x-api-key",
                                        ),
                                        ::gateway_runtime::policy::key::Facts {
                                            route: route as usize,
                                            client: ctx.client_ip,
                                            claims: ::core::option::Option::None,
                                        },
                                    ),
                            )
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
                    if let ::core::option::Option::Some(sending) = {
                        let sending: ::core::option::Option<
                            ::gateway_runtime::respond::Sending<'_>,
                        > = match ::std::boxed::Box::pin(
                                self
                                    .policy_2
                                    .acquire_request(
                                        session,
                                        ::gateway_runtime::policy::key::KeySpec::Header(
                                            "x-api-key",
                                        ),
                                        ::gateway_runtime::policy::key::Facts {
                                            route: route as usize,
                                            client: ctx.client_ip,
                                            claims: ::core::option::Option::None,
                                        },
                                    ),
                            )
                            .await
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
        async fn response_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_response: &mut ::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            match ctx.route {
                ::core::option::Option::Some(Route::R1) => {
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
        fn purge_response_filter(
            &self,
            session: &::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
            status: ::gateway_runtime::__private::PurgeStatus,
            _response: &mut ::std::borrow::Cow<
                'static,
                ::gateway_runtime::__private::ResponseHeader,
            >,
        ) -> ::gateway_runtime::__private::Result<()> {
            if let ::core::option::Option::Some(rules) = cache_route(ctx.route) {
                self.cache.purged(session, rules, &status);
            }
            ::core::result::Result::Ok(())
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
            let store = ::std::sync::Arc::new(
                ::gateway_runtime::store::Store::new(::gateway_runtime::store::StoreConfig {
                    nodes: &["127.0.0.1:6379"],
                    cluster: false,
                    tls: false,
                    database: 0,
                    prefix: "edge:",
                    timeout: ::core::time::Duration::from_millis(20),
                    password: ::core::option::Option::Some((
                        "GW_REDIS_PASSWORD",
                        "ok/shared_limits.gw:4:14",
                    )),
                    lease: ::core::time::Duration::from_millis(10000),
                })?,
            );
            ::core::result::Result::Ok(Gateway {
                upstream_0_api: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_0)?,
                ),
                policy_0: ::gateway_runtime::policy::limit_rate::SharedRateLimiter::new(
                    store.clone(),
                    "server|limit rate 1000/m per client_ip shared on_store_error allow",
                    ::gateway_runtime::store::OnStoreError::Allow,
                    ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                        1000,
                        ::core::time::Duration::from_millis(60000),
                        true,
                        "client_ip",
                    ),
                ),
                policy_1: ::gateway_runtime::policy::limit_rate::SharedRateLimiter::new(
                    store.clone(),
                    "/api/|limit rate 100/s per header X-Api-Key shared on_store_error deny",
                    ::gateway_runtime::store::OnStoreError::Deny,
                    ::gateway_runtime::policy::limit_rate::RateLimiter::new(
                        100,
                        ::core::time::Duration::from_millis(1000),
                        true,
                        "header-x-api-key",
                    ),
                ),
                policy_2: ::gateway_runtime::policy::limit_concurrency::SharedConcurrencyLimiter::new(
                    store.clone(),
                    "/api/|limit concurrency 20 per header X-Api-Key shared",
                    ::gateway_runtime::store::OnStoreError::Local,
                    ::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter::new(
                        20,
                        429u16,
                    ),
                ),
                cache: ::gateway_runtime::cache::CacheStore::leak(
                        67108864,
                        &CACHE_ROUTES,
                        ::std::vec![::core::option::Option::None],
                    )
                    .share(store.clone()),
            })
        }
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/shared_limits.gw",
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
            services.extend(gateway.cache.subscription());
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
