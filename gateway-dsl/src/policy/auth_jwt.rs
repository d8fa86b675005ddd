//! `auth jwt { ... }`: a JSON Web Token in `Authorization: Bearer`,
//! verified by the `jsonwebtoken` crate with the algorithms and keys the
//! block names (RFC 8725: the algorithms are fixed by the gateway, never
//! by the token). Runtime: `gateway_runtime::policy::auth_jwt`.
//!
//! ```gw
//! auth jwt {
//!   jwks keys/jwks.json            # or `public_key FILE` (PEM), or `secret env(NAME)` / `secret_file FILE` for HS*
//!   algorithms ES256 RS256
//!   issuer "https://id.example.com/"
//!   audience api
//!   leeway 30s
//!   require sub
//!   claim sub -> X-User
//! }
//! ```

use std::time::Duration;

use openssl::pkey::{Id, PKey};
use proc_macro2::TokenStream;
use quote::quote;

use super::auth::{env_secret, secret_file};
use super::{Emit, Site};
use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::{Once, literal};
use crate::diagnostics::{Diagnostic, Span};
use crate::symbol;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthJwt {
    pub key: JwtKey,
    /// Algorithm names, as `jsonwebtoken` spells them.
    pub algorithms: Vec<String>,
    pub issuers: Vec<String>,
    pub audiences: Vec<String>,
    pub leeway: Duration,
    /// Claims a token must have.
    pub required: Vec<String>,
    /// `claim NAME -> HEADER`: claims sent upstream as request headers.
    pub claims: Vec<(String, String)>,
    pub location: String,
}

/// Where the verification keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtKey {
    /// An HMAC secret, from an environment variable.
    Secret(String),
    /// An HMAC secret, the first line of a file (absolute path).
    SecretFile(String),
    /// A JWK Set file (absolute path).
    Jwks(String),
    /// A PEM public key file (absolute path).
    PublicKey(String),
}

/// The leeway when the block names none: a minute, the crate's default.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// The family of an algorithm name: `HS`, `RS` (RS and PS), `ES`, `Ed`.
fn family(algorithm: &str) -> &'static str {
    match algorithm.get(..2) {
        Some("HS") => "HS",
        Some("RS" | "PS") => "RS",
        Some("ES") => "ES",
        _ => "Ed",
    }
}

pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, location: String) -> Option<AuthJwt> {
    let block = ck.block(directive, "auth jwt { jwks jwks.json; algorithms RS256 }")?;
    let mut key: Once<(JwtKey, Span, Option<String>)> = Once::new();
    let mut algorithms: Once<(Vec<String>, Span)> = Once::new();
    let mut issuers = Once::new();
    let mut audiences = Once::new();
    let mut leeway = Once::new();
    let mut required: Vec<String> = Vec::new();
    let mut claims: Vec<(String, String)> = Vec::new();
    let mut ok = true;
    for inner in &block.directives {
        ck.no_block(inner);
        let mut args = Args::new(ck.cx, inner);
        match inner.name.text.as_str() {
            "secret" => {
                let secret = args.next("the secret, as `env(NAME)`").and_then(|arg| {
                    env_secret(ck, arg, "`jwks FILE` or `public_key FILE` for RS, ES and EdDSA")
                        .map(|name| (JwtKey::Secret(name), arg.span, None))
                });
                ok &= secret.is_some();
                set_key(ck, &mut key, inner, secret);
            }
            "secret_file" => {
                let file = secret_file(ck, &mut args, "secret").and_then(|(path, text, span)| {
                    if gateway_http::secrets::lines(&text).next().is_none() {
                        ck.cx.push(Diagnostic::new(span, "this file holds no secret").label("empty"));
                        return None;
                    }
                    Some((JwtKey::SecretFile(path), span, None))
                });
                ok &= file.is_some();
                set_key(ck, &mut key, inner, file);
            }
            "jwks" => {
                let jwks = secret_file(ck, &mut args, "JWK Set").and_then(|(path, text, span)| {
                    let kinds = check_jwks(ck, &text, span)?;
                    Some((JwtKey::Jwks(path), span, Some(kinds)))
                });
                ok &= jwks.is_some();
                set_key(ck, &mut key, inner, jwks);
            }
            "public_key" => {
                let pem = secret_file(ck, &mut args, "PEM public key").and_then(|(path, text, span)| {
                    let kind = check_pem(ck, &text, span)?;
                    Some((JwtKey::PublicKey(path), span, Some(kind.to_string())))
                });
                ok &= pem.is_some();
                set_key(ck, &mut key, inner, pem);
            }
            "algorithms" => {
                let mut names = Vec::new();
                let first = args.peek().map(|arg| arg.span);
                loop {
                    match args.parse("an algorithm (`RS256`, `ES256`, `EdDSA`, `HS256`, ...)", algorithm) {
                        Some((name, _)) => names.push(name),
                        None => ok = false,
                    }
                    if args.is_done() {
                        break;
                    }
                }
                let span = first.unwrap_or(inner.name.span);
                algorithms.set(ck, inner, Some((names, span)));
            }
            "issuer" | "audience" => {
                let mut values = Vec::new();
                loop {
                    match args.text(if inner.name.text == "issuer" { "an issuer" } else { "an audience" }) {
                        Some((value, _)) => values.push(value.to_string()),
                        None => ok = false,
                    }
                    if args.is_done() {
                        break;
                    }
                }
                let target = if inner.name.text == "issuer" { &mut issuers } else { &mut audiences };
                target.set(ck, inner, Some(values));
            }
            "leeway" => {
                let value = args.parse("a duration", literal::duration).and_then(|(leeway, span)| {
                    if leeway.subsec_nanos() != 0 || leeway > Duration::from_secs(300) {
                        ck.cx.push(
                            Diagnostic::new(span, "`leeway` is whole seconds, at most 5m").label("out of range").note(
                                "RFC 7519 allows a small leeway for clock skew, \"usually no more than a few minutes\"",
                            ),
                        );
                        return None;
                    }
                    Some(leeway)
                });
                ok &= value.is_some();
                leeway.set(ck, inner, value);
            }
            "require" => loop {
                match args.text("a claim name") {
                    Some((name, _)) => required.push(name.to_string()),
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            },
            "claim" => {
                let name = args.text("a claim name");
                let arrow = args.keyword("`->`", &["->"]);
                let header = args.parse("a header name", literal::header_name);
                match (name, arrow, header) {
                    (Some((name, _)), Some(_), Some((header, span))) => {
                        if claims.iter().any(|(_, known)| known.eq_ignore_ascii_case(&header)) {
                            ck.cx.error(span, format!("`{header}` is set by another `claim`"));
                            ok = false;
                        }
                        claims.push((name.to_string(), header));
                    }
                    _ => ok = false,
                }
            }
            _ => {
                ck.unknown_directive(inner, "an `auth jwt` block", symbol::AUTH_JWT);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    let key_span = key.span();
    let Some((key, _, kinds)) = key.get() else {
        if ok {
            ck.cx.push(
                Diagnostic::new(directive.head_span(), "`auth jwt` has no key to verify tokens with")
                    .label("no `jwks`, `public_key`, `secret` or `secret_file`")
                    .help("add `jwks FILE` (a JWK Set), `public_key FILE` (PEM), or `secret env(NAME)` for HS256"),
            );
        }
        return None;
    };
    let Some((algorithms, algorithms_span)) = algorithms.get() else {
        let example = match (&key, kinds.as_deref()) {
            (JwtKey::Secret(_) | JwtKey::SecretFile(_), _) => "HS256",
            (_, Some("EC")) => "ES256",
            (_, Some("Ed25519")) => "EdDSA",
            _ => "RS256",
        };
        ck.cx.push(
            Diagnostic::new(directive.head_span(), "`auth jwt` needs `algorithms`")
                .label("which algorithms may tokens use?")
                .note("the gateway, not the token, decides how a token is verified (RFC 8725 §3.1)")
                .help(format!("add `algorithms {example}`")),
        );
        return None;
    };
    // Each key source verifies one family; HS with a public key is the
    // classic confusion attack.
    let wrong: Vec<&String> = algorithms
        .iter()
        .filter(|name| {
            let family = family(name);
            match (&key, kinds.as_deref()) {
                (JwtKey::Secret(_) | JwtKey::SecretFile(_), _) => family != "HS",
                (_, _) if family == "HS" => true,
                (JwtKey::PublicKey(_), Some(kind)) => family != kind_family(kind),
                _ => false,
            }
        })
        .collect();
    if let Some(name) = wrong.first() {
        let why = match &key {
            JwtKey::Secret(_) | JwtKey::SecretFile(_) => "a `secret` verifies HS256, HS384 and HS512 only",
            _ if family(name) == "HS" => {
                "HS algorithms need a `secret`; with a public key they are the HS/RS confusion attack"
            }
            _ => "the public key's type does not match this algorithm",
        };
        ck.cx.push(
            Diagnostic::new(algorithms_span, format!("`{name}` cannot be verified with this key"))
                .label("wrong algorithm for the key")
                .note(why)
                .help(format!("the key is at line {}", ck.line(key_span.unwrap_or(algorithms_span)))),
        );
        return None;
    }
    ok.then(|| AuthJwt {
        key,
        algorithms,
        issuers: issuers.get().unwrap_or_default(),
        audiences: audiences.get().unwrap_or_default(),
        leeway: leeway.get().unwrap_or(DEFAULT_LEEWAY),
        required,
        claims,
        location,
    })
}

fn set_key(
    ck: &Checker<'_>,
    key: &mut Once<(JwtKey, Span, Option<String>)>,
    inner: &Directive,
    value: Option<(JwtKey, Span, Option<String>)>,
) {
    if key.span().is_some() {
        ck.cx.push(
            Diagnostic::new(inner.head_span(), "`auth jwt` has one key source")
                .label("a second one")
                .help("keep one of `jwks`, `public_key`, `secret` and `secret_file`; a JWK Set holds several keys"),
        );
        return;
    }
    key.set(ck, inner, value);
}

/// An algorithm name; `none` is refused.
fn algorithm(text: &str) -> Result<String, String> {
    if text.eq_ignore_ascii_case("none") {
        return Err("`none` means an unsigned token, which anyone can make; it is never accepted".to_string());
    }
    match symbol::JWT_ALGORITHMS.iter().find(|name| **name == text) {
        Some(name) => Ok(name.to_string()),
        None => Err(format!("unknown algorithm `{text}`; expected one of {}", symbol::JWT_ALGORITHMS.join(", "))),
    }
}

fn kind_family(kind: &str) -> &'static str {
    match kind {
        "RSA" => "RS",
        "EC" => "ES",
        _ => "Ed",
    }
}

/// A PEM public key: RSA, EC (P-256, P-384) or Ed25519; its kind.
fn check_pem(ck: &Checker<'_>, text: &str, span: Span) -> Option<&'static str> {
    let kind = PKey::public_key_from_pem(text.as_bytes()).ok().and_then(|key| match key.id() {
        Id::RSA => Some("RSA"),
        Id::EC => Some("EC"),
        Id::ED25519 => Some("Ed25519"),
        _ => None,
    });
    if kind.is_none() {
        ck.cx.push(
            Diagnostic::new(span, "this file holds no RSA, EC or Ed25519 public key in PEM")
                .label("expected `-----BEGIN PUBLIC KEY-----`"),
        );
    }
    kind
}

/// A JWK Set: `{"keys": [...]}` with at least one signing key, each with a
/// `kty` the gateway verifies and, when there are several, a `kid`.
fn check_jwks(ck: &Checker<'_>, text: &str, span: Span) -> Option<String> {
    let fail = |message: String| {
        ck.cx.push(Diagnostic::new(span, message).label("in this JWK Set"));
        None
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return fail(format!("not JSON: {error}")),
    };
    let Some(keys) = value.get("keys").and_then(|keys| keys.as_array()) else {
        return fail("a JWK Set is an object with a `keys` array".to_string());
    };
    if keys.is_empty() {
        return fail("the `keys` array is empty".to_string());
    }
    let mut kinds = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let kty = key.get("kty").and_then(|kty| kty.as_str());
        let kind = match kty {
            Some("RSA") => "RSA",
            Some("EC") => "EC",
            Some("OKP") => "Ed25519",
            Some("oct") => {
                return fail(format!("key {index} is a symmetric (`oct`) key: put HMAC secrets in `secret env(NAME)`"));
            }
            _ => return fail(format!("key {index} has no `kty` the gateway verifies (RSA, EC, OKP)")),
        };
        if keys.len() > 1 && key.get("kid").and_then(|kid| kid.as_str()).is_none() {
            return fail(format!("key {index} has no `kid`: with several keys, tokens pick theirs by `kid`"));
        }
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Some(kinds.join(","))
}

impl AuthJwt {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let key = match &self.key {
            JwtKey::Secret(name) => quote!(::gateway_runtime::policy::auth_jwt::KeySource::SecretEnv(#name)),
            JwtKey::SecretFile(path) => quote!(::gateway_runtime::policy::auth_jwt::KeySource::SecretFile(#path)),
            JwtKey::Jwks(path) => quote!(::gateway_runtime::policy::auth_jwt::KeySource::Jwks(#path)),
            JwtKey::PublicKey(path) => quote!(::gateway_runtime::policy::auth_jwt::KeySource::PublicKey(#path)),
        };
        let strings = |values: &[String]| -> TokenStream { quote!(&[#(#values),*]) };
        let (algorithms, issuers, audiences, required) =
            (strings(&self.algorithms), strings(&self.issuers), strings(&self.audiences), strings(&self.required));
        let leeway = self.leeway.as_secs();
        let claims = self.claims.iter().map(|(claim, header)| quote!((#claim, #header)));
        let location = &self.location;
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::auth_jwt::JwtAuth),
                quote!(::gateway_runtime::policy::auth_jwt::JwtAuth::load(::gateway_runtime::policy::auth_jwt::Config {
                    key: #key,
                    algorithms: #algorithms,
                    issuers: #issuers,
                    audiences: #audiences,
                    leeway_seconds: #leeway,
                    required: #required,
                    claims: &[#(#claims),*],
                    location: #location,
                })?),
            )),
            request: site.check(
                quote!(self.#field.check(session)),
                if site.keeps_claims { quote!(ctx.claims = ::core::option::Option::Some(value);) } else { quote!() },
            ),
            ..Emit::default()
        }
    }
}
