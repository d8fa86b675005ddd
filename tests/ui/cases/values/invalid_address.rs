gateway_macros::gateway!("invalid_address.gw");

fn main() {
    let _ = Gateway::serve();
}
