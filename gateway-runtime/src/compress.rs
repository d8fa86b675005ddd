//! `compress gzip zstd { min_size SIZE; types TYPE... }`: responses
//! compressed for clients that accept it, by Pingora's response compression
//! module (a downstream module, so it runs after the cache: the cache keeps
//! what the upstream sent, and each client gets the coding it asked for).
//!
//! The module is registered disabled (`module`), so it does nothing for
//! routes without `compress`. On a route with `compress`, [`select`]
//! (`request_filter`, after routing) gives it the codings the client
//! accepts among the route's, most preferred first by q-value (the module
//! itself takes the first coding listed and ignores q-values, RFC 9110
//! §12.5.3), and turns them on. In `response_filter`, [`response`] turns it
//! off again for a response too small, of a type not listed, or that says
//! `Cache-Control: no-transform` (RFC 9111 §5.2.2.6, which the module does
//! not check). The module skips responses already encoded, adds `Vary:
//! Accept-Encoding`, drops `Content-Length` and weakens a strong `ETag`.
//! The request's `Accept-Encoding` goes upstream unchanged.
//!
//! Brotli is not offered: Pingora 0.9's brotli encoder never finishes its
//! stream (cloudflare/pingora#1013), which strict decoders (Node's `fetch`)
//! reject.

use http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::modules::http::ModuleBuilder;
use pingora::modules::http::compression::{ResponseCompression, ResponseCompressionBuilder};
use pingora::protocols::http::compression::Algorithm;
use pingora::proxy::Session;

/// gzip's level: zlib's default, a good ratio for its time.
pub const GZIP_LEVEL: u32 = 6;
/// zstd's level: its default.
pub const ZSTD_LEVEL: u32 = 3;

/// A route's `compress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compress {
    pub gzip: bool,
    pub zstd: bool,
    /// Responses whose `Content-Length` is below this are sent as they are.
    pub min_size: u64,
    /// Media types compressed (lower case, without parameters); a `/*`
    /// suffix takes a whole family (`text/*`).
    pub types: &'static [&'static str],
}

/// The module, registered once in `init_downstream_modules`, disabled.
pub fn module() -> ModuleBuilder {
    ResponseCompressionBuilder::enable(0)
}

fn context(session: &mut Session) -> Option<&mut ResponseCompression> {
    session.downstream_modules_ctx.get_mut::<ResponseCompression>()
}

fn off(session: &mut Session) {
    if let Some(context) = context(session) {
        context.adjust_level(0);
    }
}

/// Turns on the route's codings that the client accepts, most preferred
/// first (`request_filter`, after routing).
pub fn select(session: &mut Session, rules: &Compress) {
    let Some(accepted) = session.req_header().headers.get(ACCEPT_ENCODING).and_then(|value| value.to_str().ok()) else {
        return;
    };
    let codings = preferred(accepted, rules);
    if codings.is_empty() {
        return;
    }
    // The module reads the codings from a request header: give it one
    // holding only these, in this order.
    let Ok(mut view) = RequestHeader::build("GET", b"/", Some(1)) else { return };
    if view.insert_header(ACCEPT_ENCODING, codings.join(", ")).is_err() {
        return;
    }
    if let Some(context) = context(session) {
        context.adjust_algorithm_level(Algorithm::Gzip, if rules.gzip { GZIP_LEVEL } else { 0 });
        context.adjust_algorithm_level(Algorithm::Zstd, if rules.zstd { ZSTD_LEVEL } else { 0 });
        context.request_filter(&view);
    }
}

