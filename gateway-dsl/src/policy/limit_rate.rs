//! `limit rate N/s|m|h [fixed] per KEY`: over the rate, 429 with
//! `Retry-After` and `RateLimit` fields. Runtime:
//! `gateway_runtime::policy::limit_rate`.

use std::time::Duration;

use proc_macro2::Literal;
use quote::quote;

use super::key::{LimitKey, lower_per};
use super::{Emit, Site};
use crate::ast::ArgKind;
use crate::check::Checker;
use crate::check::args::Args;
use crate::check::literal;

#[derive(Debug, Clone, PartialEq)]
pub struct LimitRate {
    /// Requests allowed per window and key.
    pub count: u64,
    pub window: Duration,
    /// A sliding-window estimate (the default), or fixed windows (`fixed`).
    pub sliding: bool,
    pub key: LimitKey,
}

pub(crate) fn lower(_ck: &Checker<'_>, args: &mut Args<'_>) -> Option<LimitRate> {
    let rate = args.parse("a rate such as `100/s`", literal::rate);
    let fixed = args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(word) if word == "fixed"));
    if fixed {
        args.next("`fixed`");
    }
    let key = lower_per(args);
    let (rate, _) = rate?;
    Some(LimitRate { count: rate.count, window: rate.window, sliding: !fixed, key: key? })
}

impl LimitRate {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let count = Literal::u64_unsuffixed(self.count);
        let window = crate::codegen::duration(self.window);
        let sliding = self.sliding;
        let name = self.key.name();
        let spec = self.key.spec();
        let refuse = site.refuse();
        Emit {
            field: Some((
                quote!(::gateway_runtime::policy::limit_rate::RateLimiter),
                quote!(::gateway_runtime::policy::limit_rate::RateLimiter::new(#count, #window, #sliding, #name)),
            )),
            request: quote! {
                if let ::core::result::Result::Err(refusal) = self.#field.check_request(session, #spec, route as usize, ctx.client_ip) {
                    #refuse;
                }
            },
            ..Emit::default()
        }
    }
}
