//! Diagnostics: what a check found wrong, where, and how to say it the way
//! rustc does.

use std::cell::RefCell;
use std::fmt::Write as _;

/// A byte range in a `.gw` source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// One error found in a `.gw` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    /// Text printed after the carets.
    pub label: Option<String>,
    /// `= help: ...` and `= note: ...` lines.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    Help(String),
    Note(String),
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { span, message: message.into(), label: None, notes: Vec::new() }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.notes.push(Note::Help(help.into()));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(Note::Note(note.into()));
        self
    }

    /// Render the diagnostic rustc-style. The first line is the message
    /// (without an `error: ` prefix, which rustc adds to `compile_error!`).
    pub fn render(&self, source: &SourceFile) -> String {
        let (line_no, col) = source.line_col(self.span.start);
        let line_text = source.line_text(line_no);
        let gutter = line_no.to_string().len();
        let pad = " ".repeat(gutter);

        // Tabs are shown as four spaces; carets follow the shown text.
        let line_start = source.line_start(line_no);
        let shown_before: usize = source.text[line_start..self.span.start.max(line_start)]
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let span_end_on_line = self.span.end.min(line_start + line_text.len()).max(self.span.start);
        let caret_count = source.text[self.span.start..span_end_on_line]
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum::<usize>()
            .max(1);

        let mut out = String::new();
        let _ = writeln!(out, "{}", self.message);
        let _ = writeln!(out, "{pad}--> {}:{}:{}", source.display_path, line_no, col);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line_no} | {}", line_text.replace('\t', "    ").trim_end());
        let label = self.label.as_deref().map(|l| format!(" {l}")).unwrap_or_default();
        let _ = writeln!(out, "{pad} | {}{}{label}", " ".repeat(shown_before), "^".repeat(caret_count));
        if !self.notes.is_empty() {
            let _ = writeln!(out, "{pad} |");
            for note in &self.notes {
                match note {
                    Note::Help(text) => {
                        let _ = writeln!(out, "{pad} = help: {text}");
                    }
                    Note::Note(text) => {
                        let _ = writeln!(out, "{pad} = note: {text}");
                    }
                }
            }
        }
        out
    }
}

/// Render every diagnostic, each preceded by `error: ` as rustc prints it.
pub fn render_all(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    diagnostics.iter().map(|diagnostic| format!("error: {}", diagnostic.render(source))).collect::<Vec<_>>().join("\n")
}

/// A `.gw` source text and the path to show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub display_path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(display_path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect();
        SourceFile { display_path: display_path.into(), text, line_starts }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let line_start = self.line_starts[line_index];
        let col = self.text[line_start..offset].chars().count() + 1;
        (line_index + 1, col)
    }

    /// `path:line:col` of a byte offset, for messages printed at run time.
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.start);
        format!("{}:{line}:{col}", self.display_path)
    }

    fn line_start(&self, line_no: usize) -> usize {
        self.line_starts[line_no - 1]
    }

    fn line_text(&self, line_no: usize) -> &str {
        let start = self.line_start(line_no);
        let end = self.line_starts.get(line_no).map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

/// Collects diagnostics while a pass keeps going, so that the user sees every
/// mistake in a file at once rather than one per build.
///
/// Checks push into it and return `Option`s; nothing in a check returns early
/// on a user error unless it cannot go on without the value.
#[derive(Debug, Default)]
pub struct Ctxt {
    diagnostics: RefCell<Vec<Diagnostic>>,
}

impl Ctxt {
    pub fn new() -> Ctxt {
        Ctxt::default()
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        self.diagnostics.borrow_mut().push(diagnostic);
    }

    /// Shorthand for `push(Diagnostic::new(span, message))`.
    pub fn error(&self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(span, message));
    }

    pub fn has_errors(&self) -> bool {
        !self.diagnostics.borrow().is_empty()
    }

    /// How many diagnostics were reported so far: compared before and after
    /// a part of the file is checked, whether that part had errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.borrow().len()
    }

    /// Every diagnostic, in source order.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.into_inner();
        diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
        diagnostics
    }
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names_only() {
        assert_eq!(did_you_mean("wbe", ["web", "api"]), Some("web"));
        assert_eq!(did_you_mean("upstrem", ["upstream", "route"]), Some("upstream"));
        assert_eq!(did_you_mean("zzz", ["web", "api"]), None);
    }

    #[test]
    fn line_and_column_are_one_based_characters() {
        let source = SourceFile::new("x.gw", "a\nbé c\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(2), (2, 1));
        // `c` is after a two-byte character.
        assert_eq!(source.line_col(6), (2, 4));
    }
}
