gateway_macros::gateway!("unknown_balance.gw");

fn main() {
    let _ = Gateway::serve();
}
