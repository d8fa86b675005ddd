gateway_macros::gateway!("health_option_misuse.gw");

fn main() {
    let _ = Gateway::serve();
}
