gateway_macros::gateway!("proxy_only_on_respond.gw");

fn main() {
    let _ = Gateway::serve();
}
