gateway_macros::gateway!("jwt_misuse.gw");

fn main() {
    let _ = Gateway::serve();
}
