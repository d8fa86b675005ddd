gateway_macros::gateway!("invalid_backend.gw");

fn main() {
    let _ = Gateway::serve();
}
