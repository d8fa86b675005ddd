//! The routing decision `gateway_dsl::routing::decide` makes at build time
//! (for `test` blocks and `gw explain`) is the one the generated gateway
//! makes: every fixture below, asked the same requests both ways.

use gateway_dsl::routing::{Outcome, Request, decide};
use gateway_runtime::__private::RequestHeader;

const METHODS: &[&str] = &["GET", "POST", "DELETE"];
const HOSTS: &[Option<&str>] =
    &[None, Some("api.example.com"), Some("API.Example.com:8080"), Some("a.b.example.org"), Some("other.test.")];
const PATHS: &[&str] = &[
    "/",
    "/api",
    "/api/",
    "/API/x",
    "/api/v1/users",
    "/static/../api/x",
    "/h/x",
    "/q/x?debug",
    "/q/x?mode=fast",
    "/q/x?mode=slow",
    "/c/x",
    "/files/a.png",
    "/files/a.gif",
    "/legacy/X",
    "/LEGACY/x",
    "/%2e%2e/x",
    "/a%2Fb",
    "/healthz",
    "/docs/x",
    "/tenants/a",
    "/admin",
    "/ADMIN",
    "/x//y/./z",
    "*",
];
const HEADERS: &[&[(&str, &str)]] =
    &[&[], &[("X-Env", "prod")], &[("X-Version", "v12")], &[("Cookie", "a=1; beta=yes")], &[("X-Version", "12")]];

fn compare(path: &str, route_index_on: impl Fn(usize, &RequestHeader) -> Result<usize, u16>, listeners: usize) {
    let source_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&source_path).expect("fixture");
    let source = gateway_dsl::SourceFile::new(path, text);
    let gateway = gateway_dsl::compile(&source, &gateway_dsl::Options { source_path })
        .unwrap_or_else(|errors| panic!("{path}: {errors:?}"));
    let mut compared = 0;
    for listener in 0..listeners {
        for method in METHODS {
            for host in HOSTS {
                for target in PATHS {
                    for headers in HEADERS {
                        let Ok(mut header) = RequestHeader::build(*method, target.as_bytes(), None) else { continue };
                        let url = match host {
                            Some(_) if !target.starts_with('/') => continue,
                            Some(host) => format!("{host}{target}"),
                            None => target.to_string(),
                        };
                        let mut request = Request::parse(method, &url).expect("request");
                        if let Some(host) = host {
                            header.insert_header("Host", *host).expect("host");
                        }
                        for (name, value) in *headers {
                            header.append_header(name.to_string(), *value).expect("header");
                            request.headers.push((name.to_string(), value.to_string()));
                        }
                        request.listener = listener;
                        let built = match decide(&gateway, &request).outcome {
                            Outcome::Route(route) => Ok(route),
                            Outcome::Refused(status, _) => Err(status),
                        };
                        assert_eq!(built, route_index_on(listener, &header), "{path}: {method} {url} {headers:?}");
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(compared > 1000, "{path}: only {compared} requests compared");
}

#[test]
fn build_time_routing_is_the_gateways() {
    let matchers = crate::matchers::Gateway::new().expect("gateway");
    compare("gw/matchers.gw", |l, r| matchers.route_index_on(l, r), 1);
    let hosts = crate::hosts::Gateway::new().expect("gateway");
    compare("gw/hosts.gw", |l, r| hosts.route_index_on(l, r), 1);
    let routing = crate::routing::Gateway::new().expect("gateway");
    compare("gw/routing.gw", |l, r| routing.route_index_on(l, r), 1);
    let listeners = crate::listeners::Gateway::new().expect("gateway");
    compare("gw/listeners.gw", |l, r| listeners.route_index_on(l, r), 3);
    let actions = crate::actions::Gateway::new().expect("gateway");
    compare("gw/actions.gw", |l, r| actions.route_index_on(l, r), 1);
}
