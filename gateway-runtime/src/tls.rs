//! The TLS edge of `listen https` listeners: certificates chosen by the
//! client's SNI, the TLS policy (versions, ciphers, groups, session
//! tickets), client certificates (mTLS), and what the HTTP layer learns of
//! a connection ([`Connection`]: its SNI, the verified client certificate,
//! the listener's HSTS and SNI rule). Also `redirect_https` on `listen http`.
//!
//! Everything here was checked when the gateway was built (the files
//! parse, keys match certificates, names are not claimed twice, the
//! ciphers and groups are known); the files are read again at start-up.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use pingora::http::{RequestHeader, ResponseHeader};
use pingora::listeners::TlsAccept;
use pingora::listeners::tls::TlsSettings;
use pingora::protocols::tls::TlsRef;
use pingora::proxy::Session;
use pingora::services::listening::Service as ListeningService;
use pingora::tls::ext::{ssl_add_chain_cert, ssl_use_certificate, ssl_use_private_key};
use pingora::tls::hash::MessageDigest;
use pingora::tls::pkey::{PKey, Private};
use pingora::tls::ssl::{NameType, SslOptions, SslVerifyMode, SslVersion};
use pingora::tls::x509::{X509, X509Name, X509Ref};

use crate::StartupError;
use crate::server::Alpn;

/// A `listen https` listener, as generated code writes it.
#[derive(Debug)]
pub struct Listener {
    pub addr: &'static str,
    /// The first is the default: for clients without SNI, or with a name
    /// no certificate covers.
    pub certificates: &'static [Certificate],
    pub alpn: Alpn,
    pub min_version: Version,
    pub max_version: Version,
    /// TLS 1.2 suites (OpenSSL names, `:`-separated).
    pub ciphers: &'static str,
    pub groups: Option<&'static str>,
    pub session_tickets: bool,
    pub client: Option<ClientAuth>,
    /// The `Strict-Transport-Security` value of every response.
    pub hsts: Option<&'static str>,
    /// A request whose host is not the connection's SNI gets 421.
    pub strict_sni: bool,
}

#[derive(Debug)]
pub struct Certificate {
    pub cert: &'static str,
    pub key: &'static str,
    /// The names it covers (from its SAN, read at build time), lower case.
    pub names: &'static [&'static str],
    /// A DER OCSP response to staple (`ocsp FILE`), read at start-up.
    pub ocsp: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Tls12,
    Tls13,
}

/// `client_ca FILE`, `client_cert required|optional`, `verify_depth N`.
#[derive(Debug, Clone, Copy)]
pub struct ClientAuth {
    pub ca: &'static str,
    pub required: bool,
    pub depth: Option<u32>,
}

/// The request headers that carry a verified client certificate to the
/// upstream. Whatever a client sends under these names is removed first.
pub const CLIENT_HEADERS: [&str; 3] = ["X-Client-Cert-Subject", "X-Client-Cert-San", "X-Client-Cert-Fingerprint"];

/// What the HTTP layer knows of a TLS connection (in Pingora's
/// `SslDigest::extension`).
#[derive(Debug)]
pub struct Connection {
    /// The server name the client asked for, lower case.
    pub sni: Option<String>,
    /// The client's certificate, verified against `client_ca`.
    pub client: Option<ClientCert>,
    pub hsts: Option<&'static str>,
    pub strict_sni: bool,
}

#[derive(Debug)]
pub struct ClientCert {
    /// `CN=...,O=...` as in the certificate, most significant last.
    pub subject: String,
    /// DNS names, URIs, e-mail addresses and IPs, `, `-separated.
    pub san: String,
    /// The same, one entry each (`URI:spiffe://...`).
    pub sans: Vec<String>,
    /// SHA-256 of the certificate (DER), lower-case hex.
    pub fingerprint: String,
}

struct Loaded {
    names: &'static [&'static str],
    chain: Vec<X509>,
    key: PKey<Private>,
}

