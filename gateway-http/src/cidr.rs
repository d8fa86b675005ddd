//! Address ranges (`10.0.0.0/8`, `2001:db8::/32`, `all`) as `allow`/`deny`
//! and `trusted_proxies` write them: parsed and compared at build time by
//! the checker, matched at run time by the gateway, one definition for both.
//!
//! IPv4 ranges are held as IPv4-mapped IPv6 (`::ffff:a.b.c.d/96+n`), and
//! every address is made canonical before it is matched, so a client seen
//! on a dual-stack socket as `::ffff:10.1.2.3` is in `10.0.0.0/8`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A range of addresses: `bits` masked to its first `prefix` bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    bits: u128,
    prefix: u8,
}

/// The prefix of IPv4-mapped IPv6 addresses.
const MAPPED: u128 = 0xffff << 32;

impl Cidr {
    /// Every address, IPv4 and IPv6.
    pub const ALL: Cidr = Cidr { bits: 0, prefix: 0 };

    /// The range of an IPv4 address and prefix length (0 to 32); for
    /// generated tables.
    pub const fn v4(octets: [u8; 4], prefix: u8) -> Cidr {
        let bits = MAPPED | (u32::from_be_bytes(octets) as u128);
        Cidr::masked(bits, 96 + if prefix > 32 { 32 } else { prefix })
    }

    /// The range of an IPv6 address and prefix length (0 to 128); for
    /// generated tables.
    pub const fn v6(segments: [u16; 8], prefix: u8) -> Cidr {
        let mut bits = 0u128;
        let mut index = 0;
        while index < 8 {
            bits = (bits << 16) | segments[index] as u128;
            index += 1;
        }
        Cidr::masked(bits, if prefix > 128 { 128 } else { prefix })
    }

    const fn masked(bits: u128, prefix: u8) -> Cidr {
        Cidr { bits: bits & mask(prefix), prefix }
    }

    /// `all`, `ADDR` (one address) or `ADDR/LEN`; the address must be the
    /// first of its range (`10.0.0.0/8`, not `10.1.2.3/8`), as a typo there
    /// usually means a wrong prefix length.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        if text == "all" {
            return Ok(Cidr::ALL);
        }
        let (addr, length) = match text.split_once('/') {
            Some((addr, length)) => (addr, Some(length)),
            None => (text, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| {
            format!("`{text}` is not an address range: expected `IP`, `IP/LENGTH` (e.g. `10.0.0.0/8`, `2001:db8::/32`) or `all`")
        })?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match length {
            None => max,
            Some(length) => match length.parse::<u8>() {
                Ok(prefix) if prefix <= max && !length.starts_with('+') => prefix,
                _ => return Err(format!("the prefix length of `{text}` must be a number from 0 to {max}")),
            },
        };
        let cidr = match ip {
            IpAddr::V4(v4) => Cidr::v4(v4.octets(), prefix),
            IpAddr::V6(v6) => Cidr::v6(v6.segments(), prefix),
        };
        if cidr.first() != ip {
            return Err(format!(
                "`{text}` has bits set past its prefix length: the range it names starts at `{}`; write `{cidr}`",
                cidr.first()
            ));
        }
        Ok(cidr)
    }

    /// Whether `ip` is in the range; IPv4-mapped IPv6 addresses count as IPv4.
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        bits_of(ip) & mask(self.prefix) == self.bits
    }

    /// Whether every address of `other` is also in `self`.
    pub fn covers(&self, other: &Cidr) -> bool {
        self.prefix <= other.prefix && other.bits & mask(self.prefix) == self.bits
    }

    /// Whether the range holds IPv4 addresses only.
    fn is_v4(&self) -> bool {
        self.prefix >= 96 && self.bits & mask(96) == MAPPED
    }

    /// The first address of the range.
    pub fn first(&self) -> IpAddr {
        if self.is_v4() { IpAddr::V4(Ipv4Addr::from(self.bits as u32)) } else { IpAddr::V6(Ipv6Addr::from(self.bits)) }
    }

    /// The address and prefix length as written for the address's family:
    /// `(10.0.0.0, 8)`, `(2001:db8::, 32)`; for generated tables.
    pub fn parts(&self) -> (IpAddr, u8) {
        if self.is_v4() { (self.first(), self.prefix - 96) } else { (self.first(), self.prefix) }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Cidr::ALL {
            return f.write_str("all");
        }
        match self.parts() {
            (ip, 32) if ip.is_ipv4() => write!(f, "{ip}"),
            (ip, 128) if ip.is_ipv6() => write!(f, "{ip}"),
            (ip, prefix) => write!(f, "{ip}/{prefix}"),
        }
    }
}

