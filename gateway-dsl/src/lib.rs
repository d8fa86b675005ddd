//! The `.gw` language: from a file of routes to the Rust items of a Pingora gateway.
//!
//! The pipeline, one module per stage:
//!
//! 1. `parse`: text → `ast` (the pest grammar in `grammar.pest`), recovering
//!    from syntax errors so that the next stage still sees the rest.
//! 2. `check`: `ast` → `ir`, collecting every diagnostic of the file.
//! 3. `codegen`: `ir` → Rust tokens. Never fails.
//!
//! `expand_macro` runs all three for the `gateway!` macro; `compile` runs the
//! first two for tools (a CLI, a build script, tests).

pub mod ast;
pub mod check;
pub mod codegen;
pub mod diagnostics;
pub mod format;
pub mod ir;
pub mod parse;
pub mod policy;
pub mod routing;
pub mod symbol;
pub mod table;

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;

pub use check::Options;
pub use diagnostics::{Diagnostic, SourceFile};

/// Parse and check a `.gw` source.
///
/// Syntax errors do not hide the rest of the file: the parser recovers (see
/// `parse`) and the check passes run on what it recovered, so every error is
/// reported at once, in file order. A check diagnostic on a line that has a
/// syntax error is left out: it would be a consequence of the repair.
pub fn compile(source: &SourceFile, options: &Options) -> Result<ir::Gateway, Vec<Diagnostic>> {
    let parsed = parse::parse(&source.text);
    let checked = check::check(&parsed.file, source, options);
    if parsed.errors.is_empty() {
        return checked;
    }
    let broken_lines: Vec<usize> = parsed.errors.iter().map(|error| source.line_col(error.span.start).0).collect();
    let mut diagnostics = parsed.errors;
    if let Err(more) = checked {
        diagnostics.extend(more.into_iter().filter(|diagnostic| {
            let line = source.line_col(diagnostic.span.start).0;
            diagnostic.span != diagnostics::Span::new(0, 0) && !broken_lines.contains(&line)
        }));
    }
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
    Err(diagnostics)
}

/// What a `gateway!("file.gw")` call expands to: the gateway's items, or, if
/// the file cannot be read or has errors, one rendered diagnostic per error
/// and a stand-in `Gateway` so that nothing else fails to compile.
#[derive(Debug)]
pub struct Expansion {
    pub items: TokenStream,
    pub errors: Vec<String>,
}

/// Expands a `gateway!` call naming `written`, a path relative to the first
/// of `search_dirs` that has it (the calling crate's directory, then the
/// calling source file's). Paths in messages are shown relative to `cwd`,
/// where rustc shows its own.
pub fn expand(written: &str, search_dirs: &[PathBuf], cwd: &Path) -> Expansion {
    if Path::new(written).is_absolute() {
        return Expansion {
            items: codegen::skeleton(None),
            errors: vec![format!(
                "`gateway!` takes a path relative to the crate's directory, not `{written}`: absolute paths only work on one machine"
            )],
        };
    }
    let candidates: Vec<PathBuf> = search_dirs.iter().map(|dir| dir.join(written)).collect();
    let Some(source_path) = candidates.iter().find(|candidate| candidate.is_file()).cloned() else {
        // Shown as rustc shows paths (relative to where it runs, when below
        // it), so that the message does not depend on where the checkout or
        // the target directory is.
        let looked: Vec<String> = candidates.iter().map(|candidate| display_path(candidate, cwd)).collect();
        return Expansion {
            items: codegen::skeleton(None),
            errors: vec![format!("cannot find `{written}` (looked for {})", looked.join(" and "))],
        };
    };
    let display_path = display_path(&source_path, cwd);
    let text = match std::fs::read_to_string(&source_path) {
        Ok(text) => text,
        Err(error) => {
            return Expansion {
                items: codegen::skeleton(None),
                errors: vec![format!("cannot read `{display_path}`: {error}")],
            };
        }
    };
    let source = SourceFile::new(display_path, text);
    let options = Options { source_path: source_path.clone() };
    match compile(&source, &options) {
        Ok(gateway) => Expansion { items: codegen::generate(&gateway), errors: Vec::new() },
        Err(diagnostics) => Expansion {
            items: codegen::skeleton(Some(&source_path.display().to_string())),
            errors: diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect(),
        },
    }
}

/// `expand`, with each error as a `compile_error!` spanned at `span` (the
/// string literal naming the file).
pub fn expand_macro(written: &str, span: Span, search_dirs: &[PathBuf], cwd: &Path) -> TokenStream {
    let expansion = expand(written, search_dirs, cwd);
    let mut tokens = expansion.items;
    for error in expansion.errors {
        tokens.extend(quote_spanned!(span=> ::core::compile_error!(#error);));
    }
    tokens
}

/// For build scripts: compiles the `.gw` file at `gw_path` into Rust items
/// written to `out_path` (to `include!` from the crate), and asks cargo to
/// rerun the script when the file changes. The error is every diagnostic,
/// rendered, to print before failing the build.
///
/// ```text
/// // build.rs
/// let out = std::path::Path::new(&std::env::var("OUT_DIR")?).join("gateway.rs");
/// gateway_dsl::compile_to_file("gateway.gw".as_ref(), &out)?;
/// // src/main.rs
/// include!(concat!(env!("OUT_DIR"), "/gateway.rs"));
/// ```
pub fn compile_to_file(gw_path: &Path, out_path: &Path) -> Result<(), String> {
    println!("cargo:rerun-if-changed={}", gw_path.display());
    let source_path = std::path::absolute(gw_path).map_err(|error| format!("{}: {error}", gw_path.display()))?;
    let text =
        std::fs::read_to_string(&source_path).map_err(|error| format!("cannot read {}: {error}", gw_path.display()))?;
    let source = SourceFile::new(gw_path.display().to_string(), text);
    let gateway = compile(&source, &Options { source_path })
        .map_err(|diagnostics| diagnostics::render_all(&diagnostics, &source))?;
    for file in &gateway.files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    std::fs::write(out_path, codegen::generate(&gateway).to_string())
        .map_err(|error| format!("cannot write {}: {error}", out_path.display()))
}

/// `path` relative to `cwd` when it lies below it, as rustc prints paths.
fn display_path(path: &Path, cwd: &Path) -> String {
    let normalized: PathBuf = path.components().collect();
    match normalized.strip_prefix(cwd) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => normalized.display().to_string(),
    }
}
