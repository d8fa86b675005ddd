//! `auth bearer env(NAME)... [tokens FILE]...`: one of the tokens in
//! `Authorization: Bearer`; 401 without, 403 with another. Runtime:
//! `gateway_runtime::policy::auth_bearer`.

use quote::quote;

use super::auth::{Secrets, lower_secrets};
use super::{Emit, Site};
use crate::check::Checker;
use crate::check::args::Args;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthBearer {
    pub tokens: Secrets,
    /// Where the directive is, for start-up errors.
    pub location: String,
}

pub(crate) fn lower(ck: &Checker<'_>, args: &mut Args<'_>, location: String) -> Option<AuthBearer> {
    Some(AuthBearer { tokens: lower_secrets(ck, args, "tokens")?, location })
}

impl AuthBearer {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let written = match self.tokens.envs.as_slice() {
            [name] if self.tokens.files.is_empty() => format!("auth bearer env({name})"),
            _ => "auth bearer".to_string(),
        };
        let sources = self.tokens.sources(&written, &self.location);
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::auth_bearer::BearerAuth),
                quote!(::gateway_runtime::policy::auth_bearer::BearerAuth::load(#sources)?),
            )),
            request: site.check(quote!(self.#field.check(session)), quote!()),
            ..Emit::default()
        }
    }
}
