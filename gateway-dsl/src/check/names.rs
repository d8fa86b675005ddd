//! Names a file declares and refers to (upstreams, listeners): each
//! declared once, each reference resolved with a suggestion when it is not.

use std::collections::HashMap;

use super::Checker;
use crate::diagnostics::{Diagnostic, Span, did_you_mean};

/// Declared names of one kind, in declaration order, each with the IR
/// index it stands for.
pub(crate) struct Names {
    /// `upstream` or `listener`, for messages.
    kind: &'static str,
    declared: Vec<(String, Span)>,
    /// By name: the position in `declared`, and the IR index.
    index: HashMap<String, (usize, usize)>,
}

impl Names {
    pub(crate) fn new(kind: &'static str) -> Names {
        Names { kind, declared: Vec::new(), index: HashMap::new() }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// How many names are declared.
    pub(crate) fn len(&self) -> usize {
        self.declared.len()
    }

    /// Declares `name` for IR index `id`; a name declared twice is reported
    /// and keeps its first index.
    pub(crate) fn declare(&mut self, checker: &Checker<'_>, name: &str, span: Span, id: usize) {
        if let Some(&(first, _)) = self.index.get(name) {
            checker.cx.push(
                Diagnostic::new(span, format!("{} `{name}` is declared twice", self.kind))
                    .label("declared again here")
                    .note(format!("first declared at line {}", checker.line(self.declared[first].1))),
            );
            return;
        }
        self.index.insert(name.to_string(), (self.declared.len(), id));
        self.declared.push((name.to_string(), span));
    }

    /// The index `name` refers to, or a diagnostic suggesting the closest
    /// name; `declare` says how to declare one when none is.
    pub(crate) fn resolve(&self, checker: &Checker<'_>, name: &str, span: Span, declare: &str) -> Option<usize> {
        if let Some(&(_, id)) = self.index.get(name) {
            return Some(id);
        }
        let kind = self.kind;
        let mut diagnostic = Diagnostic::new(span, format!("unknown {kind} `{name}`")).label("not declared");
        if self.declared.is_empty() {
            diagnostic = diagnostic.help(format!("no {kind} is declared; {declare}"));
        } else {
            let declared: Vec<String> = self
                .declared
                .iter()
                .map(|(declared, span)| format!("`{declared}` (line {})", checker.line(*span)))
                .collect();
            let suggestion = did_you_mean(name, self.declared.iter().map(|(declared, _)| declared.as_str()));
            let help = match suggestion {
                Some(suggestion) => format!("did you mean `{suggestion}`? {kind}s declared: {}", declared.join(", ")),
                None => format!("{kind}s declared: {}", declared.join(", ")),
            };
            diagnostic = diagnostic.help(help);
        }
        checker.cx.push(diagnostic);
        None
    }

    pub(crate) fn is_first_declaration(&self, name: &str, span: Span) -> bool {
        self.index.get(name).is_some_and(|&(first, _)| self.declared[first].1 == span)
    }
}

/// A name: a letter, then letters, digits, `_` or `-`.
pub(crate) fn valid_name(kind: &str, text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!("invalid {kind} name `{text}`: a letter followed by letters, digits, `_` or `-`"))
    }
}
