use crate::support::{Gateway, client, get, origin};

#[test]
fn weighted_round_robin_splits_three_to_one() {
    let heavy = origin("heavy", "127.71.0.3:18001");
    let light = origin("light", "127.71.0.3:18002");
    let _gateway = Gateway::start("balance", "127.71.0.3:18080", &[]);
    let client = client();

    let requests = 400;
    let mut to_heavy = 0;
    for _ in 0..requests {
        let reply = get(&client, "http://127.71.0.3:18080/");
        assert_eq!(reply.status, 200);
        if reply.server() == "heavy" {
            to_heavy += 1;
        }
    }
    // Weights 3:1 give 300 of 400; round robin is exact, so allow only a
    // few requests of slack (2.5%), for any request retried elsewhere.
    assert!((290..=310).contains(&to_heavy), "heavy got {to_heavy} of {requests}");
    assert_eq!(heavy.hits() + light.hits(), requests);
    assert_eq!(heavy.hits(), to_heavy);
}
