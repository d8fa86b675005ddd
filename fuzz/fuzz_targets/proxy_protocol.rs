//! The PROXY protocol framing a `proxy_protocol` listener reads with, and
//! the `ppp` parser after it, on any bytes: no panic; each read asks for
//! more than was read and never past the longest header; a header found is
//! within the bytes read, and its parse does not panic.

#![no_main]

use gateway_http::proxy_protocol::{Frame, V2_MAX, frame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut read = 0;
    loop {
        match frame(&data[..read]) {
            Frame::Read(until) => {
                assert!(until > read, "asked to read nothing");
                assert!(until <= V2_MAX, "asked for more than a header");
                if until > data.len() {
                    return;
                }
                read = until;
            }
            Frame::Done(length) => {
                assert!(length <= read && length > 0);
                let header = &data[..length];
                if header.starts_with(gateway_http::proxy_protocol::V2_SIGNATURE) {
                    let _ = ppp::v2::Header::try_from(header);
                } else {
                    assert!(header.ends_with(b"\r\n") && length <= 107, "a v1 line ends with CRLF within 107 bytes");
                    let _ = ppp::v1::Header::try_from(header);
                }
                return;
            }
            Frame::Invalid(_) => return,
        }
    }
});
