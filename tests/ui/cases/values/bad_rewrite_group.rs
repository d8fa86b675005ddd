gateway_macros::gateway!("bad_rewrite_group.gw");

fn main() {
    let _ = Gateway::serve();
}
