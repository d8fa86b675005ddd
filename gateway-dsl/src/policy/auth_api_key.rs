//! `auth api_key header NAME | query NAME, env(NAME)... [keys FILE]...`:
//! one of the keys in a header or query parameter; 401 without, 403 with
//! another. Runtime: `gateway_runtime::policy::auth_api_key`.

use quote::quote;

use super::auth::{Secrets, lower_secrets};
use super::{Emit, Site};
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::literal;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthApiKey {
    pub carrier: ApiKeyCarrier,
    pub keys: Secrets,
    pub location: String,
}

/// Where the key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiKeyCarrier {
    /// Lower case.
    Header(String),
    Query(String),
}

pub(crate) fn lower(ck: &Checker<'_>, args: &mut Args<'_>, location: String) -> Option<AuthApiKey> {
    let (kind, _) = args.keyword("`header` or `query`", &["header", "query"])?;
    let carrier = if kind == "header" {
        ApiKeyCarrier::Header(args.parse("a header name", literal::header_name_to_match)?.0.to_ascii_lowercase())
    } else {
        ApiKeyCarrier::Query(args.parse("a query parameter name", literal::query_name)?.0)
    };
    Some(AuthApiKey { carrier, keys: lower_secrets(ck, args, "keys")?, location })
}

impl AuthApiKey {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let carrier = match &self.carrier {
            ApiKeyCarrier::Header(name) => quote!(::gateway_runtime::policy::auth_api_key::Carrier::Header(#name)),
            ApiKeyCarrier::Query(name) => quote!(::gateway_runtime::policy::auth_api_key::Carrier::Query(#name)),
        };
        let sources = self.keys.sources("auth api_key", &self.location);
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::auth_api_key::ApiKeyAuth),
                quote!(::gateway_runtime::policy::auth_api_key::ApiKeyAuth::load(#carrier, #sources)?),
            )),
            request: site.check(quote!(self.#field.check(session)), quote!()),
            ..Emit::default()
        }
    }
}