const fn mask(prefix: u8) -> u128 {
    if prefix == 0 { 0 } else { u128::MAX << (128 - prefix as u32) }
}

/// An address as 128 bits, IPv4 (and IPv4-mapped IPv6) as mapped IPv6.
#[inline]
fn bits_of(ip: IpAddr) -> u128 {
    match ip.to_canonical() {
        IpAddr::V4(v4) => MAPPED | u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(text: &str) -> Cidr {
        Cidr::parse(text).expect(text)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect(text)
    }

    #[test]
    fn ranges_hold_their_addresses_only() {
        assert!(cidr("10.0.0.0/8").contains(ip("10.255.1.2")));
        assert!(!cidr("10.0.0.0/8").contains(ip("11.0.0.0")));
        assert!(cidr("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        assert!(cidr("192.168.1.7").contains(ip("192.168.1.7")));
        assert!(!cidr("192.168.1.7").contains(ip("192.168.1.8")));
        assert!(cidr("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
        assert!(!cidr("2001:db8::/32").contains(ip("2001:db9::1")));
        assert!(!cidr("2001:db8::/32").contains(ip("10.0.0.1")));
        assert!(!cidr("0.0.0.0/0").contains(ip("::1")));
        assert!(cidr("0.0.0.0/0").contains(ip("127.0.0.1")));
        assert!(cidr("::/0").contains(ip("127.0.0.1")), "IPv4 is inside ::/0 as mapped addresses");
        assert!(Cidr::ALL.contains(ip("::1")) && Cidr::ALL.contains(ip("1.2.3.4")));
    }

    #[test]
    fn coverage_is_by_prefix_and_family() {
        assert!(cidr("10.0.0.0/8").covers(&cidr("10.1.0.0/16")));
        assert!(!cidr("10.1.0.0/16").covers(&cidr("10.0.0.0/8")));
        assert!(cidr("10.0.0.0/8").covers(&cidr("10.0.0.0/8")));
        assert!(!cidr("10.0.0.0/8").covers(&cidr("11.0.0.0/8")));
        assert!(Cidr::ALL.covers(&cidr("2001:db8::/32")));
        assert!(!cidr("0.0.0.0/0").covers(&cidr("2001:db8::/32")));
        assert!(!cidr("2001:db8::/32").covers(&Cidr::ALL));
    }

    #[test]
    fn malformed_ranges_are_refused_with_a_reason() {
        for bad in ["10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/+8", "::/129", "localhost", "10.1.2.3/8", "*"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
        let message = Cidr::parse("10.1.2.3/8").expect_err("bits past the prefix");
        assert!(message.contains("write `10.0.0.0/8`"), "{message}");
    }

    #[test]
    fn written_forms_come_back() {
        for text in ["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1", "all", "0.0.0.0/0"] {
            assert_eq!(cidr(text).to_string(), text);
        }
        let (addr, prefix) = cidr("172.16.0.0/12").parts();
        assert_eq!((addr, prefix), (ip("172.16.0.0"), 12));
        assert_eq!(Cidr::v4([172, 16, 0, 0], 12), cidr("172.16.0.0/12"));
        assert_eq!(Cidr::v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), cidr("2001:db8::/32"));
    }
}
