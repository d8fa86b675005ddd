//! `client_cert required | san VALUE... | subject VALUE...` in a route: the
//! request's connection must carry a verified client certificate (a
//! listener with `client_ca`), with one of the SAN entries or subjects
//! named; 403 otherwise. Runtime: `gateway_runtime::policy::client_cert`.

use quote::quote;

use super::{Emit, Site};
use crate::check::args::Args;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientCert {
    /// Any verified certificate.
    Required,
    /// One of these SAN entries (`URI:spiffe://...`, or the value alone).
    San(Vec<String>),
    /// One of these subjects, as `X-Client-Cert-Subject` gives them.
    Subject(Vec<String>),
}

pub(crate) fn lower(args: &mut Args<'_>) -> Option<ClientCert> {
    let (kind, _) = args.keyword("`required`, `san` or `subject`", &["required", "san", "subject"])?;
    if kind == "required" {
        return Some(ClientCert::Required);
    }
    let mut values = Vec::new();
    loop {
        let (value, _) = args.text(if kind == "san" { "a SAN entry" } else { "a subject" })?;
        values.push(value.to_string());
        if args.is_done() {
            break;
        }
    }
    Some(if kind == "san" { ClientCert::San(values) } else { ClientCert::Subject(values) })
}

impl ClientCert {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let table = site.table();
        let rule = match self {
            ClientCert::Required => quote!(::gateway_runtime::policy::client_cert::Rule::Required),
            ClientCert::San(values) => quote!(::gateway_runtime::policy::client_cert::Rule::San(&[#(#values),*])),
            ClientCert::Subject(values) => {
                quote!(::gateway_runtime::policy::client_cert::Rule::Subject(&[#(#values),*]))
            }
        };
        Emit {
            statics: quote!(static #table: ::gateway_runtime::policy::client_cert::Rule = #rule;),
            request: site.check(quote!(::gateway_runtime::policy::client_cert::check(session, &#table)), quote!()),
            ..Emit::default()
        }
    }
}
