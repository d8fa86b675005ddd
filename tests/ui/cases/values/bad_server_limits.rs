gateway_macros::gateway!("bad_server_limits.gw");

fn main() {
    let _ = Gateway::serve();
}
