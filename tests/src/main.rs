//! `gw-fixtures NAME [OPTIONS]`: runs the fixture gateway `gw/NAME.gw`, with
//! Pingora's options (`-t`, `-c FILE`, ...). The integration tests start it
//! as a child process and stop it with SIGINT.

mod auth {
    gateway_macros::gateway!("gw/auth.gw");
}
mod balance {
    gateway_macros::gateway!("gw/balance.gw");
}
mod cache {
    gateway_macros::gateway!("gw/cache.gw");
}
mod cache_bypass {
    gateway_macros::gateway!("gw/cache_bypass.gw");
}
mod example {
    gateway_macros::gateway!("../routes/gateway.gw");
}
mod headers {
    gateway_macros::gateway!("gw/headers.gw");
}
mod hosts {
    gateway_macros::gateway!("gw/hosts.gw");
}
mod limits {
    gateway_macros::gateway!("gw/limits.gw");
}
mod metrics {
    gateway_macros::gateway!("gw/metrics.gw");
}
mod routing {
    gateway_macros::gateway!("gw/routing.gw");
}
mod tls {
    gateway_macros::gateway!("gw/tls.gw");
}

use gateway_runtime::server::Opt;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let opt = Opt::parse_from_args(std::iter::once("gw-fixtures".to_string()).chain(args));
    match name.as_str() {
        "auth" => auth::Gateway::run(opt),
        "balance" => balance::Gateway::run(opt),
        "cache" => cache::Gateway::run(opt),
        "cache_bypass" => cache_bypass::Gateway::run(opt),
        "example" => example::Gateway::run(opt),
        "headers" => headers::Gateway::run(opt),
        "hosts" => hosts::Gateway::run(opt),
        "limits" => limits::Gateway::run(opt),
        "metrics" => metrics::Gateway::run(opt),
        "routing" => routing::Gateway::run(opt),
        "tls" => tls::Gateway::run(opt),
        _ => Err(format!("unknown fixture `{name}`").into()),
    }
}