struct Callbacks {
    listener: &'static Listener,
    certificates: Vec<Loaded>,
}

/// Adds `listener` to the proxy service: its certificates and key files
/// read now (a file that changed since the build and no longer loads
/// stops the gateway with the listener named).
pub fn add<A>(service: &mut ListeningService<A>, listener: &'static Listener) -> Result<(), StartupError> {
    let addr = listener.addr;
    let failed = |what: String, error: &dyn std::fmt::Display| {
        StartupError::new(format!("listen https {addr}: {what}: {error}"))
    };
    let mut certificates = Vec::with_capacity(listener.certificates.len());
    let mut staples: Vec<(X509, Vec<u8>)> = Vec::new();
    for certificate in listener.certificates {
        let pem = std::fs::read(certificate.cert)
            .map_err(|error| failed(format!("cannot read certificate `{}`", certificate.cert), &error))?;
        let chain = X509::stack_from_pem(&pem)
            .map_err(|error| failed(format!("certificate `{}`", certificate.cert), &error))?;
        let pem = std::fs::read(certificate.key)
            .map_err(|error| failed(format!("cannot read key `{}`", certificate.key), &error))?;
        let key = PKey::private_key_from_pem_callback(&pem, |_| Ok(0))
            .map_err(|error| failed(format!("key `{}`", certificate.key), &error))?;
        if chain.is_empty() {
            return Err(failed(format!("certificate `{}`", certificate.cert), &"no PEM certificate"));
        }
        if let Some(ocsp) = certificate.ocsp {
            let der =
                std::fs::read(ocsp).map_err(|error| failed(format!("cannot read OCSP response `{ocsp}`"), &error))?;
            if let Some(leaf) = chain.first() {
                staples.push((leaf.clone(), der));
            }
        }
        certificates.push(Loaded { names: certificate.names, chain, key });
    }
    let callbacks = Callbacks { listener, certificates };
    let mut settings =
        TlsSettings::with_callbacks(Box::new(callbacks)).map_err(|error| failed("TLS settings".to_string(), &error))?;
    let version = |version: Version| match version {
        Version::Tls12 => SslVersion::TLS1_2,
        Version::Tls13 => SslVersion::TLS1_3,
    };
    settings
        .set_min_proto_version(Some(version(listener.min_version)))
        .and_then(|()| settings.set_max_proto_version(Some(version(listener.max_version))))
        .and_then(|()| settings.set_cipher_list(listener.ciphers))
        .map_err(|error| failed("TLS policy".to_string(), &error))?;
    if let Some(groups) = listener.groups {
        settings.set_groups_list(groups).map_err(|error| failed(format!("groups `{groups}`"), &error))?;
    }
    if !staples.is_empty() {
        // OCSP stapling: the response of the certificate the handshake
        // uses, when the client asks for one (status_request).
        settings
            .set_status_callback(move |ssl| {
                let staple = ssl
                    .certificate()
                    .and_then(|used| staples.iter().find(|(leaf, _)| **leaf == *used).map(|(_, der)| der.clone()));
                match staple {
                    Some(der) => ssl.set_ocsp_status(&der).map(|()| true),
                    None => Ok(false),
                }
            })
            .map_err(|error| failed("OCSP stapling".to_string(), &error))?;
    }
    if !listener.session_tickets {
        settings.set_options(SslOptions::NO_TICKET);
    }
    if let Some(client) = listener.client {
        let mut mode = SslVerifyMode::PEER;
        if client.required {
            mode |= SslVerifyMode::FAIL_IF_NO_PEER_CERT;
        }
        settings.set_verify(mode);
        settings.set_ca_file(client.ca).map_err(|error| failed(format!("client_ca `{}`", client.ca), &error))?;
        let names = X509Name::load_client_ca_file(client.ca)
            .map_err(|error| failed(format!("client_ca `{}`", client.ca), &error))?;
        settings.set_client_ca_list(names);
        if let Some(depth) = client.depth {
            settings.set_verify_depth(depth);
        }
        // Without one, resumed sessions with client certificates fail.
        settings
            .set_session_id_context(addr.as_bytes().get(..32).unwrap_or(addr.as_bytes()))
            .map_err(|error| failed("session id context".to_string(), &error))?;
    }
    settings.set_alpn(listener.alpn.clone());
    service.add_tls_with_settings(addr, None, settings);
    Ok(())
}

