//! `gw-fixtures NAME [OPTIONS]`: runs the fixture gateway NAME, with
//! Pingora's options (`-t`, `-c FILE`, ...). The integration tests start it
//! as a child process and stop it with SIGINT.

use gateway_runtime::server::Opt;

/// One module per fixture gateway, and `run(name, opt)` to start one by name.
macro_rules! fixtures {
    ($($name:ident => $path:literal,)*) => {
        $(mod $name {
            gateway_macros::gateway!($path);
        })*

        fn run(name: &str, opt: Opt) -> Result<(), Box<dyn std::error::Error>> {
            match name {
                $(stringify!($name) => $name::Gateway::run(opt),)*
                _ => Err(format!("unknown fixture `{name}`").into()),
            }
        }
    };
}

fixtures! {
    access_log => "gw/access_log.gw",
    actions => "gw/actions.gw",
    admin_api => "gw/admin_api.gw",
    auth => "gw/auth.gw",
    balance => "gw/balance.gw",
    balancing => "gw/balancing.gw",
    body => "gw/body.gw",
    bypass => "gw/bypass.gw",
    cache => "gw/cache.gw",
    cache_scoped => "gw/cache_scoped.gw",
    cache_bypass => "gw/cache_bypass.gw",
    cache_control => "gw/cache_control.gw",
    call => "gw/call.gw",
    compress => "gw/compress.gw",
    cors => "gw/cors.gw",
    discover => "gw/discover.gw",
    edge => "gw/edge.gw",
    errors => "gw/errors.gw",
    example => "../routes/gateway.gw",
    forward_auth => "gw/forward_auth.gw",
    headers => "gw/headers.gw",
    health => "gw/health.gw",
    health_tcp => "gw/health_tcp.gw",
    health_silent => "gw/health_silent.gw",
    hosts => "gw/hosts.gw",
    lifecycle => "gw/lifecycle.gw",
    listeners => "gw/listeners.gw",
    limits => "gw/limits.gw",
    matchers => "gw/matchers.gw",
    metrics => "gw/metrics.gw",
    peers => "gw/peers.gw",
    policies => "gw/policies.gw",
    proxy_protocol => "gw/proxy_protocol.gw",
    proxy_upstream => "gw/proxy_upstream.gw",
    pools => "gw/pools.gw",
    real_ip => "gw/real_ip.gw",
    routing => "gw/routing.gw",
    shared_a => "gw/shared_a.gw",
    shared_b => "gw/shared_b.gw",
    shared_cluster_a => "gw/shared_cluster_a.gw",
    shared_cluster_b => "gw/shared_cluster_b.gw",
    security => "gw/security.gw",
    security_limits => "gw/security_limits.gw",
    stopping => "gw/stopping.gw",
    tls => "gw/tls.gw",
    tracing => "gw/tracing.gw",
    // The golden files of `gateway-dsl`: their generated code must compile too.
    ok_access_log => "../gateway-dsl/test_data/ok/access_log.gw",
    ok_bench => "../gateway-dsl/test_data/ok/bench.gw",
    ok_cache => "../gateway-dsl/test_data/ok/cache.gw",
    ok_compress => "../gateway-dsl/test_data/ok/compress.gw",
    ok_forward_reference => "../gateway-dsl/test_data/ok/forward_reference.gw",
    ok_full => "../gateway-dsl/test_data/ok/full.gw",
    ok_minimal => "../gateway-dsl/test_data/ok/minimal.gw",
    ok_no_routes => "../gateway-dsl/test_data/ok/no_routes.gw",
    ok_policies => "../gateway-dsl/test_data/ok/policies.gw",
    ok_tracing => "../gateway-dsl/test_data/ok/tracing.gw",
    ok_routing_language => "../gateway-dsl/test_data/ok/routing_language.gw",
    ok_upstreams => "../gateway-dsl/test_data/ok/upstreams.gw",
}

#[cfg(test)]
mod agreement;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    run(&name, Opt::parse_from_args(std::iter::once("gw-fixtures".to_string()).chain(args)))
}

#[cfg(test)]
mod tests {
    use gateway_runtime::__private::{ProxyHttp, Session};

    /// The size of the future of `gateway`'s `request_filter`, which Pingora
    /// allocates for every request.
    fn request_filter_future<G: ProxyHttp + Sync>(gateway: &G) -> usize
    where
        G::CTX: Send + Sync,
    {
        let (stream, _client) = tokio::io::duplex(64);
        let mut session = Session::new_h1(Box::new(stream));
        let mut ctx = gateway.new_ctx();
        let future = gateway.request_filter(&mut session, &mut ctx);
        std::mem::size_of_val(&*future)
    }

    #[test]
    fn request_filter_futures_stay_small() {
        // The responses the gateway writes itself (errors, `respond`,
        // `redirect`, 429) are boxed: held inline, Pingora's response
        // writing made this future 1.5 KB, allocated and copied for every
        // request, proxied or not.
        let sizes = [
            ("actions", request_filter_future(&super::actions::Gateway::new().expect("actions"))),
            ("limits", request_filter_future(&super::limits::Gateway::new().expect("limits"))),
            ("policies", request_filter_future(&super::ok_policies::Gateway::new().expect("ok_policies"))),
            ("errors", request_filter_future(&super::errors::Gateway::new().expect("errors"))),
            ("call", request_filter_future(&super::call::Gateway::new().expect("call"))),
            ("ok_bench", request_filter_future(&super::ok_bench::Gateway::new().expect("ok_bench"))),
        ];
        for (name, size) in sizes {
            assert!(size <= 256, "{name}: request_filter's future is {size} bytes");
        }
    }
}
