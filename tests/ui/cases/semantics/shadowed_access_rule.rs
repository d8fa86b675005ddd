gateway_macros::gateway!("shadowed_access_rule.gw");

fn main() {
    let _ = Gateway::serve();
}
