gateway_macros::gateway!("bad_limits.gw");

fn main() {
    let _ = Gateway::serve();
}
