gateway_macros::gateway!("no-such-file.gw");

fn main() {
    let _ = Gateway::serve();
}
