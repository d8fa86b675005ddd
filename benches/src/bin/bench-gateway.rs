//! The load benchmark's gateway, compiled from `bench.gw`.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

gateway_macros::gateway!("bench.gw");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Gateway::serve()
}
