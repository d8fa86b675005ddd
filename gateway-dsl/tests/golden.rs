//! Golden tests of the whole front end.
//!
//! `test_data/ok/*.gw` must compile without a diagnostic; the code they
//! generate, pretty-printed, is compared with `ok/*.rs`. `test_data/err/*.gw`
//! must fail with exactly the diagnostics in `err/*.stderr`. To bless new
//! expectations after a deliberate change, run with `UPDATE_EXPECT=1`.

use std::path::{Path, PathBuf};

use gateway_dsl::diagnostics::render_all;
use gateway_dsl::{Options, SourceFile, codegen, compile};

fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(kind);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "gw"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

/// Compiles one case file as the macro would, showing it as `kind/name.gw`.
/// The absolute path of `test_data`, replaced by `$TEST_DATA` in what is compared.
fn test_data_dir() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").display().to_string()
}

fn compile_case(path: &Path) -> (SourceFile, Result<gateway_dsl::ir::Gateway, Vec<gateway_dsl::Diagnostic>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let kind = path.parent().and_then(Path::file_name).map(|name| name.to_string_lossy().into_owned());
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
    let source = SourceFile::new(format!("{}/{}", kind.unwrap_or_default(), name.unwrap_or_default()), text);
    let result = compile(&source, &Options { source_path: path.to_path_buf() });
    (source, result)
}

#[test]
fn ok_files_compile_and_generate_the_committed_code() {
    for path in cases("ok") {
        let (source, result) = compile_case(&path);
        let gateway = match result {
            Ok(gateway) => gateway,
            Err(diagnostics) => panic!("{} must compile, but:\n{}", path.display(), render_all(&diagnostics, &source)),
        };
        // The checkout's path is replaced before pretty-printing, so that
        // its length cannot change where lines wrap.
        let tokens = codegen::generate(&gateway).to_string().replace(&test_data_dir(), "$TEST_DATA");
        let file: syn::File = syn::parse_str(&tokens)
            .unwrap_or_else(|error| panic!("{}: generated code does not parse: {error}", path.display()));
        let code = prettyplease::unparse(&file);
        expect_test::expect_file![path.with_extension("rs")].assert_eq(&code);
    }
}

#[test]
fn err_files_give_exactly_the_committed_diagnostics() {
    for path in cases("err") {
        let (source, result) = compile_case(&path);
        let diagnostics = match result {
            Ok(_) => panic!("{} must not compile", path.display()),
            Err(diagnostics) => diagnostics,
        };
        let rendered = render_all(&diagnostics, &source).replace(&test_data_dir(), "$TEST_DATA");
        expect_test::expect_file![path.with_extension("stderr")].assert_eq(&rendered);
    }
}

/// Every prefix of every test file is also a `.gw` file, mostly a broken one:
/// the front end must answer each with a gateway or diagnostics, never a
/// panic, and every diagnostic must point inside the file.
#[test]
fn every_prefix_of_every_case_compiles_or_reports_without_panicking() {
    for path in cases("ok").into_iter().chain(cases("err")) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let options = Options { source_path: path.clone() };
        for (end, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let source = SourceFile::new("prefix.gw", &text[..end]);
            if let Err(diagnostics) = compile(&source, &options) {
                assert!(!diagnostics.is_empty());
                for diagnostic in &diagnostics {
                    assert!(
                        diagnostic.span.start <= diagnostic.span.end && diagnostic.span.end <= end,
                        "{diagnostic:?}"
                    );
                }
                render_all(&diagnostics, &source);
            }
        }
    }
}

/// Every file a `.gw` file names and the check reads is a dependency of the
/// build: listed in the IR, and `include_bytes!`'d by the generated code, so
/// that replacing a certificate makes cargo check the gateway again.
#[test]
fn the_files_a_gateway_names_are_tracked() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/ok/tls_edge.gw");
    let (_, result) = compile_case(&path);
    let gateway = result.unwrap_or_else(|diagnostics| panic!("{diagnostics:?}"));
    let mut names: Vec<String> = gateway
        .files
        .iter()
        .filter_map(|file| file.file_name().map(|name| name.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names, ["a.crt", "a.key", "clients-ca.crt", "server.crt", "server.key", "server.ocsp.der"]);
    assert!(gateway.files.iter().all(|file| file.is_absolute()));
    let code = codegen::generate(&gateway).to_string();
    for file in &gateway.files {
        let include = format!("include_bytes ! (\"{}\")", file.display());
        assert!(code.contains(&include), "{include} missing");
    }
}
