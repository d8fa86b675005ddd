gateway_macros::gateway!(gateway);

fn main() {}
