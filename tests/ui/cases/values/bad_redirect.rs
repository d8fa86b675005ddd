gateway_macros::gateway!("bad_redirect.gw");

fn main() {
    let _ = Gateway::serve();
}
