gateway_macros::gateway!("every_error_at_once.gw");

fn main() {
    let _ = Gateway::serve();
}
