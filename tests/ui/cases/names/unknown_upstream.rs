gateway_macros::gateway!("unknown_upstream.gw");

fn main() {
    let _ = Gateway::serve();
}
