//! Generates the benchmark gateways: a `.gw` file per size, compiled by
//! `gateway_dsl::compile_to_file` as any build script can.

// `requests` is for the benchmarks only.
#[allow(dead_code)]
#[path = "src/shapes.rs"]
mod shapes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed=src/shapes.rs");
    for routes in [10, 1000, 10000] {
        let gw_path = out_dir.join(format!("routes_{routes}.gw"));
        std::fs::write(&gw_path, shapes::gateway_source(routes))?;
        gateway_dsl::compile_to_file(&gw_path, &out_dir.join(format!("routes_{routes}.rs")))?;
    }
    Ok(())
}
