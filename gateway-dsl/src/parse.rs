//! From text to `ast`: runs the pest grammar and turns its pairs into the
//! syntax tree.
//!
//! A syntax error does not stop the parse: it is reported, the text around
//! it is repaired or blanked (with spaces, so that every later offset stays
//! where it was), and the grammar runs again, so that one run reports the
//! syntax errors of the whole file and the check passes still see every
//! directive the errors did not touch. The repairs are the ones the common
//! mistakes need: a block whose `{` is missing gets one at the end of its
//! first line, a stray `}` or `//` comment is blanked, an unclosed string or
//! call is blanked to the end of its line.

use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::{Arg, ArgKind, Block, Comment, Directive, File, Name};
use crate::diagnostics::{Diagnostic, Span};

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct GwParser;

/// The most syntax errors one file reports; past them the rest is left unparsed.
const MAX_SYNTAX_ERRORS: usize = 20;

/// The most times the grammar runs on one file (each repair is followed by
/// a run): bounds the work on text that is mostly not `.gw`.
const MAX_ATTEMPTS: usize = 100;

/// A parsed file: the tree of everything that parses, and the syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub file: File,
    pub errors: Vec<Diagnostic>,
}

/// Parse a whole `.gw` file, recovering from syntax errors.
pub fn parse(text: &str) -> Parsed {
    let mut repaired = text.as_bytes().to_vec();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Repairs only replace ASCII bytes with ASCII bytes: still UTF-8.
        let current = String::from_utf8_lossy(&repaired).into_owned();
        match GwParser::parse(Rule::file, &current) {
            Ok(mut pairs) => {
                let mut file = match pairs.next() {
                    Some(file) => lower_file(file, text),
                    None => File { directives: Vec::new(), comments: Vec::new() },
                };
                if current.len() > text.len() {
                    // Blocks were closed after the end of the file: no span
                    // may point there.
                    clamp_directives(&mut file.directives, text.len());
                }
                return Parsed { file, errors };
            }
            Err(error) => {
                let position = match error.location {
                    pest::error::InputLocation::Pos(position) => position,
                    pest::error::InputLocation::Span((start, _)) => start,
                };
                let (mut diagnostic, repair) = syntax_error(text, &current, position, &error);
                // Blocks closed after the end of the file are not in it.
                diagnostic.span = Span::new(diagnostic.span.start.min(text.len()), diagnostic.span.end.min(text.len()));
                // One error per line: a second one on a line already reported
                // is a consequence of the first.
                let line_start = line_start(&current, diagnostic.span.start);
                let seen = errors.iter().any(|earlier| line_start_of_error(text, earlier) == line_start);
                if !seen {
                    errors.push(diagnostic);
                }
                let line_end = current[line_start..].find('\n').map_or(current.len(), |at| line_start + at);
                let progress = repair.apply(&mut repaired) || Repair::Blank(line_start, line_end).apply(&mut repaired);
                if errors.len() >= MAX_SYNTAX_ERRORS || attempts >= MAX_ATTEMPTS || !progress {
                    let cut = line_start.min(repaired.len());
                    // Give up on the rest of the file: keep what came before the error.
                    for byte in &mut repaired[cut..] {
                        if *byte != b'\n' {
                            *byte = b' ';
                        }
                    }
                    if GwParser::parse(Rule::file, &String::from_utf8_lossy(&repaired)).is_err() {
                        return Parsed { file: File { directives: Vec::new(), comments: Vec::new() }, errors };
                    }
                }
            }
        }
    }
}

/// Parse a whole `.gw` file; the first syntax error if it has any.
pub fn parse_file(text: &str) -> Result<File, Diagnostic> {
    let parsed = parse(text);
    match parsed.errors.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(parsed.file),
    }
}

fn lower_file(file: Pair<'_, Rule>, original: &str) -> File {
    let comments = file
        .clone()
        .into_inner()
        .flatten()
        .filter(|pair| pair.as_rule() == Rule::COMMENT)
        .map(|pair| {
            let span = span_of(&pair);
            Comment { text: original.get(span.start..span.end).unwrap_or("").to_string(), span }
        })
        .collect();
    File { directives: lower_directives(file), comments }
}

