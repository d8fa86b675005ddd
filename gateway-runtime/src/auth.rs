//! The secrets of authentication, shared by the `auth` policies
//! (`crate::policy::auth_*`) and the admin listener: read when the gateway
//! starts (from the environment or a file), never written in the binary,
//! never logged, and compared so that the time taken tells nothing.
//!
//! Tokens and keys are kept as SHA-256 digests ([`TokenSet`]): a presented
//! token is hashed and looked up, so neither its length nor how much of it
//! was right changes the work done on the secret.

use std::collections::HashSet;
use std::path::Path;

use http::header::AUTHORIZATION;
use pingora::http::RequestHeader;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::StartupError;

/// The value of environment variable `name`, which `directive` at
/// `location` needs; missing or empty stops the gateway.
pub fn env_secret(name: &str, directive: &str, location: &str) -> Result<String, StartupError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        Ok(_) => Err(StartupError::new(format!(
            "environment variable `{name}` is empty; `{directive}` at {location} needs a secret"
        ))),
        Err(_) => Err(StartupError::new(format!(
            "environment variable `{name}` is not set; `{directive}` at {location} needs it"
        ))),
    }
}

/// The text of a file `directive` at `location` names.
pub fn read_file(path: &str, directive: &str, location: &str) -> Result<String, StartupError> {
    std::fs::read_to_string(Path::new(path)).map_err(|error| {
        StartupError::new(format!("cannot read `{path}` ({error}), named by `{directive}` at {location}"))
    })
}

/// The secrets of a file with one per line, by the rule the checker
/// applies too.
pub use gateway_http::secrets::lines;

/// SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Appends `bytes` to `out` as lower-case hex.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Tokens or keys, as digests.
#[derive(Debug, Clone, Default)]
pub struct TokenSet {
    digests: HashSet<[u8; 32]>,
}

impl TokenSet {
    pub fn new<'a>(tokens: impl IntoIterator<Item = &'a str>) -> TokenSet {
        TokenSet { digests: tokens.into_iter().map(|token| digest(token.as_bytes())).collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether `presented` is one of the tokens.
    pub fn contains(&self, presented: &[u8]) -> bool {
        self.digests.contains(&digest(presented))
    }
}

/// The credentials of `Authorization: SCHEME credentials`, the scheme
/// matched case-insensitively (RFC 9110 §11.1); `None` without the header
/// or with another scheme.
pub fn credentials<'a>(request: &'a RequestHeader, scheme: &str) -> Option<&'a [u8]> {
    let value = request.headers.get(AUTHORIZATION)?.as_bytes();
    let (name, rest) = value.split_at_checked(scheme.len())?;
    if !name.eq_ignore_ascii_case(scheme.as_bytes()) || rest.first() != Some(&b' ') {
        return None;
    }
    let credentials = rest.trim_ascii();
    (!credentials.is_empty()).then_some(credentials)
}

/// A bearer token (RFC 6750) the admin listener requires.
pub struct BearerToken {
    tokens: TokenSet,
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
        env_secret(name, &format!("token env({name})"), location).map(BearerToken::new)
    }

    pub fn new(token: impl AsRef<str>) -> BearerToken {
        BearerToken { tokens: TokenSet::new([token.as_ref()]) }
    }

    /// Checks a request's `Authorization` header.
    pub fn verify(&self, request: &RequestHeader) -> Result<(), Rejection> {
        let token = credentials(request, "Bearer").ok_or(Rejection::Missing)?;
        if self.tokens.contains(token) { Ok(()) } else { Err(Rejection::Wrong) }
    }
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
        assert_eq!(token.verify(&request(Some("Bearer"))), Err(Rejection::Missing));
        assert_eq!(token.verify(&request(Some("Bearers3cret"))), Err(Rejection::Missing));
        assert_eq!(token.verify(&request(Some("Bearer wrong"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cre"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cret0"))), Err(Rejection::Wrong));
        assert_eq!(token.verify(&request(Some("Bearer s3cret"))), Ok(()));
        assert_eq!(token.verify(&request(Some("bearer s3cret"))), Ok(()));
    }
}
