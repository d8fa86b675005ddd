//! Strict HTTP: what a request must be before it is routed.
//!
//! Pingora parses the request and refuses some malformed ones itself
//! (differing `Content-Length`s, a final transfer coding other than
//! `chunked`, several `Host` fields, a `Host` that differs from an
//! absolute-form target). It accepts, and a proxy built on it forwards,
//! much that an origin may read differently: no `Host`, a `Host` with
//! spaces, `Content-Length` twice, `Content-Length` beside
//! `Transfer-Encoding` (it drops the length and goes on), codings such as
//! `gzip, chunked`, bare LF line ends, folded header lines. [`check`] refuses
//! all of it, before any route sees the request; each rule, its status and
//! its RFC section are listed in `docs/security.md`.
//!
//! HTTP/1.x requests are checked on the raw bytes of the request head, as
//! received, since Pingora's parsed header has already reconciled some of
//! what must be refused; HTTP/2 requests (framed by the h2 codec) on the
//! parsed header.

use http::header::{CONNECTION, CONTENT_LENGTH, HOST, TRANSFER_ENCODING};
use http::{Method, Version};
use pingora::http::RequestHeader;
use pingora::http::authority::{RawTargetAuthority, raw_target_authority};
use pingora::proxy::Session;

pub use gateway_http::head::{Head, Limits, Refusal, check_head, valid_host};
use gateway_http::head::{check_connection, refuse};

use crate::guard::HeadTimer;
use crate::respond::{self, ErrorPage};

/// What to do with `OPTIONS *`, the one request without a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Route it.
    Route,
    /// `OPTIONS *`: answered by the gateway itself.
    ServerOptions,
}

/// Answers a request that breaks a rule (with its status and `pages`,
/// closing the connection) and `OPTIONS *`: the response to await, after
/// which the request is done, or `None` to route the request. First thing
/// in `request_filter`; the check itself is not async, so that a request
/// that passes pays for no response state.
pub fn screen<'a>(session: &'a mut Session, limits: &Limits, pages: &'a [ErrorPage]) -> Option<respond::Sending<'a>> {
    match check(session, limits) {
        Ok(Verdict::Route) => None,
        Ok(Verdict::ServerOptions) => Some(respond::server_options(session)),
        Err(refusal) => {
            log::debug!(
                "refused with {}: {} (client {})",
                refusal.status,
                refusal.reason,
                session.client_addr().map_or_else(|| "unknown".to_string(), ToString::to_string)
            );
            Some(respond::refused(session, refusal.status, pages))
        }
    }
}

/// Most body reads [`read_first_chunk`] makes: a size line is at most
/// 4 KiB, so a client that sends it a few bytes at a time is cut short.
const MAX_FIRST_CHUNK_READS: usize = 64;

/// Whether the request has a chunked body whose first chunk-size line did
/// not come with the head: it must be read before the request goes
/// upstream ([`read_first_chunk`]). Not with `Expect: 100-continue`, whose
/// client waits for the upstream's `100 Continue` before sending its body.
pub fn first_chunk_pending(session: &Session) -> bool {
    let Some(http1) = session.as_downstream().as_http1() else { return false };
    http1.stream().as_any().downcast_ref::<HeadTimer>().is_some_and(HeadTimer::first_chunk_pending)
        && !session.req_header().headers.contains_key(http::header::EXPECT)
}

/// Reads a chunked body until its first chunk-size line is known to be
/// well formed (what is read is kept and sent upstream first), so that no
/// upstream request is opened for a body whose framing is broken. Answers
/// 400 (or 408 if the body stalls) and returns `true` when it is broken.
pub async fn read_first_chunk(session: &mut Session, pages: &[ErrorPage]) -> pingora::Result<bool> {
    session.as_mut().enable_retry_buffering();
    for _ in 0..MAX_FIRST_CHUNK_READS {
        match session.read_request_body().await {
            Ok(Some(_)) if first_chunk_pending(session) => {}
            Ok(_) => return Ok(false),
            Err(error) => {
                let status = if error.etype() == &pingora::ErrorType::ReadTimedout { 408 } else { 400 };
                log::debug!("refused with {status}: request body: {error}");
                return respond::refused(session, status, pages).await;
            }
        }
    }
    respond::refused(session, 400, pages).await
}

/// Checks the request of `session` against the rules and `limits`.
pub fn check(session: &Session, limits: &Limits) -> Result<Verdict, Refusal> {
    let request = session.req_header();
    match session.as_downstream().as_http1() {
        // One pass over the raw head finds what the parsed header would be
        // asked for: its Host, its Connection options, NUL.
        Some(http1) => {
            // What Pingora's parser re-encoded before the head was kept.
            let line = http1.stream().as_any().downcast_ref::<HeadTimer>().and_then(HeadTimer::request_line_refused);
            if let Some(reason) = line {
                return refuse(400, reason);
            }
            // A chunked body malformed in what came with the head.
            let framing = http1.stream().as_any().downcast_ref::<HeadTimer>().and_then(HeadTimer::framing_refused);
            if let Some(reason) = framing {
                return refuse(400, reason);
            }
            check_http1(&http1.get_headers_raw_bytes(), request, limits)
        }
        None => check_parsed(request),
    }
}

