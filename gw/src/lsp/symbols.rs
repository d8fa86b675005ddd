//! What the server knows about a document's words: the directive or
//! upstream name under the cursor, the block the cursor is in, and the
//! documentation of a directive (the text of docs/language.md).

use gateway_dsl::ast::{ArgKind, Directive, File};
use gateway_dsl::diagnostics::Span;
use gateway_dsl::symbol;

/// docs/language.md, whose sections are the hover text of directives.
const LANGUAGE_DOCS: &str = include_str!("../../../docs/language.md");

/// Something named at a place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    /// A directive's name, and the top-level directive whose block holds
    /// it (`upstream`, `listen`, `route`...; `None` at the top level).
    Directive { name: String, within: Option<String> },
    /// An upstream's name: where it is declared or used.
    Upstream(String),
}

/// The symbol at `offset`, if any.
pub fn at(file: &File, offset: usize) -> Option<(Symbol, Span)> {
    let mut found = None;
    walk(&file.directives, &mut |directive, parents| {
        if contains(directive.name.span, offset) {
            let within = parents.first().map(|parent| parent.name.text.clone());
            found = Some((Symbol::Directive { name: directive.name.text.clone(), within }, directive.name.span));
        }
        for (span, name) in upstream_names(directive, parents) {
            if contains(span, offset) {
                found = Some((Symbol::Upstream(name), span));
            }
        }
    });
    found
}

/// Every place upstream `name` is declared (first) or referred to.
pub fn upstream_sites(file: &File, name: &str) -> (Option<Span>, Vec<Span>) {
    let (mut declaration, mut references) = (None, Vec::new());
    walk(&file.directives, &mut |directive, parents| {
        for (span, found) in upstream_names(directive, parents) {
            if found != name {
                continue;
            }
            if parents.is_empty() && directive.name.text == "upstream" {
                declaration = declaration.or(Some(span));
            } else {
                references.push(span);
            }
        }
    });
    (declaration, references)
}

/// The names of every upstream the file declares.
pub fn upstream_declarations(file: &File) -> Vec<String> {
    file.directives
        .iter()
        .filter(|directive| directive.name.text == "upstream")
        .filter_map(|directive| directive.args.first().and_then(|arg| arg.text()).map(str::to_string))
        .collect()
}

/// Upstream names in one directive: `upstream NAME`, `to NAME` in a route,
/// `-> ... upstream NAME` in a test line.
fn upstream_names(directive: &Directive, parents: &[&Directive]) -> Vec<(Span, String)> {
    let word = |index: usize| {
        directive.args.get(index).and_then(|arg| match &arg.kind {
            ArgKind::Word(text) | ArgKind::Str(text) => Some((arg.span, text.clone())),
            ArgKind::Call { .. } => None,
        })
    };
    let parent = parents.last().map(|parent| parent.name.text.as_str());
    match (parent, directive.name.text.as_str()) {
        (None, "upstream") | (Some("route"), "to") => word(0).into_iter().collect(),
        (Some("test"), _) => {
            let arrow = directive.args.iter().position(|arg| arg.text() == Some("->"));
            let after = arrow.map_or(directive.args.len(), |arrow| arrow + 1);
            (after..directive.args.len())
                .filter(|index| directive.args[*index].text() == Some("upstream"))
                .filter_map(|index| word(index + 1))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Calls `visit` with each directive and the directives whose blocks hold it.
fn walk<'a>(directives: &'a [Directive], visit: &mut impl FnMut(&'a Directive, &[&'a Directive])) {
    fn go<'a>(
        directives: &'a [Directive],
        parents: &mut Vec<&'a Directive>,
        visit: &mut impl FnMut(&'a Directive, &[&'a Directive]),
    ) {
        for directive in directives {
            visit(directive, parents);
            if let Some(block) = &directive.block {
                parents.push(directive);
                go(&block.directives, parents, visit);
                parents.pop();
            }
        }
    }
    go(directives, &mut Vec::new(), visit);
}

/// The directives whose blocks hold `offset`, outermost first.
pub fn enclosing(file: &File, offset: usize) -> Vec<&Directive> {
    let mut chain = Vec::new();
    let mut directives = &file.directives;
    while let Some(directive) = directives.iter().find(|directive| {
        directive.block.as_ref().is_some_and(|block| block.span.start < offset && offset < block.span.end)
    }) {
        chain.push(directive);
        match &directive.block {
            Some(block) => directives = &block.directives,
            None => break,
        }
    }
    chain
}

/// The directive names allowed in the block of `directive` (`None`: the top level).
pub fn allowed_in(directive: Option<&Directive>) -> &'static [&'static str] {
    let Some(directive) = directive else { return symbol::TOP };
    let first = directive.args.first().and_then(|arg| arg.text());
    match (directive.name.text.as_str(), first) {
        ("server", _) => symbol::SERVER,
        ("listen", _) => symbol::TLS,
        ("upstream", _) => symbol::UPSTREAM,
        ("admin", _) => symbol::ADMIN,
        ("route", _) => symbol::ROUTE,
        ("request", _) => symbol::REQUEST,
        ("response", _) => symbol::RESPONSE,
        ("body", _) => symbol::BODY,
        ("auth", Some("basic")) => symbol::AUTH_BASIC,
        ("auth", Some("jwt")) => symbol::AUTH_JWT,
        ("auth", Some("forward")) => symbol::AUTH_FORWARD,
        ("cors", _) => symbol::CORS,
        ("cache", _) => symbol::CACHE,
        ("key", _) => symbol::CACHE_KEY,
        ("access_log", _) => symbol::ACCESS_LOG,
        ("compress", _) => symbol::COMPRESS,
        ("tracing", _) => symbol::TRACING,
        ("test", _) => &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
        _ => &[],
    }
}

