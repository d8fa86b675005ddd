//! The example gateway, compiled from `gateway.gw`.

gateway_macros::gateway!("gateway.gw");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Gateway::serve()
}
