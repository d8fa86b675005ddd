//! Responses the gateway writes itself: fixed responses of `respond` routes,
//! redirects, and errors (400, 401, 403, 404, those of policies, and of failed
//! proxying, through `fail_to_proxy`), with the file's error pages.
//!
//! The functions of `request_filter` return `Ok(true)`, which tells Pingora
//! the response is sent. They return their work as a boxed future
//! ([`Sending`]): `request_filter`'s future, which Pingora allocates for
//! every request, would otherwise hold the state of every response it might
//! write (Pingora's `write_response_header` alone is over a kilobyte), and a
//! request that is proxied would pay for allocating and copying it.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http::Method;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use pingora::http::ResponseHeader;
use pingora::proxy::{FailToProxy, Session};
use pingora::{Error, ErrorSource, ErrorType};

use crate::headers::{Edit, edit_response};
use crate::policy::Refusal;

const TEXT: &str = "text/plain; charset=utf-8";

/// The response of a `respond STATUS "body" [TYPE]` route.
#[derive(Debug)]
pub struct Fixed {
    pub status: u16,
    pub body: &'static [u8],
    pub content_type: &'static str,
    /// The route's `response { }` edits.
    pub headers: &'static [Edit],
}

/// A `redirect STATUS URL` route.
#[derive(Debug)]
pub struct Redirect {
    pub status: u16,
    pub location: &'static [Part],
    pub headers: &'static [Edit],
}

/// A piece of a redirect's URL.
#[derive(Debug)]
pub enum Part {
    Text(&'static str),
    /// `http` or `https`.
    Scheme,
    /// The request's host, without port.
    Host,
    /// The (normalised) request path.
    Path,
    /// `?` and the query, or nothing.
    Query,
}

/// The body and type to answer an error status with (`error_page`).
#[derive(Debug)]
pub struct ErrorPage {
    pub status: u16,
    pub body: &'static [u8],
    pub content_type: &'static str,
}

/// A response being written, boxed (see the module's documentation).
pub type Sending<'a> = Pin<Box<dyn Future<Output = pingora::Result<bool>> + Send + 'a>>;

/// Writes a `respond` route's response.
pub fn fixed<'a>(session: &'a mut Session, response: &'a Fixed) -> Sending<'a> {
    Box::pin(async move {
        let mut header = header(response.status, response.content_type, response.body.len())?;
        edit_response(response.headers, &mut header)?;
        send(session, header, Bytes::from_static(response.body)).await
    })
}

/// Writes a `respond` route's response with more fields (`cors`).
pub fn fixed_with<'a>(
    session: &'a mut Session,
    response: &'a Fixed,
    extra: Vec<(&'static str, String)>,
) -> Sending<'a> {
    Box::pin(async move {
        let mut header = header(response.status, response.content_type, response.body.len())?;
        edit_response(response.headers, &mut header)?;
        for (name, value) in extra {
            header.append_header(name, value)?;
        }
        send(session, header, Bytes::from_static(response.body)).await
    })
}

/// Passes on a response made elsewhere (`auth forward`'s denials).
pub fn answer<'a>(session: &'a mut Session, header: Box<ResponseHeader>, body: Bytes) -> Sending<'a> {
    Box::pin(async move { send(session, *header, body).await })
}

/// Answers a CORS preflight: 204, no body, `headers`.
pub fn preflight<'a>(session: &'a mut Session, headers: Vec<(&'static str, String)>) -> Sending<'a> {
    Box::pin(async move {
        let mut header = ResponseHeader::build(204, Some(headers.len()))?;
        for (name, value) in headers {
            header.insert_header(name, value)?;
        }
        send(session, header, Bytes::new()).await
    })
}

/// Writes a redirect to `location` (`redirect_https`).
pub fn redirect_to(session: &mut Session, status: u16, location: String) -> Sending<'_> {
    Box::pin(async move {
        let mut header = ResponseHeader::build(status, Some(2))?;
        header.insert_header("Location", location)?;
        header.insert_header(CONTENT_LENGTH, 0)?;
        send(session, header, Bytes::new()).await
    })
}

/// Writes a redirect.
pub fn redirect<'a>(session: &'a mut Session, redirect: &'a Redirect) -> Sending<'a> {
    Box::pin(write_redirect(session, redirect))
}

async fn write_redirect(session: &mut Session, redirect: &Redirect) -> pingora::Result<bool> {
    let request = session.req_header();
    let mut location = String::new();
    for part in redirect.location {
        match part {
            Part::Text(text) => location.push_str(text),
            Part::Scheme => location.push_str(if is_tls(session) { "https" } else { "http" }),
            Part::Host => location.push_str(crate::router::request_host(request).unwrap_or("")),
            Part::Path => location.push_str(request.uri.path()),
            Part::Query => {
                if let Some(query) = request.uri.query() {
                    location.push('?');
                    location.push_str(query);
                }
            }
        }
    }
    let mut header = ResponseHeader::build(redirect.status, Some(3))?;
    header.insert_header("Location", location)?;
    header.insert_header(CONTENT_LENGTH, 0)?;
    edit_response(redirect.headers, &mut header)?;
    send(session, header, Bytes::new()).await
}

