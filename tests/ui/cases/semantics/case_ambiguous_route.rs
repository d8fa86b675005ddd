gateway_macros::gateway!("case_ambiguous_route.gw");

fn main() {
    let _ = Gateway::serve();
}
