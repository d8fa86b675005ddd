//! From text to `ast`: runs the pest grammar and turns its pairs into the
//! syntax tree. A syntax error is the one kind of error that stops the
//! pipeline at once: without a tree there is nothing to check.

use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::{Arg, ArgKind, Block, Directive, File, Name};
use crate::diagnostics::{Diagnostic, Span};

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct GwParser;

/// Parse a whole `.gw` file.
pub fn parse_file(text: &str) -> Result<File, Diagnostic> {
    let mut pairs = GwParser::parse(Rule::file, text).map_err(|error| syntax_error(text, &error))?;
    let directives = match pairs.next() {
        Some(file) => lower_directives(file),
        None => Vec::new(),
    };
    Ok(File { directives })
}

fn lower_directives(parent: Pair<'_, Rule>) -> Vec<Directive> {
    parent.into_inner().filter(|pair| pair.as_rule() == Rule::directive).map(lower_directive).collect()
}

fn lower_directive(pair: Pair<'_, Rule>) -> Directive {
    let span = span_of(&pair);
    let mut name = None;
    let mut args = Vec::new();
    let mut block = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => name = Some(lower_name(&part)),
            Rule::block => {
                let block_span = span_of(&part);
                block = Some(Block { directives: lower_directives(part), span: block_span });
            }
            _ => args.extend(lower_arg(part)),
        }
    }
    // The grammar makes `name` the first part of every directive.
    let name = name.unwrap_or_else(|| Name { text: String::new(), span });
    Directive { name, args, block, span }
}

fn lower_name(pair: &Pair<'_, Rule>) -> Name {
    Name { text: pair.as_str().to_string(), span: span_of(pair) }
}

fn lower_arg(pair: Pair<'_, Rule>) -> Option<Arg> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::word => ArgKind::Word(pair.as_str().to_string()),
        Rule::string => ArgKind::Str(unescape(pair.as_str())),
        Rule::call => {
            let mut parts = pair.into_inner();
            let func = lower_name(&parts.next()?);
            let args = parts.filter_map(lower_arg).collect();
            ArgKind::Call { func, args }
        }
        _ => return None,
    };
    Some(Arg { kind, span })
}

/// The contents of a string literal (with its quotes) with escapes resolved.
fn unescape(quoted: &str) -> String {
    let inner = quoted.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')).unwrap_or(quoted);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(quoted @ ('"' | '\\')) => out.push(quoted),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

/// A pest error, said in the words of the language rather than of the grammar.
fn syntax_error(text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let position = match error.location {
        pest::error::InputLocation::Pos(position) => position,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    if text[position..].starts_with('"') {
        return Diagnostic::new(Span::new(position, position + 1), "syntax error: unterminated string")
            .label("this string is not closed on its line")
            .help("strings end on the line they start; close it with `\"`");
    }
    if position == text.len()
        && let Some(open) = unclosed_brace(text)
    {
        return Diagnostic::new(Span::new(open, open + 1), "syntax error: block is never closed")
            .label("this `{` has no matching `}`")
            .help("close the block with `}` before the end of the file");
    }
    let found = describe_at(text, position);
    let end = position + text[position..].chars().next().map_or(0, char::len_utf8);
    let mut expected: Vec<&str> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|rule| describe_rule(*rule)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let message = if expected.is_empty() {
        format!("syntax error: unexpected {found}")
    } else {
        format!("syntax error: expected {}, found {found}", join_alternatives(&expected))
    };
    Diagnostic::new(Span::new(position, end), message).label(format!("unexpected {found}"))
}

/// The offset of the last `{` that no `}` closes, outside strings and comments.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        match c {
            '\n' => {
                in_string = false;
                in_comment = false;
            }
            _ if in_comment => {}
            '\\' if in_string => {
                escaped = !escaped;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '{' => open.push(offset),
            '}' => {
                open.pop();
            }
            _ => {}
        }
        escaped = false;
    }
    open.pop()
}

fn describe_rule(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::directive | Rule::name => "a directive name",
        Rule::block => "`{`",
        Rule::string | Rule::string_body => "a string",
        Rule::word | Rule::call => "an argument",
        Rule::EOI => "end of file",
        _ => return None,
    })
}

fn describe_at(text: &str, position: usize) -> String {
    match text[position..].chars().next() {
        None => "end of file".to_string(),
        Some('\n') | Some('\r') => "end of line".to_string(),
        Some(c) => format!("`{c}`"),
    }
}

fn join_alternatives(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(directive: &Directive) -> Vec<String> {
        directive.args.iter().map(|arg| arg.text().unwrap_or("<call>").to_string()).collect()
    }

    #[test]
    fn directives_arguments_and_blocks() {
        let file =
            parse_file("listen http 0.0.0.0:80 # comment\nroute = /x { respond 200 \"o\\\"k\" }; admin 127.0.0.1:9\n")
                .expect("parses");
        let names: Vec<_> = file.directives.iter().map(|d| d.name.text.as_str()).collect();
        assert_eq!(names, ["listen", "route", "admin"]);
        assert_eq!(words(&file.directives[0]), ["http", "0.0.0.0:80"]);
        assert_eq!(words(&file.directives[1]), ["=", "/x"]);
        let block = file.directives[1].block.as_ref().expect("block");
        assert_eq!(words(&block.directives[0]), ["200", "o\"k"]);
    }

    #[test]
    fn unknown_escapes_keep_their_backslash() {
        let file = parse_file("a \"\\d+\\.png \\\" \\\\ \\n\"\n").expect("parses");
        assert_eq!(words(&file.directives[0]), ["\\d+\\.png \" \\ \n"]);
    }

    #[test]
    fn calls_and_hashes_inside_words() {
        let file = parse_file("auth bearer env(TOKEN)\nredirect http://x/#frag\n").expect("parses");
        match &file.directives[0].args[1].kind {
            ArgKind::Call { func, args } => {
                assert_eq!(func.text, "env");
                assert_eq!(args.iter().map(|arg| arg.text()).collect::<Vec<_>>(), [Some("TOKEN")]);
            }
            other => panic!("expected a call, got {other:?}"),
        }
        let balance = parse_file("balance ketama( header X-User )\n").expect("parses");
        match &balance.directives[0].args[0].kind {
            ArgKind::Call { args, .. } => {
                assert_eq!(args.iter().map(|arg| arg.text()).collect::<Vec<_>>(), [Some("header"), Some("X-User")]);
            }
            other => panic!("expected a call, got {other:?}"),
        }
        assert_eq!(words(&file.directives[1]), ["http://x/#frag"]);
    }

    #[test]
    fn unclosed_block_points_at_its_brace() {
        let text = "route / {\n  to web\n";
        let error = parse_file(text).expect_err("must fail");
        assert_eq!(error.span.start, text.find('{').expect("brace"));
        assert_eq!(error.message, "syntax error: block is never closed");
    }
}
