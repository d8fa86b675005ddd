//! The syntax tree of a `.gw` file, as written: directives with their
//! arguments and blocks, each carrying the span it came from.
//!
//! The tree knows nothing about what directives mean; `check` gives them
//! their meaning and lowers them into `ir`.

use crate::diagnostics::Span;

/// A parsed `.gw` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub directives: Vec<Directive>,
    /// Every comment, in file order: what `gw fmt` keeps.
    pub comments: Vec<Comment>,
}

/// `# text`, to the end of its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment, from `#` to the last character before the newline.
    pub text: String,
    pub span: Span,
}

/// `name arg arg ... { block }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: Name,
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    /// From the first character of the name to the last of the last argument
    /// (or of the block's closing brace).
    pub span: Span,
}

/// A directive or function name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// `{ directives }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub directives: Vec<Directive>,
    pub span: Span,
}

/// One argument of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgKind {
    /// A bare word: `127.0.0.1:8080`, `30s`, `/api/`, `X-Request-Id`.
    Word(String),
    /// A double-quoted string, with its escapes resolved.
    Str(String),
    /// `func(args)`, e.g. `env(API_TOKEN)`, `ketama(header X-User)`.
    Call { func: Name, args: Vec<Arg> },
}

impl Directive {
    /// The span of the directive without its block: what to underline when the
    /// directive as a whole is wrong.
    pub fn head_span(&self) -> Span {
        match self.args.last() {
            Some(arg) => self.name.span.to(arg.span),
            None => self.name.span,
        }
    }
}

impl Arg {
    /// The text of a word or a string; `None` for a call.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            ArgKind::Word(text) | ArgKind::Str(text) => Some(text),
            ArgKind::Call { .. } => None,
        }
    }

    /// What kind of argument this is, for messages: "word `x`", "string", "call `env(..)`".
    pub fn describe(&self) -> String {
        match &self.kind {
            ArgKind::Word(text) => format!("`{text}`"),
            ArgKind::Str(text) => format!("string \"{text}\""),
            ArgKind::Call { func, .. } => format!("`{}(..)`", func.text),
        }
    }
}
