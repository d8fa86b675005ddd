//! `auth jwt { ... }`: a JSON Web Token in `Authorization: Bearer`,
//! verified by `jsonwebtoken` (its `rust_crypto` backend) with the
//! algorithms and keys the `.gw` file fixes (RFC 8725 §3.1): a token
//! cannot choose `none`, nor an HMAC algorithm against a public key (each
//! key has one family, and the crate refuses a mismatch).
//!
//! No token: 401 with `WWW-Authenticate: Bearer`. A token that fails
//! (malformed, bad signature, unknown key, wrong algorithm, expired, not
//! yet valid, wrong issuer or audience, a required claim missing): 401
//! with `error="invalid_token"` and a description (RFC 6750 §3.1). Claims
//! named by `claim NAME -> HEADER` are sent upstream in those headers; the
//! client's own headers of those names are always removed first.

use jsonwebtoken::jwk::{JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use pingora::proxy::Session;
use serde_json::{Map, Value};

use super::Refusal;
use crate::StartupError;
use crate::auth;

/// The claims of a verified token.
pub type Claims = Map<String, Value>;

/// Where the keys come from.
#[derive(Debug, Clone, Copy)]
pub enum KeySource {
    /// An HMAC secret in an environment variable.
    SecretEnv(&'static str),
    /// An HMAC secret in a file (its first line), as secrets mounted by
    /// Docker or Kubernetes are.
    SecretFile(&'static str),
    /// A JWK Set file.
    Jwks(&'static str),
    /// A PEM public key file (RSA, EC or Ed25519).
    PublicKey(&'static str),
}

/// What the `.gw` file says.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub key: KeySource,
    pub algorithms: &'static [&'static str],
    pub issuers: &'static [&'static str],
    pub audiences: &'static [&'static str],
    pub leeway_seconds: u64,
    pub required: &'static [&'static str],
    pub claims: &'static [(&'static str, &'static str)],
    pub location: &'static str,
}

/// A verification key, with what the JWK says it is for.
struct Key {
    kid: Option<String>,
    /// The JWK's `alg`, if it names one: the only algorithm it verifies.
    algorithm: Option<Algorithm>,
    key: DecodingKey,
}

pub struct JwtAuth {
    keys: Vec<Key>,
    validation: Validation,
    required: &'static [&'static str],
    claims: &'static [(&'static str, &'static str)],
}

