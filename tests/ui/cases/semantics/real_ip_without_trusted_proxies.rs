gateway_macros::gateway!("real_ip_without_trusted_proxies.gw");

fn main() {
    let _ = Gateway::serve();
}
