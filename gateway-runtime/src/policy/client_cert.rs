//! `client_cert required | san ... | subject ...` in a route: a verified
//! client certificate ([`crate::tls::ClientCert`]) is needed, with one of
//! the SAN entries or subjects named; 403 otherwise.

use pingora::proxy::Session;

use super::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    /// SAN entries as `TYPE:value` (`URI:spiffe://a/b`) or the value alone.
    San(&'static [&'static str]),
    Subject(&'static [&'static str]),
}

/// Whether the request's connection carries a certificate `rule` accepts.
pub fn check(session: &Session, rule: &Rule) -> Result<(), Refusal> {
    let Some(cert) = crate::tls::connection(session).and_then(|connection| connection.client.as_ref()) else {
        return Err(Refusal::status(403));
    };
    let accepted = match rule {
        Rule::Required => true,
        Rule::San(values) => cert.sans.iter().any(|entry| {
            let value = entry.split_once(':').map_or(entry.as_str(), |(_, value)| value);
            values.iter().any(|wanted| *wanted == entry || *wanted == value)
        }),
        Rule::Subject(values) => values.contains(&cert.subject.as_str()),
    };
    if accepted { Ok(()) } else { Err(Refusal::status(403)) }
}
