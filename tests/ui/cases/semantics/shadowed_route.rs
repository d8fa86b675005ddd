gateway_macros::gateway!("shadowed_route.gw");

fn main() {
    let _ = Gateway::serve();
}