impl Callbacks {
    /// The certificate for `sni`: one naming it, else one whose wildcard
    /// covers it, else the default.
    fn choose(&self, sni: Option<&str>) -> Option<&Loaded> {
        let by_name = sni.and_then(|sni| {
            let sni = sni.to_ascii_lowercase();
            let parent = sni.split_once('.').map(|(_, parent)| parent);
            self.certificates.iter().find(|loaded| loaded.names.contains(&sni.as_str())).or_else(|| {
                let parent = parent?;
                self.certificates
                    .iter()
                    .find(|loaded| loaded.names.iter().any(|name| name.strip_prefix("*.") == Some(parent)))
            })
        });
        by_name.or(self.certificates.first())
    }
}

#[async_trait]
impl TlsAccept for Callbacks {
    async fn certificate_callback(&self, ssl: &mut TlsRef) {
        let sni = ssl.servername(NameType::HOST_NAME).map(str::to_string);
        let Some(loaded) = self.choose(sni.as_deref()) else { return };
        // A failure here fails the handshake (no certificate is set).
        let Some((leaf, chain)) = loaded.chain.split_first() else { return };
        if ssl_use_certificate(ssl, leaf).is_err() || ssl_use_private_key(ssl, &loaded.key).is_err() {
            return;
        }
        for certificate in chain {
            let _ = ssl_add_chain_cert(ssl, certificate);
        }
    }

    async fn handshake_complete_callback(&self, ssl: &TlsRef) -> Option<Arc<dyn Any + Send + Sync>> {
        let sni = ssl.servername(NameType::HOST_NAME).map(str::to_ascii_lowercase);
        // Only a certificate that verified: with `client_cert optional` an
        // unverifiable one fails the handshake all the same (OpenSSL's
        // PEER mode), so a peer certificate here is a verified one.
        let client = self.listener.client.and_then(|_| ssl.peer_certificate()).map(|cert| client_cert(&cert));
        Some(Arc::new(Connection { sni, client, hsts: self.listener.hsts, strict_sni: self.listener.strict_sni }))
    }
}

fn client_cert(cert: &X509Ref) -> ClientCert {
    let subject: Vec<String> = cert
        .subject_name()
        .entries()
        .map(|entry| {
            let name = entry.object().nid().short_name().unwrap_or("?");
            let value = entry.data().to_string().unwrap_or_default();
            format!("{name}={}", escape(&value))
        })
        .collect();
    let san: Vec<String> = cert
        .subject_alt_names()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| {
                    if let Some(dns) = name.dnsname() {
                        return Some(format!("DNS:{dns}"));
                    }
                    if let Some(uri) = name.uri() {
                        return Some(format!("URI:{uri}"));
                    }
                    if let Some(email) = name.email() {
                        return Some(format!("email:{email}"));
                    }
                    name.ipaddress().and_then(ip).map(|ip| format!("IP:{ip}"))
                })
                .collect()
        })
        .unwrap_or_default();
    let fingerprint = cert
        .digest(MessageDigest::sha256())
        .map(|digest| {
            let mut hex = String::with_capacity(2 * digest.len());
            crate::auth::push_hex(&mut hex, &digest);
            hex
        })
        .unwrap_or_default();
    ClientCert { subject: subject.join(","), san: san.join(", "), sans: san, fingerprint }
}