fn clamp_directives(directives: &mut [Directive], len: usize) {
    let clamp = |span: &mut Span| *span = Span::new(span.start.min(len), span.end.min(len));
    fn clamp_arg(arg: &mut Arg, len: usize) {
        arg.span = Span::new(arg.span.start.min(len), arg.span.end.min(len));
        if let ArgKind::Call { func, args } = &mut arg.kind {
            func.span = Span::new(func.span.start.min(len), func.span.end.min(len));
            args.iter_mut().for_each(|inner| clamp_arg(inner, len));
        }
    }
    for directive in directives {
        clamp(&mut directive.span);
        clamp(&mut directive.name.span);
        directive.args.iter_mut().for_each(|arg| clamp_arg(arg, len));
        if let Some(block) = &mut directive.block {
            clamp(&mut block.span);
            clamp_directives(&mut block.directives, len);
        }
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].rfind('\n').map_or(0, |newline| newline + 1)
}

fn line_start_of_error(text: &str, error: &Diagnostic) -> usize {
    line_start(text, error.span.start)
}

/// How to change the text so that parsing can go on past an error.
enum Repair {
    /// Replace the bytes of this range with spaces (newlines stay).
    Blank(usize, usize),
    /// Put this byte at this offset (in place of a space or newline).
    Put(usize, u8),
    /// Both.
    PutAndBlank(usize, u8, usize, usize),
    /// Close the last open block after the end of the file (no offset moves).
    CloseAtEnd,
}