/// The rules on an HTTP/1.x request: its raw `head`, then the target of
/// `request`, its parsed form.
pub fn check_http1(head: &[u8], request: &RequestHeader, limits: &Limits) -> Result<Verdict, Refusal> {
    // `check_head` has refused NUL anywhere in the head, the target too.
    check_target(request, check_head(head, limits)?.host, Nul::Refused)
}

/// The rules on a parsed request (HTTP/2): its fields, then its target.
pub fn check_parsed(request: &RequestHeader) -> Result<Verdict, Refusal> {
    let mut hosts = request.headers.get_all(HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (_, Some(_)) => return refuse(400, "more than one Host field"),
        (Some(host), None) => Some(host.as_bytes()),
        (None, None) => None,
    };
    for value in request.headers.values() {
        if value.as_bytes().iter().any(|byte| matches!(byte, b'\0' | b'\r' | b'\n')) {
            return refuse(400, "NUL, CR or LF in a field value");
        }
    }
    if request.version == Version::HTTP_2 && request.headers.contains_key(TRANSFER_ENCODING) {
        return refuse(400, "Transfer-Encoding in HTTP/2");
    }
    let mut options = 0;
    for value in request.headers.get_all(CONNECTION) {
        check_connection(value.as_bytes(), &mut options)?;
    }
    if request.headers.get_all(CONTENT_LENGTH).iter().nth(1).is_some() {
        return refuse(400, "more than one Content-Length");
    }
    check_target(request, host, Nul::Unchecked)
}

/// Whether the request target may still hold a NUL.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nul {
    Unchecked,
    Refused,
}

/// The rules on `Host` (the value of the request's one Host field, if
/// any) and the request target.
fn check_target(request: &RequestHeader, host: Option<&[u8]>, nul: Nul) -> Result<Verdict, Refusal> {
    // HTTP/2 carries `:authority` in the Uri; an HTTP/1 absolute-form target
    // keeps it only in the raw target.
    let authority = match request.uri.authority() {
        Some(authority) => Some(authority.as_str().as_bytes()),
        None => match raw_target_authority(request.raw_path()) {
            RawTargetAuthority::AmbiguousAuthority => return refuse(400, "ambiguous authority in the request target"),
            target => target.authority(),
        },
    };
    match (host, authority) {
        (Some(host), _) if !valid_host(host) => return refuse(400, "invalid Host"),
        (Some(host), Some(authority)) if host != authority => {
            return refuse(400, "Host differs from the authority of the request target");
        }
        (None, Some(authority)) if !valid_host(authority) => return refuse(400, "invalid authority"),
        // HTTP/1.1 requires Host, even beside an absolute-form target
        // (RFC 9112 §3.2); HTTP/2 carries `:authority` or Host.
        (None, _) if request.version == Version::HTTP_11 => return refuse(400, "no Host"),
        (None, None) if request.version == Version::HTTP_2 => return refuse(400, "no authority"),
        _ => {}
    }
    let target = request.raw_path();
    if target == b"*" {
        return if request.method == Method::OPTIONS { Ok(Verdict::ServerOptions) } else { refuse(400, "`*` target") };
    }
    if nul == Nul::Unchecked && target.contains(&0) {
        return refuse(400, "NUL in the request target");
    }
    Ok(Verdict::Route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(method: &str, target: &str, version: Version, headers: &[(&str, &str)]) -> Result<Verdict, Refusal> {
        let mut request = RequestHeader::build(method, target.as_bytes(), None).expect("request");
        request.set_version(version);
        for (name, value) in headers {
            request.append_header(name.to_string(), *value).expect("header");
        }
        check_parsed(&request)
    }

    #[test]
    fn host_and_target_rules() {
        let v11 = Version::HTTP_11;
        assert_eq!(parsed("GET", "/", v11, &[("Host", "a")]), Ok(Verdict::Route));
        assert_eq!(parsed("GET", "/", v11, &[]).map_err(|refusal| refusal.status), Err(400));
        assert_eq!(parsed("GET", "/", Version::HTTP_10, &[]), Ok(Verdict::Route));
        assert!(parsed("GET", "/", v11, &[("Host", "a b")]).is_err());
        assert!(parsed("GET", "/", v11, &[("Host", "a"), ("Host", "b")]).is_err());
        assert_eq!(parsed("GET", "http://a/x", v11, &[("Host", "a")]), Ok(Verdict::Route));
        assert!(parsed("GET", "http://a/x", v11, &[("Host", "A")]).is_err());
        assert!(parsed("GET", "http://a/x", v11, &[("Host", "b")]).is_err());
        assert!(parsed("GET", "http://a/x", v11, &[]).is_err());
        assert_eq!(parsed("GET", "http://a/x", Version::HTTP_2, &[]), Ok(Verdict::Route));
        assert_eq!(parsed("OPTIONS", "*", v11, &[("Host", "a")]), Ok(Verdict::ServerOptions));
        assert!(parsed("GET", "*", v11, &[("Host", "a")]).is_err());
        assert_eq!(parsed("GET", "/", v11, &[("Host", "a"), ("Connection", "close, X-Private")]), Ok(Verdict::Route));
        assert!(parsed("GET", "/", v11, &[("Host", "a"), ("Connection", "keep-alive, X-Forwarded-For")]).is_err());
        assert!(parsed("GET", "/", v11, &[("Host", "a"), ("Connection", "\"x-forwarded-for\"")]).is_err());
        assert!(parsed("GET", "/", v11, &[("Host", "a"), ("Connection", "a,b,c,d,e,f,g,h,i,j")]).is_err());
    }
}
