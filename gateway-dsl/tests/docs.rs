//! The docs hold every directive: docs/phases.md's "Every directive, by
//! block" table has a row per block of `symbol::CONTEXTS`, and each row
//! names every directive of its block.

use gateway_dsl::symbol;

#[test]
fn phases_maps_every_directive_of_every_block() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/phases.md");
    let text = std::fs::read_to_string(path).expect("docs/phases.md");
    let mut missing = Vec::new();
    for (context, names) in symbol::CONTEXTS {
        let row = text.lines().find(|line| line.starts_with(&format!("| {context} |")));
        let Some(row) = row else {
            missing.push(format!("no row for {context}"));
            continue;
        };
        let directives = row.split('|').nth(2).unwrap_or_default();
        for name in *names {
            if !directives.contains(&format!("`{name}`")) {
                missing.push(format!("`{name}` in {context}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/phases.md lacks: {missing:#?}");
}
