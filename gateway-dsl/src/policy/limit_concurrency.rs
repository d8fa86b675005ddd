//! `limit concurrency N [per KEY] [status S] [shared [on_store_error
//! allow|deny|local]]`: at most N requests of a key in flight; past that,
//! 429 or the status named. Runtime:
//! `gateway_runtime::policy::limit_concurrency`.

use proc_macro2::Literal;
use quote::quote;

use super::key::{LimitKey, lower_per};
use super::{Emit, Site};
use crate::ast::ArgKind;
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::literal;

#[derive(Debug, Clone, PartialEq)]
pub struct LimitConcurrency {
    pub max: u64,
    /// `Route` when no `per` is written: one budget for the route.
    pub key: LimitKey,
    pub status: u16,
    /// `shared`: slots leased in the server's `store`, across instances.
    pub shared: Option<super::store::Shared>,
}

pub(crate) fn lower(_ck: &Checker<'_>, args: &mut Args<'_>) -> Option<LimitConcurrency> {
    let max = args.parse("a number of requests", |text| literal::count(text, 1 << 31));
    let next_is = |args: &Args<'_>, word: &str| {
        args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(text) if text == word))
    };
    let key = if next_is(args, "per") { lower_per(args) } else { Some(LimitKey::Route) };
    let status = if next_is(args, "status") {
        args.next("`status`");
        args.parse("a status (400 to 599)", literal::error_status).map(|(status, _)| status)
    } else {
        Some(429)
    };
    let shared = super::store::lower_shared(args);
    Some(LimitConcurrency { max: max?.0, key: key?, status: status?, shared: shared? })
}

impl LimitConcurrency {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let (max, status) = (Literal::u64_unsuffixed(self.max), self.status);
        let spec = self.key.spec();
        let facts = super::key::facts(&site.claims);
        let slot = Literal::usize_unsuffixed(site.slot);
        let limiter = quote!(::gateway_runtime::policy::limit_concurrency::ConcurrencyLimiter);
        if let Some(shared) = &self.shared {
            // As `limit rate ... shared`: `store` is made first, the
            // check's future is boxed.
            let scope = &shared.scope;
            let on_error = shared.on_error_tokens();
            let shared_limiter = quote!(::gateway_runtime::policy::limit_concurrency::SharedConcurrencyLimiter);
            return Emit {
                field: Some((
                    shared_limiter.clone(),
                    quote!(#shared_limiter::new(store.clone(), #scope, #on_error, #limiter::new(#max, #status))),
                )),
                request: site.check(
                    quote!(::std::boxed::Box::pin(self.#field.acquire_request(session, #spec, #facts)).await),
                    quote!(ctx.inflight[#slot] = value;),
                ),
                ..Emit::default()
            };
        }
        Emit {
            field: Some((quote!(#limiter), quote!(#limiter::new(#max, #status)))),
            request: site.check(
                quote!(self.#field.acquire_request(session, #spec, #facts)),
                quote!(ctx.inflight[#slot] = value;),
            ),
            ..Emit::default()
        }
    }
}
