//! Every kind of `auth` end to end (tests/gw/auth.gw): bearer tokens from
//! the environment and a file, API keys in a header or the query, basic
//! auth from an htpasswd file (bcrypt, SHA-crypt) and the environment, and
//! JWTs verified with an HMAC secret, a JWK Set of two keys, and a PEM key.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::support::{Gateway, Origin, Reply, client, get, origin, send};

const GATEWAY: &str = "127.71.0.6:18080";
const JWT_SECRET: &str = "a-test-secret-of-at-least-32-bytes!!";

fn url(path: &str) -> String {
    format!("http://{GATEWAY}{path}")
}

fn env() -> [(&'static str, &'static str); 4] {
    [
        ("GW_TEST_TOKEN", "s3cret-token"),
        ("GW_TEST_API_KEY", "key-from-env"),
        ("GW_TEST_CAROL_PASSWORD", "carol: pw"),
        ("GW_TEST_JWT_SECRET", JWT_SECRET),
    ]
}

fn with_auth(path: &str, authorization: &str) -> Reply {
    send(client().get(url(path)).header("Authorization", authorization))
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs() as i64
}

/// A token of `claims` signed with `key` (`kid` in the header if given).
fn token(algorithm: Algorithm, key: &EncodingKey, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_string);
    encode(&header, claims, key).expect("token")
}

fn pem_key(name: &str, from: fn(&[u8]) -> jsonwebtoken::errors::Result<EncodingKey>) -> EncodingKey {
    let path = format!("{}/gw/auth/{name}", env!("CARGO_MANIFEST_DIR"));
    from(&std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))).expect("key")
}

fn challenge(reply: &Reply) -> String {
    reply.header("www-authenticate").unwrap_or_default().to_string()
}

/// One gateway for every scheme: the routes of tests/gw/auth.gw.
#[test]
fn every_kind_of_auth_gives_401_403_or_200() {
    let echo = origin("echo", "127.71.0.6:18001");
    let _gateway = Gateway::start("auth", GATEWAY, &env());
    bearer_tokens_and_api_keys(&echo);
    basic_auth_from_htpasswd_and_the_environment(&echo);
    jwts_verified_with_the_keys_and_algorithms_the_file_fixes(&echo);
}

fn bearer_tokens_and_api_keys(echo: &Origin) {
    let client = client();

    let reply = get(&client, &url("/private/data"));
    assert_eq!(reply.status, 401);
    assert_eq!(challenge(&reply), "Bearer");
    assert_eq!(with_auth("/private/data", "Basic czNjcmV0").status, 401);
    assert_eq!(with_auth("/private/data", "Bearer wrong").status, 403);
    assert_eq!(with_auth("/private/data", "Bearer s3cret-token-and-more").status, 403);
    assert_eq!(echo.hits(), 0, "refused requests must not reach the origin");
    let reply = with_auth("/private/data", "Bearer s3cret-token");
    assert_eq!((reply.status, reply.server().as_str()), (200, "echo"));
    assert_eq!(with_auth("/private/data", "bearer s3cret-token").status, 200, "the scheme is case-insensitive");

    // Several tokens: the environment's and every line of the file.
    for good in ["s3cret-token", "token-from-file-1", "token-from-file-2"] {
        assert_eq!(with_auth("/bearer/", &format!("Bearer {good}")).status, 200, "{good}");
    }
    assert_eq!(with_auth("/bearer/", "Bearer # Tokens of /bearer/.").status, 403, "a comment is not a token");

    // API keys.
    let status = |request: reqwest::blocking::RequestBuilder| send(request).status;
    let reply = get(&client, &url("/api-key/"));
    assert_eq!((reply.status, challenge(&reply).as_str()), (401, "ApiKey"));
    assert_eq!(status(client.get(url("/api-key/")).header("X-Api-Key", "key-from-env")), 200);
    assert_eq!(status(client.get(url("/api-key/")).header("X-Api-Key", "key-from-file")), 200);
    assert_eq!(status(client.get(url("/api-key/")).header("X-Api-Key", "key-from-fil")), 403);
    assert_eq!(status(client.get(url("/api-key-query/?key=key-from-file"))), 200);
    assert_eq!(status(client.get(url("/api-key-query/?key=key%2Dfrom%2Dfile"))), 200, "decoded");
    assert_eq!(status(client.get(url("/api-key-query/?key=key-from-env"))), 403, "only the file's keys");
    assert_eq!(status(client.get(url("/api-key-query/?other=1"))), 401);

    // Routes without `auth` are open.
    assert_eq!(get(&client, &url("/public")).status, 200);

    // Limits run before auth: a client guessing tokens is throttled, and the
    // right token does not lift a limit already reached.
    let guesses: Vec<u16> =
        (0..4).map(|index| with_auth("/guarded/", &format!("Bearer guess-{index}")).status).collect();
    assert_eq!(guesses, [403, 403, 403, 429]);
    assert_eq!(with_auth("/guarded/", "Bearer s3cret-token").status, 429);
}

