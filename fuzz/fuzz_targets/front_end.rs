//! The `.gw` front end on any text: parse, check, and generate code for what
//! passes. It must not panic, and every diagnostic must point inside the
//! file, on character boundaries, and render.

#![no_main]

use std::path::PathBuf;

use gateway_dsl::{Options, SourceFile, codegen, compile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceFile::new("fuzz.gw".to_string(), text.to_string());
    // Files a `.gw` names (certificates, discovery lists) resolve against a
    // directory that does not exist: their checks report, never read.
    let options = Options { source_path: PathBuf::from("/nonexistent/gw-fuzz/fuzz.gw") };
    match compile(&source, &options) {
        Ok(gateway) => {
            let _ = codegen::generate(&gateway);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error without a diagnostic");
            for diagnostic in &diagnostics {
                let span = diagnostic.span;
                assert!(span.start <= span.end && span.end <= text.len(), "{span:?} outside {} bytes", text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{span:?} splits a character");
                let rendered = diagnostic.render(&source);
                assert!(rendered.contains(&diagnostic.message));
            }
        }
    }
});
