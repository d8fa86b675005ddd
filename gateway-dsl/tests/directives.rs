//! One list of directive names: `symbol::CONTEXTS` (which the LSP, the
//! editor grammar, the docs tests and the error messages use) agrees with
//! what the checker accepts. Each directive of a block, written there, is
//! never "unknown"; each directive of another block, written there, is
//! refused on its line.

use std::path::Path;

use gateway_dsl::{Options, SourceFile, compile, symbol};

/// A file placing one directive (`@`) in each block: the surroundings are valid.
const TEMPLATES: &[(&str, &str)] = &[
    ("the top level of the file", "@\n"),
    ("a `server` block", "server {\n@\n}\n"),
    ("a `listen https` block", "listen https 127.0.0.1:1 {\n@\n}\n"),
    ("a `listen http` block", "listen http 127.0.0.1:1 {\n@\n}\n"),
    ("an `http2` block", "server {\nhttp2 {\n@\n}\n}\n"),
    ("an `upstream` block", "upstream u {\n@\n}\n"),
    ("an `admin` block", "admin 127.0.0.1:9 {\n@\n}\n"),
    ("a `route` block", "route /r/ {\n@\n}\n"),
    ("a `request` block", "route /r/ {\nto u\nrequest {\n@\n}\n}\n"),
    ("a `response` block", "route /r/ {\nto u\nresponse {\n@\n}\n}\n"),
    ("a `body` block", "route /r/ {\nto u\nbody {\n@\n}\n}\n"),
    ("an `auth basic` block", "route /r/ {\nto u\nauth basic {\n@\n}\n}\n"),
    ("an `auth jwt` block", "route /r/ {\nto u\nauth jwt {\n@\n}\n}\n"),
    ("a `cors` block", "route /r/ {\nto u\ncors {\n@\n}\n}\n"),
    ("a `cache` block", "route /r/ {\nto u\ncache {\n@\n}\n}\n"),
    ("an `access_log` block", "route /r/ {\nto u\naccess_log stderr format json {\n@\n}\n}\n"),
    ("a `compress` block", "route /r/ {\nto u\ncompress gzip {\n@\n}\n}\n"),
    ("a `tracing` block", "server {\ntracing {\n@\n}\n}\n"),
    ("a `store` block", "server {\nstore redis 127.0.0.1:6379 {\n@\n}\n}\n"),
    ("an `auth forward` block", "route /r/ {\nto u\nauth forward http://127.0.0.1:9/auth {\n@\n}\n}\n"),
];

/// What every file has besides the block under test.
const REST: &str = "listen http 127.0.0.2:8080\nupstream u { backend 127.0.0.1:9001 }\nroute / { to u }\n";

/// The diagnostics of `template` with `directive` in place of `@`, and the
/// directive's line.
fn diagnostics(template: &str, directive: &str) -> (Vec<(usize, String)>, usize) {
    let text = format!("{}{REST}", template.replace('@', directive));
    let line = text.lines().position(|line| line == directive).map_or(0, |index| index + 1);
    let source = SourceFile::new("t.gw".to_string(), text);
    let options = Options { source_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("t.gw") };
    let found = match compile(&source, &options) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics
            .iter()
            .map(|diagnostic| (source.line_col(diagnostic.span.start).0, diagnostic.message.clone()))
            .collect(),
    };
    (found, line)
}

#[test]
fn the_checker_knows_exactly_the_listed_directives() {
    assert_eq!(TEMPLATES.len(), symbol::CONTEXTS.len(), "a template per block");
    let mut all: Vec<&str> = symbol::CONTEXTS.iter().flat_map(|(_, names)| names.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let mut wrong = Vec::new();
    for (context, names) in symbol::CONTEXTS {
        let template = TEMPLATES.iter().find(|(name, _)| name == context).map(|(_, template)| *template);
        let Some(template) = template else {
            wrong.push(format!("no template for {context}"));
            continue;
        };
        for name in all.iter().copied() {
            let (found, line) = diagnostics(template, name);
            let unknown = found.iter().any(|(_, message)| message.starts_with(&format!("unknown directive `{name}`")));
            if names.contains(&name) && unknown {
                wrong.push(format!("`{name}` is listed in {context} but the checker does not know it"));
            }
            if !names.contains(&name) && !found.iter().any(|(at, _)| *at == line) {
                wrong.push(format!("`{name}` is taken in {context} but not listed there"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
