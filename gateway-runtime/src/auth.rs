//! Authentication of requests.

use http::header::AUTHORIZATION;
use pingora::http::RequestHeader;

use crate::StartupError;

/// A bearer token (RFC 6750) the gateway requires, read from the environment
/// when the gateway starts and never written in the binary.
pub struct BearerToken {
    expected: Vec<u8>,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// No `Authorization: Bearer` credentials: 401.
    Missing,
    /// A token that is not the one: 403.
    Wrong,
}

impl BearerToken {
    /// Reads the token from environment variable `name`; `location` is the
    /// `.gw` line that asks for it, for the message when it is missing.
    pub fn from_env(name: &str, location: &str) -> Result<BearerToken, StartupError> {
        match std::env::var(name) {
            Ok(value) if !value.is_empty() => Ok(BearerToken::new(value)),
            Ok(_) => Err(StartupError::new(format!(
                "environment variable `{name}` is empty; `auth bearer env({name})` at {location} needs a token"
            ))),
            Err(_) => Err(StartupError::new(format!(
                "environment variable `{name}` is not set; `auth bearer env({name})` at {location} needs it"
            ))),
        }
    }

    pub fn new(token: impl Into<Vec<u8>>) -> BearerToken {
        BearerToken { expected: token.into() }
    }

    /// Checks a request's `Authorization` header.
    pub fn verify(&self, request: &RequestHeader) -> Result<(), Rejection> {
        let Some(value) = request.headers.get(AUTHORIZATION) else {
            return Err(Rejection::Missing);
        };
        let value = value.as_bytes();
        // The scheme is case-insensitive (RFC 9110 §11.1).
        let token = match value.split_first_chunk::<7>() {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case(b"bearer ") => token.trim_ascii(),
            _ => return Err(Rejection::Missing),
        };
        if constant_time_eq(token, &self.expected) { Ok(()) } else { Err(Rejection::Wrong) }
    }
}

/// Compares without returning early at the first difference, so that the
/// time taken does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = u8::from(a.len() != b.len());
    for (index, byte) in b.iter().enumerate() {
        difference |= byte ^ a.get(index).copied().unwrap_or(!*byte);
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(authorization: Option<&str>) -> RequestHeader {
        let mut request = RequestHeader::build("GET", b"/", None).expect("request");
        if let Some(value) = authorization {
            request.insert_header("Authorization", value).expect("header");
        }
        request
    }

    #[test]
    fn missing_wrong_and_right_tokens() {
        let token = BearerToken::new("s3cret");
        assert_eq!(token.verify(&request(None)), Err(Rejection::Missing));
        assert_eq!(token.verify(&request(Some("Basic czNjcmV0"))), Err(Rejection::Missing));
        assert_eq!(token.verify(&request(Some("Bearer wrong"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cre"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cret0"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cret"))), Ok(()));
        assert_eq!(token.verify(&request(Some("bearer s3cret"))), Ok(()));
    }
}
