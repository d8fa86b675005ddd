//! The example gateway, compiled from `gateway.gw`.

gateway_macros::gateway!("gateway.gw");

fn main() -> Result<(), gateway_runtime::StartupError> {
    Gateway::serve()
}
