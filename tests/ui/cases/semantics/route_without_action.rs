gateway_macros::gateway!("route_without_action.gw");

fn main() {
    let _ = Gateway::serve();
}
