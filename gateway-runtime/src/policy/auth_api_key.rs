//! `auth api_key header NAME | query NAME, env(NAME)... [keys FILE]`: a key
//! in a header or a query parameter, one of the keys. No key: 401 with
//! `WWW-Authenticate: ApiKey` (there is no standard scheme; the field is
//! required on a 401, RFC 9110 §11.6.1); another key: 403.

use pingora::proxy::Session;

use super::Refusal;
use super::auth_bearer::Sources;
use crate::StartupError;
use crate::auth::TokenSet;
use crate::matchers::query_values;

/// Where a request carries its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A header, lower case.
    Header(&'static str),
    /// A query parameter, percent-decoded.
    Query(&'static str),
}

pub struct ApiKeyAuth {
    carrier: Carrier,
    keys: TokenSet,
}

impl ApiKeyAuth {
    pub fn load(carrier: Carrier, sources: Sources<'_>) -> Result<ApiKeyAuth, StartupError> {
        Ok(ApiKeyAuth { carrier, keys: sources.load()? })
    }

    pub fn check(&self, session: &Session) -> Result<(), Refusal> {
        let request = session.req_header();
        let valid = match self.carrier {
            Carrier::Header(name) => request
                .headers
                .get(name)
                .map(|value| value.as_bytes())
                .filter(|value| !value.is_empty())
                .map(|value| self.keys.contains(value)),
            Carrier::Query(name) => query_values(request.uri.query(), name)
                .next()
                .filter(|value| !value.is_empty())
                .map(|value| self.keys.contains(value.as_bytes())),
        };
        match valid {
            None => Err(Refusal { status: 401, headers: vec![("WWW-Authenticate", "ApiKey".to_string())] }),
            Some(true) => Ok(()),
            Some(false) => Err(Refusal::status(403)),
        }
    }
}