/// Whether the request came over TLS.
pub fn is_tls(session: &Session) -> bool {
    session.digest().is_some_and(|digest| digest.ssl_digest.is_some())
}

/// An error status, with the error page for it if there is one.
pub fn error<'a>(session: &'a mut Session, status: u16, pages: &'a [ErrorPage]) -> Sending<'a> {
    Box::pin(refuse(session, status, pages, None))
}

/// A request the strict HTTP rules refuse ([`crate::strict`]): its status,
/// and the connection closed, since what follows on it cannot be trusted.
pub fn refused<'a>(session: &'a mut Session, status: u16, pages: &'a [ErrorPage]) -> Sending<'a> {
    session.as_downstream_mut().set_keepalive(None);
    Box::pin(refuse(session, status, pages, None))
}

/// `OPTIONS *`: the methods the gateway passes on (RFC 9110 §9.3.7).
pub fn server_options(session: &mut Session) -> Sending<'_> {
    Box::pin(async move {
        let mut header = header(200, TEXT, 0)?;
        header.insert_header("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")?;
        send(session, header, Bytes::new()).await
    })
}

/// A request a policy refused ([`crate::policy`]): its status, the headers
/// that say why, and the error page for the status.
pub fn refusal<'a>(session: &'a mut Session, refusal: Refusal, pages: &'a [ErrorPage]) -> Sending<'a> {
    Box::pin(async move {
        let Refusal { status, headers } = refusal;
        let mut header = page_header(status, pages)?;
        for (name, value) in headers {
            header.0.append_header(name, value)?;
        }
        send(session, header.0, header.1).await
    })
}

/// The status of a failed request (`fail_to_proxy`): the status an error
/// carries; 504 when the upstream timed out; 502 for other upstream
/// failures; 408 when the request body stopped coming; none when the client
/// went away; 400 for other client errors; 500 otherwise.
pub fn failure_status(error: &Error) -> u16 {
    match (error.etype(), error.esource()) {
        (ErrorType::HTTPStatus(status), _) => *status,
        (ErrorType::ConnectTimedout | ErrorType::ReadTimedout | ErrorType::WriteTimedout, ErrorSource::Upstream) => 504,
        (_, ErrorSource::Upstream) => 502,
        // A request body that stopped coming (`body_timeout`).
        (ErrorType::ReadTimedout, ErrorSource::Downstream) => 408,
        (ErrorType::ReadError | ErrorType::WriteError | ErrorType::ConnectionClosed, ErrorSource::Downstream) => 0,
        (_, ErrorSource::Downstream) => 400,
        _ => 500,
    }
}

/// Answers a failed request with its status and error page (`fail_to_proxy`).
pub async fn fail_to_proxy(session: &mut Session, error: &Error, pages: &[ErrorPage]) -> FailToProxy {
    let status = failure_status(error);
    if status > 0 && session.response_written().is_none() {
        session.as_downstream_mut().set_keepalive(None);
        if let Err(write_error) = Box::pin(refuse(session, status, pages, None)).await {
            log::warn!("cannot send the {status} response: {write_error}");
        }
    }
    FailToProxy { error_code: status, can_reuse_downstream: false }
}

async fn refuse(
    session: &mut Session,
    status: u16,
    pages: &[ErrorPage],
    extra: Option<(&'static str, String)>,
) -> pingora::Result<bool> {
    let (mut header, body) = page_header(status, pages)?;
    if let Some((name, value)) = extra {
        header.insert_header(name, value)?;
    }
    send(session, header, body).await
}

/// The head and body of an error status: its error page, or a short text.
fn page_header(status: u16, pages: &[ErrorPage]) -> pingora::Result<(ResponseHeader, Bytes)> {
    let (body, content_type) = match pages.iter().find(|page| page.status == status) {
        Some(page) => (page.body, page.content_type),
        None => (default_body(status), TEXT),
    };
    Ok((header(status, content_type, body.len())?, Bytes::from_static(body)))
}

fn default_body(status: u16) -> &'static [u8] {
    match status {
        400 => b"bad request\n",
        401 => b"unauthorized\n",
        403 => b"forbidden\n",
        404 => b"not found\n",
        408 => b"request timeout\n",
        413 => b"payload too large\n",
        414 => b"request line too long\n",
        421 => b"misdirected request\n",
        429 => b"too many requests\n",
        431 => b"request header fields too large\n",
        500 => b"internal server error\n",
        501 => b"not implemented\n",
        502 => b"bad gateway\n",
        503 => b"service unavailable\n",
        504 => b"gateway timeout\n",
        _ => b"",
    }
}

fn header(status: u16, content_type: &str, length: usize) -> pingora::Result<ResponseHeader> {
    let mut header = ResponseHeader::build(status, Some(4))?;
    header.insert_header(CONTENT_TYPE, content_type)?;
    header.insert_header(CONTENT_LENGTH, length)?;
    Ok(header)
}

/// Writes a whole response. The connection stays open for the next request
/// only if this one had no body, which the gateway did not read.
async fn send(session: &mut Session, mut header: ResponseHeader, body: Bytes) -> pingora::Result<bool> {
    crate::tls::add_hsts(session, &mut header);
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
