//! `allow ADDR...` / `deny ADDR...` (and `all`): the consecutive rules of a
//! route, or of `server { }`, form one list, applied in order; the first
//! rule whose range holds the client decides, 403 for `deny`. Runtime:
//! `gateway_runtime::policy::access`.

use gateway_http::cidr::Cidr;
use quote::quote;

use super::{Emit, Site};
use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::diagnostics::{Diagnostic, Span};

/// One list of rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub rules: Vec<AccessRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessRule {
    pub cidr: Cidr,
    pub allow: bool,
}

/// The rules of one `allow` or `deny` directive, with their spans.
pub(crate) fn lower_rules(directive: &Directive, args: &mut Args<'_>) -> Vec<(AccessRule, Span)> {
    let allow = directive.name.text == "allow";
    let mut rules = Vec::new();
    loop {
        if let Some((cidr, span)) = args.parse("an address range (`10.0.0.0/8`, `2001:db8::/32`) or `all`", Cidr::parse)
        {
            rules.push((AccessRule { cidr, allow }, span));
        }
        if args.is_done() {
            break;
        }
    }
    rules
}

/// The list of a block's rules: every rule must be able to match (none is
/// covered by an earlier one), and a list must deny someone.
pub(crate) fn finish(ck: &Checker<'_>, rules: Vec<(AccessRule, Span)>) -> Option<Access> {
    if rules.is_empty() {
        return None;
    }
    let mut ok = true;
    for (index, (rule, span)) in rules.iter().enumerate() {
        let Some((earlier, earlier_span)) = rules[..index].iter().find(|(earlier, _)| earlier.cidr.covers(&rule.cidr))
        else {
            continue;
        };
        ok = false;
        let (word, earlier_word) = (verb(rule), verb(earlier));
        let help = if earlier.allow == rule.allow {
            let does = if earlier.allow { "allows" } else { "denies" };
            format!("remove it: `{earlier_word} {}` already {does} these addresses", earlier.cidr)
        } else {
            format!(
                "put it before `{earlier_word} {}`: rules apply in order and the first that matches decides",
                earlier.cidr
            )
        };
        ck.cx.push(
            Diagnostic::new(*span, format!("`{word} {}` can never match", rule.cidr))
                .label("covered by an earlier rule")
                .note(format!(
                    "`{earlier_word} {}` at line {} matches every address it does",
                    earlier.cidr,
                    ck.line(*earlier_span)
                ))
                .help(help),
        );
    }
    if ok && rules.iter().all(|(rule, _)| rule.allow) {
        let (first, last) = (rules[0].1, rules[rules.len() - 1].1);
        ck.cx.push(
            Diagnostic::new(first.to(last), "these rules allow every address")
                .label("only `allow`")
                .note("a client no rule matches is let through")
                .help("add `deny all` after the `allow` rules to refuse everyone else"),
        );
        ok = false;
    }
    ok.then(|| Access { rules: rules.into_iter().map(|(rule, _)| rule).collect() })
}

fn verb(rule: &AccessRule) -> &'static str {
    if rule.allow { "allow" } else { "deny" }
}

impl Access {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let table = site.table();
        let count = self.rules.len();
        let rules = self.rules.iter().map(|rule| {
            let allow = rule.allow;
            let cidr = crate::codegen::cidr(rule.cidr);
            quote!(::gateway_runtime::policy::access::Rule { cidr: #cidr, allow: #allow })
        });
        Emit {
            statics: quote!(static #table: [::gateway_runtime::policy::access::Rule; #count] = [#(#rules),*];),
            request: site.check(quote!(::gateway_runtime::policy::access::check(&#table, ctx.client_ip)), quote!()),
            ..Emit::default()
        }
    }
}
