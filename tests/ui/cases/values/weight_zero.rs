gateway_macros::gateway!("weight_zero.gw");

fn main() {
    let _ = Gateway::serve();
}
