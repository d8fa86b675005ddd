//! `auth basic { realm "..."; users FILE; user NAME env(PASSWORD) }`:
//! `Authorization: Basic base64(user:password)` (RFC 7617). No or
//! unreadable credentials: 401 with `WWW-Authenticate: Basic realm="...",
//! charset="UTF-8"`; a wrong user or password: 403.
//!
//! Hashes (bcrypt, SHA-crypt; `gateway_http::htpasswd`) are verified on
//! Tokio's blocking pool: a bcrypt verification takes tens of
//! milliseconds, which would stall every request of a worker thread. An
//! unknown user is verified against a dummy hash of the same cost, so the
//! time taken does not tell which users exist.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;
use gateway_http::htpasswd::{self, Scheme};
use pingora::proxy::Session;
use sha_crypt::PasswordVerifier;

use super::Refusal;
use crate::StartupError;
use crate::auth;

/// Where the users come from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub realm: &'a str,
    /// htpasswd files.
    pub files: &'a [&'a str],
    /// `user NAME env(VAR)`: a name and the variable holding the password.
    pub users: &'a [(&'a str, &'a str)],
    pub location: &'a str,
}

enum Credential {
    Hash(Scheme, Arc<str>),
    /// SHA-256 of a password from the environment.
    Password([u8; 32]),
}

pub struct BasicAuth {
    users: HashMap<String, Credential>,
    /// What unknown users are verified against.
    dummy: Arc<str>,
    challenge: String,
}

impl BasicAuth {
    pub fn load(sources: Sources<'_>) -> Result<BasicAuth, StartupError> {
        let mut users = HashMap::new();
        let mut cost = bcrypt::DEFAULT_COST;
        for path in sources.files {
            let text = auth::read_file(path, "auth basic { users }", sources.location)?;
            let entries = htpasswd::parse(&text).map_err(|errors| {
                let first = &errors[0];
                StartupError::new(format!(
                    "`{path}` line {}: {} (`auth basic` at {})",
                    first.line, first.message, sources.location
                ))
            })?;
            for entry in entries {
                if entry.scheme == Scheme::Bcrypt {
                    cost = entry.hash.get(4..6).and_then(|digits| digits.parse().ok()).unwrap_or(cost);
                }
                users.insert(entry.user.to_string(), Credential::Hash(entry.scheme, Arc::from(entry.hash)));
            }
        }
        for (name, env) in sources.users {
            let password = auth::env_secret(env, &format!("user {name} env({env})"), sources.location)?;
            users.insert(name.to_string(), Credential::Password(auth::digest(password.as_bytes())));
        }
        let dummy = bcrypt::hash("not a password of anyone", cost)
            .map_err(|error| StartupError::new(format!("cannot make the dummy bcrypt hash: {error}")))?;
        let realm = sources.realm.replace('\\', "\\\\").replace('"', "\\\"");
        Ok(BasicAuth {
            users,
            dummy: Arc::from(dummy),
            challenge: format!("Basic realm=\"{realm}\", charset=\"UTF-8\""),
        })
    }

    pub async fn check(&self, session: &Session) -> Result<(), Refusal> {
        let Some((user, password)) = basic_credentials(session) else {
            return Err(Refusal { status: 401, headers: vec![("WWW-Authenticate", self.challenge.clone())] });
        };
        let valid = match self.users.get(&user) {
            Some(Credential::Password(expected)) => auth::constant_time_eq(&auth::digest(&password), expected),
            Some(Credential::Hash(scheme, hash)) => verify(*scheme, hash.clone(), password).await,
            None => {
                verify(Scheme::Bcrypt, self.dummy.clone(), password).await;
                false
            }
        };
        if valid { Ok(()) } else { Err(Refusal::status(403)) }
    }
}

/// Checks `password` against `hash` on the blocking pool.
async fn verify(scheme: Scheme, hash: Arc<str>, password: Vec<u8>) -> bool {
    let work = move || match scheme {
        Scheme::Bcrypt => bcrypt::verify(&password, &hash).unwrap_or(false),
        Scheme::ShaCrypt => sha_crypt::ShaCrypt::default().verify_password(&password, &*hash).is_ok(),
    };
    tokio::task::spawn_blocking(work).await.unwrap_or(false)
}

/// The user name a request sent (for the access log of a request `auth
/// basic` let through: verified by then).
pub fn user(session: &Session) -> Option<String> {
    basic_credentials(session).map(|(user, _)| user)
}

/// The user and password of `Authorization: Basic ...`; `None` if absent or
/// unreadable (not base64, no `:`, control characters).
fn basic_credentials(session: &Session) -> Option<(String, Vec<u8>)> {
    let encoded = auth::credentials(session.req_header(), "Basic")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let colon = decoded.iter().position(|byte| *byte == b':')?;
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    if decoded.iter().any(u8::is_ascii_control) {
        return None;
    }
    Some((String::from_utf8(user.to_vec()).ok()?, password.to_vec()))
}
