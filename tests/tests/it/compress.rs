//! `compress`: fixture `tests/gw/compress.gw`. Bodies are decoded here and
//! compared with what the origin sent.

use std::io::Read;

use crate::support::{Gateway, client, origin};

const BASE: &str = "http://127.71.0.41:18080";

struct Raw {
    encoding: Option<String>,
    vary: Option<String>,
    cache: Option<String>,
    body: Vec<u8>,
}

fn fetch(client: &reqwest::blocking::Client, path: &str, accept: Option<&str>) -> Raw {
    let mut request = client.get(format!("{BASE}{path}"));
    if let Some(accept) = accept {
        request = request.header("Accept-Encoding", accept);
    }
    let response = request.send().expect("request");
    let header = |name: &str| response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_string);
    let (encoding, vary, cache) = (header("content-encoding"), header("vary"), header("x-cache-status"));
    Raw { encoding, vary, cache, body: response.bytes().expect("body").to_vec() }
}

fn decoded(raw: &Raw) -> Vec<u8> {
    let mut out = Vec::new();
    match raw.encoding.as_deref() {
        Some("gzip") => {
            flate2::read::GzDecoder::new(raw.body.as_slice()).read_to_end(&mut out).expect("gzip");
        }
        Some("zstd") => out = zstd::decode_all(raw.body.as_slice()).expect("zstd"),
        None => out = raw.body.clone(),
        Some(other) => panic!("unexpected coding {other}"),
    }
    out
}

/// The origin's echo, without the request-dependent parts (its count and
/// the headers it received).
fn text(body: &[u8]) -> String {
    let echo: serde_json::Value = serde_json::from_slice(body).expect("an origin echo");
    echo["target"].as_str().unwrap_or_default().to_string() + &" ".repeat(body.len() - body.trim_ascii_end().len())
}

#[test]
fn responses_are_compressed_after_the_cache_in_the_coding_the_client_prefers() {
    let _origin = origin("origin", "127.71.0.41:18001");
    let _gateway = Gateway::start("compress", "127.71.0.41:18080", &[]);
    let client = client();
    let large = "/z/a?pad=4000";

    let identity = fetch(&client, large, None);
    assert_eq!(identity.encoding, None, "no Accept-Encoding: sent as it is");
    let cases = [
        ("gzip", "gzip"),
        ("zstd", "zstd"),
        ("gzip;q=0, zstd", "zstd"),
        ("gzip;q=0.5, zstd", "zstd"),
        ("br, zstd;q=0.9, gzip;q=0.8", "zstd"),
        ("gzip, deflate, br, zstd", "gzip"),
    ];
    for (accept, coding) in cases {
        let raw = fetch(&client, large, Some(accept));
        assert_eq!(raw.encoding.as_deref(), Some(coding), "Accept-Encoding: {accept}");
        assert!(raw.vary.as_deref().is_some_and(|vary| vary.to_ascii_lowercase().contains("accept-encoding")));
        assert!(raw.body.len() < identity.body.len() / 4, "{coding}: {} bytes", raw.body.len());
        assert_eq!(text(&decoded(&raw)), text(&identity.body), "{coding} decodes to what the origin sent");
    }
    assert_eq!(fetch(&client, large, Some("gzip;q=0")).encoding, None, "a refused coding is never used");
    assert_eq!(fetch(&client, large, Some("br")).encoding, None, "no coding both sides have");
    assert_eq!(fetch(&client, "/z/small", Some("gzip")).encoding, None, "below min_size");
    let no_transform = fetch(&client, "/z/a?pad=4000&cache_control=no-transform", Some("gzip"));
    assert_eq!(no_transform.encoding, None, "Cache-Control: no-transform");
    assert_eq!(fetch(&client, "/images/a?pad=4000", Some("gzip")).encoding, None, "not a listed type");
    assert_eq!(fetch(&client, "/plain/a?pad=4000", Some("gzip")).encoding, None, "a route without compress");

    // The cache stores what the origin sent; each client gets its coding.
    let first = fetch(&client, "/cached/a?pad=4000", Some("gzip"));
    assert_eq!((first.encoding.as_deref(), first.cache.as_deref()), (Some("gzip"), Some("MISS")));
    let plain = fetch(&client, "/cached/a?pad=4000", None);
    assert_eq!((plain.encoding.as_deref(), plain.cache.as_deref()), (None, Some("HIT")));
    let zstd = fetch(&client, "/cached/a?pad=4000", Some("zstd"));
    assert_eq!((zstd.encoding.as_deref(), zstd.cache.as_deref()), (Some("zstd"), Some("HIT")));
    assert_eq!(decoded(&zstd), plain.body);
    assert_eq!(decoded(&first), plain.body);
}