fn basic_auth_from_htpasswd_and_the_environment(echo: &Origin) {
    let before = echo.hits();

    let reply = get(&client(), &url("/basic/"));
    assert_eq!(reply.status, 401);
    assert_eq!(challenge(&reply), "Basic realm=\"Staff only\", charset=\"UTF-8\"");
    assert_eq!(with_auth("/basic/", "Basic !!!not-base64").status, 401);
    assert_eq!(
        with_auth("/basic/", &format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("no-colon"))).status,
        401
    );
    assert_eq!(with_auth("/basic/", &basic("alice", "wrong")).status, 403);
    assert_eq!(with_auth("/basic/", &basic("mallory", "alice-pw")).status, 403, "unknown user");
    assert_eq!(with_auth("/basic/", &basic("bob", "alice-pw")).status, 403);
    assert_eq!(echo.hits(), before, "refused requests must not reach the origin");

    assert_eq!(with_auth("/basic/", &basic("alice", "alice-pw")).status, 200, "bcrypt");
    assert_eq!(with_auth("/basic/", &basic("bob", "bob-pw")).status, 200, "SHA-512 crypt");
    // A password may hold `:`; the user id ends at the first.
    assert_eq!(with_auth("/basic/", &basic("carol", "carol: pw")).status, 200, "from the environment");
    assert_eq!(with_auth("/basic/", &basic("carol", "carol:")).status, 403);
    assert_eq!(echo.hits(), before + 3);
}

