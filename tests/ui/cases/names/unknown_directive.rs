gateway_macros::gateway!("unknown_directive.gw");

fn main() {
    let _ = Gateway::serve();
}
