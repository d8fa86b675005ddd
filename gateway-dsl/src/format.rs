//! `gw fmt`: one canonical layout for `.gw` files.
//!
//! - one directive per line (`a; b` becomes two lines, `\` continuations
//!   are joined), its name and arguments separated by one space;
//! - blocks open on their directive's line and close on a line of their
//!   own, indented by two spaces per level; an empty block is `{}`;
//! - arguments are kept as written (a string keeps its escapes), a call is
//!   written `name(arg arg)`;
//! - every comment is kept: a comment on a line of its own stays on a line
//!   of its own before what followed it, at that level; a comment after
//!   code stays after that code, and the trailing comments of consecutive
//!   lines of one block level are aligned;
//! - a blank line between two directives (or comments) is kept, several
//!   become one; none follows `{` or precedes `}`; the file ends with one
//!   newline.
//!
//! Formatting works on the tree the parser builds, so it never changes what
//! a file means; a file with syntax errors is not formatted.

use crate::ast::{Arg, ArgKind, Comment, Directive, File};
use crate::diagnostics::Diagnostic;
use crate::parse;

/// Indentation per block level.
const INDENT: &str = "  ";
/// Spaces at least between code and a trailing comment.
const COMMENT_GAP: usize = 2;

/// The canonical layout of `text`, or its syntax errors.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse::parse(text);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    Ok(format_file(&parsed.file, text))
}

/// One line of output.
struct Line {
    depth: usize,
    code: String,
    comment: Option<String>,
    blank_before: bool,
}

struct Formatter<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    lines: Vec<Line>,
    /// Where the last thing written ends in the source.
    last_end: usize,
    /// Whether the last line written opened a block.
    after_open: bool,
}

/// Formats a parsed file; `text` is the source it was parsed from.
pub fn format_file(file: &File, text: &str) -> String {
    let mut formatter =
        Formatter { text, comments: &file.comments, next_comment: 0, lines: Vec::new(), last_end: 0, after_open: true };
    formatter.directives(&file.directives, 0);
    formatter.comments_before(text.len() + 1, 0);
    formatter.render()
}

