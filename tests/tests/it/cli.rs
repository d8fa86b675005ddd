use crate::support::Gateway;

#[test]
fn test_flag_checks_the_gateway_and_exits() {
    let mut gateway = Gateway::spawn("routing", &["-t"], &[]);
    let status = gateway.wait_for_exit();
    assert!(status.success(), "{}", gateway.log_text());
}

#[test]
fn test_flag_fails_when_a_secret_is_missing() {
    let mut gateway = Gateway::spawn("auth", &["-t"], &[]);
    assert!(!gateway.wait_for_exit().success());
}
