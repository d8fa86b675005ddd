gateway_macros::gateway!("ketama_without_key.gw");

fn main() {
    let _ = Gateway::serve();
}
