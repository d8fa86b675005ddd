gateway_macros::gateway!("duplicate_upstream.gw");

fn main() {
    let _ = Gateway::serve();
}