fn jwts_verified_with_the_keys_and_algorithms_the_file_fixes(echo: &Origin) {
    let before = echo.hits();
    let error = |reply: &Reply| {
        assert_eq!(reply.status, 401, "{:?}", reply.body);
        let challenge = challenge(reply);
        assert!(challenge.starts_with("Bearer error=\"invalid_token\""), "{challenge}");
        challenge
    };

    // HS256 with the secret from the environment; claims go upstream and a
    // client's own X-User is replaced.
    let hs = EncodingKey::from_secret(JWT_SECRET.as_bytes()).expect("key");
    let good = token(Algorithm::HS256, &hs, None, &json!({"sub": "ada", "exp": now() + 60}));
    let reply =
        send(client().get(url("/jwt-hs/")).header("Authorization", format!("Bearer {good}")).header("X-User", "root"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.received("x-user").as_deref(), Some("ada"));
    let reply = send(client().get(url("/jwt-hs/")));
    assert_eq!((reply.status, challenge(&reply).as_str()), (401, "Bearer"), "no token: no error attribute");
    let expired = token(Algorithm::HS256, &hs, None, &json!({"sub": "ada", "exp": now() - 120}));
    assert!(error(&with_auth("/jwt-hs/", &format!("Bearer {expired}"))).contains("expired"));
    let not_yet = token(Algorithm::HS256, &hs, None, &json!({"sub": "ada", "exp": now() + 600, "nbf": now() + 300}));
    assert!(error(&with_auth("/jwt-hs/", &format!("Bearer {not_yet}"))).contains("not valid yet"));
    let no_exp = token(Algorithm::HS256, &hs, None, &json!({"sub": "ada"}));
    error(&with_auth("/jwt-hs/", &format!("Bearer {no_exp}")));
    let wrong_secret = token(
        Algorithm::HS256,
        &EncodingKey::from_secret(b"another-secret-of-at-least-32-bytes").expect("key"),
        None,
        &json!({"exp": now() + 60}),
    );
    assert!(error(&with_auth("/jwt-hs/", &format!("Bearer {wrong_secret}"))).contains("bad signature"));
    let hs384 = token(Algorithm::HS384, &hs, None, &json!({"exp": now() + 60}));
    assert!(error(&with_auth("/jwt-hs/", &format!("Bearer {hs384}"))).contains("algorithm not allowed"));
    // `alg: none`, unsigned.
    let b64 = |value: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string());
    let none =
        format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&json!({"sub": "ada", "exp": now() + 60})));
    error(&with_auth("/jwt-hs/", &format!("Bearer {none}")));
    error(&with_auth("/jwt-hs/", "Bearer not.a.token"));

    // A limit per claim counts each user's verified requests; it runs
    // after `auth`, so a request without a token is 401, not counted.
    let user =
        |sub: &str| format!("Bearer {}", token(Algorithm::HS256, &hs, None, &json!({"sub": sub, "exp": now() + 60})));
    let statuses: Vec<u16> = (0..3).map(|_| with_auth("/jwt-limited/", &user("ada")).status).collect();
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(with_auth("/jwt-limited/", &user("bob")).status, 200, "another user has a budget of their own");
    assert_eq!(send(client().get(url("/jwt-limited/"))).status, 401);

    // A JWK Set of two keys (rotation): each verifies its own tokens.
    let one = pem_key("es-one.key.pem", EncodingKey::from_ec_pem);
    let two = pem_key("es-two.key.pem", EncodingKey::from_ec_pem);
    let claims =
        json!({"sub": "grace", "role": "admin", "iss": "https://id.example.test/", "aud": "api", "exp": now() + 60});
    for (kid, key) in [("one", &one), ("two", &two)] {
        let reply = with_auth("/jwt-jwks/", &format!("Bearer {}", token(Algorithm::ES256, key, Some(kid), &claims)));
        assert_eq!(reply.status, 200, "key {kid}");
        assert_eq!(reply.received("x-user").as_deref(), Some("grace"));
        assert_eq!(reply.received("x-role").as_deref(), Some("admin"));
    }
    let swapped = token(Algorithm::ES256, &one, Some("two"), &claims);
    assert!(error(&with_auth("/jwt-jwks/", &format!("Bearer {swapped}"))).contains("bad signature"));
    let unknown = token(Algorithm::ES256, &one, Some("three"), &claims);
    assert!(error(&with_auth("/jwt-jwks/", &format!("Bearer {unknown}"))).contains("unknown key"));
    let mut other = claims.clone();
    other["iss"] = json!("https://evil.example.test/");
    assert!(
        error(&with_auth("/jwt-jwks/", &format!("Bearer {}", token(Algorithm::ES256, &one, Some("one"), &other))))
            .contains("issuer")
    );
    let mut other = claims.clone();
    other["aud"] = json!(["web"]);
    assert!(
        error(&with_auth("/jwt-jwks/", &format!("Bearer {}", token(Algorithm::ES256, &one, Some("one"), &other))))
            .contains("audience")
    );
    let mut other = claims.clone();
    other.as_object_mut().expect("object").remove("sub");
    assert!(
        error(&with_auth("/jwt-jwks/", &format!("Bearer {}", token(Algorithm::ES256, &one, Some("one"), &other))))
            .contains("missing claim sub")
    );
    let mut other = claims.clone();
    other.as_object_mut().expect("object").remove("iss");
    error(&with_auth("/jwt-jwks/", &format!("Bearer {}", token(Algorithm::ES256, &one, Some("one"), &other))));
    // HS/RS confusion: an HMAC token keyed with the public JWK Set's text.
    let jwks = std::fs::read(format!("{}/gw/auth/jwks.json", env!("CARGO_MANIFEST_DIR"))).expect("jwks");
    let confused = token(Algorithm::HS256, &EncodingKey::from_secret(&jwks).expect("key"), Some("one"), &claims);
    error(&with_auth("/jwt-jwks/", &format!("Bearer {confused}")));

    // A PEM public key (Ed25519).
    let ed = pem_key("ed.key.pem", EncodingKey::from_ed_pem);
    let reply =
        with_auth("/jwt-pem/", &format!("Bearer {}", token(Algorithm::EdDSA, &ed, None, &json!({"exp": now() + 60}))));
    assert_eq!(reply.status, 200);
    let es_on_ed = token(Algorithm::ES256, &one, None, &json!({"exp": now() + 60}));
    error(&with_auth("/jwt-pem/", &format!("Bearer {es_on_ed}")));
    assert_eq!(echo.hits(), before + 7, "only the seven good tokens within their limit reached the origin");
}

#[test]
fn missing_token_variable_stops_the_gateway_at_start() {
    let mut gateway = Gateway::spawn("auth", &[], &[]);
    let status = gateway.wait_for_exit();
    assert!(!status.success());
    let log = gateway.log_text();
    assert!(
        log.contains("environment variable `GW_TEST_TOKEN` is not set")
            && log.contains("`auth bearer env(GW_TEST_TOKEN)` at tests/gw/auth.gw:8:3"),
        "{log}"
    );
}

#[test]
fn a_short_hmac_secret_stops_the_gateway_at_start() {
    let mut env = env();
    env[3] = ("GW_TEST_JWT_SECRET", "short");
    let mut gateway = Gateway::spawn("auth", &[], &env);
    assert!(!gateway.wait_for_exit().success());
    let log = gateway.log_text();
    assert!(log.contains("the secret in `GW_TEST_JWT_SECRET` is 5 bytes; HS256 needs at least 32"), "{log}");
}
