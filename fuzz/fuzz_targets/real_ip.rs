//! The client's address behind trusted proxies, on any header lines: it must
//! not panic; from an untrusted peer it is the peer, whatever the lines say;
//! and it is always the peer or an address written in the lines.

#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use gateway_http::cidr::Cidr;
use gateway_http::real_ip::{Header, client};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    // The first byte picks the peer (trusted or not) and the header; the
    // rest is header lines separated by NUL.
    let trusted = [Cidr::v4([10, 0, 0, 0], 8), Cidr::v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32)];
    let peer = if flags & 1 == 0 { IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)) } else { IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)) };
    let header = if flags & 2 == 0 { Header::XForwardedFor } else { Header::XRealIp };
    let lines: Vec<&[u8]> = rest.split(|byte| *byte == 0).collect();
    let found = client(peer, &trusted, header, lines.iter().copied());
    if flags & 1 == 1 {
        assert_eq!(found, peer, "an untrusted peer chose its address");
    }
    if found != peer {
        let text = String::from_utf8_lossy(rest);
        let written = text
            .split(['\0', ','])
            .map(str::trim)
            .filter_map(|entry| {
                entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|addr| addr.ip()))
            })
            .any(|ip| ip.to_canonical() == found);
        assert!(written, "{found} is neither the peer nor written in the lines");
    }
});
