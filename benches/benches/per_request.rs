//! What the language adds to each request, beside a hand-written equivalent
//! of the same work: the routing decision, the strict HTTP checks, path
//! normalisation, header edits, the rate limiter (sliding, fixed, token
//! bucket), access rules, JWT verification, the per-request context, and
//! the PROXY header of a `proxy_protocol` upstream. `cargo bench -p gw-benches --bench per_request`.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use gateway_runtime::__private::{HeaderValue, ProxyHttp};
use gateway_runtime::headers::{Edit, edit_request};
use gateway_runtime::policy::access::{Cidr, Rule, check};
use gateway_runtime::policy::auth_jwt::{Config as JwtConfig, JwtAuth, KeySource};
use gateway_runtime::policy::limit_rate::RateLimiter;
use gateway_runtime::prelude::RequestHeader;
use pingora_limits::rate::Rate;

static EDITS: [Edit; 1] = [Edit::Set("X-Bench", HeaderValue::from_static("gw"))];

fn request() -> RequestHeader {
    let mut request = RequestHeader::build("GET", b"/api/v1/users/42?page=2", None).expect("request");
    request.insert_header("Host", "gw.test").expect("host");
    request.insert_header("User-Agent", "bench").expect("agent");
    request
}

fn per_request(criterion: &mut Criterion) {
    // bench.gw's three routes, decided by the generated router (with the
    // path normalised first; no route names a host, so none is looked at),
    // and by the `if`s a hand-written proxy would write
    // (src/bin/reference.rs routes only `/api/`).
    let mut group = criterion.benchmark_group("routing decision (bench.gw)");
    let gateway = gw_benches::bench::Gateway::new().expect("gateway");
    let base = request();
    assert_eq!(gateway.route_label(&base), Some("/api/"));
    group.bench_function("generated (route_label)", |bencher| bencher.iter(|| gateway.route_label(black_box(&base))));
    group.bench_function("hand-written", |bencher| {
        bencher.iter(|| {
            let path = black_box(&base).uri.path();
            if path.starts_with("/api/") {
                Some("/api/")
            } else if path.starts_with("/cached/") {
                Some("/cached/")
            } else {
                Some("/")
            }
        })
    });
    group.finish();

    // What strict HTTP costs a well-formed request: for HTTP/1, one pass
    // over the raw head and a look at the parsed target; for HTTP/2, the
    // parsed request. A hand-written Pingora proxy does neither.
    let mut group = criterion.benchmark_group("strict HTTP");
    let head = b"GET /api/v1/users/42?page=2 HTTP/1.1\r\nHost: gw.test\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n";
    let limits = gateway_runtime::strict::Limits::DEFAULT;
    assert!(gateway_runtime::strict::check_http1(head, &base, &limits).is_ok());
    group.bench_function("HTTP/1 (check_http1)", |bencher| {
        bencher.iter(|| gateway_runtime::strict::check_http1(black_box(head), black_box(&base), &limits).is_ok())
    });
    group.bench_function("HTTP/2 (check_parsed)", |bencher| {
        bencher.iter(|| gateway_runtime::strict::check_parsed(black_box(&base)).is_ok())
    });
    group.finish();

    let mut group = criterion.benchmark_group("header edit");
    let base = request();
    group.bench_function("generated (edit table)", |bencher| {
        bencher.iter_batched_ref(
            || base.clone(),
            |request| edit_request(&EDITS, black_box(request)),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("hand-written", |bencher| {
        bencher.iter_batched_ref(
            || base.clone(),
            |request| black_box(request).insert_header("X-Bench", "gw"),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut group = criterion.benchmark_group("rate limiter");
    let limiter = RateLimiter::new(1_000_000_000, Duration::from_secs(1), true, "client_ip");
    let fixed = RateLimiter::new(1_000_000_000, Duration::from_secs(1), false, "client_ip");
    let rate = Rate::new(Duration::from_secs(1));
    let ip = IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3));
    group
        .bench_function("generated (sliding window)", |bencher| bencher.iter(|| limiter.check(&black_box(ip)).is_ok()));
    group.bench_function("generated (fixed window)", |bencher| bencher.iter(|| fixed.check(&black_box(ip)).is_ok()));
    group.bench_function("hand-written (fixed window)", |bencher| {
        bencher.iter(|| rate.observe(&black_box(ip), 1) > 1_000_000_000)
    });
    group.bench_function("hand-written (sliding window)", |bencher| {
        bencher.iter(|| {
            let key = black_box(ip);
            let estimate = rate.rate_with(&key, |c| {
                c.prev_samples as f64 * (1.0 - c.current_interval_fraction) + c.curr_samples as f64
            });
            estimate < 1_000_000_000.0 && rate.observe(&key, 1) > 0
        })
    });
    group.finish();

    let mut group = criterion.benchmark_group("auth jwt (HS256)");
    // `auth jwt { secret env(...); algorithms HS256 }` verifying a valid
    // token, beside `jsonwebtoken::decode` with the same validation.
    let secret = b"bench-secret-of-at-least-32-bytes!!";
    let claims = serde_json::json!({"sub": "bench", "exp": 4_102_444_800u64});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret).expect("key"),
    )
    .expect("token");
    let jwt = JwtAuth::load(JwtConfig {
        key: KeySource::SecretFile(concat!(env!("CARGO_MANIFEST_DIR"), "/bench-jwt-secret.txt")),
        algorithms: &["HS256"],
        issuers: &[],
        audiences: &[],
        leeway_seconds: 60,
        required: &[],
        claims: &[],
        location: "bench",
    })
    .expect("jwt");
    group.bench_function("generated (JwtAuth::verify_token)", |bencher| {
        bencher.iter(|| jwt.verify_token(black_box(token.as_bytes())).is_ok())
    });
    let key = jsonwebtoken::DecodingKey::from_secret(secret).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_nbf = true;
    validation.validate_aud = false;
    group.bench_function("hand-written (jsonwebtoken::decode)", |bencher| {
        bencher.iter(|| {
            jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(
                black_box(token.as_str()),
                &key,
                &validation,
            )
            .is_ok()
        })
    });
    group.finish();

    let mut group = criterion.benchmark_group("token bucket (burst)");
    // `limit rate 1000000000/s burst 1000 per client_ip`: never refused, so
    // that every iteration does the same work.
    let bucket = RateLimiter::with_burst(1_000_000_000, Duration::from_secs(1), 1_000, "client_ip");
    let ip = IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3));
    group.bench_function("generated (GCRA)", |bencher| bencher.iter(|| bucket.check(&black_box(ip)).is_ok()));
    group.finish();

    let mut group = criterion.benchmark_group("access rules");
    // `allow 10.0.0.0/8 192.168.0.0/16; deny all` for a client that is let in
    // by the second rule, beside the same comparison written by hand.
    let rules = [
        Rule { cidr: Cidr::v4([10, 0, 0, 0], 8), allow: true },
        Rule { cidr: Cidr::v4([192, 168, 0, 0], 16), allow: true },
        Rule { cidr: Cidr::ALL, allow: false },
    ];
    let client = IpAddr::V4(Ipv4Addr::new(192, 168, 7, 9));
    group.bench_function("generated (access::check)", |bencher| {
        bencher.iter(|| check(black_box(&rules), Some(black_box(client))).is_ok())
    });
    group.bench_function("hand-written", |bencher| {
        bencher.iter(|| match black_box(client) {
            IpAddr::V4(ip) => {
                let bits = u32::from(ip);
                bits >> 24 == 10 || bits >> 16 == (192 << 8 | 168)
            }
            IpAddr::V6(_) => false,
        })
    });
    group.finish();

    let mut group = criterion.benchmark_group("path");
    group.bench_function("normalise (already normal)", |bencher| {
        bencher.iter(|| gateway_runtime::path::normalize(black_box("/api/v1/users/42")).is_ok())
    });
    group.bench_function("normalise (dot segments)", |bencher| {
        bencher.iter(|| gateway_runtime::path::normalize(black_box("/api/v1/../v2//users/%34%32")).is_ok())
    });
    group.finish();

    let mut group = criterion.benchmark_group("context");
    // The context of the load benchmark's gateway (bench.gw), beside the
    // reference's (benches/src/bin/reference.rs).
    // (`Gateway::new` reads BENCH_JWT_SECRET, set above.)
    let gateway = gw_benches::bench::Gateway::new().expect("gateway");
    group.bench_function("generated (new_ctx)", |bencher| bencher.iter(|| black_box(gateway.new_ctx())));
    #[derive(Default)]
    struct HandWritten {
        _api: bool,
        _cached: bool,
    }
    group.bench_function("hand-written", |bencher| bencher.iter(|| black_box(HandWritten::default())));
    group.finish();
}

