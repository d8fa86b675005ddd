//! Upstreams: their names (collected first, so routes can name upstreams
//! declared below them) and their backends.

use std::collections::HashMap;

use super::args::Args;
use super::{Checker, Once, literal};
use crate::ast::{self, ArgKind, Directive};
use crate::diagnostics::{Diagnostic, Span, did_you_mean};
use crate::ir;
use crate::symbol;

/// Declared upstream names, in declaration order, with the index each gets in the IR.
pub(crate) struct Names {
    declared: Vec<(String, Span)>,
    index: HashMap<String, ir::UpstreamId>,
}

/// Collects every `upstream NAME`, reporting names declared twice. The IR
/// index of an upstream is its position among the first declarations.
///
/// A misspelt `upstream` (`upstrem web { }`) is reported as an unknown
/// directive; its name still counts as declared here, after the real ones,
/// so that routes naming it do not each get a second, misleading error.
pub(crate) fn collect(checker: &Checker<'_>, file: &ast::File) -> Names {
    let mut names = Names { declared: Vec::new(), index: HashMap::new() };
    let misspelt = |directive: &&Directive| {
        directive.name.text != "upstream"
            && did_you_mean(&directive.name.text, symbol::TOP.iter().copied()) == Some("upstream")
    };
    for directive in file.directives.iter().filter(|directive| directive.name.text == "upstream") {
        let Some((name, span)) = declared_name(directive) else { continue };
        if let Some(&first) = names.index.get(name) {
            checker.cx.push(
                Diagnostic::new(span, format!("upstream `{name}` is declared twice"))
                    .label("declared again here")
                    .note(format!("first declared at line {}", checker.line(names.declared[first].1))),
            );
            continue;
        }
        names.add(name, span);
    }
    for directive in file.directives.iter().filter(misspelt) {
        if let Some((name, span)) = declared_name(directive)
            && !names.index.contains_key(name)
        {
            names.add(name, span);
        }
    }
    names
}

/// The valid name an `upstream` directive declares, if it has one.
fn declared_name(directive: &Directive) -> Option<(&str, Span)> {
    let arg = directive.args.first()?;
    let ArgKind::Word(name) = &arg.kind else { return None };
    valid_name(name).ok().map(|_| (name.as_str(), arg.span))
}

impl Names {
    fn add(&mut self, name: &str, span: Span) {
        self.index.insert(name.to_string(), self.declared.len());
        self.declared.push((name.to_string(), span));
    }

    /// The upstream `name` refers to, or a diagnostic suggesting the closest one.
    pub(crate) fn resolve(&self, checker: &Checker<'_>, name: &str, span: Span) -> Option<ir::UpstreamId> {
        if let Some(&index) = self.index.get(name) {
            return Some(index);
        }
        let mut diagnostic = Diagnostic::new(span, format!("unknown upstream `{name}`")).label("not declared");
        if self.declared.is_empty() {
            diagnostic =
                diagnostic.help(format!("no upstream is declared; add `upstream {name} {{ backend IP:PORT }}`"));
        } else {
            let declared: Vec<String> = self
                .declared
                .iter()
                .map(|(declared, span)| format!("`{declared}` (line {})", checker.line(*span)))
                .collect();
            let suggestion = did_you_mean(name, self.declared.iter().map(|(declared, _)| declared.as_str()));
            let help = match suggestion {
                Some(suggestion) => format!("did you mean `{suggestion}`? upstreams declared: {}", declared.join(", ")),
                None => format!("upstreams declared: {}", declared.join(", ")),
            };
            diagnostic = diagnostic.help(help);
        }
        checker.cx.push(diagnostic);
        None
    }

    fn is_first_declaration(&self, name: &str, span: Span) -> bool {
        self.index.get(name).is_some_and(|&index| self.declared[index].1 == span)
    }
}

/// An upstream name: a letter, then letters, digits, `_` or `-`.
fn valid_name(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!("invalid upstream name `{text}`: a letter followed by letters, digits, `_` or `-`"))
    }
}

impl Checker<'_> {
    /// Lowers one `upstream` directive; `None` for the second of two with one
    /// name (already reported by `collect`) or when it has errors.
    pub(super) fn lower_upstream(&self, directive: &Directive, names: &Names) -> Option<ir::Upstream> {
        let mut args = Args::new(self.cx, directive);
        let name = args.parse("an upstream name", valid_name);
        args.finish();
        let block = self.block(directive, "upstream web { backend 127.0.0.1:8080 }");
        let (name, name_span) = name?;
        let block = block?;
        let mut backends: Vec<(ir::Backend, Span)> = Vec::new();
        let mut balance = Once::new();
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            match inner.name.text.as_str() {
                "backend" => {
                    if let Some(backend) = self.lower_backend(&mut args) {
                        if let Some((_, first)) = backends.iter().find(|(other, _)| other.addr == backend.0.addr) {
                            self.cx.push(
                                Diagnostic::new(backend.1, format!("backend `{}` is listed twice", backend.0.addr))
                                    .label("listed again here")
                                    .note(format!("first listed at line {}", self.line(*first)))
                                    .help("give one backend a higher `weight` instead"),
                            );
                        } else {
                            backends.push(backend);
                        }
                    }
                }
                "balance" => {
                    let algorithm = args.keyword("a balancing algorithm", symbol::BALANCE);
                    balance.set(self, inner, algorithm.map(|_| ir::Balance::RoundRobin));
                }
                _ => {
                    self.unknown_directive(inner, "an `upstream` block", symbol::UPSTREAM);
                    continue;
                }
            }
            args.finish();
        }
        if backends.is_empty() && !block.directives.iter().any(|inner| inner.name.text == "backend") {
            self.cx.push(
                Diagnostic::new(directive.head_span(), format!("upstream `{name}` has no backend"))
                    .label("no `backend` in this block")
                    .help("add `backend IP:PORT` inside the block"),
            );
        }
        if !names.is_first_declaration(&name, name_span) {
            return None;
        }
        Some(ir::Upstream {
            name,
            backends: backends.into_iter().map(|(backend, _)| backend).collect(),
            balance: balance.get().unwrap_or(ir::Balance::RoundRobin),
        })
    }

    /// `backend IP:PORT [weight N]`.
    fn lower_backend(&self, args: &mut Args<'_>) -> Option<(ir::Backend, Span)> {
        let addr = args.parse("a backend address (IP:PORT)", literal::socket_addr);
        let mut weight = 1;
        if !args.is_done() {
            args.keyword("`weight`", &["weight"])?;
            let (value, span) = args.text("a weight")?;
            match value.parse::<u64>() {
                Ok(0) => {
                    self.cx.push(
                        Diagnostic::new(span, "weight 0 would never receive traffic")
                            .label("weights start at 1")
                            .help("remove the backend, or give it `weight 1`"),
                    );
                    return None;
                }
                Ok(value @ 1..=1000) => weight = value as usize,
                _ => {
                    self.cx.error(span, format!("invalid weight `{value}`: a whole number from 1 to 1000"));
                    return None;
                }
            }
        }
        let (addr, span) = addr?;
        Some((ir::Backend { addr, weight }, span))
    }
}
