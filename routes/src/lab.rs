//! The gateway of the Docker lab, compiled from `lab.gw`.

gateway_macros::gateway!("lab.gw");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Gateway::serve()
}
