gateway_macros::gateway!("cors_credentials_any_origin.gw");

fn main() {
    let _ = Gateway::serve();
}
