gateway_macros::gateway!("duplicate_route.gw");

fn main() {
    let _ = Gateway::serve();
}