/// A value safe in a header: control characters (and `,` in subject
/// values, which separates the parts) escaped as `\XX`.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_control() || c == ',' || c == '\\' {
            for byte in c.to_string().bytes() {
                out.push_str(&format!("\\{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn ip(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    }
}

/// What the HTTP layer knows of the request's TLS connection, if it came on one.
pub fn connection(session: &Session) -> Option<&Connection> {
    session.digest()?.ssl_digest.as_ref()?.extension.get::<Connection>()
}

/// `strict_sni`: whether the request's host differs from the name the
/// client asked for in the TLS handshake (a request for another site on
/// this connection: domain fronting, or HTTP/2 connection reuse the
/// certificate allowed but this listener's rules do not). The answer is
/// 421 Misdirected Request (RFC 9110 §15.5.20); the client may retry on a
/// new connection. Clients that sent no SNI (IP addresses) are not held.
pub fn misdirected(session: &Session) -> bool {
    let Some(connection) = connection(session) else { return false };
    let Some(sni) = connection.sni.as_deref().filter(|_| connection.strict_sni) else { return false };
    let host = crate::router::request_host(session.req_header()).unwrap_or("");
    !host.eq_ignore_ascii_case(sni)
}

/// Replaces whatever the client sent as [`CLIENT_HEADERS`] by the verified
/// client certificate's subject, SAN and fingerprint (nothing without one).
pub fn forward_client_cert(session: &mut Session) {
    let client = connection(session)
        .and_then(|connection| connection.client.as_ref())
        .map(|client| [client.subject.clone(), client.san.clone(), client.fingerprint.clone()]);
    let request: &mut RequestHeader = session.req_header_mut();
    for name in CLIENT_HEADERS {
        let _ = request.remove_header(name);
    }
    if let Some(values) = client {
        for (name, value) in CLIENT_HEADERS.into_iter().zip(values) {
            if !value.is_empty() {
                let _ = request.insert_header(name, value);
            }
        }
    }
}

/// Adds the listener's `Strict-Transport-Security` to a response sent on
/// a TLS connection (never on plain HTTP: RFC 6797 §7.2).
pub fn add_hsts(session: &Session, response: &mut ResponseHeader) {
    if let Some(hsts) = connection(session).and_then(|connection| connection.hsts) {
        let _ = response.insert_header("Strict-Transport-Security", hsts);
    }
}

/// `redirect_https [PORT]` on a `listen http` listener.
#[derive(Debug, Clone, Copy)]
pub struct RedirectHttps {
    /// The HTTPS port (443 is left out of URLs).
    pub port: u16,
}

/// The path prefix ACME HTTP-01 challenges are fetched under (RFC 8555
/// §8.3): never redirected, so that certificates can be issued.
pub const ACME_CHALLENGES: &str = "/.well-known/acme-challenge/";

impl RedirectHttps {
    /// The `https` URL of a request, or `None` for an ACME challenge (and
    /// a request without a host, which routing answers).
    pub fn location(&self, request: &RequestHeader) -> Option<String> {
        if request.uri.path().starts_with(ACME_CHALLENGES) {
            return None;
        }
        let host = crate::router::request_host(request)?;
        if host.is_empty() {
            return None;
        }
        let target = request.uri.path_and_query().map_or("/", |target| target.as_str());
        Some(match self.port {
            443 => format!("https://{host}{target}"),
            port => format!("https://{host}:{port}{target}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_keep_host_path_and_query_but_not_acme_challenges() {
        let request = |target: &str, host: &str| {
            let mut request = RequestHeader::build("GET", target.as_bytes(), None).expect("request");
            request.insert_header("Host", host).expect("host");
            request
        };
        let default = RedirectHttps { port: 443 };
        assert_eq!(
            default.location(&request("/a/b?c=1", "Example.com:80")).as_deref(),
            Some("https://Example.com/a/b?c=1")
        );
        assert_eq!(
            RedirectHttps { port: 8443 }.location(&request("/", "example.com")).as_deref(),
            Some("https://example.com:8443/")
        );
        assert_eq!(default.location(&request("/.well-known/acme-challenge/tok", "example.com")), None);
        assert_eq!(escape("a,b\nc"), "a\\2Cb\\0Ac");
    }
}
