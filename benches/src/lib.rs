//! Gateways generated for the benchmarks, by `build.rs` through
//! `gateway_dsl::compile_to_file`: the same shape of routes, 10, 1,000 and
//! 10,000 of them. See `benches/routing.rs` and `docs/benchmarks.md`.

/// 10 routes.
pub mod routes_10 {
    include!(concat!(env!("OUT_DIR"), "/routes_10.rs"));
}

/// 1,000 routes.
pub mod routes_1000 {
    include!(concat!(env!("OUT_DIR"), "/routes_1000.rs"));
}

/// 10,000 routes.
pub mod routes_10000 {
    include!(concat!(env!("OUT_DIR"), "/routes_10000.rs"));
}

/// The load benchmark's gateway (`bench.gw`), for the per-request
/// benchmarks; the `bench-gateway` binary compiles the same file.
pub mod bench {
    gateway_macros::gateway!("bench.gw");
}

mod shapes;

pub use shapes::{gateway_source, requests};
