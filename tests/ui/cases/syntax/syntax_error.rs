gateway_macros::gateway!("syntax_error.gw");

fn main() {
    let _ = Gateway::serve();
}
