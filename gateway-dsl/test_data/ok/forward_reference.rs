const _: &str = ::core::include_str!(
    "$TEST_DATA/ok/forward_reference.gw"
);
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
    /// The gateway compiled from `ok/forward_reference.gw`.
    pub struct Gateway {
        /// Upstream `later`.
        upstream_0_later: ::std::sync::Arc<::gateway_runtime::lb::RoundRobinUpstream>,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Route {
        /// `/` at ok/forward_reference.gw:3:1
        R0,
    }
    /// Route labels in metrics, by `Route as usize`.
    static ROUTE_LABELS: [&str; 1usize] = ["/"];
    static ROUTER: ::gateway_runtime::router::Router<Route> = ::gateway_runtime::router::Router {
        hosts: &[],
        any_host: ::gateway_runtime::router::PathTrie {
            nodes: &[
                ::gateway_runtime::router::Node {
                    exact: ::core::option::Option::None,
                    subtree: ::core::option::Option::None,
                    below: ::core::option::Option::Some(Route::R0),
                    children: &[],
                },
            ],
        },
    };
    /// What one request carries from phase to phase.
    pub struct Ctx {
        route: ::core::option::Option<Route>,
    }
    impl Ctx {
        fn new() -> Ctx {
            Ctx {
                route: ::core::option::Option::None,
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
            match route {
                Route::R0 => ::core::result::Result::Ok(false),
            }
        }
        async fn upstream_peer(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<
            ::std::boxed::Box<::gateway_runtime::__private::HttpPeer>,
        > {
            match ctx.route {
                ::core::option::Option::Some(Route::R0) => {
                    ::gateway_runtime::lb::peer(&self.upstream_0_later, "later")
                }
                _ => ::core::result::Result::Err(::gateway_runtime::lb::no_upstream()),
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
        /// Builds and runs the gateway with the given options until it is told
        /// to stop (SIGINT: at once; SIGTERM: after the grace period).
        pub fn run(
            opt: ::gateway_runtime::server::Opt,
        ) -> ::core::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let settings = ::gateway_runtime::server::Settings {
                source: "ok/forward_reference.gw",
                threads: ::core::option::Option::None,
                grace_period_seconds: ::core::option::Option::None,
                graceful_shutdown_timeout_seconds: ::core::option::Option::None,
            };
            let server = ::gateway_runtime::server::new_server(opt, &settings)?;
            let gateway = Gateway {
                upstream_0_later: ::gateway_runtime::lb::round_robin(
                    "later",
                    &[
                        (
                            ::std::net::SocketAddr::from((
                                [127u8, 0u8, 0u8, 1u8],
                                9000u16,
                            )),
                            1,
                        ),
                    ],
                )?,
            };
            let mut proxy = ::gateway_runtime::server::proxy_service(&server, gateway);
            proxy.add_tcp("127.0.0.1:8080");
            let mut services: ::std::vec::Vec<
                ::std::boxed::Box<dyn ::gateway_runtime::server::Service>,
            > = ::std::vec![::std::boxed::Box::new(proxy)];
            ::gateway_runtime::server::run(server, services)?;
            ::core::result::Result::Ok(())
        }
    }
}
