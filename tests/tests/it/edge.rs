//! The TLS edge (`edge.gw`), with an OpenSSL client that chooses its SNI,
//! Host, protocol versions and client certificate: certificates by SNI
//! (exact, wildcard, default), 421 when Host and SNI disagree, HSTS,
//! `redirect_https` (but not ACME challenges), client certificates required
//! and optional (verified ones forwarded as headers, spoofed headers
//! removed, a certificate from another CA refused), protocol versions, and
//! the HTTP/2 settings the gateway advertises and its answer to rapid reset.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::{X509, X509NameBuilder};

use crate::support::{Gateway, origin, raw};

const CERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs");

/// How the client connects.
#[derive(Default)]
struct Client<'a> {
    sni: Option<&'a str>,
    min: Option<SslVersion>,
    max: Option<SslVersion>,
    cert: Option<(X509, PKey<Private>)>,
}

/// A response over TLS, with what the handshake showed.
struct Answer {
    status: u16,
    /// The OCSP response stapled to the handshake (asked for each time).
    ocsp: Option<Vec<u8>>,
    head: String,
    body: String,
    /// The DNS names of the certificate the gateway presented.
    names: Vec<String>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// A header the origin received (its JSON echo).
    fn received(&self, name: &str) -> Option<String> {
        let echo: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        echo["headers"][name.to_ascii_lowercase()].as_str().map(str::to_string)
    }
}

/// `GET path` with `Host: host` over TLS to `addr`; `Err` when the gateway
/// refuses the connection (handshake, or no HTTP answer after it).
fn request(addr: &str, client: Client<'_>, host: &str, path: &str, headers: &str) -> Result<Answer, String> {
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(|e| e.to_string())?;
    builder.set_ca_file(format!("{CERTS}/ca.crt")).map_err(|e| e.to_string())?;
    builder.set_verify(SslVerifyMode::PEER);
    builder.set_min_proto_version(client.min).map_err(|e| e.to_string())?;
    builder.set_max_proto_version(client.max).map_err(|e| e.to_string())?;
    if let Some((cert, key)) = &client.cert {
        builder.set_certificate(cert).map_err(|e| e.to_string())?;
        builder.set_private_key(key).map_err(|e| e.to_string())?;
    }
    let connector = builder.build();
    let mut config = connector.configure().map_err(|e| e.to_string())?;
    config.set_verify_hostname(false);
    config.set_use_server_name_indication(client.sni.is_some());
    config.set_status_type(openssl::ssl::StatusType::OCSP).map_err(|e| e.to_string())?;
    let tcp = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let mut stream = config.connect(client.sni.unwrap_or("ignored"), tcp).map_err(|e| e.to_string())?;
    let ocsp = stream.ssl().ocsp_status().map(<[u8]>::to_vec);
    let names = stream
        .ssl()
        .peer_certificate()
        .and_then(|cert| cert.subject_alt_names())
        .map(|sans| sans.iter().filter_map(|san| san.dnsname().map(str::to_string)).collect())
        .unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).and_then(|status| status.parse().ok()).ok_or("no HTTP answer")?;
    Ok(Answer { status, ocsp, head: head.to_string(), body: body.to_string(), names })
}

fn sni(name: &str) -> Client<'_> {
    Client { sni: Some(name), ..Client::default() }
}

fn pem_pair(name: &str) -> (X509, PKey<Private>) {
    let cert = std::fs::read(format!("{CERTS}/{name}.crt")).expect("certificate");
    let key = std::fs::read(format!("{CERTS}/{name}.key")).expect("key");
    (X509::from_pem(&cert).expect("PEM"), PKey::private_key_from_pem(&key).expect("PEM key"))
}

/// A client certificate no CA of the gateway signed: made here, self-signed.
fn stranger() -> (X509, PKey<Private>) {
    let group = openssl::ec::EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("curve");
    let key = PKey::from_ec_key(openssl::ec::EcKey::generate(&group).expect("key")).expect("pkey");
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_nid(Nid::COMMONNAME, "alice").expect("CN");
    let name = name.build();
    let mut cert = X509::builder().expect("builder");
    cert.set_version(2).expect("version");
    cert.set_subject_name(&name).expect("subject");
    cert.set_issuer_name(&name).expect("issuer");
    cert.set_pubkey(&key).expect("public key");
    cert.set_not_before(&Asn1Time::days_from_now(0).expect("time")).expect("not before");
    cert.set_not_after(&Asn1Time::days_from_now(1).expect("time")).expect("not after");
    cert.sign(&key, MessageDigest::sha256()).expect("sign");
    (cert.build(), key)
}