impl Repair {
    /// Applies the repair; `false` if it changes nothing (no progress).
    fn apply(&self, text: &mut Vec<u8>) -> bool {
        fn blank(text: &mut [u8], start: usize, end: usize) -> bool {
            // Whole characters only, so that the text stays UTF-8 with every
            // offset where it was.
            let continuation = |byte: &u8| byte & 0xC0 == 0x80;
            let mut start = start.min(text.len());
            while start > 0 && text.get(start).is_some_and(continuation) {
                start -= 1;
            }
            let mut end = end.min(text.len());
            while text.get(end).is_some_and(continuation) {
                end += 1;
            }
            let mut changed = false;
            for byte in text.iter_mut().take(end).skip(start) {
                if *byte != b'\n' && *byte != b' ' {
                    *byte = b' ';
                    changed = true;
                }
            }
            changed
        }
        match *self {
            Repair::CloseAtEnd => {
                text.extend_from_slice(b"\n}");
                true
            }
            Repair::Blank(start, end) => blank(text, start, end),
            Repair::Put(at, byte) | Repair::PutAndBlank(at, byte, ..) => {
                let mut changed = false;
                if let Some(slot) = text.get_mut(at)
                    && *slot != byte
                {
                    *slot = byte;
                    changed = true;
                }
                if let Repair::PutAndBlank(_, _, start, end) = *self {
                    changed |= blank(text, start, end);
                }
                changed
            }
        }
    }
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

/// A pest error, said in the words of the language rather than of the
/// grammar, and the repair that lets the parse go on. `original` is the
/// file as written (for messages), `current` the text with earlier repairs.
fn syntax_error(
    original: &str,
    current: &str,
    position: usize,
    error: &pest::error::Error<Rule>,
) -> (Diagnostic, Repair) {
    let line_end = current[position..].find('\n').map_or(current.len(), |at| position + at);
    let rest = &current[position..];
    if rest.starts_with('"') {
        let diagnostic = Diagnostic::new(Span::new(position, position + 1), "syntax error: unterminated string")
            .label("this string is not closed on its line")
            .help("strings end on the line they start; close it with `\"`");
        return (diagnostic, Repair::Blank(position, line_end));
    }
    if rest.starts_with("//") {
        let diagnostic =
            Diagnostic::new(Span::new(position, position + 2), "syntax error: `//` does not start a comment")
                .label("not a comment")
                .help("comments start with `#`");
        return (diagnostic, Repair::Blank(position, line_end));
    }
    if let Some(open) = unclosed_call(current, position, line_end) {
        let name_start = current[..open]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let name = &current[name_start..open];
        {
            let diagnostic =
                Diagnostic::new(Span::new(name_start, line_end), format!("syntax error: `{name}(` is never closed"))
                    .label("missing `)`")
                    .help(format!("close the call on its line: `{name}(...)`"));
            return (diagnostic, Repair::Blank(name_start, line_end));
        }
    }
    if rest.starts_with('}') {
        if let Some((directive_start, open_at)) = block_without_brace(current, position) {
            let head_end = open_at;
            let head = current[directive_start..head_end].trim_end();
            let name = head.split_whitespace().next().unwrap_or("");
            let diagnostic = Diagnostic::new(
                Span::new(directive_start, directive_start + head.len()),
                format!("syntax error: `{name}` has no `{{`"),
            )
            .label("the block of this directive is not opened")
            .help(format!("add `{{` at the end of the line: `{head} {{`"))
            .note(format!("its `}}` is on line {}", current[..position].matches('\n').count() + 1));
            return (diagnostic, Repair::Put(open_at, b'{'));
        }
        let diagnostic = Diagnostic::new(Span::new(position, position + 1), "syntax error: unmatched `}`")
            .label("no block is open here")
            .help("remove it, or open the block it closes with `{` after its directive");
        return (diagnostic, Repair::Blank(position, position + 1));
    }
    if position == current.len()
        && let Some(open) = unclosed_brace(current)
    {
        let diagnostic = Diagnostic::new(Span::new(open, open + 1), "syntax error: block is never closed")
            .label("this `{` has no matching `}`")
            .help("close the block with `}` before the end of the file");
        return (diagnostic, Repair::CloseAtEnd);
    }
    // The text as written, where it has a character at `position` (a
    // repair may have appended to it or blanked it).
    let found = match original.get(position..) {
        Some(rest) if !rest.is_empty() => describe_at(original, position),
        _ => describe_at(current, position),
    };
    let end = position + rest.chars().next().map_or(0, char::len_utf8);
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
    let diagnostic = Diagnostic::new(Span::new(position, end), message).label(format!("unexpected {found}"));
    // Blank the rest of the line, and the block a `{` on it opens.
    let repair = match current[position..line_end].find('{') {
        Some(at) => match matching_brace(current, position + at) {
            Some(close) => Repair::PutAndBlank(close, b' ', position, line_end),
            None => Repair::Blank(position, line_end),
        },
        None => Repair::Blank(position, line_end.max(end)),
    };
    (diagnostic, repair)
}

/// The `(` of a call (`name(`) on the line of `position`, at or before it,
/// that no `)` closes on that line.
fn unclosed_call(text: &str, position: usize, line_end: usize) -> Option<usize> {
    let start = line_start(text, position);
    let upto = position + text.get(position..)?.chars().next().map_or(0, char::len_utf8);
    let open = text[start..upto].rfind('(')? + start;
    let named = text[..open].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    (named && !text[open..line_end].contains(')')).then_some(open)
}

/// For a `}` at `close` that closes no block: the directive that should
/// have opened it, if the lines above read as its block (indented deeper
/// than the `}` up to a line indented as the `}` that does not end in `{`).
/// Its start and the offset of the line's newline (where `{` goes).
fn block_without_brace(text: &str, close: usize) -> Option<(usize, usize)> {
    let close_line = line_start(text, close);
    let close_indent = indent(&text[close_line..]);
    if !text[close_line..close].trim().is_empty() {
        return None;
    }
    let mut end = close_line.checked_sub(1)?;
    let mut saw_body = false;
    loop {
        let start = line_start(text, end);
        let line = &text[start..end];
        let content = strip_comment(line).trim_end();
        if !content.trim().is_empty() {
            let line_indent = indent(line);
            if line_indent > close_indent {
                saw_body = true;
            } else if line_indent == close_indent && saw_body && !content.ends_with('{') && !content.ends_with('}') {
                let first = content.trim_start();
                if first.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    return Some((start + line_indent, start + content.len()));
                }
                return None;
            } else {
                return None;
            }
        }
        end = start.checked_sub(1)?;
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// A line without its comment (a `#` that starts a word, outside strings).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut previous = ' ';
    for (offset, c) in line.char_indices() {
        match c {
            '"' if previous != '\\' => in_string = !in_string,
            '#' if !in_string && (previous == ' ' || previous == '\t') => return &line[..offset],
            _ => {}
        }
        previous = c;
    }
    if line.starts_with('#') { "" } else { line }
}

/// The `}` that closes the `{` at `open`, outside strings and comments.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut previous = ' ';
    for (offset, c) in text[open..].char_indices() {
        match c {
            '\n' => {
                in_string = false;
                in_comment = false;
            }
            _ if in_comment => {}
            '"' if previous != '\\' => in_string = !in_string,
            _ if in_string => {}
            '#' if previous == ' ' || previous == '\t' || previous == '\n' => in_comment = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + offset);
                }
            }
            _ => {}
        }
        previous = c;
    }
    None
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

    #[test]
    fn comments_are_kept_with_their_spans() {
        let text = "# head\nlisten http 0.0.0.0:80 # trailing\nroute / { # open\n  to a # x#y\n}\n";
        let file = parse_file(text).expect("parses");
        let comments: Vec<&str> = file.comments.iter().map(|comment| comment.text.as_str()).collect();
        assert_eq!(comments, ["# head", "# trailing", "# open", "# x#y"]);
        for comment in &file.comments {
            assert_eq!(&text[comment.span.start..comment.span.end], comment.text);
        }
    }

    #[test]
    fn recovery_reports_each_syntax_error_and_keeps_the_rest() {
        let text = "listen http 0.0.0.0:80\n}\nroute /a/\n  to a\n}\nroute /b/ { auth bearer env(X\n  to b }\n// note\nroute /c/ { to c }\n";
        let parsed = parse(text);
        let messages: Vec<&str> = parsed.errors.iter().map(|error| error.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "syntax error: unmatched `}`",
                "syntax error: `route` has no `{`",
                "syntax error: `env(` is never closed",
                "syntax error: `//` does not start a comment",
            ]
        );
        let routes: Vec<(String, usize)> = parsed
            .file
            .directives
            .iter()
            .filter(|directive| directive.name.text == "route")
            .map(|directive| {
                let inner = directive.block.as_ref().map_or(0, |block| block.directives.len());
                (words(directive).join(" "), inner)
            })
            .collect();
        assert_eq!(routes, [("/a/".to_string(), 1), ("/b/".to_string(), 2), ("/c/".to_string(), 1)]);
    }

    #[test]
    fn recovery_never_slices_inside_a_character_or_past_the_end() {
        // Found by the `front_end` fuzzer: a `\r` inside an unclosed call,
        // NUL bytes, and a brace closed past the end of the file.
        let bytes = include_bytes!("../test_data/fuzz/recovery-slice.bin");
        let text = String::from_utf8_lossy(bytes);
        for (end, _) in text.char_indices() {
            let parsed = parse(&text[..end]);
            for error in &parsed.errors {
                assert!(error.span.start <= error.span.end && error.span.end <= end, "{error:?}");
            }
        }
        let unclosed = "route /a/ {\n  to a\n  route /b/ {\n";
        for directive in &parse(unclosed).file.directives {
            assert!(directive.span.end <= unclosed.len(), "{directive:?}");
        }
        for text in
            ["a \u{e9}x(y\n", "a \u{e9}\u{e9}(x\n}", "\u{1f600}}\n\u{e9}{", "r {\n \u{e9}\"\u{e9}\n", "x(\u{e9}\r\n)"]
        {
            let _ = parse(text);
        }
    }
}
