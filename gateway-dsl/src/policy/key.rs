//! `per KEY` of `limit rate` and `limit concurrency`: what a budget is
//! counted per. Runtime: `gateway_runtime::policy::key`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::check::args::Args;
use crate::check::literal;
use crate::symbol;

/// What a limit counts per.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitKey {
    ClientIp,
    /// A header name, lower case.
    Header(String),
    Cookie(String),
    Query(String),
    Path,
    /// One budget for the route (for a server-wide limit: one per route).
    Route,
    /// A claim of the route's verified JWT (`auth jwt`).
    Claim(String),
}

impl LimitKey {
    /// The `KeySpec` the runtime reads the key with.
    pub(crate) fn spec(&self) -> TokenStream {
        let spec = quote!(::gateway_runtime::policy::key::KeySpec);
        match self {
            LimitKey::ClientIp => quote!(#spec::ClientIp),
            LimitKey::Header(name) => quote!(#spec::Header(#name)),
            LimitKey::Cookie(name) => quote!(#spec::Cookie(#name)),
            LimitKey::Query(name) => quote!(#spec::Query(#name)),
            LimitKey::Path => quote!(#spec::Path),
            LimitKey::Route => quote!(#spec::Route),
            LimitKey::Claim(name) => quote!(#spec::Claim(#name)),
        }
    }

    /// How the key is named in `RateLimit-Policy`.
    pub(crate) fn name(&self) -> String {
        match self {
            LimitKey::ClientIp => "client_ip".to_string(),
            LimitKey::Header(name) => format!("header-{name}"),
            LimitKey::Cookie(name) => format!("cookie-{name}"),
            LimitKey::Query(name) => format!("query-{name}"),
            LimitKey::Path => "path".to_string(),
            LimitKey::Route => "route".to_string(),
            LimitKey::Claim(name) => format!("claim-{name}"),
        }
    }
}

/// The facts a key is read from (`gateway_runtime::policy::key::Facts`).
pub(crate) fn facts(claims: &TokenStream) -> TokenStream {
    quote!(::gateway_runtime::policy::key::Facts { route: route as usize, client: ctx.client_ip, claims: #claims })
}

/// `per KEY`, where the arguments are at `per`.
pub(crate) fn lower_per(args: &mut Args<'_>) -> Option<LimitKey> {
    args.keyword("`per`", &["per"])?;
    let (kind, _) = args.keyword("what to count per", symbol::LIMIT_KEYS)?;
    Some(match kind {
        "client_ip" => LimitKey::ClientIp,
        "path" => LimitKey::Path,
        "route" => LimitKey::Route,
        "header" => {
            LimitKey::Header(args.parse("a header name", literal::header_name_to_match)?.0.to_ascii_lowercase())
        }
        "cookie" => LimitKey::Cookie(args.parse("a cookie name", literal::cookie_name)?.0),
        "claim" => LimitKey::Claim(args.text("a claim name, as `sub`")?.0.to_string()),
        _ => LimitKey::Query(args.parse("a query parameter name", literal::query_name)?.0),
    })
}
