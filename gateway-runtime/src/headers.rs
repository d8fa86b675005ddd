//! Header edits of `request { }` and `response { }` blocks.

use http::HeaderValue;
use pingora::http::{RequestHeader, ResponseHeader};

/// One edit; a route's edits are a static slice applied in order.
#[derive(Debug)]
pub enum Edit {
    /// Replace every value of the header with this one.
    Set(&'static str, HeaderValue),
    /// Remove the header.
    Remove(&'static str),
}

/// Applies `edits` to the request about to be sent upstream
/// (`upstream_request_filter`).
pub fn edit_request(edits: &[Edit], request: &mut RequestHeader) -> pingora::Result<()> {
    apply(edits, request)
}

/// Applies `edits` to a response about to be sent downstream (`response_filter`,
/// or a response the gateway writes itself).
pub fn edit_response(edits: &[Edit], response: &mut ResponseHeader) -> pingora::Result<()> {
    apply(edits, response)
}

/// Pingora's request and response headers have the same editing methods but no
/// trait in common.
trait Headers {
    fn set(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()>;
    fn remove(&mut self, name: &'static str);
}

impl Headers for RequestHeader {
    fn set(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()> {
        self.insert_header(name, value)
    }
    fn remove(&mut self, name: &'static str) {
        self.remove_header(name);
    }
}

impl Headers for ResponseHeader {
    fn set(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()> {
        self.insert_header(name, value)
    }
    fn remove(&mut self, name: &'static str) {
        self.remove_header(name);
    }
}

fn apply(edits: &[Edit], headers: &mut impl Headers) -> pingora::Result<()> {
    for edit in edits {
        match edit {
            Edit::Set(name, value) => headers.set(name, value.clone())?,
            Edit::Remove(name) => headers.remove(name),
        }
    }
    Ok(())
}
