//! `allow` / `deny`: who may use a route, by client address; 403 otherwise.

use std::net::IpAddr;

pub use gateway_http::cidr::Cidr;

use super::Refusal;

/// One `allow` or `deny` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub cidr: Cidr,
    pub allow: bool,
}

/// Applies a list of rules in order: the first rule whose range holds the
/// client decides; a client no rule holds is let through (lists that only
/// allow are refused at build time, so a list means what it says). A client
/// without an address (a Unix socket) is held only by `all`.
#[inline]
pub fn check(rules: &[Rule], client: Option<IpAddr>) -> Result<(), Refusal> {
    let decision = rules.iter().find(|rule| match client {
        Some(ip) => rule.cidr.contains(ip),
        None => rule.cidr == Cidr::ALL,
    });
    match decision {
        Some(Rule { allow: false, .. }) => Err(Refusal::status(403)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_rule_decides() {
        let rules = [
            Rule { cidr: Cidr::v4([10, 1, 0, 0], 16), allow: false },
            Rule { cidr: Cidr::v4([10, 0, 0, 0], 8), allow: true },
            Rule { cidr: Cidr::v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), allow: true },
            Rule { cidr: Cidr::ALL, allow: false },
        ];
        let ip = |text: &str| Some(text.parse::<IpAddr>().expect(text));
        assert!(check(&rules, ip("10.2.3.4")).is_ok());
        assert!(check(&rules, ip("::ffff:10.2.3.4")).is_ok());
        assert_eq!(check(&rules, ip("10.1.3.4")), Err(Refusal::status(403)));
        assert!(check(&rules, ip("2001:db8::7")).is_ok());
        assert!(check(&rules, ip("192.0.2.1")).is_err());
        assert!(check(&rules, None).is_err(), "only `all` holds a Unix-socket client");
        assert!(check(&rules[..2], None).is_ok());
    }
}
