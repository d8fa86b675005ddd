const _: &str = ::core::include_str!("$TEST_DATA/ok/routing_language.gw");
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
    /// The gateway compiled from `ok/routing_language.gw`.
    pub struct Gateway {
        /// Upstream `api`.
        upstream_0_api: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Upstream `web`.
        upstream_1_web: ::std::sync::Arc<
            ::gateway_runtime::upstream::Upstream<
                ::gateway_runtime::__private::RoundRobin,
            >,
        >,
        /// Every regex of the file, compiled at start-up.
        regexes: [::gateway_runtime::__private::Regex; 3usize],
        body_regexes: [::gateway_runtime::__private::BytesRegex; 1usize],
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
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 7usize] = [
        "api.example.com,*.api.example.com /api/",
        "~ ^/v1/(?P<rest>.*)$",
        "~* \\.(png|jpg)$",
        "/ops/",
        "/old/",
        "= /teapot",
        "/",
    ];
    use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};
    static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
        nodes: &[
            __n(__E, [0, 0], [0, 0], [0, 0], [0, 8]),
            __n(0, [0, 0], [0, 0], [0, 1], [0, 0]),
            __n(0, [1, 0], [1, 0], [1, 1], [0, 0]),
            __n(0, [2, 1], [3, 0], [3, 0], [0, 0]),
            __n(__E, [4, 0], [4, 0], [4, 0], [8, 2]),
            __n(4, [4, 0], [4, 0], [4, 1], [0, 0]),
            __n(__E, [5, 0], [5, 0], [5, 0], [10, 2]),
            __n(6, [5, 0], [5, 0], [5, 1], [0, 0]),
        ],
        candidates: &[
            (Route::R3, "/ops/"),
            (Route::R4, "/old/"),
            (Route::R5, "/teapot"),
            (Route::R6, "/"),
            (Route::R0, "/api/"),
            (Route::R0, "/api/"),
        ],
        slots: &[
            ("teapot", 3),
            ("", __E),
            ("", __E),
            ("ops", 1),
            ("", __E),
            ("", __E),
            ("old", 2),
            ("", __E),
            ("", __E),
            ("api", 5),
            ("", __E),
            ("api", 7),
            ("api.example.com", 1),
            ("", __E),
            ("api.example.com", 2),
            ("", __E),
        ],
        regex: &[Route::R1, Route::R2],
        groups: &[
            __g(0, [0, 2], [3, 1]),
            __g(4, [2, 0], [5, 0]),
            __g(6, [2, 0], [6, 0]),
        ],
        hosts: [12, 2],
        wildcards: [14, 2],
        any_host: 0,
    };
    /// What one request carries from phase to phase.
    pub struct Ctx {
        route: ::core::option::Option<Route>,
        /// The client's address (`gateway_runtime::client_ip`).
        client_ip: ::core::option::Option<::std::net::IpAddr>,
        request_id: ::core::option::Option<::gateway_runtime::__private::HeaderValue>,
        upstream: ::gateway_runtime::upstream::RequestState,
        body: ::gateway_runtime::body::BodyState,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                client_ip: ::core::option::Option::None,
                request_id: ::core::option::Option::None,
                upstream: ::gateway_runtime::upstream::RequestState::new(),
                body: ::gateway_runtime::body::BodyState::new(),
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
    static UPSTREAM_1: ::gateway_runtime::upstream::UpstreamConfig = ::gateway_runtime::upstream::UpstreamConfig {
        name: "web",
        backends: &[
            ::gateway_runtime::upstream::BackendSpec::Addr(
                ::std::net::SocketAddr::V4(
                    ::std::net::SocketAddrV4::new(
                        ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                        9002u16,
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
    static LISTENERS: [::std::net::SocketAddr; 2usize] = [
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                8080u16,
            ),
        ),
        ::std::net::SocketAddr::V4(
            ::std::net::SocketAddrV4::new(
                ::std::net::Ipv4Addr::new(127u8, 0u8, 0u8, 1u8),
                8081u16,
            ),
        ),
    ];
    static ERROR_PAGES: [::gateway_runtime::respond::ErrorPage; 4usize] = [
        ::gateway_runtime::respond::ErrorPage {
            status: 404u16,
            body: b"{\"error\":\"not found\"}",
            content_type: "application/json",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 502u16,
            body: b"<h1>try again</h1>",
            content_type: "text/html; charset=utf-8",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 503u16,
            body: b"<h1>try again</h1>",
            content_type: "text/html; charset=utf-8",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 504u16,
            body: b"<h1>try again</h1>",
            content_type: "text/html; charset=utf-8",
        },
    ];
    static REQUEST_HEADERS_0: [::gateway_runtime::headers::Edit; 4usize] = [
        ::gateway_runtime::headers::Edit::Set(
            "X-Forwarded-Proto",
            ::gateway_runtime::__private::HeaderValue::from_static("https"),
        ),
        ::gateway_runtime::headers::Edit::Add(
            "X-Tag",
            ::gateway_runtime::__private::HeaderValue::from_static("gw"),
        ),
        ::gateway_runtime::headers::Edit::Remove("Cookie"),
        ::gateway_runtime::headers::Edit::Copy("X-Client-Id", "X-Caller"),
    ];
    static QUERY_EDITS_0: &[::gateway_runtime::target::QueryEdit] = &[
        ::gateway_runtime::target::QueryEdit::Remove("debug"),
        ::gateway_runtime::target::QueryEdit::Add("ref", "gw"),
        ::gateway_runtime::target::QueryEdit::Set("page", "page", "1"),
    ];
    static RESPONSE_HEADERS_0: [::gateway_runtime::headers::Edit; 1usize] = [
        ::gateway_runtime::headers::Edit::Copy("Date", "X-Legacy-Date"),
    ];
    static ERROR_PAGES_0: [::gateway_runtime::respond::ErrorPage; 4usize] = [
        ::gateway_runtime::respond::ErrorPage {
            status: 504u16,
            body: b"{\"error\":\"timeout\"}",
            content_type: "application/json",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 404u16,
            body: b"{\"error\":\"not found\"}",
            content_type: "application/json",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 502u16,
            body: b"<h1>try again</h1>",
            content_type: "text/html; charset=utf-8",
        },
        ::gateway_runtime::respond::ErrorPage {
            status: 503u16,
            body: b"<h1>try again</h1>",
            content_type: "text/html; charset=utf-8",
        },
    ];
    static BODY_0: ::gateway_runtime::body::BodyRules = ::gateway_runtime::body::BodyRules {
        literals: &[b"rogue"],
        status: 422u16,
        inspect: 16384,
    };
    static RESPONSE_HEADERS_4: [::gateway_runtime::headers::Edit; 0usize] = [];
    static REDIRECT_4: ::gateway_runtime::respond::Redirect = ::gateway_runtime::respond::Redirect {
        status: 301u16,
        location: &[
            ::gateway_runtime::respond::Part::Text("https://"),
            ::gateway_runtime::respond::Part::Host,
            ::gateway_runtime::respond::Part::Text("/new"),
            ::gateway_runtime::respond::Part::Path,
            ::gateway_runtime::respond::Part::Query,
        ],
        headers: &RESPONSE_HEADERS_4,
    };
    static RESPONSE_HEADERS_5: [::gateway_runtime::headers::Edit; 0usize] = [];
    static RESPONSE_5: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
        status: 418u16,
        body: b"{\"short\":true}",
        content_type: "application/json",
        headers: &RESPONSE_HEADERS_5,
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
            listener: usize,
        ) -> bool {
            match route {
                Route::R0 => {
                    ::gateway_runtime::matchers::method(request, &["GET", "POST"])
                        && ::gateway_runtime::matchers::header(
                            request,
                            "x-env",
                            ::gateway_runtime::matchers::Value::Equals("prod"),
                        )
                        && ::gateway_runtime::matchers::header(
                            request,
                            "x-version",
                            ::gateway_runtime::matchers::Value::Matches(&self.regexes[0]),
                        )
                        && ::gateway_runtime::matchers::query(
                            request,
                            "debug",
                            ::gateway_runtime::matchers::Value::Present,
                        )
                        && ::gateway_runtime::matchers::query(
                            request,
                            "mode",
                            ::gateway_runtime::matchers::Value::Equals("fast"),
                        )
                        && ::gateway_runtime::matchers::cookie(
                            request,
                            "session",
                            ::gateway_runtime::matchers::Value::Present,
                        )
                }
                Route::R1 => self.regexes[1].is_match(path),
                Route::R2 => self.regexes[2].is_match(path),
                Route::R3 => ::gateway_runtime::router::on_listener(2, listener),
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
                    {
                        #[inline(always)]
                        fn call_at_routing_language_gw_line_37_in_route_api_example_com_api_example_com_api<
                            's,
                            F: ::gateway_runtime::call::CallFn<'s>,
                        >(
                            function: &F,
                            session: &'s mut ::gateway_runtime::__private::Session,
                        ) -> F::Future {
                            function.call(session)
                        }
                        if ::std::boxed::Box::pin(
                                call_at_routing_language_gw_line_37_in_route_api_example_com_api_example_com_api(
                                    &::routes::guards::require_tenant,
                                    session,
                                ),
                            )
                            .await?
                        {
                            return ::core::result::Result::Ok(true);
                        }
                    }
                    if ::gateway_runtime::strict::first_chunk_pending(session) {
                        ::std::boxed::Box::pin(
                                ::gateway_runtime::strict::read_first_chunk(
                                    session,
                                    &ERROR_PAGES_0,
                                ),
                            )
                            .await
                    } else {
                        ::core::result::Result::Ok(false)
                    }
                }
                Route::R4 => {
                    ::gateway_runtime::respond::redirect(session, &REDIRECT_4).await
                }
                Route::R5 => {
                    ::gateway_runtime::respond::fixed(session, &RESPONSE_5).await
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
                    self.upstream_0_api
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::Some(
                                ::core::time::Duration::from_millis(1000),
                            ),
                            &mut ctx.upstream,
                        )
                        .map(|peer| ::gateway_runtime::upstream::with_timeouts(
                            peer,
                            ::core::option::Option::Some(
                                ::core::time::Duration::from_millis(10000),
                            ),
                            ::core::option::Option::Some(
                                ::core::time::Duration::from_millis(10000),
                            ),
                        ))
                }
                ::core::option::Option::Some(Route::R2 | Route::R6) => {
                    self.upstream_1_web
                        .peer(
                            session,
                            ctx.client_ip,
                            ::core::option::Option::None,
                            &mut ctx.upstream,
                        )
                }
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
                ::core::option::Option::Some(Route::R0) => {
                    ::gateway_runtime::target::rewrite(
                        upstream_request,
                        ::gateway_runtime::target::PathChange::StripPrefix("/api"),
                        QUERY_EDITS_0,
                    )?;
                    ::gateway_runtime::forwarded::add(
                        session,
                        upstream_request,
                        ctx.client_ip,
                        ::gateway_runtime::forwarded::For::Append,
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
                ::core::option::Option::Some(Route::R1) => {
                    ::gateway_runtime::target::rewrite(
                        upstream_request,
                        ::gateway_runtime::target::PathChange::Rewrite(
                            &self.regexes[1],
                            "/v2/${rest}",
                        ),
                        &[],
                    )?;
                    ::gateway_runtime::forwarded::add(
                        session,
                        upstream_request,
                        ctx.client_ip,
                        ::gateway_runtime::forwarded::For::Replace,
                        false,
                        false,
                    )?;
                }
                _ => {
                    ::gateway_runtime::forwarded::add(
                        session,
                        upstream_request,
                        ctx.client_ip,
                        ::gateway_runtime::forwarded::For::Append,
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
                    ::gateway_runtime::body::inspect(
                        &mut ctx.body,
                        body,
                        end_of_stream,
                        &BODY_0,
                        &[&self.body_regexes[0]],
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
                ::core::option::Option::Some(Route::R1) => {}
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
                ::core::option::Option::Some(Route::R0) => &ERROR_PAGES_0,
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
                ::core::option::Option::Some(Route::R0 | Route::R1 | Route::R3) => {
                    self.upstream_0_api.connect_failed(peer, &ctx.upstream, error)
                }
                ::core::option::Option::Some(Route::R2 | Route::R6) => {
                    self.upstream_1_web.connect_failed(peer, &ctx.upstream, error)
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
                upstream_1_web: ::std::sync::Arc::new(
                    ::gateway_runtime::upstream::Upstream::new(&UPSTREAM_1)?,
                ),
                regexes: ::gateway_runtime::regexes::compile([
                    "^v[0-9]+$",
                    "^/v1/(?P<rest>.*)$",
                    "(?i)\\.(png|jpg)$",
                ])?,
                body_regexes: ::gateway_runtime::regexes::compile_bytes([
                    "(?i)drop\\s+table",
                ])?,
            })
        }
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/routing_language.gw",
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
            services.extend(gateway.upstream_1_web.services());
            let mut proxy = ::gateway_runtime::server::proxy_service(
                &server,
                &settings,
                gateway,
            );
            proxy.add_tcp("127.0.0.1:8080");
            proxy.add_tcp("127.0.0.1:8081");
            services.push(::std::boxed::Box::new(proxy));
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
