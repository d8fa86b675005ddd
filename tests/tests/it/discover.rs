use std::time::{Duration, Instant};

use crate::support::{Gateway, client, get, origin};

const GATEWAY: &str = "http://127.71.0.26:18080";
const FILE: &str = "/tmp/gw-it-discover-backends.txt";

fn until_served_by(client: &reqwest::blocking::Client, server: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = get(client, &format!("{GATEWAY}/x"));
        if reply.status == 200 && reply.server() == server {
            return;
        }
        assert!(Instant::now() < deadline, "never served by {server}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn backends_follow_the_file_and_a_bad_file_keeps_the_last_good_set() {
    let _a = origin("a", "127.71.0.26:18001");
    let _b = origin("b", "127.71.0.26:18002");
    std::fs::write(FILE, "# the first set\n127.71.0.26:18001\n").expect("write");
    let gateway = Gateway::start("discover", "127.71.0.26:18080", &[]);
    let client = client();
    until_served_by(&client, "a");

    std::fs::write(FILE, "127.71.0.26:18002 weight 5\n").expect("write");
    until_served_by(&client, "b");

    // A wrong line: logged with its number, and the last good set stays.
    std::fs::write(FILE, "127.71.0.26:18001\nbackend-without-port\n").expect("write");
    std::thread::sleep(Duration::from_millis(800));
    for _ in 0..5 {
        assert_eq!(get(&client, &format!("{GATEWAY}/x")).server(), "b");
    }
    let log = gateway.log_text();
    assert!(log.contains("gw-it-discover-backends.txt:2: invalid address `backend-without-port`"), "{log}");
    let _ = std::fs::remove_file(FILE);
}
