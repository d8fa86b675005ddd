//! `auth basic { realm "..."; users FILE; user NAME env(PASSWORD) }`: a
//! user and password (RFC 7617) from htpasswd files or the environment; 401
//! with a `Basic` challenge without, 403 with wrong ones. Runtime:
//! `gateway_runtime::policy::auth_basic`.

use gateway_http::htpasswd;
use quote::quote;

use super::auth::{env_secret, secret_file};
use super::{Emit, Site};
use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::diagnostics::{Diagnostic, Span};
use crate::symbol;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthBasic {
    pub realm: String,
    /// htpasswd files, absolute paths.
    pub files: Vec<String>,
    /// `user NAME env(VAR)`: the name and the variable.
    pub users: Vec<(String, String)>,
    pub location: String,
}

/// The realm when the block names none.
pub const DEFAULT_REALM: &str = "restricted";

pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, location: String) -> Option<AuthBasic> {
    let block = ck.block(directive, "auth basic { users admins.htpasswd }")?;
    let mut basic = AuthBasic { realm: DEFAULT_REALM.to_string(), files: Vec::new(), users: Vec::new(), location };
    let mut ok = true;
    let mut realm_span: Option<Span> = None;
    // Every user, with where it is defined, to find duplicates.
    let mut names: Vec<(String, String)> = Vec::new();
    for inner in &block.directives {
        ck.no_block(inner);
        let mut inner_args = Args::new(ck.cx, inner);
        match inner.name.text.as_str() {
            "realm" => match inner_args.text("a realm, as `\"Admin area\"`") {
                Some((_, span)) if realm_span.is_some() => {
                    ck.cx.error(span, "duplicate `realm`");
                    ok = false;
                }
                Some((realm, span)) if realm.chars().any(char::is_control) => {
                    ck.cx.error(span, "a realm cannot hold control characters");
                    ok = false;
                }
                Some((realm, span)) => {
                    basic.realm = realm.to_string();
                    realm_span = Some(span);
                }
                None => ok = false,
            },
            "users" => match secret_file(ck, &mut inner_args, "htpasswd") {
                Some((path, text, span)) => {
                    match htpasswd::parse(&text) {
                        Ok(entries) if entries.is_empty() => {
                            ck.cx.push(Diagnostic::new(span, "this htpasswd file holds no user").label("empty"));
                            ok = false;
                        }
                        Ok(entries) => {
                            for entry in entries {
                                ok &= unique(
                                    ck,
                                    &mut names,
                                    entry.user,
                                    span,
                                    format!("line {} of this file", entry.line),
                                );
                            }
                        }
                        Err(errors) => {
                            for error in errors {
                                ck.cx.push(
                                    Diagnostic::new(span, format!("line {}: {}", error.line, error.message))
                                        .label("in this htpasswd file"),
                                );
                            }
                            ok = false;
                        }
                    }
                    basic.files.push(path);
                }
                None => ok = false,
            },
            "user" => {
                let name = inner_args.text("a user name");
                let password = inner_args.next("the password, as `env(NAME)`");
                let password = password.and_then(|arg| env_secret(ck, arg, "an htpasswd file (`users FILE`)"));
                match (name, password) {
                    (Some((name, span)), Some(env)) => {
                        if name.is_empty() || name.contains(':') || name.chars().any(char::is_control) {
                            ck.cx.error(span, "a user name cannot be empty or hold `:` or control characters");
                            ok = false;
                        } else {
                            ok &= unique(ck, &mut names, name, span, format!("line {}", ck.line(span)));
                            basic.users.push((name.to_string(), env));
                        }
                    }
                    _ => ok = false,
                }
            }
            _ => {
                ck.unknown_directive(inner, "an `auth basic` block", symbol::AUTH_BASIC);
                ok = false;
                continue;
            }
        }
        inner_args.finish();
    }
    if basic.files.is_empty() && basic.users.is_empty() && ok {
        ck.cx.push(
            Diagnostic::new(directive.head_span(), "`auth basic` without users would let no one in")
                .label("no `users` or `user`")
                .help("add `users FILE` (an htpasswd file made with `htpasswd -B`) or `user NAME env(PASSWORD)`"),
        );
        ok = false;
    }
    ok.then_some(basic)
}

/// Records a user; `false` (with an error) if it is already defined.
fn unique(ck: &Checker<'_>, names: &mut Vec<(String, String)>, name: &str, span: Span, at: String) -> bool {
    if let Some((_, first)) = names.iter().find(|(known, _)| known == name) {
        ck.cx.push(
            Diagnostic::new(span, format!("user `{name}` is defined twice"))
                .label("defined again here")
                .note(format!("first defined at {first}")),
        );
        return false;
    }
    names.push((name.to_string(), at));
    true
}

impl AuthBasic {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let (realm, files, location) = (&self.realm, &self.files, &self.location);
        let users = self.users.iter().map(|(name, env)| quote!((#name, #env)));
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::auth_basic::BasicAuth),
                quote!(::gateway_runtime::policy::auth_basic::BasicAuth::load(
                    ::gateway_runtime::policy::auth_basic::Sources {
                        realm: #realm,
                        files: &[#(#files),*],
                        users: &[#(#users),*],
                        location: #location,
                    }
                )?),
            )),
            // Boxed: the verification waits on the blocking pool, and its
            // future held inline would make every request's future larger.
            request: site.check(quote!(::std::boxed::Box::pin(self.#field.check(session)).await), quote!()),
            ..Emit::default()
        }
    }
}
