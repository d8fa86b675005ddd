//! The editor support under `editors/`: the VS Code extension's manifest
//! and the TextMate grammar are valid, and the grammar highlights exactly
//! the directive names the language has (`gateway_dsl::symbol`).

use std::collections::BTreeSet;

use serde_json::Value;

fn read_json(path: &str) -> Value {
    let full = format!("{}/../editors/vscode/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|error| panic!("{full}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{full}: {error}"))
}

#[test]
fn the_grammar_knows_every_directive_and_no_other() {
    let grammar = read_json("syntaxes/gw.tmLanguage.json");
    assert_eq!(grammar["scopeName"], "source.gw");
    let pattern = grammar["repository"]["directive"]["match"].as_str().expect("directive pattern");
    let alternation = pattern.split("\\b(").nth(1).and_then(|rest| rest.split(")\\b").next()).expect("(a|b|...)");
    let highlighted: BTreeSet<&str> = alternation.split('|').collect();
    let directives: BTreeSet<&str> =
        gateway_dsl::symbol::CONTEXTS.iter().flat_map(|(_, names)| names.iter().copied()).collect();
    assert_eq!(highlighted, directives, "update editors/vscode/syntaxes/gw.tmLanguage.json");
    // Every pattern of the grammar is a regex (Oniguruma's syntax is a superset
    // of what is used here, bar look-behind, which is checked for shape only).
    for (name, rule) in grammar["repository"].as_object().expect("repository") {
        let rules: Vec<&Value> = match rule.get("patterns") {
            Some(Value::Array(patterns)) if rule.get("begin").is_none() => patterns.iter().collect(),
            _ => vec![rule],
        };
        for rule in rules {
            for key in ["match", "begin"] {
                if let Some(regex) = rule.get(key).and_then(Value::as_str) {
                    let without_lookbehind = regex.replace("(?<=", "(?:");
                    assert!(regex::Regex::new(&without_lookbehind).is_ok(), "{name}: {regex}");
                }
            }
        }
    }
}

#[test]
fn the_extension_runs_gw_lsp_for_gw_files() {
    let manifest = read_json("package.json");
    assert_eq!(manifest["contributes"]["languages"][0]["extensions"][0], ".gw");
    assert_eq!(manifest["contributes"]["grammars"][0]["path"], "./syntaxes/gw.tmLanguage.json");
    let main = manifest["main"].as_str().expect("main");
    let script = std::fs::read_to_string(format!("{}/../editors/vscode/{main}", env!("CARGO_MANIFEST_DIR")))
        .expect("extension script");
    assert!(script.contains("args: [\"lsp\"]"), "the extension starts `gw lsp`");
    read_json("language-configuration.json");
}
