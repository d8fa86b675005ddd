gateway_macros::gateway!("strip_prefix_mismatch.gw");

fn main() {
    let _ = Gateway::serve();
}