/// An HTTP/2 connection (over TLS, ALPN `h2`), the client preface and an
/// empty SETTINGS sent.
fn h2_connect(addr: &str) -> openssl::ssl::SslStream<TcpStream> {
    let mut builder = SslConnector::builder(SslMethod::tls_client()).expect("connector");
    builder.set_ca_file(format!("{CERTS}/ca.crt")).expect("CA");
    builder.set_alpn_protos(b"\x02h2").expect("ALPN");
    let tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut stream = builder.build().connect("gw.test", tcp).expect("TLS");
    assert_eq!(stream.ssl().selected_alpn_protocol(), Some(b"h2".as_slice()));
    stream.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0").expect("preface");
    stream
}

/// The next frame: its type, flags and payload; `None` once the connection ends.
fn h2_frame(stream: &mut openssl::ssl::SslStream<TcpStream>) -> Option<(u8, u8, Vec<u8>)> {
    let mut head = [0u8; 9];
    stream.read_exact(&mut head).ok()?;
    let length = usize::from(head[0]) << 16 | usize::from(head[1]) << 8 | usize::from(head[2]);
    let mut payload = vec![0u8; length];
    stream.read_exact(&mut payload).ok()?;
    Some((head[3], head[4], payload))
}

/// The SETTINGS the gateway sends first on an HTTP/2 connection:
/// `(identifier, value)` pairs.
fn h2_settings(addr: &str) -> Vec<(u16, u32)> {
    let mut stream = h2_connect(addr);
    for _ in 0..8 {
        let (kind, flags, payload) = h2_frame(&mut stream).expect("a frame");
        if kind == 0x4 && flags & 0x1 == 0 {
            return payload
                .chunks_exact(6)
                .map(|entry| {
                    (
                        u16::from_be_bytes([entry[0], entry[1]]),
                        u32::from_be_bytes([entry[2], entry[3], entry[4], entry[5]]),
                    )
                })
                .collect();
        }
    }
    panic!("no SETTINGS frame from the gateway");
}

/// Rapid reset (CVE-2023-44487): streams opened and reset at once, in one
/// write; the GOAWAY error code the gateway answers with, if any.
fn h2_rapid_reset(addr: &str, streams: u32) -> Option<u32> {
    let mut stream = h2_connect(addr);
    let mut burst = Vec::new();
    for index in 0..streams {
        let id = (2 * index + 1).to_be_bytes();
        // HEADERS (END_STREAM | END_HEADERS): GET https / (static table only).
        burst.extend_from_slice(&[0, 0, 3, 0x1, 0x5, id[0], id[1], id[2], id[3], 0x82, 0x87, 0x84]);
        // RST_STREAM CANCEL.
        burst.extend_from_slice(&[0, 0, 4, 0x3, 0, id[0], id[1], id[2], id[3], 0, 0, 0, 0x8]);
    }
    stream.write_all(&burst).expect("burst");
    // A connection the gateway keeps sends nothing more: 2 s of silence.
    stream.get_ref().set_read_timeout(Some(Duration::from_secs(2))).expect("timeout");
    for _ in 0..(4 * streams + 16) {
        let (kind, _, payload) = h2_frame(&mut stream)?;
        if kind == 0x7 && payload.len() >= 8 {
            return Some(u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]));
        }
    }
    None
}

/// The `:status` of an HTTP/2 `GET /` with `:authority` `authority`, on a
/// connection whose SNI is `gw.test` (no `Host` field: HTTP/2 clients send
/// `:authority` only).
fn h2_status(addr: &str, authority: &str) -> Option<String> {
    let mut stream = h2_connect(addr);
    // :method GET, :scheme https, :path / (static table), then :authority
    // as a literal without indexing, name from the static table (index 1).
    let mut block = vec![0x82, 0x87, 0x84, 0x01, u8::try_from(authority.len()).expect("short")];
    block.extend_from_slice(authority.as_bytes());
    let mut frame = vec![0, 0, u8::try_from(block.len()).expect("short"), 0x1, 0x5, 0, 0, 0, 1];
    frame.extend_from_slice(&block);
    stream.write_all(&frame).expect("request");
    for _ in 0..16 {
        let (kind, _, payload) = h2_frame(&mut stream)?;
        if kind == 0x1 {
            return hpack_status(&payload);
        }
    }
    None
}

