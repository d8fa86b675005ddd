gateway_macros::gateway!("route_test_fails.gw");

fn main() {
    let _ = Gateway::serve();
}
