//! The path normaliser on any path: it must not panic, and what it accepts
//! must be normal: absolute, no `//`, no `.` or `..` segment, no encoded
//! `/`, `\` or NUL, and a fixed point (normalising it again gives the same path).

#![no_main]

use std::borrow::Cow;

use gateway_http::path::normalize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else { return };
    let Ok(normal) = normalize(path) else { return };
    assert!(normal.starts_with('/'), "{normal:?}");
    assert!(!normal.contains("//"), "{normal:?}");
    assert!(normal[1..].split('/').all(|segment| segment != "." && segment != ".."), "{normal:?}");
    let upper = normal.to_ascii_uppercase();
    for encoded in ["%2F", "%5C", "%00"] {
        assert!(!upper.contains(encoded), "{normal:?}");
    }
    assert!(!normal.contains('\0'), "{normal:?}");
    match normalize(&normal) {
        Ok(again) => assert_eq!(again, normal, "normalising twice changes it"),
        Err(error) => panic!("{normal:?} is refused when normalised again: {error:?}"),
    }
    if let Cow::Borrowed(same) = normal {
        assert_eq!(same, path);
    }
});
