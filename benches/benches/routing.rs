//! The routing decision of generated gateways (path normalisation, host and
//! path lookup, matchers) for 10, 1,000 and 10,000 routes, per request.
//! `cargo bench -p gw-benches`; results in docs/benchmarks.md.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use gateway_runtime::prelude::RequestHeader;

fn request_headers(routes: usize) -> Vec<RequestHeader> {
    gw_benches::requests(routes)
        .into_iter()
        .map(|(host, path)| {
            let mut request = RequestHeader::build("GET", path.as_bytes(), None).expect("request");
            request.insert_header("Host", host).expect("host");
            request
        })
        .collect()
}

fn routing(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("routing decision");
    macro_rules! bench {
        ($module:ident, $routes:expr) => {{
            let gateway = gw_benches::$module::Gateway::new().expect("gateway");
            let requests = request_headers($routes);
            // Every request finds a route (the misses the default one).
            assert!(requests.iter().all(|request| gateway.route_label(request).is_some()));
            group.bench_with_input(BenchmarkId::from_parameter($routes), &requests, |bencher, requests| {
                bencher.iter(|| {
                    for request in requests {
                        black_box(gateway.route_label(black_box(request)));
                    }
                })
            });
        }};
    }
    bench!(routes_10, 10);
    bench!(routes_1000, 1000);
    bench!(routes_10000, 10000);
    group.finish();
}

criterion_group!(benches, routing);
criterion_main!(benches);