impl JwtAuth {
    pub fn load(config: Config) -> Result<JwtAuth, StartupError> {
        let fail = |what: String| StartupError::new(format!("`auth jwt` at {}: {what}", config.location));
        let algorithms = config
            .algorithms
            .iter()
            .map(|name| name.parse::<Algorithm>().map_err(|_| fail(format!("unknown algorithm `{name}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        let first = *algorithms.first().ok_or_else(|| fail("no algorithm".to_string()))?;
        let keys = match config.key {
            KeySource::SecretEnv(name) => {
                let secret = auth::env_secret(name, &format!("auth jwt {{ secret env({name}) }}"), config.location)?;
                vec![hmac_key(&secret, name, &algorithms, &config)?]
            }
            KeySource::SecretFile(path) => {
                let text = auth::read_file(path, "auth jwt { secret_file }", config.location)?;
                let secret = auth::lines(&text).next().unwrap_or("");
                vec![hmac_key(secret, path, &algorithms, &config)?]
            }
            KeySource::PublicKey(path) => {
                let pem = auth::read_file(path, "auth jwt { public_key }", config.location)?;
                let key = [DecodingKey::from_rsa_pem, DecodingKey::from_ec_pem, DecodingKey::from_ed_pem]
                    .iter()
                    .find_map(|from| from(pem.as_bytes()).ok())
                    .ok_or_else(|| fail(format!("`{path}` holds no RSA, EC or Ed25519 public key")))?;
                vec![Key { kid: None, algorithm: None, key }]
            }
            KeySource::Jwks(path) => {
                let text = auth::read_file(path, "auth jwt { jwks }", config.location)?;
                let set: JwkSet =
                    serde_json::from_str(&text).map_err(|error| fail(format!("`{path}` is not a JWK Set: {error}")))?;
                let mut keys = Vec::new();
                for jwk in &set.keys {
                    // Keys for encryption are not for verifying signatures.
                    if jwk.common.public_key_use.as_ref().is_some_and(|usage| *usage != PublicKeyUse::Signature) {
                        continue;
                    }
                    let key = DecodingKey::from_jwk(jwk).map_err(|error| {
                        fail(format!("`{path}`: key {:?}: {error}", jwk.common.key_id.as_deref().unwrap_or("")))
                    })?;
                    let algorithm = jwk.common.key_algorithm.and_then(signing_algorithm);
                    keys.push(Key { kid: jwk.common.key_id.clone(), algorithm, key });
                }
                if keys.is_empty() {
                    return Err(fail(format!("`{path}` holds no signing key")));
                }
                keys
            }
        };
        let mut validation = Validation::new(first);
        validation.algorithms = algorithms;
        validation.leeway = config.leeway_seconds;
        validation.validate_nbf = true;
        let mut spec_claims = vec!["exp"];
        if !config.issuers.is_empty() {
            validation.set_issuer(config.issuers);
            spec_claims.push("iss");
        }
        if config.audiences.is_empty() {
            // Without an audience to check, a token's `aud` is not refused.
            validation.validate_aud = false;
        } else {
            validation.set_audience(config.audiences);
            spec_claims.push("aud");
        }
        validation.set_required_spec_claims(&spec_claims);
        Ok(JwtAuth { keys, validation, required: config.required, claims: config.claims })
    }

    /// Verifies the request's token and puts its claims in headers; the
    /// claims, for limits counted per claim.
    pub fn check(&self, session: &mut Session) -> Result<Claims, Refusal> {
        let claims = self.verify(session)?;
        let request = session.req_header_mut();
        for (_, header) in self.claims {
            request.remove_header(*header);
        }
        for (claim, header) in self.claims {
            let value = match claims.get(*claim) {
                None | Some(Value::Null) => continue,
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
            };
            if request.insert_header(*header, value).is_err() {
                return Err(invalid(&format!("claim {claim} cannot be sent as a header")));
            }
        }
        Ok(claims)
    }

    fn verify(&self, session: &Session) -> Result<Claims, Refusal> {
        let Some(token) = auth::credentials(session.req_header(), "Bearer") else {
            return Err(Refusal { status: 401, headers: vec![("WWW-Authenticate", "Bearer".to_string())] });
        };
        self.verify_token(token)
    }

    /// Verifies a token (the credentials of `Authorization: Bearer`).
    pub fn verify_token(&self, token: &[u8]) -> Result<Claims, Refusal> {
        let token = std::str::from_utf8(token).map_err(|_| invalid("malformed token"))?;
        // One key that names nothing (a secret, a PEM key): `decode` checks
        // the algorithm against the list and the key's family itself, so
        // the header is not decoded twice.
        if let [only] = self.keys.as_slice()
            && only.kid.is_none()
            && only.algorithm.is_none()
        {
            return self.decode(token, only);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid("malformed token"))?;
        if !self.validation.algorithms.contains(&header.alg) {
            return Err(invalid("algorithm not allowed"));
        }
        let key = match (&header.kid, self.keys.as_slice()) {
            (_, [only]) if only.kid.is_none() => only,
            (Some(kid), keys) => keys
                .iter()
                .find(|key| key.kid.as_deref() == Some(kid.as_str()))
                .ok_or_else(|| invalid("unknown key"))?,
            (None, [only]) => only,
            (None, _) => return Err(invalid("the token names no key (`kid`)")),
        };
        if key.algorithm.is_some_and(|algorithm| algorithm != header.alg) {
            return Err(invalid("algorithm not allowed for this key"));
        }
        self.decode(token, key)
    }

    /// Verifies `token` with `key` and checks the required claims.
    fn decode(&self, token: &str, key: &Key) -> Result<Claims, Refusal> {
        let data = jsonwebtoken::decode::<Claims>(token, &key.key, &self.validation)
            .map_err(|error| invalid(describe(error.kind())))?;
        if let Some(claim) = self.required.iter().find(|claim| !data.claims.contains_key(**claim)) {
            return Err(invalid(&format!("missing claim {claim}")));
        }
        Ok(data.claims)
    }
}

/// The key of an HMAC secret found in `place`; RFC 7518 §3.2 asks for at
/// least as many bytes as the hash has.
fn hmac_key(secret: &str, place: &str, algorithms: &[Algorithm], config: &Config) -> Result<Key, StartupError> {
    let fail = |what: String| StartupError::new(format!("`auth jwt` at {}: {what}", config.location));
    let needed = algorithms.iter().map(|algorithm| hash_bytes(*algorithm)).max().unwrap_or(32);
    if secret.len() < needed {
        return Err(fail(format!(
            "the secret in `{place}` is {} bytes; {} needs at least {needed} (RFC 7518 §3.2)",
            secret.len(),
            config.algorithms.join("/")
        )));
    }
    let key = DecodingKey::from_secret(secret.as_bytes()).map_err(|error| fail(error.to_string()))?;
    Ok(Key { kid: None, algorithm: None, key })
}

/// A 401 with the RFC 6750 error for a token that fails.
fn invalid(description: &str) -> Refusal {
    let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{description}\"");
    Refusal { status: 401, headers: vec![("WWW-Authenticate", challenge)] }
}

/// What a client is told about a failed token (never the token itself).
fn describe(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidIssuer => "wrong issuer",
        ErrorKind::InvalidAudience => "wrong audience",
        ErrorKind::InvalidSignature => "bad signature",
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => "algorithm not allowed",
        ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
        ErrorKind::InvalidClaimFormat(_) => "a claim has the wrong type",
        _ => "malformed token",
    }
}

/// The bytes of an HMAC algorithm's hash (0 for the others).
fn hash_bytes(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::HS256 => 32,
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 0,
    }
}

/// The signing algorithm a JWK's `alg` names (`None` for encryption ones).
fn signing_algorithm(algorithm: KeyAlgorithm) -> Option<Algorithm> {
    Algorithm::try_from(algorithm).ok()
}