/// `upstream { proxy_protocol v2 }`: the per-request work of a connection
/// made for a client (the header, the pool key, the connector), beside a
/// hand-written connector doing the same with `ppp` and std's hasher. Only
/// new connections send the header; a reused one costs nothing more.
fn proxy_protocol(criterion: &mut Criterion) {
    use std::hash::{Hash, Hasher};
    use std::net::SocketAddr;
    use std::sync::Arc;

    use gateway_runtime::proxy_protocol::Version;
    use gateway_runtime::upstream::connect::Dial;

    let mut group = criterion.benchmark_group("PROXY header to an upstream (v2)");
    let addresses: (SocketAddr, SocketAddr) =
        ("192.0.2.1:56324".parse().expect("address"), "198.51.100.1:443".parse().expect("address"));
    let dial = Dial { via: None, header: Box::default(), timeout: Duration::from_secs(10) };
    group.bench_function("generated (Dial::for_client)", |bencher| {
        bencher.iter(|| {
            let (dial, group_key) = dial.for_client(Version::V2, Some(black_box(addresses)), 7);
            black_box((Arc::new(dial), group_key))
        })
    });
    #[derive(Debug)]
    struct HandWritten {
        _header: Vec<u8>,
    }
    group.bench_function("hand-written (ppp, DefaultHasher)", |bencher| {
        bencher.iter(|| {
            let addresses = black_box(addresses);
            let header = ppp::v2::Builder::with_addresses(
                ppp::v2::Version::Two | ppp::v2::Command::Proxy,
                ppp::v2::Protocol::Stream,
                addresses,
            )
            .build()
            .unwrap_or_default();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (7u64, addresses).hash(&mut hasher);
            black_box((Arc::new(HandWritten { _header: header }), hasher.finish()))
        })
    });
    group.finish();
}

criterion_group!(benches, per_request, proxy_protocol);
criterion_main!(benches);
