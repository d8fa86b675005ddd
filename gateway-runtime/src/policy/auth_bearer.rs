//! `auth bearer env(NAME)... [tokens FILE]`: `Authorization: Bearer TOKEN`
//! with one of the tokens (RFC 6750 §2.1). No token: 401 with
//! `WWW-Authenticate: Bearer`; another token: 403.

use pingora::proxy::Session;

use super::Refusal;
use crate::StartupError;
use crate::auth::{self, TokenSet};

/// Where the tokens come from: environment variables and files, each with
/// the `.gw` location that names it.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub envs: &'a [&'a str],
    pub files: &'a [&'a str],
    /// The directive, as written (for messages).
    pub directive: &'a str,
    pub location: &'a str,
}

impl Sources<'_> {
    /// Every token of every source; an empty file stops the gateway.
    pub fn load(&self) -> Result<TokenSet, StartupError> {
        let mut tokens = Vec::new();
        for name in self.envs {
            tokens.push(auth::env_secret(name, self.directive, self.location)?);
        }
        for path in self.files {
            let text = auth::read_file(path, self.directive, self.location)?;
            let before = tokens.len();
            tokens.extend(auth::lines(&text).map(str::to_string));
            if tokens.len() == before {
                return Err(StartupError::new(format!(
                    "`{path}` holds no token; `{}` at {} needs at least one",
                    self.directive, self.location
                )));
            }
        }
        Ok(TokenSet::new(tokens.iter().map(String::as_str)))
    }
}

pub struct BearerAuth {
    tokens: TokenSet,
}

impl BearerAuth {
    pub fn load(sources: Sources<'_>) -> Result<BearerAuth, StartupError> {
        Ok(BearerAuth { tokens: sources.load()? })
    }

    pub fn check(&self, session: &Session) -> Result<(), Refusal> {
        match auth::credentials(session.req_header(), "Bearer") {
            None => Err(Refusal { status: 401, headers: vec![("WWW-Authenticate", "Bearer".to_string())] }),
            Some(token) if self.tokens.contains(token) => Ok(()),
            Some(_) => Err(Refusal::status(403)),
        }
    }
}
