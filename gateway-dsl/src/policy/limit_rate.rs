//! `limit rate N/s|m|h [fixed | burst B] per KEY [shared [on_store_error
//! allow|deny|local]]`: over the rate, 429 with
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
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq)]
pub struct LimitRate {
    /// Requests allowed per window and key.
    pub count: u64,
    pub window: Duration,
    /// A sliding-window estimate (the default), or fixed windows (`fixed`).
    pub sliding: bool,
    /// `burst B`: a token bucket of B requests instead of windows.
    pub burst: Option<u64>,
    pub key: LimitKey,
    /// `shared`: counted in the server's `store`, across instances.
    pub shared: Option<super::store::Shared>,
}

pub(crate) fn lower(ck: &Checker<'_>, args: &mut Args<'_>) -> Option<LimitRate> {
    let rate = args.parse("a rate such as `100/s`", literal::rate);
    let word = |args: &Args<'_>, expected: &str| {
        args.peek().is_some_and(|arg| matches!(&arg.kind, ArgKind::Word(word) if word == expected))
    };
    let fixed = word(args, "fixed");
    if fixed {
        args.next("`fixed`");
    }
    let mut burst = None;
    let mut ok = true;
    if word(args, "burst") {
        let (_, span) = args.keyword("`burst`", &["burst"])?;
        match args.parse("a number of requests", |text| literal::count(text, 1_000_000)) {
            Some(_) if fixed => {
                ck.cx.push(
                    Diagnostic::new(span, "`fixed` and `burst` do not go together")
                        .label("a token bucket has no windows")
                        .help("`burst` replaces the windows by a token bucket: remove `fixed`"),
                );
                ok = false;
            }
            Some((count, _)) => burst = Some(count),
            None => ok = false,
        }
    }
    let key = lower_per(args);
    let shared_span = args.peek().map(|arg| arg.span);
    let shared = super::store::lower_shared(args);
    if let (Some(Some(_)), Some(_), Some(span)) = (&shared, burst, shared_span) {
        ck.cx.push(
            Diagnostic::new(span, "`burst` limits are not shared yet")
                .label("a token bucket counted on each instance")
                .help("remove `burst` to share sliding windows across instances, or `shared` to keep the bucket"),
        );
        ok = false;
    }
    let (rate, _) = rate?;
    let (key, shared) = (key?, shared?);
    ok.then_some(LimitRate { count: rate.count, window: rate.window, sliding: !fixed, burst, key, shared })
}

impl LimitRate {
    pub(crate) fn emit(&self, site: &Site) -> Emit {
        let field = site.field();
        let count = Literal::u64_unsuffixed(self.count);
        let window = crate::codegen::duration(self.window);
        let sliding = self.sliding;
        let name = self.key.name();
        let spec = self.key.spec();
        let facts = super::key::facts(&site.claims);
        let init = match self.burst {
            Some(burst) => {
                let burst = Literal::u64_unsuffixed(burst);
                quote!(::gateway_runtime::policy::limit_rate::RateLimiter::with_burst(#count, #window, #burst, #name))
            }
            None => quote!(::gateway_runtime::policy::limit_rate::RateLimiter::new(#count, #window, #sliding, #name)),
        };
        if let Some(shared) = &self.shared {
            // `store` is the `Arc<Store>` `Gateway::new` makes first
            // (`super::store::init`). The check's future is boxed: it waits
            // for the store, and held inline it would grow every request's
            // `request_filter` future.
            let scope = &shared.scope;
            let on_error = shared.on_error_tokens();
            let init = quote!(::gateway_runtime::policy::limit_rate::SharedRateLimiter::new(
                store.clone(), #scope, #on_error, #init
            ));
            return Emit {
                field: Some((quote!(::gateway_runtime::policy::limit_rate::SharedRateLimiter), init)),
                request: site.check(
                    quote!(::std::boxed::Box::pin(self.#field.check_request(session, #spec, #facts)).await),
                    quote!(),
                ),
                ..Emit::default()
            };
        }
        Emit {
            field: Some((quote!(::gateway_runtime::policy::limit_rate::RateLimiter), init)),
            request: site.check(quote!(self.#field.check_request(session, #spec, #facts)), quote!()),
            ..Emit::default()
        }
    }
}
