//! The client's address behind trusted proxies (`server { trusted_proxies
//! ...; real_ip header ... }`).
//!
//! A proxy in front of the gateway says who its client was in
//! `X-Forwarded-For` (each hop appends the address it received the request
//! from) or `X-Real-IP` (one address). Anyone can send these headers, so they
//! are believed only as far as the chain of trusted hops reaches: starting
//! from the peer that connected to the gateway, while the current address is
//! a trusted proxy, the next address to the left is taken. The first address
//! that is not a trusted proxy is the client. An entry that is not an
//! address ends the walk at the last address reached: a trusted proxy wrote
//! something the gateway cannot read, and nothing further left can be
//! trusted.

use std::net::{IpAddr, SocketAddr};

use crate::cidr::Cidr;

/// Which header trusted proxies name the client in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// `X-Forwarded-For: client, proxy1, proxy2`.
    XForwardedFor,
    /// `X-Real-IP: client`.
    XRealIp,
}

impl Header {
    /// The header's name, lower case.
    pub const fn name(self) -> &'static str {
        match self {
            Header::XForwardedFor => "x-forwarded-for",
            Header::XRealIp => "x-real-ip",
        }
    }
}

/// Whether `ip` is one of `trusted`.
fn is_trusted(trusted: &[Cidr], ip: IpAddr) -> bool {
    trusted.iter().any(|cidr| cidr.contains(ip))
}

/// The client of a request from `peer` whose `header` lines are `values`
/// (in the order received).
pub fn client<'a, I>(peer: IpAddr, trusted: &[Cidr], header: Header, values: I) -> IpAddr
where
    I: DoubleEndedIterator<Item = &'a [u8]>,
{
    let peer = peer.to_canonical();
    if !is_trusted(trusted, peer) {
        return peer;
    }
    match header {
        Header::XRealIp => {
            // One address, from one header line: more than one line means
            // someone other than the trusted proxy added one.
            let mut values = values;
            match (values.next(), values.next()) {
                (Some(value), None) => address(value).unwrap_or(peer),
                _ => peer,
            }
        }
        Header::XForwardedFor => {
            let mut current = peer;
            for value in values.rev() {
                for entry in value.rsplit(|byte| *byte == b',') {
                    let entry = entry.trim_ascii();
                    if entry.is_empty() {
                        continue;
                    }
                    let Some(ip) = address(entry) else { return current };
                    current = ip;
                    if !is_trusted(trusted, current) {
                        return current;
                    }
                }
            }
            current
        }
    }
}

/// One entry: an address, or an address with a port (`192.0.2.1:4711`,
/// `[2001:db8::1]:4711`), as some proxies write them.
fn address(entry: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(entry).ok()?.trim_ascii();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    text.parse::<SocketAddr>().ok().map(|addr| addr.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn trusted() -> Vec<Cidr> {
        vec![Cidr::parse("10.0.0.0/8").expect("range"), Cidr::parse("2001:db8::/32").expect("range")]
    }

    fn xff(peer: &str, values: &[&str]) -> IpAddr {
        client(ip(peer), &trusted(), Header::XForwardedFor, values.iter().map(|value| value.as_bytes()))
    }

    fn real_ip(peer: &str, values: &[&str]) -> IpAddr {
        client(ip(peer), &trusted(), Header::XRealIp, values.iter().map(|value| value.as_bytes()))
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        assert_eq!(xff("192.0.2.7", &["203.0.113.1"]), ip("192.0.2.7"));
        assert_eq!(real_ip("192.0.2.7", &["203.0.113.1"]), ip("192.0.2.7"));
    }

    #[test]
    fn the_chain_is_walked_from_the_right_while_hops_are_trusted() {
        assert_eq!(xff("10.0.0.1", &["203.0.113.1"]), ip("203.0.113.1"));
        // A client-made entry on the left is not believed: the first
        // untrusted address from the right is the client.
        assert_eq!(xff("10.0.0.1", &["6.6.6.6, 203.0.113.1, 10.0.0.2"]), ip("203.0.113.1"));
        // Several header lines are one list, in order.
        assert_eq!(xff("10.0.0.1", &["6.6.6.6", "203.0.113.1", "10.9.9.9"]), ip("203.0.113.1"));
        // Every hop trusted: the leftmost address.
        assert_eq!(xff("10.0.0.1", &["10.0.0.3, 10.0.0.2"]), ip("10.0.0.3"));
        // No header: the peer.
        assert_eq!(xff("10.0.0.1", &[]), ip("10.0.0.1"));
    }

    #[test]
    fn garbage_ends_the_walk_at_the_last_address_reached() {
        assert_eq!(xff("10.0.0.1", &["203.0.113.1, unknown"]), ip("10.0.0.1"));
        assert_eq!(xff("10.0.0.1", &["garbage, 10.0.0.2"]), ip("10.0.0.2"));
        assert_eq!(xff("10.0.0.1", &["203.0.113.1,, 10.0.0.2 "]), ip("203.0.113.1"));
    }

    #[test]
    fn ports_ipv6_and_mapped_addresses() {
        assert_eq!(xff("10.0.0.1", &["203.0.113.1:4711"]), ip("203.0.113.1"));
        assert_eq!(xff("2001:db8::1", &["[2001:db9::5]:80"]), ip("2001:db9::5"));
        assert_eq!(xff("::ffff:10.0.0.1", &["::ffff:203.0.113.1"]), ip("203.0.113.1"));
    }

    #[test]
    fn x_real_ip_takes_one_address_from_one_line() {
        assert_eq!(real_ip("10.0.0.1", &["203.0.113.1"]), ip("203.0.113.1"));
        assert_eq!(real_ip("10.0.0.1", &["203.0.113.1", "203.0.113.2"]), ip("10.0.0.1"));
        assert_eq!(real_ip("10.0.0.1", &["203.0.113.1, 10.0.0.2"]), ip("10.0.0.1"));
        assert_eq!(real_ip("10.0.0.1", &[]), ip("10.0.0.1"));
    }
}
