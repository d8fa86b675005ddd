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
    for edit in edits {
        match edit {
            Edit::Set(name, value) => request.insert_header(*name, value.clone())?,
            Edit::Remove(name) => {
                request.remove_header(*name);
            }
        }
    }
    Ok(())
}

/// Applies `edits` to a response about to be sent downstream (`response_filter`,
/// or a response the gateway writes itself).
pub fn edit_response(edits: &[Edit], response: &mut ResponseHeader) -> pingora::Result<()> {
    for edit in edits {
        match edit {
            Edit::Set(name, value) => response.insert_header(*name, value.clone())?,
            Edit::Remove(name) => {
                response.remove_header(*name);
            }
        }
    }
    Ok(())
}