/// Whether `response` should be compressed under `rules`.
pub fn wanted(rules: &Compress, response: &ResponseHeader) -> bool {
    let header = |name| response.headers.get(name).and_then(|value: &http::HeaderValue| value.to_str().ok());
    if header(CACHE_CONTROL)
        .is_some_and(|value| value.split(',').any(|directive| directive.trim().eq_ignore_ascii_case("no-transform")))
    {
        return false;
    }
    if header(CONTENT_LENGTH)
        .and_then(|length| length.trim().parse::<u64>().ok())
        .is_some_and(|length| length < rules.min_size)
    {
        return false;
    }
    let Some(media_type) =
        header(CONTENT_TYPE).map(|value| value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    else {
        return false;
    };
    rules.types.iter().any(|listed| match listed.strip_suffix("/*") {
        Some(family) => media_type.strip_prefix(family).is_some_and(|rest| rest.starts_with('/')),
        None => media_type == *listed,
    })
}

/// Turns compression off for a response [`wanted`] refuses (`response_filter`).
pub fn response(session: &mut Session, rules: &Compress, response: &ResponseHeader) {
    if !wanted(rules, response) {
        off(session);
    }
}

/// The route's codings the client accepts (`Accept-Encoding`), most
/// preferred first: by q-value, then in the client's order; `q=0` refuses a
/// coding, and `*` stands for every coding not listed.
pub fn preferred(accepted: &str, rules: &Compress) -> Vec<&'static str> {
    let mut listed: Vec<(&str, u16, usize)> = Vec::new();
    for (index, item) in accepted.split(',').enumerate() {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        if coding.is_empty() {
            continue;
        }
        let quality = parts
            .filter_map(|param| param.trim().strip_prefix("q=").or_else(|| param.trim().strip_prefix("Q=")))
            .next()
            .map_or(1000, quality);
        listed.push((coding, quality, index));
    }
    let any = listed.iter().find(|(coding, _, _)| *coding == "*").map(|(_, quality, index)| (*quality, *index));
    let mut codings: Vec<(&'static str, u16, usize)> = Vec::new();
    for (coding, enabled) in [("zstd", rules.zstd), ("gzip", rules.gzip)] {
        if !enabled {
            continue;
        }
        let found = listed.iter().find(|(name, _, _)| name.eq_ignore_ascii_case(coding)).map(|(_, q, i)| (*q, *i));
        if let Some((quality, index)) = found.or(any)
            && quality > 0
        {
            codings.push((coding, quality, index));
        }
    }
    codings.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    codings.into_iter().map(|(coding, _, _)| coding).collect()
}

/// A q-value in thousandths (RFC 9110 §12.4.2); unreadable: 0 (refused).
fn quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    match whole {
        "1" => 1000,
        "0" => {
            let digits: String = fraction.chars().take(3).collect();
            if digits.is_empty() || !digits.chars().all(|digit| digit.is_ascii_digit()) {
                return 0;
            }
            format!("{digits:0<3}").parse().unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Compress = Compress { gzip: true, zstd: true, min_size: 0, types: &[] };

    #[test]
    fn codings_are_chosen_by_preference_among_the_routes() {
        assert_eq!(preferred("gzip;q=0, zstd", &BOTH), ["zstd"]);
        assert_eq!(preferred("gzip;q=0.5, zstd, br;q=0.8", &BOTH), ["zstd", "gzip"]);
        assert_eq!(preferred("gzip, deflate, br, zstd", &BOTH), ["gzip", "zstd"]);
        assert_eq!(preferred("br, zstd", &Compress { zstd: false, ..BOTH }), Vec::<&str>::new());
        assert_eq!(preferred("GZIP;Q=0.001, zstd;q=0.0001", &BOTH), ["gzip"]);
        assert_eq!(preferred("*", &BOTH), ["zstd", "gzip"]);
        assert_eq!(preferred("*;q=0, gzip", &BOTH), ["gzip"]);
        assert_eq!(preferred("identity", &BOTH), Vec::<&str>::new());
    }

    #[test]
    fn only_listed_types_of_at_least_min_size_without_no_transform() {
        let rules = Compress { gzip: true, zstd: false, min_size: 100, types: &["text/*", "application/json"] };
        let response = |headers: &[(&str, &str)]| {
            let mut response = ResponseHeader::build(200, None).expect("response");
            for (name, value) in headers {
                response.insert_header(name.to_string(), *value).expect("header");
            }
            response
        };
        assert!(wanted(&rules, &response(&[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "500")])));
        assert!(wanted(&rules, &response(&[("Content-Type", "application/json")])), "no length: maybe large");
        assert!(!wanted(&rules, &response(&[("Content-Type", "application/json"), ("Content-Length", "99")])));
        assert!(!wanted(&rules, &response(&[("Content-Type", "image/png"), ("Content-Length", "500")])));
        assert!(!wanted(&rules, &response(&[("Content-Type", "textual/x")])));
        assert!(!wanted(&rules, &response(&[("Content-Type", "text/css"), ("Cache-Control", "public, no-transform")])));
        assert!(!wanted(&rules, &response(&[])), "no type: unknown bytes");
    }
}
