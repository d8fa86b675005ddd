gateway_macros::gateway!("invalid_rate.gw");

fn main() {
    let _ = Gateway::serve();
}
