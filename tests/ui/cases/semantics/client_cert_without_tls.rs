gateway_macros::gateway!("client_cert_without_tls.gw");

fn main() {
    let _ = Gateway::serve();
}
