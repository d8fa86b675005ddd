gateway_macros::gateway!("certificate_missing.gw");

fn main() {
    let _ = Gateway::serve();
}
