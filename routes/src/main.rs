//! The example gateway, compiled from `gateway.gw`.

// mimalloc: with the release profile's fat LTO, about 1.3 times the
// requests per second of glibc malloc (docs/benchmarks.md, the study).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

gateway_macros::gateway!("gateway.gw");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Gateway::serve()
}
