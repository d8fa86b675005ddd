//! The policies' shares of the output (`crate::policy`), put where they
//! belong: fields of `Gateway`, module-level tables, and statements of the
//! request hooks, in each route's order.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir;
use crate::policy::{self, Emit, Site};

/// Whether some limit counts per JWT claim (`Ctx::claims`).
pub(super) fn keeps_claims(gateway: &ir::Gateway) -> bool {
    gateway.policies.iter().any(|instance| instance.policy.counts_per_claim())
}

/// The site of instance `id`, with the route's error pages, concurrency
/// slot and refusal decoration.
fn site(gateway: &ir::Gateway, id: ir::PolicyId, pages: TokenStream, slot: usize, decorate: TokenStream) -> Site {
    let keeps_claims = keeps_claims(gateway);
    let claims = if keeps_claims { quote!(ctx.claims.as_ref()) } else { quote!(::core::option::Option::None) };
    let decorate = if crate::policy::access_log::records_outcome(gateway) {
        let cause = gateway.policies[id].policy.cause();
        quote!(ctx.outcome = ::core::option::Option::Some(#cause); #decorate)
    } else {
        decorate
    };
    let trace = if crate::policy::tracing::enabled(gateway) {
        quote!(ctx.trace.as_deref().map(|trace| (self.tracing, trace)))
    } else {
        quote!(::core::option::Option::None)
    };
    Site { id, pages, slot, decorate, claims, keeps_claims, trace }
}

/// An instance's route-independent share (its field and tables).
fn instance(gateway: &ir::Gateway, id: ir::PolicyId) -> Emit {
    policy::emit(&gateway.policies[id].policy, &site(gateway, id, quote!(&ERROR_PAGES), 0, quote!()))
}

/// The policies' fields on `Gateway`.
pub(super) fn fields(gateway: &ir::Gateway) -> TokenStream {
    (0..gateway.policies.len())
        .filter_map(|id| {
            let (ty, _) = instance(gateway, id).field?;
            let field = quote::format_ident!("policy_{}", id);
            let doc = format!(" The policy at {}.", gateway.policies[id].location);
            Some(quote!(#[doc = #doc] #field: #ty,))
        })
        .collect()
}

/// The expressions that build them, in `Gateway::new`.
pub(super) fn inits(gateway: &ir::Gateway) -> TokenStream {
    (0..gateway.policies.len())
        .filter_map(|id| {
            let (_, init) = instance(gateway, id).field?;
            let field = quote::format_ident!("policy_{}", id);
            Some(quote!(#field: #init,))
        })
        .collect()
}

/// The policies' tables.
pub(super) fn statics(gateway: &ir::Gateway) -> TokenStream {
    (0..gateway.policies.len()).map(|id| instance(gateway, id).statics).collect()
}

/// The slots of `Ctx::inflight`: the most concurrency limits on one route.
pub(super) fn inflight_slots(gateway: &ir::Gateway) -> usize {
    let is_concurrency = |id: &ir::PolicyId| matches!(gateway.policies[*id].policy, ir::Policy::LimitConcurrency(_));
    gateway.routes.iter().map(|route| route.policies.iter().filter(|id| is_concurrency(id)).count()).max().unwrap_or(0)
}

/// Whether some proxied route counts its request body (`Ctx::body_bytes`).
pub(super) fn counts_body(gateway: &ir::Gateway) -> bool {
    gateway
        .routes
        .iter()
        .filter(|route| matches!(route.action, ir::Action::Proxy { .. }))
        .any(|route| route.policies.iter().any(|id| matches!(gateway.policies[*id].policy, ir::Policy::LimitBody(_))))
}

/// The `Ctx` fields the policies need, and their initial values.
pub(super) fn ctx(gateway: &ir::Gateway) -> (TokenStream, TokenStream) {
    let (mut fields, mut inits) = (TokenStream::new(), TokenStream::new());
    let slots = inflight_slots(gateway);
    if slots > 0 {
        let count = Literal::usize_unsuffixed(slots);
        fields.extend(quote! {
            /// The slots of `limit concurrency`, held until the request ends.
            inflight: [::core::option::Option<::gateway_runtime::policy::limit_concurrency::Slot>; #count],
        });
        let nones = (0..slots).map(|_| quote!(::core::option::Option::None));
        inits.extend(quote!(inflight: [#(#nones),*],));
    }
    if keeps_claims(gateway) {
        fields.extend(quote! {
            /// The claims of the request's JWT, for limits counted per claim.
            claims: ::core::option::Option<::gateway_runtime::policy::auth_jwt::Claims>,
        });
        inits.extend(quote!(claims: ::core::option::Option::None,));
    }
    if counts_body(gateway) {
        fields.extend(quote!(body_bytes: u64,));
        inits.extend(quote!(body_bytes: 0,));
    }
    (fields, inits)
}

/// The route's `cors` instance, if it has one.
pub(super) fn cors_of(gateway: &ir::Gateway, route: &ir::Route) -> Option<ir::PolicyId> {
    route.policies.iter().copied().find(|id| matches!(gateway.policies[*id].policy, ir::Policy::Cors(_)))
}

/// What adds a route's CORS fields to the responses the gateway writes.
pub(super) fn cors_fields(gateway: &ir::Gateway, route: &ir::Route) -> Option<TokenStream> {
    let id = cors_of(gateway, route)?;
    let table = quote::format_ident!("POLICY_{}", id);
    Some(quote!(#table.response_headers(session.req_header())))
}

/// One route's `request_filter` statements, in the order the policies run.
pub(super) fn request(gateway: &ir::Gateway, route: &ir::Route, pages: &TokenStream) -> TokenStream {
    let mut slot = 0;
    let decorate = cors_of(gateway, route)
        .map(|id| crate::policy::cors::Cors::decorate(&site(gateway, id, quote!(), 0, quote!())))
        .unwrap_or_default();
    route
        .policies
        .iter()
        .map(|id| {
            let policy = &gateway.policies[*id].policy;
            let emit = policy::emit(policy, &site(gateway, *id, pages.clone(), slot, decorate.clone()));
            if matches!(policy, ir::Policy::LimitConcurrency(_)) {
                slot += 1;
            }
            emit.request
        })
        .collect()
}

/// One proxied route's `request_body_filter` statements.
pub(super) fn request_body(gateway: &ir::Gateway, route: &ir::Route) -> TokenStream {
    route.policies.iter().map(|id| site_emit(gateway, *id).request_body).collect()
}

/// One proxied route's `response_filter` statements.
pub(super) fn response(gateway: &ir::Gateway, route: &ir::Route) -> TokenStream {
    route.policies.iter().map(|id| site_emit(gateway, *id).response).collect()
}

/// An instance's emit where only its names matter.
fn site_emit(gateway: &ir::Gateway, id: ir::PolicyId) -> Emit {
    policy::emit(&gateway.policies[id].policy, &site(gateway, id, quote!(), 0, quote!()))
}
