gateway_macros::gateway!("bad_body_rules.gw");

fn main() {
    let _ = Gateway::serve();
}
