const _: &str = ::core::include_str!("$TEST_DATA/ok/no_routes.gw");
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
    /// The gateway compiled from `ok/no_routes.gw`.
    pub struct Gateway {
        metrics: ::gateway_runtime::metrics::Metrics,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Route {}
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 0usize] = [];
    static ROUTER: ::gateway_runtime::router::Router<Route> = ::gateway_runtime::router::Router {
        hosts: &[],
        any_host: ::gateway_runtime::router::PathTrie {
            nodes: &[
                ::gateway_runtime::router::Node {
                    exact: ::core::option::Option::None,
                    subtree: ::core::option::Option::None,
                    below: ::core::option::Option::None,
                    children: &[],
                },
            ],
        },
    };
    /// What one request carries from phase to phase.
    pub struct Ctx {
        route: ::core::option::Option<Route>,
        start: ::std::time::Instant,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
                start: ::std::time::Instant::now(),
            }
        }
    }
    #[::gateway_runtime::__private::async_trait]
    impl ::gateway_runtime::__private::ProxyHttp for Gateway {
        type CTX = Ctx;
        fn new_ctx(&self) -> Ctx {
            Ctx::new()
        }
        async fn request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<bool> {
            let found = {
                let request = session.req_header();
                ROUTER
                    .find(
                        ::gateway_runtime::router::request_host(request),
                        request.uri.path(),
                    )
            };
            let ::core::option::Option::Some(route) = found else {
                return ::gateway_runtime::respond::not_found(session).await;
            };
            ctx.route = ::core::option::Option::Some(route);
            match route {}
        }
        async fn upstream_peer(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<
            ::std::boxed::Box<::gateway_runtime::__private::HttpPeer>,
        > {
            match ctx.route {
                _ => ::core::result::Result::Err(::gateway_runtime::lb::no_upstream()),
            }
        }
        async fn logging(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _error: ::core::option::Option<&::gateway_runtime::__private::Error>,
            ctx: &mut Ctx,
        ) {
            self.metrics
                .record(session, ctx.route.map(|route| route as usize), ctx.start);
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
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/no_routes.gw",
                threads: ::core::option::Option::None,
                grace_period_seconds: ::core::option::Option::None,
                graceful_shutdown_timeout_seconds: ::core::option::Option::None,
            };
            let server = ::gateway_runtime::server::new_server(opt, &settings)?;
            let gateway = Gateway {
                metrics: ::gateway_runtime::metrics::Metrics::new(&ROUTE_LABELS)?,
            };
            let mut proxy = ::gateway_runtime::server::proxy_service(&server, gateway);
            proxy.add_tcp("127.0.0.1:8080");
            let mut services: ::std::vec::Vec<
                ::std::boxed::Box<dyn ::gateway_runtime::server::Service>,
            > = ::std::vec![::std::boxed::Box::new(proxy)];
            services.push(::gateway_runtime::admin::service("127.0.0.1:9100"));
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
