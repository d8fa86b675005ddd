//! `gw`: the `.gw` language outside a Rust crate, on `gateway-dsl`'s own
//! checks and diagnostics (the ones `gateway!` reports inside `cargo build`).
//!
//! ```text
//! gw check [--format human|short|json] FILE...   every diagnostic; exit 1 if any
//! gw routes FILE                                 the routing table, in the order the gateway tries it
//! gw explain FILE 'METHOD URL' [-H 'Name: value']... [--on LISTENER]
//!                                                which route a request takes, and why
//! gw fmt [--check] FILE...                       the canonical layout, in place (`-`: stdin to stdout)
//! gw lsp                                         a language server on standard input and output
//! ```

mod explain;
mod fmt;
mod lsp;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gateway_dsl::diagnostics::{Diagnostic, Note, SourceFile, render_all};
use gateway_dsl::{Options, ir, table};

const USAGE: &str = "usage:
  gw check [--format human|short|json] FILE...   check .gw files; every diagnostic, exit status 1 if any
  gw routes FILE                                 print the routing table in the order the gateway tries it
  gw explain FILE 'METHOD URL' [-H 'Name: value']... [--on LISTENER]
                                                 which route a request takes, and why (URL: /path?q, host/path
                                                 or https://host/path)
  gw fmt [--check] FILE...                       rewrite files in the canonical layout; --check lists the
                                                 files that are not, exit status 1 if any (`-`: stdin)
  gw lsp                                         a language server (LSP 3.17) on standard input and output";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// rustc's layout: the message, `--> FILE:LINE:COL`, the line and carets.
    Human,
    /// `FILE:LINE:COL: error: MESSAGE`, one line each (for editors' problem matchers).
    Short,
    /// One JSON object per line: file, line, column, end_line, end_column,
    /// severity, message, label, help, notes.
    Json,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("routes") => routes(&args[1..]),
        Some("explain") => explain::explain(&args[1..]),
        Some("fmt") => fmt::fmt(&args[1..]),
        Some("lsp") => lsp::lsp(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &[String]) -> ExitCode {
    let mut format = Format::Human;
    let mut files = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => {
                format = match args.next().map(String::as_str) {
                    Some("human") => Format::Human,
                    Some("short") => Format::Short,
                    Some("json") => Format::Json,
                    other => {
                        eprintln!("gw check: --format takes human, short or json, not {}", other.unwrap_or("nothing"));
                        return ExitCode::from(2);
                    }
                }
            }
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in &files {
        match load(file) {
            Err(message) => {
                failed = true;
                match format {
                    Format::Json => println!("{}", json_line(file, None, "error", &message, None, &[])),
                    _ => eprintln!("error: {message}"),
                }
            }
            Ok((source, Err(diagnostics))) => {
                failed = true;
                match format {
                    Format::Human => eprintln!("{}", render_all(&diagnostics, &source)),
                    Format::Short => {
                        for diagnostic in &diagnostics {
                            let (line, column) = source.line_col(diagnostic.span.start);
                            eprintln!("{}:{line}:{column}: error: {}", source.display_path, diagnostic.message);
                        }
                    }
                    Format::Json => {
                        for diagnostic in &diagnostics {
                            println!("{}", diagnostic_json(&source, diagnostic));
                        }
                    }
                }
            }
            Ok((_, Ok(_))) => {}
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn routes(args: &[String]) -> ExitCode {
    let [file] = args else { return usage() };
    let Some(gateway) = load_checked(file) else { return ExitCode::FAILURE };
    print!("{}", table_text(&gateway));
    ExitCode::SUCCESS
}

/// A file's gateway, or its diagnostics printed to stderr.
fn load_checked(file: &str) -> Option<ir::Gateway> {
    match load(file) {
        Err(message) => {
            eprintln!("error: {message}");
            None
        }
        Ok((source, Err(diagnostics))) => {
            eprintln!("{}", render_all(&diagnostics, &source));
            None
        }
        Ok((_, Ok(gateway))) => Some(gateway),
    }
}

/// Reads and checks one file; its path is shown as given.
fn load(file: &str) -> Result<(SourceFile, Result<ir::Gateway, Vec<Diagnostic>>), String> {
    let text = std::fs::read_to_string(file).map_err(|error| format!("cannot read `{file}`: {error}"))?;
    let source_path = std::path::absolute(Path::new(file)).unwrap_or_else(|_| PathBuf::from(file));
    let source = SourceFile::new(file, text);
    let result = gateway_dsl::compile(&source, &Options { source_path });
    Ok((source, result))
}

/// The routing table, one row per route and host group, aligned.
fn table_text(gateway: &ir::Gateway) -> String {
    let mut rows = vec![["HOST", "PATTERN", "MATCHERS", "ACTION", "POLICIES", "LOCATION"].map(str::to_string)];
    for row in table::rows(gateway) {
        let route = row.route;
        let matchers = table::matchers(gateway, route).join("; ");
        let policies = table::policies(gateway, route).join(", ");
        rows.push([
            row.host.clone(),
            table::pattern(&route.path),
            if matchers.is_empty() { "-".to_string() } else { matchers },
            table::action(gateway, route),
            if policies.is_empty() { "-".to_string() } else { policies },
            route.location.clone(),
        ]);
    }
    let widths: Vec<usize> =
        (0..6).map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> =
            row.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}", width = *width)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn diagnostic_json(source: &SourceFile, diagnostic: &Diagnostic) -> String {
    let start = source.line_col(diagnostic.span.start);
    let end = source.line_col(diagnostic.span.end);
    let help: Vec<&str> = diagnostic
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::Help(text) => Some(text.as_str()),
            Note::Note(_) => None,
        })
        .collect();
    let notes: Vec<&str> = diagnostic
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::Note(text) => Some(text.as_str()),
            Note::Help(_) => None,
        })
        .collect();
    let mut line = json_line(
        &source.display_path,
        Some((start, end)),
        "error",
        &diagnostic.message,
        diagnostic.label.as_deref(),
        &help,
    );
    line.pop();
    line.push_str(&format!(",\"notes\":[{}]}}", notes.iter().map(|note| json(note)).collect::<Vec<_>>().join(",")));
    line
}

fn json_line(
    file: &str,
    span: Option<((usize, usize), (usize, usize))>,
    severity: &str,
    message: &str,
    label: Option<&str>,
    help: &[&str],
) -> String {
    let position = match span {
        Some(((line, column), (end_line, end_column))) => {
            format!("\"line\":{line},\"column\":{column},\"end_line\":{end_line},\"end_column\":{end_column}")
        }
        None => "\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null".to_string(),
    };
    format!(
        "{{\"file\":{},{position},\"severity\":{},\"message\":{},\"label\":{},\"help\":{}}}",
        json(file),
        json(severity),
        json(message),
        label.map_or_else(|| "null".to_string(), json),
        if help.is_empty() { "null".to_string() } else { json(&help.join("\n")) },
    )
}

fn json(text: &str) -> String {
    table::json_string(text)
}
