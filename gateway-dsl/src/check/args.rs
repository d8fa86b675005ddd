//! Reading a directive's arguments in order, with a diagnostic for each one
//! that is missing, extra or of the wrong kind.

use crate::ast::{Arg, ArgKind, Directive};
use crate::diagnostics::{Ctxt, Diagnostic, Span, did_you_mean};

/// A cursor over the arguments of one directive.
pub(crate) struct Args<'a> {
    cx: &'a Ctxt,
    directive: &'a Directive,
    next: usize,
    /// Set once an argument was reported: the arguments after it are not
    /// reported again as unexpected.
    failed: bool,
}

impl<'a> Args<'a> {
    pub(crate) fn new(cx: &'a Ctxt, directive: &'a Directive) -> Args<'a> {
        Args { cx, directive, next: 0, failed: false }
    }

    /// Where diagnostics go.
    pub(crate) fn cx(&self) -> &'a Ctxt {
        self.cx
    }

    pub(crate) fn peek(&self) -> Option<&'a Arg> {
        self.directive.args.get(self.next)
    }

    pub(crate) fn is_done(&self) -> bool {
        self.next >= self.directive.args.len()
    }

    /// How many arguments are left.
    pub(crate) fn remaining(&self) -> usize {
        self.directive.args.len().saturating_sub(self.next)
    }

    /// The next argument; if there is none, says that `expected` is missing.
    pub(crate) fn next(&mut self, expected: &str) -> Option<&'a Arg> {
        let arg = self.directive.args.get(self.next);
        match arg {
            Some(_) => self.next += 1,
            None => {
                self.failed = true;
                let end = self.directive.head_span().end;
                self.cx.push(
                    Diagnostic::new(Span::new(end, end), format!("`{}` needs {expected}", self.directive.name.text))
                        .label(format!("expected {expected} here")),
                );
            }
        }
        arg
    }

    /// The next argument as text (a word or a string).
    pub(crate) fn text(&mut self, expected: &str) -> Option<(&'a str, Span)> {
        let arg = self.next(expected)?;
        match &arg.kind {
            ArgKind::Word(text) | ArgKind::Str(text) => Some((text, arg.span)),
            ArgKind::Call { .. } => {
                self.failed = true;
                self.cx.push(
                    Diagnostic::new(arg.span, format!("expected {expected}, found {}", arg.describe()))
                        .label("not allowed here"),
                );
                None
            }
        }
    }

    /// The next argument, parsed by `parse`; its error message becomes the diagnostic.
    pub(crate) fn parse<T>(
        &mut self,
        expected: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<(T, Span)> {
        let (text, span) = self.text(expected)?;
        match parse(text) {
            Ok(value) => Some((value, span)),
            Err(message) => {
                self.failed = true;
                self.cx.error(span, message);
                None
            }
        }
    }

    /// The next argument, which must be one of `keywords`.
    pub(crate) fn keyword(&mut self, expected: &str, keywords: &[&'static str]) -> Option<(&'static str, Span)> {
        let (text, span) = self.text(expected)?;
        if let Some(keyword) = keywords.iter().find(|keyword| **keyword == text) {
            return Some((keyword, span));
        }
        let mut diagnostic = Diagnostic::new(span, format!("expected {expected}, found `{text}`"))
            .label(format!("expected one of {}", list(keywords)));
        if let Some(suggestion) = did_you_mean(text, keywords.iter().copied()) {
            diagnostic = diagnostic.help(format!("did you mean `{suggestion}`?"));
        }
        self.failed = true;
        self.cx.push(diagnostic);
        None
    }

    /// Notes that the caller reported an error about an argument: the
    /// arguments after it are not reported as unexpected.
    pub(crate) fn reported(&mut self) {
        self.failed = true;
    }

    /// Reports every argument not read yet, unless an earlier one was wrong.
    pub(crate) fn finish(self) {
        if self.failed {
            return;
        }
        let rest = &self.directive.args[self.next.min(self.directive.args.len())..];
        if let (Some(first), Some(last)) = (rest.first(), rest.last()) {
            let name = &self.directive.name.text;
            if first.text().is_some_and(|text| text.starts_with("//")) {
                self.cx.push(
                    Diagnostic::new(first.span.to(last.span), "`//` does not start a comment")
                        .label("read as arguments")
                        .help(format!("comments start with `#`: `{name} ... # comment`")),
                );
                return;
            }
            if let ArgKind::Word(word) = &first.kind
                && crate::symbol::is_directive(word)
            {
                self.cx.push(
                    Diagnostic::new(first.span, format!("missing `;` before `{word}`"))
                        .label(format!("`{word}` is read as an argument of `{name}`"))
                        .help(format!("two directives on one line need `;` between them: `{name} ...; {word} ...`")),
                );
                return;
            }
            let what = if rest.len() == 1 { "argument" } else { "arguments" };
            self.cx.push(
                Diagnostic::new(
                    first.span.to(last.span),
                    format!("unexpected {what} to `{}`", self.directive.name.text),
                )
                .label(format!("`{}` takes no further arguments", self.directive.name.text))
                .help("directives end at the end of the line; put two on one line with `;` between them"),
            );
        }
    }
}

/// `` `a`, `b` or `c` ``.
pub(crate) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