/// The `:status` a response's header block begins with (RFC 7541): an
/// indexed field of the static table, or a literal with `:status` as its
/// name, its value plain or Huffman-coded (digits only).
fn hpack_status(block: &[u8]) -> Option<String> {
    let first = *block.first()?;
    let statics = ["200", "204", "206", "304", "400", "404", "500"];
    if first & 0x80 != 0 {
        return statics.get(usize::from(first & 0x7f).checked_sub(8)?).map(|status| status.to_string());
    }
    let index = if first & 0x40 != 0 { first & 0x3f } else { first & 0x0f };
    if !(8..=14).contains(&index) {
        return None;
    }
    let length_byte = *block.get(1)?;
    let value = block.get(2..2 + usize::from(length_byte & 0x7f))?;
    if length_byte & 0x80 == 0 {
        return String::from_utf8(value.to_vec()).ok();
    }
    // Huffman codes of the digits: 0-2 in 5 bits (00000..00010), 3-9 in 6
    // bits (011001..011111); the rest is padding (ones).
    let bits: Vec<u8> = value.iter().flat_map(|byte| (0..8).rev().map(move |bit| (byte >> bit) & 1)).collect();
    let number = |from: usize, count: usize| bits[from..from + count].iter().fold(0u8, |n, bit| n << 1 | bit);
    let (mut at, mut digits) = (0, String::new());
    while at + 5 <= bits.len() && bits[at..].contains(&0) {
        match number(at, 5) {
            code @ 0..=2 => {
                digits.push(char::from(b'0' + code));
                at += 5;
            }
            _ if at + 6 <= bits.len() && (25..=31).contains(&number(at, 6)) => {
                digits.push(char::from(b'0' + number(at, 6) - 22));
                at += 6;
            }
            _ => return None,
        }
    }
    Some(digits)
}