impl Formatter<'_> {
    fn directives(&mut self, directives: &[Directive], depth: usize) {
        for directive in directives {
            self.comments_before(directive.span.start, depth);
            let mut code = directive.name.text.clone();
            let mut previous_end = directive.name.span.end;
            for arg in &directive.args {
                // Parts written together stay together (`strip-prefix` is a
                // name and a word: apart they would read differently to people).
                if arg.span.start != previous_end {
                    code.push(' ');
                }
                code.push_str(&self.arg(arg));
                previous_end = arg.span.end;
            }
            let blank_before = self.blank_before(directive.span.start);
            match &directive.block {
                None => {
                    self.push(Line { depth, code, comment: None, blank_before });
                    self.last_end = directive.span.end;
                }
                Some(block) => {
                    let close = block.span.end.saturating_sub(1);
                    let inner_comments =
                        self.comments[self.next_comment..].iter().any(|comment| comment.span.start < close);
                    if block.directives.is_empty() && !inner_comments {
                        code.push_str(" {}");
                        self.push(Line { depth, code, comment: None, blank_before });
                        self.last_end = block.span.end;
                        continue;
                    }
                    code.push_str(" {");
                    self.push(Line { depth, code, comment: None, blank_before });
                    self.last_end = block.span.start + 1;
                    self.after_open = true;
                    self.directives(&block.directives, depth + 1);
                    self.comments_before(close, depth + 1);
                    self.push(Line { depth, code: "}".to_string(), comment: None, blank_before: false });
                    self.last_end = block.span.end;
                }
            }
        }
    }

    /// Writes the comments that start before `offset`: trailing ones after
    /// the line they follow, the others on lines of their own at `depth`.
    fn comments_before(&mut self, offset: usize, depth: usize) {
        while let Some(comment) = self.comments.get(self.next_comment).filter(|comment| comment.span.start < offset) {
            self.next_comment += 1;
            let line_start = self.text[..comment.span.start].rfind('\n').map_or(0, |newline| newline + 1);
            let trailing = !self.text[line_start..comment.span.start].trim().is_empty();
            match self.lines.last_mut() {
                Some(last) if trailing && last.comment.is_none() => last.comment = Some(comment.text.clone()),
                _ => {
                    let blank_before = self.blank_before(comment.span.start);
                    self.push(Line { depth, code: String::new(), comment: Some(comment.text.clone()), blank_before });
                }
            }
            self.last_end = comment.span.end;
        }
    }

    /// Whether the source has an empty line between what was written last and `offset`.
    fn blank_before(&self, offset: usize) -> bool {
        if self.after_open || self.lines.is_empty() {
            return false;
        }
        let gap = self.text.get(self.last_end..offset).unwrap_or("");
        gap.matches('\n').count() >= 2
    }

    fn push(&mut self, line: Line) {
        self.after_open = false;
        self.lines.push(line);
    }

    fn arg(&self, arg: &Arg) -> String {
        match &arg.kind {
            ArgKind::Word(_) | ArgKind::Str(_) => self.text[arg.span.start..arg.span.end].to_string(),
            ArgKind::Call { func, args } => {
                let inner: Vec<String> = args.iter().map(|arg| self.arg(arg)).collect();
                format!("{}({})", func.text, inner.join(" "))
            }
        }
    }

    fn render(&self) -> String {
        let width = |line: &Line| INDENT.len() * line.depth + line.code.chars().count();
        let mut columns = vec![0; self.lines.len()];
        // Trailing comments of consecutive lines are aligned.
        let mut start = 0;
        while start < self.lines.len() {
            let trailing = |line: &Line| line.comment.is_some() && !line.code.is_empty();
            if !trailing(&self.lines[start]) {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < self.lines.len()
                && trailing(&self.lines[end])
                && !self.lines[end].blank_before
                && self.lines[end].depth == self.lines[start].depth
            {
                end += 1;
            }
            let column = self.lines[start..end].iter().map(width).max().unwrap_or(0) + COMMENT_GAP;
            columns[start..end].iter_mut().for_each(|slot| *slot = column);
            start = end;
        }
        let mut out = String::new();
        for (line, column) in self.lines.iter().zip(columns) {
            if line.blank_before {
                out.push('\n');
            }
            for _ in 0..line.depth {
                out.push_str(INDENT);
            }
            out.push_str(&line.code);
            if let Some(comment) = &line.comment {
                if !line.code.is_empty() {
                    let pad = column.saturating_sub(width(line));
                    out.extend(std::iter::repeat_n(' ', pad));
                }
                out.push_str(comment.trim_end());
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).unwrap_or_else(|errors| panic!("{errors:?}"))
    }

    #[test]
    fn one_directive_per_line_blocks_indented_comments_kept() {
        let text = "# head\n\n\nlisten http 0.0.0.0:80   # the listener\nupstream a { backend 127.0.0.1:1 ; balance   ketama( header  X-U ) }\n\
                    route /x/ { # open\n      to a\n\n\n   # own line\n   respond 200 \"a \\\"b\\\"\" # t\n  } # closed\nroute /e/ {}\nroute /f/ {\n}\n";
        let expected = "# head\n\nlisten http 0.0.0.0:80  # the listener\nupstream a {\n  backend 127.0.0.1:1\n  balance ketama(header X-U)\n}\n\
                        route /x/ {  # open\n  to a\n\n  # own line\n  respond 200 \"a \\\"b\\\"\"  # t\n}  # closed\nroute /e/ {}\nroute /f/ {}\n";
        assert_eq!(fmt(text), expected);
        assert_eq!(fmt(expected), expected, "formatting is idempotent");
    }

    #[test]
    fn consecutive_trailing_comments_are_aligned() {
        let text = "server {\n  threads 2 # a\n  grace_period 5s # b\n\n  cache_size 1 # c\n}\n";
        let expected = "server {\n  threads 2        # a\n  grace_period 5s  # b\n\n  cache_size 1  # c\n}\n";
        assert_eq!(fmt(text), expected);
    }

    #[test]
    fn continuations_are_joined_and_syntax_errors_refused() {
        assert_eq!(fmt("route / \\\n  { to a }\n"), "route / {\n  to a\n}\n");
        assert!(format("route / {\n").is_err());
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("# only\n"), "# only\n");
    }
}
