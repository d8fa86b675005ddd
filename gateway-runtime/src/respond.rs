//! Responses the gateway writes itself, in `request_filter`: fixed
//! responses of `respond` routes, and refusals (404, 401, 403, 429).
//!
//! Each returns `Ok(true)`, which tells Pingora the response is sent.

use bytes::Bytes;
use http::Method;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use pingora::http::ResponseHeader;
use pingora::proxy::Session;

use crate::auth::Rejection;
use crate::headers::{Edit, edit_response};

/// The response of a `respond STATUS "body"` route.
#[derive(Debug)]
pub struct Fixed {
    pub status: u16,
    pub body: &'static [u8],
    /// The route's `response { }` edits.
    pub headers: &'static [Edit],
}

/// Writes a `respond` route's response.
pub async fn fixed(session: &mut Session, response: &Fixed) -> pingora::Result<bool> {
    let mut header = text_header(response.status, response.body.len())?;
    edit_response(response.headers, &mut header)?;
    send(session, header, Bytes::from_static(response.body)).await
}

/// No route matches the request.
pub async fn not_found(session: &mut Session) -> pingora::Result<bool> {
    refuse(session, 404, b"not found\n", None).await
}

/// Over a rate limit; the client may retry after `retry_after` seconds.
pub async fn too_many_requests(session: &mut Session, retry_after: u64) -> pingora::Result<bool> {
    refuse(session, 429, b"too many requests\n", Some(("Retry-After", retry_after.to_string()))).await
}

/// Refused by `auth bearer`: 401 without credentials, 403 with wrong ones.
pub async fn auth_rejected(session: &mut Session, rejection: Rejection) -> pingora::Result<bool> {
    match rejection {
        Rejection::Missing => {
            refuse(session, 401, b"unauthorized\n", Some(("WWW-Authenticate", "Bearer".to_string()))).await
        }
        Rejection::Wrong => refuse(session, 403, b"forbidden\n", None).await,
    }
}

async fn refuse(
    session: &mut Session,
    status: u16,
    body: &'static [u8],
    extra: Option<(&'static str, String)>,
) -> pingora::Result<bool> {
    let mut header = text_header(status, body.len())?;
    if let Some((name, value)) = extra {
        header.insert_header(name, value)?;
    }
    send(session, header, Bytes::from_static(body)).await
}

fn text_header(status: u16, length: usize) -> pingora::Result<ResponseHeader> {
    let mut header = ResponseHeader::build(status, Some(4))?;
    header.insert_header(CONTENT_TYPE, "text/plain; charset=utf-8")?;
    header.insert_header(CONTENT_LENGTH, length)?;
    Ok(header)
}

/// Writes a whole response. The connection stays open for the next request
/// only if this one had no body, which the gateway did not read.
async fn send(session: &mut Session, header: ResponseHeader, body: Bytes) -> pingora::Result<bool> {
    if !session.as_downstream_mut().is_body_empty() {
        session.as_downstream_mut().set_keepalive(None);
    }
    let head_only = body.is_empty() || session.req_header().method == Method::HEAD;
    session.write_response_header(Box::new(header), head_only).await?;
    if !head_only {
        session.write_response_body(Some(body), true).await?;
    }
    Ok(true)
}
