//! `limit body SIZE`: request bodies of at most SIZE bytes; 413 otherwise.
//!
//! A `Content-Length` over the limit is refused in `request_filter`, before
//! anything goes upstream. A body without a length (chunked, or HTTP/2) is
//! counted as it streams through `request_body_filter`: the piece that would
//! take it past the limit is not forwarded, the request fails with 413 and
//! the upstream request is aborted, so the upstream never receives a whole
//! oversized body.

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use pingora::http::RequestHeader;
use pingora::{Error, ErrorType};

use super::Refusal;

/// Refuses a request whose declared `Content-Length` is over `limit`.
pub fn check_length(request: &RequestHeader, limit: u64) -> Result<(), Refusal> {
    let length = request.headers.get(CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok());
    match length {
        Some(length) if length > limit => Err(Refusal::status(413)),
        _ => Ok(()),
    }
}

/// Adds a piece of body to `seen`; an error that answers 413 once the
/// total is over `limit`.
pub fn count(seen: &mut u64, body: &Option<Bytes>, limit: u64) -> pingora::Result<()> {
    if let Some(body) = body {
        *seen = seen.saturating_add(body.len() as u64);
        if *seen > limit {
            return Error::e_explain(ErrorType::HTTPStatus(413), "request body over `limit body`");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_and_streamed_lengths_are_held_to_the_limit() {
        let mut request = RequestHeader::build("POST", b"/", None).expect("request");
        assert!(check_length(&request, 10).is_ok(), "no length: counted as it streams");
        request.insert_header("Content-Length", "10").expect("header");
        assert!(check_length(&request, 10).is_ok());
        request.insert_header("Content-Length", "11").expect("header");
        assert_eq!(check_length(&request, 10), Err(Refusal::status(413)));

        let mut seen = 0;
        assert!(count(&mut seen, &Some(Bytes::from_static(b"123456")), 10).is_ok());
        assert!(count(&mut seen, &None, 10).is_ok());
        assert!(count(&mut seen, &Some(Bytes::from_static(b"1234")), 10).is_ok());
        let error = count(&mut seen, &Some(Bytes::from_static(b"x")), 10).expect_err("11 bytes");
        assert_eq!(error.etype(), &ErrorType::HTTPStatus(413));
    }
}
