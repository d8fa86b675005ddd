//! Forwarding headers added to requests sent upstream, and the request id.

use std::net::IpAddr;

use http::HeaderValue;
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::proxy::Session;

/// What becomes of `X-Forwarded-For`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum For {
    /// The client's address only; what the client sent is dropped (it could say anything).
    Replace,
    /// What the client sent, then the client's address.
    Append,
    Off,
}

/// The name of the request id header.
pub const REQUEST_ID: &str = "X-Request-Id";
/// Longest request id kept from a client.
const MAX_REQUEST_ID: usize = 128;

/// Adds `X-Forwarded-For`, `-Proto` and `-Host` to the upstream request.
/// `client` is the request's client (`crate::client_ip`): `replace` sends
/// it alone; `append` keeps the list received and adds the peer, the hop
/// this gateway received the request from, as every proxy in a chain does.
pub fn add(
    session: &Session,
    request: &mut RequestHeader,
    client: Option<IpAddr>,
    forwarded_for: For,
    proto: bool,
    host: bool,
) -> pingora::Result<()> {
    match forwarded_for {
        For::Off => {}
        For::Replace => match client {
            Some(client) => request.insert_header("X-Forwarded-For", client.to_string())?,
            None => {
                request.remove_header("X-Forwarded-For");
            }
        },
        For::Append => match crate::client_ip::peer(session) {
            Some(peer) => {
                let sent = request.headers.get_all("x-forwarded-for").iter().filter_map(|sent| sent.to_str().ok());
                let mut chain = String::new();
                for sent in sent.map(str::trim).filter(|sent| !sent.is_empty()) {
                    chain.push_str(sent);
                    chain.push_str(", ");
                }
                chain.push_str(&peer.to_string());
                request.insert_header("X-Forwarded-For", chain)?;
            }
            None => {
                request.remove_header("X-Forwarded-For");
            }
        },
    }
    if proto {
        request.insert_header("X-Forwarded-Proto", if crate::respond::is_tls(session) { "https" } else { "http" })?;
    }
    if host {
        let original = session.req_header().headers.get(http::header::HOST).cloned();
        let authority = original
            .or_else(|| session.req_header().uri.authority().and_then(|a| HeaderValue::from_str(a.as_str()).ok()));
        match authority {
            Some(value) => request.insert_header("X-Forwarded-Host", value)?,
            None => {
                request.remove_header("X-Forwarded-Host");
            }
        }
    }
    Ok(())
}

/// The request's id: the client's `X-Request-Id` if it is a sensible one
/// (1 to 128 visible characters), otherwise a new random one; set on the
/// upstream request.
pub fn request_id(request: &mut RequestHeader) -> pingora::Result<HeaderValue> {
    let sent = request.headers.get(REQUEST_ID).filter(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty() && bytes.len() <= MAX_REQUEST_ID && bytes.iter().all(u8::is_ascii_graphic)
    });
    if let Some(value) = sent {
        return Ok(value.clone());
    }
    let id = format!("{:032x}", rand::random::<u128>());
    let value = HeaderValue::from_str(&id).map_err(|_| pingora::Error::new(pingora::ErrorType::InternalError))?;
    request.insert_header(REQUEST_ID, value.clone())?;
    Ok(value)
}

/// Puts the request id on the response, so that a client can quote it.
pub fn echo_request_id(id: Option<&HeaderValue>, response: &mut ResponseHeader) -> pingora::Result<()> {
    match id {
        Some(id) => response.insert_header(REQUEST_ID, id.clone()),
        None => Ok(()),
    }
}
