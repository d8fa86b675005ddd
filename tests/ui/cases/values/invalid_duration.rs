gateway_macros::gateway!("invalid_duration.gw");

fn main() {
    let _ = Gateway::serve();
}
