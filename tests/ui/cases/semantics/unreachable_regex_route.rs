gateway_macros::gateway!("unreachable_regex_route.gw");

fn main() {
    let _ = Gateway::serve();
}
