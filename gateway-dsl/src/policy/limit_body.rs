//! `limit body SIZE`: request bodies of at most SIZE bytes, 413 otherwise,
//! before anything is sent upstream when the length is declared. Runtime:
//! `gateway_runtime::policy::limit_body`.

use proc_macro2::Literal;
use quote::quote;

use super::{Emit, Site};
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::literal;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq)]
pub struct LimitBody {
    /// Bytes.
    pub max: u64,
}

pub(crate) fn lower(ck: &Checker<'_>, args: &mut Args<'_>) -> Option<LimitBody> {
    let (max, span) = args.parse("a size such as `1MiB`", literal::size)?;
    if max == 0 {
        ck.cx.push(
            Diagnostic::new(span, "`limit body 0B` would refuse every request with a body")
                .label("no body allowed")
                .help("to refuse bodies, limit the route's `methods` to ones without a body"),
        );
        return None;
    }
    Some(LimitBody { max })
}

impl LimitBody {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let max = Literal::u64_unsuffixed(self.max);
        let module = quote!(::gateway_runtime::policy::limit_body);
        Emit {
            request: site.check(quote!(#module::check_length(session.req_header(), #max)), quote!()),
            request_body: quote!(#module::count(&mut ctx.body_bytes, body, #max)?;),
            ..Emit::default()
        }
    }
}
