//! `auth SCHEME ...`: what the schemes share. The scheme picks the policy
//! (`auth_basic`, `auth_bearer`, `auth_api_key`, `auth_jwt`); each reads
//! its secrets when the gateway starts, from the environment (`env(NAME)`)
//! or from files, which are checked when the gateway is built and read
//! again, from the same absolute path, when it starts. A secret is never
//! written in the `.gw` file, so never in the binary.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Policy, auth_api_key, auth_basic, auth_bearer, auth_forward, auth_jwt};
use crate::ast::{Arg, ArgKind, Directive};
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::files;
use crate::diagnostics::{Diagnostic, Span};
use crate::symbol;

/// `auth SCHEME ...`.
pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, args: &mut Args<'_>) -> Option<Policy> {
    let (scheme, _) = args.keyword("an auth scheme", symbol::AUTH_SCHEMES)?;
    let location = ck.source.location(directive.head_span());
    if matches!(scheme, "bearer" | "api_key") {
        ck.no_block(directive);
    }
    match scheme {
        "basic" => auth_basic::lower(ck, directive, location).map(Policy::AuthBasic),
        "bearer" => auth_bearer::lower(ck, args, location).map(Policy::AuthBearer),
        "api_key" => auth_api_key::lower(ck, args, location).map(Policy::AuthApiKey),
        "jwt" => auth_jwt::lower(ck, directive, location).map(Policy::AuthJwt),
        _ => auth_forward::lower(ck, directive, args, location).map(Policy::AuthForward),
    }
}

/// Secrets from the environment and from files (one per line).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Secrets {
    /// Environment variable names.
    pub envs: Vec<String>,
    /// Absolute paths.
    pub files: Vec<String>,
}

impl Secrets {
    /// The runtime's `auth_bearer::Sources` of these secrets.
    pub(crate) fn sources(&self, directive: &str, location: &str) -> TokenStream {
        let (envs, files) = (&self.envs, &self.files);
        quote! {
            ::gateway_runtime::policy::auth_bearer::Sources {
                envs: &[#(#envs),*],
                files: &[#(#files),*],
                directive: #directive,
                location: #location,
            }
        }
    }
}

/// `env(NAME)... [FILE_KEYWORD FILE]...` (at least one): the secrets of
/// `auth bearer` and `auth api_key`.
pub(crate) fn lower_secrets(ck: &Checker<'_>, args: &mut Args<'_>, file_keyword: &'static str) -> Option<Secrets> {
    let mut secrets = Secrets::default();
    let mut ok = true;
    let expected = format!("`env(NAME)` or `{file_keyword} FILE`");
    loop {
        let Some(arg) = args.peek() else {
            args.next(&expected);
            return None;
        };
        if matches!(&arg.kind, ArgKind::Word(word) if word == file_keyword) {
            args.next(file_keyword);
            match secret_file(ck, args, file_keyword) {
                Some((path, text, span)) => {
                    if gateway_http::secrets::lines(&text).next().is_none() {
                        ck.cx.push(
                            Diagnostic::new(span, "this file holds no secret")
                                .label("no line that is not blank or a `#` comment"),
                        );
                        ok = false;
                    }
                    secrets.files.push(path);
                }
                None => ok = false,
            }
        } else {
            args.next(&expected);
            match env_secret(ck, arg, &format!("`{file_keyword} FILE`")) {
                Some(name) => secrets.envs.push(name),
                None => ok = false,
            }
        }
        if args.is_done() {
            break;
        }
    }
    ok.then_some(secrets)
}

/// `env(NAME)`: a secret read from the environment at start-up. A literal
/// is an error: it would be compiled into the binary.
pub(crate) fn env_secret(ck: &Checker<'_>, arg: &Arg, alternative: &str) -> Option<String> {
    let ArgKind::Call { func, args } = &arg.kind else {
        ck.cx.push(
            Diagnostic::new(arg.span, "a secret written in the file would be compiled into the binary")
                .label("secret in the source")
                .help(format!("read it from the environment at start-up, `env(NAME)`, or use {alternative}")),
        );
        return None;
    };
    if !symbol::SECRET_SOURCES.contains(&func.text.as_str()) {
        ck.cx.push(
            Diagnostic::new(func.span, format!("unknown secret source `{}`", func.text))
                .label("expected `env`")
                .help("write `env(NAME)` to read the secret from an environment variable at start-up"),
        );
        return None;
    }
    ck.env_call_name(arg.span, args)
}

/// A file path: resolved against the `.gw` file's directory and read now;
/// the absolute path, the text and the span of the path. `what` names the
/// kind of file (`htpasswd`, `JWK Set`).
pub(crate) fn secret_file(ck: &Checker<'_>, args: &mut Args<'_>, what: &str) -> Option<(String, String, Span)> {
    let (written, span) = args.text(&format!("a {what} file"))?;
    let path = files::resolve(ck.base_dir, written);
    let bytes = files::read(ck, &path, written, span, what)?;
    let Ok(text) = String::from_utf8(bytes) else {
        ck.cx.push(Diagnostic::new(span, format!("`{written}` is not UTF-8 text")).label("cannot read this file"));
        return None;
    };
    let absolute = std::path::absolute(&path).unwrap_or(path);
    Some((absolute.to_string_lossy().into_owned(), text, span))
}
