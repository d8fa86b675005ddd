gateway_macros::gateway!("bad_call_path.gw");

fn main() {
    let _ = Gateway::serve();
}
