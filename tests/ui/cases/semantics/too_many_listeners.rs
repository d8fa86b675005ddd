gateway_macros::gateway!("too_many_listeners.gw");

fn main() {
    let _ = Gateway::serve();
}