#[test]
fn the_edge_chooses_certificates_checks_clients_and_redirects() {
    let _echo = origin("echo", "127.71.0.45:18001");
    let _gateway = Gateway::start("edge", "127.71.0.45:18443", &[]);
    let main = "127.71.0.45:18443";

    // SNI picks the certificate: by exact name, by wildcard, else the default.
    let a = request(main, sni("a.test"), "a.test", "/x", "").expect("a.test");
    assert_eq!((a.status, a.names.clone()), (200, vec!["a.test".to_string()]));
    let b = request(main, sni("api.b.test"), "api.b.test", "/x", "").expect("api.b.test");
    assert_eq!(b.status, 200);
    assert!(b.names.contains(&"*.b.test".to_string()), "{:?}", b.names);
    let other = request(main, sni("elsewhere.test"), "elsewhere.test", "/x", "").expect("default");
    assert!(other.names.contains(&"gw.test".to_string()), "{:?}", other.names);
    let none = request(main, Client::default(), "anything.test", "/x", "").expect("no SNI");
    assert!(none.names.contains(&"gw.test".to_string()), "{:?}", none.names);
    assert_eq!(none.status, 200, "a client without SNI is not held to it");
    // OCSP stapling: the default certificate's response, and none for a.test's.
    let staple = std::fs::read(format!("{CERTS}/server.ocsp.der")).expect("OCSP response");
    assert_eq!(none.ocsp.as_deref(), Some(staple.as_slice()));
    assert_eq!(a.ocsp, None);

    // HTTP/2: the settings of `server { http2 { } }` are advertised
    // (MAX_CONCURRENT_STREAMS 0x3, MAX_HEADER_LIST_SIZE 0x6).
    let settings = h2_settings(main);
    assert!(settings.contains(&(0x3, 7)), "{settings:?}");
    assert!(settings.contains(&(0x6, 16 * 1024)), "{settings:?}");
    // More streams reset before the gateway took them than `max_pending_resets`
    // (5 here): GOAWAY with ENHANCE_YOUR_CALM (0xb).
    assert_eq!(h2_rapid_reset(main, 10), Some(0xb), "rapid reset ends the connection");
    assert_eq!(h2_rapid_reset(main, 4), None, "below the limit, the connection stays");

    // HSTS on every response of the HTTPS listener, proxied or not.
    assert_eq!(a.header("strict-transport-security"), Some("max-age=63072000; includeSubDomains"));
    let challenge = request(main, sni("a.test"), "a.test", "/.well-known/acme-challenge/t", "").expect("respond");
    assert_eq!(challenge.header("strict-transport-security"), Some("max-age=63072000; includeSubDomains"));

    // Host must be the SNI's name (case and port aside): else 421.
    let fronted = request(main, sni("a.test"), "b.test", "/x", "").expect("fronted");
    assert_eq!(fronted.status, 421);
    assert_eq!(fronted.body, "misdirected request\n");
    assert_eq!(request(main, sni("a.test"), "A.Test:18443", "/x", "").expect("case").status, 200);
    // The same over HTTP/2, where the name is `:authority` and a connection
    // may be reused for every name its certificate covers.
    assert_eq!(h2_status(main, "gw.test").as_deref(), Some("200"));
    assert_eq!(h2_status(main, "a.test").as_deref(), Some("421"));

    // Plain HTTP: 308 to the same URL in https, except ACME challenges;
    // never HSTS over plain HTTP.
    let (status, response) =
        raw("127.71.0.45:18080", b"GET /x/y?z=1 HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 308, "{response}");
    assert!(
        response.contains("location: https://a.test:18443/x/y?z=1")
            || response.contains("Location: https://a.test:18443/x/y?z=1"),
        "{response}"
    );
    assert!(!response.to_ascii_lowercase().contains("strict-transport-security"), "{response}");
    let (status, response) = raw(
        "127.71.0.45:18080",
        b"GET /.well-known/acme-challenge/token HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200, "{response}");
    assert!(response.ends_with("challenge\n"), "{response}");

    // Client certificates required: verified ones reach the upstream as
    // headers (spoofed values replaced); none, or another CA's, refused.
    let mtls = "127.71.0.45:18444";
    let alice = request(
        mtls,
        Client { sni: Some("gw.test"), cert: Some(pem_pair("client")), ..Client::default() },
        "gw.test",
        "/x",
        "X-Client-Cert-Subject: CN=mallory\r\n",
    )
    .expect("alice");
    assert_eq!(alice.status, 200);
    assert_eq!(alice.received("X-Client-Cert-Subject").as_deref(), Some("O=gw tests,CN=alice"));
    assert_eq!(alice.received("X-Client-Cert-San").as_deref(), Some("URI:spiffe://gw.test/alice, email:alice@gw.test"));
    let der = pem_pair("client").0.to_der().expect("DER");
    let fingerprint: String =
        openssl::hash::hash(MessageDigest::sha256(), &der).expect("hash").iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(alice.received("X-Client-Cert-Fingerprint"), Some(fingerprint));
    assert!(request(mtls, sni("gw.test"), "gw.test", "/x", "").is_err(), "no certificate: refused");
    let stranger_client = Client { sni: Some("gw.test"), cert: Some(stranger()), ..Client::default() };
    assert!(request(mtls, stranger_client, "gw.test", "/x", "").is_err(), "another CA: refused");
    // `min_version 1.3`: a TLS 1.2 client is refused.
    let old = Client {
        sni: Some("gw.test"),
        cert: Some(pem_pair("client")),
        max: Some(SslVersion::TLS1_2),
        ..Client::default()
    };
    assert!(request(mtls, old, "gw.test", "/x", "").is_err(), "TLS 1.2 refused");

    // Client certificates optional: none is fine (and spoofed headers are
    // removed); a verified one is forwarded; another CA's is refused.
    let optional = "127.71.0.45:18445";
    let anonymous =
        request(optional, sni("gw.test"), "gw.test", "/x", "X-Client-Cert-Subject: CN=mallory\r\n").expect("anonymous");
    assert_eq!(anonymous.status, 200);
    assert_eq!(anonymous.received("X-Client-Cert-Subject"), None, "{}", anonymous.body);
    let alice = request(
        optional,
        Client { sni: Some("gw.test"), cert: Some(pem_pair("client")), ..Client::default() },
        "gw.test",
        "/x",
        "",
    )
    .expect("alice, optional");
    assert_eq!(alice.received("X-Client-Cert-Subject").as_deref(), Some("O=gw tests,CN=alice"));
    let stranger_client = Client { sni: Some("gw.test"), cert: Some(stranger()), ..Client::default() };
    assert!(request(optional, stranger_client, "gw.test", "/x", "").is_err(), "another CA: refused");
    // Routes with `client_cert`: 403 without a certificate, or without the
    // SAN or subject they name.
    let with_cert = |path: &str| {
        let client = Client { sni: Some("gw.test"), cert: Some(pem_pair("client")), ..Client::default() };
        request(optional, client, "gw.test", path, "").expect("with a certificate").status
    };
    let without_cert = |path: &str| request(optional, sni("gw.test"), "gw.test", path, "").expect("without").status;
    assert_eq!((without_cert("/certified/x"), with_cert("/certified/x")), (403, 200));
    assert_eq!((without_cert("/alice/x"), with_cert("/alice/x")), (403, 200));
    assert_eq!(with_cert("/bob/x"), 403, "alice is not bob");
    // `max_version 1.2`: a TLS 1.3-only client is refused; `strict_sni off`
    // lets Host differ from SNI; no HSTS on this listener.
    let modern = Client { sni: Some("gw.test"), min: Some(SslVersion::TLS1_3), ..Client::default() };
    assert!(request(optional, modern, "gw.test", "/x", "").is_err(), "TLS 1.3 refused");
    let loose = request(optional, sni("gw.test"), "other.test", "/x", "").expect("strict_sni off");
    assert_eq!(loose.status, 200);
    assert_eq!(loose.header("strict-transport-security"), None);
}
