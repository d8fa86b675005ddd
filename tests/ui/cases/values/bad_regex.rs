gateway_macros::gateway!("bad_regex.gw");

fn main() {
    let _ = Gateway::serve();
}