/// The documentation of directive `name`, from docs/language.md: the
/// section headed by it, or else the paragraph or table row that
/// introduces it.
pub fn docs(name: &str) -> Option<String> {
    let code = format!("`{name}`");
    let lines: Vec<&str> = LANGUAGE_DOCS.lines().collect();
    let heading = lines.iter().position(|line| line.starts_with('#') && line.contains(&code));
    if let Some(start) = heading {
        let end = (start + 1..lines.len()).find(|index| lines[*index].starts_with('#')).unwrap_or(lines.len());
        return Some(excerpt(&lines[start..end]));
    }
    mention(&lines, name).or_else(|| example(&lines, name))
}

/// The documentation of directive `name` written in the block of a
/// top-level directive `within` (`upstream`, `listen`...): what that
/// directive's section of docs/language.md says of it, or else [`docs`].
/// One name can mean different things in different blocks
/// (`proxy_protocol` in `listen` and in `upstream`).
pub fn docs_in(name: &str, within: Option<&str>) -> Option<String> {
    let section = within.and_then(|within| {
        let lines: Vec<&str> = LANGUAGE_DOCS.lines().collect();
        let heading = format!("## `{within}`");
        let start = lines.iter().position(|line| *line == heading)?;
        let end = (start + 1..lines.len()).find(|index| lines[*index].starts_with("## ")).unwrap_or(lines.len());
        mention(&lines[start..end], name)
    });
    section.or_else(|| docs(name))
}

/// The paragraph or table row of `lines` that introduces directive `name`.
fn mention(lines: &[&str], name: &str) -> Option<String> {
    let mention = [
        format!("- `{name} "),
        format!("- `{name}`"),
        format!("- **`{name} "),
        format!("- **`{name}`"),
        format!("| `{name} "),
        format!("| `{name}`"),
    ];
    let start = lines.iter().position(|line| mention.iter().any(|prefix| line.trim_start().starts_with(prefix)))?;
    let row = lines[start].trim_start();
    if row.starts_with('|') {
        return Some(row.to_string());
    }
    let end = (start + 1..lines.len())
        .find(|index| lines[*index].trim().is_empty() || lines[*index].trim_start().starts_with("- "))
        .unwrap_or(lines.len());
    Some(excerpt(&lines[start..end]))
}

/// The first example line of a ```gw block that uses directive `name`
/// (with its comment), under the heading of its section, and the first
/// sentence of prose that names it.
fn example(lines: &[&str], name: &str) -> Option<String> {
    let mut in_gw = false;
    let mut heading = "";
    for (index, line) in lines.iter().enumerate() {
        if line.starts_with("```") {
            in_gw = !in_gw && line.trim() == "```gw";
            continue;
        }
        if !in_gw && line.starts_with('#') {
            heading = line.trim_start_matches('#').trim();
        }
        // `name ...`, `# name ...` (an alternative), `x { name ...; ... }`.
        let uses = line.split(['{', ';', '#']).any(|part| part.split_whitespace().next() == Some(name));
        if in_gw && uses {
            let mut out = format!("`{name}` (docs/language.md, {heading})\n\n```gw\n{}\n```", line.trim());
            let code = format!("`{name}");
            let prose = lines[index..]
                .iter()
                .chain(lines[..index].iter())
                .find(|line| !line.starts_with(' ') && !line.starts_with('#') && line.contains(&code));
            if let Some(prose) = prose.filter(|prose| !prose.starts_with("```")) {
                out.push_str("\n\n");
                out.push_str(prose.trim());
            }
            return Some(out);
        }
    }
    None
}

/// At most 40 lines of a section, as Markdown.
fn excerpt(lines: &[&str]) -> String {
    let mut text: Vec<&str> = lines.iter().take(40).copied().collect();
    while text.last().is_some_and(|line| line.trim().is_empty()) {
        text.pop();
    }
    let mut out = text.join("\n");
    // A code fence cut in two would swallow the rest of the hover.
    if out.matches("```").count() % 2 == 1 {
        out.push_str("\n```");
    }
    if lines.len() > 40 {
        out.push_str("\n\n… (docs/language.md)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_documented_for_the_block_it_is_in() {
        let upstream = docs_in("proxy_protocol", Some("upstream")).expect("documented");
        assert!(upstream.contains("each connection to a backend"), "{upstream}");
        let listen = docs_in("proxy_protocol", Some("listen")).expect("documented");
        assert!(listen.contains("must begin with a PROXY protocol header"), "{listen}");
        // A block whose section does not mention the name: the page's first mention.
        assert_eq!(docs_in("proxy_protocol", Some("admin")), docs("proxy_protocol"));
        assert_eq!(docs_in("proxy_protocol", None), docs("proxy_protocol"));
    }

    #[test]
    fn every_directive_has_documentation() {
        let mut missing = Vec::new();
        for (context, names) in symbol::CONTEXTS {
            for name in *names {
                if docs(name).is_none() {
                    missing.push(format!("{name} ({context})"));
                }
            }
        }
        assert!(missing.is_empty(), "directives docs/language.md does not introduce: {missing:?}");
    }
}
