//! `gateway_dsl::format` (`gw fmt`) never changes what a file means and is
//! idempotent: on every `.gw` file of the repository, and on generated
//! files laid out every which way.

use std::path::{Path, PathBuf};

use gateway_dsl::ast::{Arg, ArgKind, Directive, File};
use gateway_dsl::format::format;
use gateway_dsl::parse::parse;
use gateway_dsl::{Options, SourceFile, compile};

/// Every `.gw` file of the workspace (outside `target/`).
fn workspace_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    dirs.push(path);
                }
            } else if name.ends_with(".gw") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The tree without positions: names, argument values (a string's value,
/// not its spelling), blocks, and the comments in order.
fn shape(file: &File) -> String {
    fn directive(out: &mut String, written: &Directive, depth: usize) {
        out.push_str(&format!("{}{}", " ".repeat(depth), written.name.text));
        written.args.iter().for_each(|inner| arg_into(out, inner));
        out.push('\n');
        if let Some(block) = &written.block {
            out.push_str(&format!("{}{{\n", " ".repeat(depth)));
            block.directives.iter().for_each(|inner| directive(out, inner, depth + 1));
            out.push_str(&format!("{}}}\n", " ".repeat(depth)));
        }
    }
    let mut out = String::new();
    file.directives.iter().for_each(|inner| directive(&mut out, inner, 0));
    for comment in &file.comments {
        out.push_str(&format!("comment {:?}\n", comment.text.trim_end()));
    }
    out
}

fn arg_into(out: &mut String, arg: &Arg) {
    match &arg.kind {
        ArgKind::Word(word) => out.push_str(&format!(" w{word:?}")),
        ArgKind::Str(text) => out.push_str(&format!(" s{text:?}")),
        ArgKind::Call { func, args } => {
            out.push_str(&format!(" {}(", func.text));
            args.iter().for_each(|inner| arg_into(out, inner));
            out.push(')');
        }
    }
}

/// The IR as text, without what depends on layout (`file:line:col`
/// locations, spans and the source hash).
fn meaning(result: &Result<gateway_dsl::ir::Gateway, Vec<gateway_dsl::Diagnostic>>) -> String {
    let locations = regex::Regex::new(r"\.gw:\d+:\d+").expect("regex");
    match result {
        Ok(gateway) => {
            let mut gateway = gateway.clone();
            gateway.source_sha256.clear();
            let spans = regex::Regex::new(r"Span \{ start: \d+, end: \d+ \}").expect("regex");
            let text = locations.replace_all(&format!("{gateway:?}"), ".gw:L:C").into_owned();
            spans.replace_all(&text, "Span").into_owned()
        }
        Err(diagnostics) => {
            let lines = regex::Regex::new(r"line \d+").expect("regex");
            let messages: Vec<String> = diagnostics
                .iter()
                .map(|diagnostic| lines.replace_all(&diagnostic.message, "line N").into_owned())
                .collect();
            format!("errors: {messages:#?}")
        }
    }
}

/// Formats `text` and checks the result: a fixed point with the same tree.
fn check_round_trip(name: &str, text: &str) -> Option<String> {
    let parsed = parse(text);
    let formatted = match format(text) {
        Ok(formatted) => formatted,
        Err(errors) => {
            assert!(!parsed.errors.is_empty(), "{name}: format refused a file that parses: {errors:?}");
            return None;
        }
    };
    assert_eq!(format(&formatted).as_deref(), Ok(formatted.as_str()), "{name}: fmt of fmt changes the file");
    let reparsed = parse(&formatted);
    assert!(reparsed.errors.is_empty(), "{name}: the formatted file does not parse: {:?}", reparsed.errors);
    assert_eq!(shape(&parsed.file), shape(&reparsed.file), "{name}: formatting changed the tree");
    Some(formatted)
}

#[test]
fn every_gw_file_keeps_its_meaning_and_formats_to_a_fixed_point() {
    let files = workspace_files();
    assert!(files.len() > 50, "found only {} .gw files", files.len());
    let mut compiled = 0;
    for path in &files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{name}: {error}"));
        let Some(formatted) = check_round_trip(&name, &text) else { continue };
        let options = Options { source_path: path.clone() };
        let before = compile(&SourceFile::new("x.gw", text.as_str()), &options);
        let after = compile(&SourceFile::new("x.gw", formatted.as_str()), &options);
        assert_eq!(meaning(&before), meaning(&after), "{name}: formatting changed the gateway");
        compiled += usize::from(before.is_ok());
    }
    assert!(compiled > 30, "only {compiled} files compiled");
}

/// A small deterministic generator (xorshift), so that a failure is the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A syntactically valid file with random layout: spaces, tabs, `;`,
/// continuations, blank lines, comments everywhere a comment may go.
fn generated(rng: &mut Rng, depth: usize, out: &mut String) {
    let count = rng.next() % 4 + usize::from(depth == 0) as u64;
    for _ in 0..count {
        if rng.chance(20) {
            out.push_str(rng.pick(&["# own line\n", "\t# tabbed comment\n", "\n\n", "   \n"]));
        }
        out.push_str(rng.pick(&["", " ", "\t", "    "]));
        out.push_str(rng.pick(&["route", "to", "backend", "limit", "x_y", "a1"]));
        for _ in 0..rng.next() % 4 {
            out.push_str(rng.pick(&[" ", "  ", "\t", " \\\n  "]));
            out.push_str(rng.pick(&[
                "/api/",
                "127.0.0.1:80",
                "\"a b\"",
                "\"q\\\"x\\\\\"",
                "env(TOKEN)",
                "ketama( header  X-U )",
                "f()",
                "a#b",
                "=",
                "~",
                "100/s",
            ]));
        }
        if depth < 3 && rng.chance(35) {
            out.push_str(rng.pick(&[" {", "{", "  {"]));
            if rng.chance(30) {
                out.push_str(" # opens\n");
            } else {
                out.push_str(rng.pick(&["\n", " ", ";\n"]));
            }
            generated(rng, depth + 1, out);
            out.push_str(rng.pick(&["}", "\n}", "  }"]));
        }
        if rng.chance(25) {
            out.push_str(rng.pick(&[" # trailing", "\t\t# tab", "   #x"]));
            out.push('\n');
        } else {
            out.push_str(rng.pick(&["\n", ";", "; ", "\n\n\n", ";\n"]));
        }
    }
}

#[test]
fn generated_files_format_to_a_fixed_point_with_the_same_tree() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut formatted_count = 0;
    for case in 0..2000 {
        let mut text = String::new();
        generated(&mut rng, 0, &mut text);
        if check_round_trip(&format!("generated case {case}:\n{text}"), &text).is_some() {
            formatted_count += 1;
        }
    }
    assert!(formatted_count > 1500, "only {formatted_count} generated files parsed");
}
