//! The gateway of the Docker lab, compiled from `lab.gw`.

// mimalloc: with the release profile's fat LTO, about 1.3 times the
// requests per second of glibc malloc (docs/benchmarks.md, the study).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

gateway_macros::gateway!("lab.gw");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Gateway::serve()
}
