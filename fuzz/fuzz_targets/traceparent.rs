//! W3C `traceparent` values: parsing must not panic, and a value that
//! parses formats back (as version 00) to a value that parses to the same
//! ids and flags.

#![no_main]

use gateway_http::traceparent::{format, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(parsed) = parse(data) {
        let again = parse(format(&parsed.trace_id, &parsed.parent_id, parsed.flags).as_bytes());
        assert_eq!(again, Some(parsed));
    }
});
