//! `tracing`: fixture `tests/gw/tracing.gw`, against an OTLP/HTTP receiver
//! started here (it keeps the JSON bodies it is sent).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Gateway, client, origin, send};

const BASE: &str = "http://127.71.0.42:18080";
const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// A minimal OTLP/HTTP receiver: answers every POST with `200 {}` and keeps its body.
fn receiver(addr: &str) -> Arc<Mutex<Vec<Value>>> {
    let listener = TcpListener::bind(addr).expect("receiver");
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = kept.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':')
                            && name.eq_ignore_ascii_case("content-length")
                        {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    if let Ok(value) = serde_json::from_slice(&body) {
                        kept.lock().expect("bodies").push(value);
                    }
                    let answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
                    if reader.get_mut().write_all(answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    bodies
}

/// Every span received: (service name, span).
fn spans(bodies: &Mutex<Vec<Value>>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for body in bodies.lock().expect("bodies").iter() {
        for resource in body["resourceSpans"].as_array().into_iter().flatten() {
            let service = resource["resource"]["attributes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|attribute| attribute["key"] == "service.name")
                .and_then(|attribute| attribute["value"]["stringValue"].as_str())
                .unwrap_or_default()
                .to_string();
            for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                for span in scope["spans"].as_array().into_iter().flatten() {
                    out.push((service.clone(), span.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn trace_context_reaches_the_upstream_and_spans_reach_the_collector() {
    let bodies = receiver("127.71.0.42:4318");
    let _origin = origin("origin", "127.71.0.42:18001");
    // The auth service of `/guarded/` (it lets every request through).
    let _auth = origin("auth", "127.71.0.42:18002");
    let gateway = Gateway::start("tracing", "127.71.0.42:18080", &[]);
    let client = client();

    // Joining the caller's trace: same trace id, the gateway's span as parent,
    // `tracestate` forwarded.
    let joined =
        send(client.get(format!("{BASE}/api/joined")).header("traceparent", PARENT).header("tracestate", "vendor=1"));
    let sent = joined.received("traceparent").expect("traceparent upstream");
    let parsed = gateway_http::traceparent::parse(sent.as_bytes()).expect("a valid traceparent");
    assert_eq!(&sent[3..35], "4bf92f3577b34da6a3ce929d0e0e4736", "{sent}");
    assert_ne!(&sent[36..52], "00f067aa0ba902b7", "the parent is the gateway's span");
    assert!(parsed.sampled());
    assert_eq!(joined.received("tracestate").as_deref(), Some("vendor=1"));

    // No traceparent, or an invalid one: a new trace, `tracestate` dropped.
    let fresh = send(client.get(format!("{BASE}/api/fresh")));
    let fresh_parent = fresh.received("traceparent").expect("traceparent upstream");
    assert!(gateway_http::traceparent::parse(fresh_parent.as_bytes()).is_some(), "{fresh_parent}");
    let invalid = send(
        client
            .get(format!("{BASE}/api/invalid"))
            .header("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")
            .header("tracestate", "vendor=1"),
    );
    let restarted = invalid.received("traceparent").expect("traceparent upstream");
    assert_ne!(&restarted[3..35], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(invalid.received("tracestate"), None);

    // A subrequest of `auth forward` is a span of the request's trace too.
    let guarded = send(client.get(format!("{BASE}/api/../guarded/x")).header("traceparent", PARENT));
    assert_eq!(guarded.status, 200);

    // The spans: a SERVER span per request, a CLIENT span per upstream
    // exchange, linked as the headers say.
    let deadline = Instant::now() + Duration::from_secs(10);
    let received = loop {
        let received = spans(&bodies);
        if received.len() >= 9 || Instant::now() > deadline {
            break received;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // Three proxied requests (SERVER and CLIENT each), and the guarded one:
    // SERVER, the auth subrequest, CLIENT.
    assert_eq!(received.len(), 9, "{received:?}");
    assert!(received.iter().all(|(service, _)| service == "gw-test"));
    let of_trace: Vec<&Value> = received
        .iter()
        .map(|(_, span)| span)
        .filter(|span| span["traceId"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        .collect();
    let server = of_trace.iter().find(|span| span["kind"] == 2 && span["name"] == "GET /api/").expect("a SERVER span");
    let upstream = of_trace
        .iter()
        .find(|span| span["kind"] == 3 && span["parentSpanId"] == server["spanId"])
        .expect("a CLIENT span");
    let guarded_server =
        of_trace.iter().find(|span| span["kind"] == 2 && span["name"] == "GET /guarded/").expect("its SERVER span");
    let auth = of_trace.iter().find(|span| span["name"] == "GET auth forward").expect("the auth subrequest's span");
    assert_eq!(
        (auth["kind"].clone(), auth["parentSpanId"].clone()),
        (Value::from(3), guarded_server["spanId"].clone())
    );
    assert_eq!(server["parentSpanId"], "00f067aa0ba902b7");
    assert_eq!(server["name"], "GET /api/");
    assert_eq!(upstream["parentSpanId"], server["spanId"]);
    assert_eq!(upstream["spanId"].as_str(), Some(&sent[36..52]), "the upstream's parent is the CLIENT span");
    let status = server["attributes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|attribute| attribute["key"] == "http.response.status_code")
        .map(|attribute| attribute["value"].clone());
    assert!(status.is_some_and(|value| value["intValue"] == "200" || value["intValue"] == 200), "{server}");

    // The trace id in the access log.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !gateway.log_text().contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"") {
        assert!(Instant::now() < deadline, "{}", gateway.log_text());
        std::thread::sleep(Duration::from_millis(50));
    }
}
