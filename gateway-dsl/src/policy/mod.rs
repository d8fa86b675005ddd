//! Route policies, one module per directive: its IR type (re-exported by
//! `ir`), its lowering (`lower`: the arguments, checked, with one diagnostic
//! per mistake) and its share of the generated code (`emit`). The runtime
//! side of each is the module of the same name in `gateway_runtime::policy`.
//!
//! A policy is written in a route, or in `server { }` for every route. Each
//! one written is an instance (`ir::PolicyInstance`), listed once in
//! `ir::Gateway::policies`; routes list the ids of the instances that apply
//! to them, server ones first, sorted by [`Phase`]. A server instance is one
//! budget for every route (a `server { limit rate ... per client_ip }`
//! counts a client's requests to all routes together).
//!
//! To add a policy: a module here with its IR type, `lower` and `emit`, a
//! variant of [`Policy`] with its phase, the directive in `symbol.rs`, its
//! lowering arm in `check/routes.rs`, and the runtime module beside the
//! others. Checks that read several policies belong in `check/`.

pub mod access;
pub mod access_log;
pub mod auth;
pub mod auth_api_key;
pub mod auth_basic;
pub mod auth_bearer;
pub mod auth_forward;
pub mod auth_jwt;
pub mod cache;
pub mod client_cert;
pub mod compress;
pub mod cors;
pub mod key;
pub mod limit_body;
pub mod limit_concurrency;
pub mod limit_rate;
pub mod store;
pub mod tracing;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::symbol;

pub use access::{Access, AccessRule};
pub use auth::Secrets;
pub use auth_api_key::{ApiKeyCarrier, AuthApiKey};
pub use auth_basic::AuthBasic;
pub use auth_bearer::AuthBearer;
pub use auth_forward::AuthForward;
pub use auth_jwt::{AuthJwt, JwtKey};
pub use client_cert::ClientCert;
pub use cors::Cors;
pub use key::LimitKey;
pub use limit_body::LimitBody;
pub use limit_concurrency::LimitConcurrency;
pub use limit_rate::LimitRate;

/// When a policy runs, in the order they run (the order of the variants).
/// docs/phases.md gives the same order and reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// `allow`/`deny`: a refused address costs one lookup and spends no
    /// budget of any limit.
    Access,
    /// `cors`: a preflight is answered before the limits and `auth`, since
    /// browsers send it without credentials (and a preflight answered by
    /// the gateway costs the upstream nothing).
    Cors,
    /// `limit body`, `limit rate`, `limit concurrency`: throttle before
    /// any token is compared (so guessing tokens is limited too), cheapest
    /// first; the concurrency slot is taken last, so a request refused by
    /// another limit holds none.
    Limit,
    /// `auth ...`: after the limits, so guessing credentials is throttled,
    /// and last, so the costly checks (a bcrypt verification, a signature)
    /// run only for requests every other policy lets through.
    Auth,
}

/// A policy, as the route or server it is written in says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    Access(Access),
    ClientCert(ClientCert),
    Cors(Cors),
    LimitBody(LimitBody),
    LimitRate(LimitRate),
    LimitConcurrency(LimitConcurrency),
    AuthBasic(AuthBasic),
    AuthBearer(AuthBearer),
    AuthApiKey(AuthApiKey),
    AuthJwt(AuthJwt),
    AuthForward(AuthForward),
}

impl Policy {
    /// Why a request this policy refused was refused, in the access log's
    /// `outcome` and the `cause` label of `gw_refusals_total`.
    pub fn cause(&self) -> &'static str {
        match self {
            Policy::Access(_) => "acl",
            Policy::ClientCert(_) => "client_cert",
            Policy::Cors(_) => "cors",
            Policy::LimitBody(_) => "limit_body",
            Policy::LimitRate(_) => "limit_rate",
            Policy::LimitConcurrency(_) => "limit_concurrency",
            Policy::AuthBasic(_)
            | Policy::AuthBearer(_)
            | Policy::AuthApiKey(_)
            | Policy::AuthJwt(_)
            | Policy::AuthForward(_) => "auth",
        }
    }

    /// The directive, as written (`limit rate`, `auth jwt`, ...).
    pub fn directive(&self) -> &'static str {
        match self {
            Policy::Access(_) => "allow/deny",
            Policy::ClientCert(_) => "client_cert",
            Policy::Cors(_) => "cors",
            Policy::LimitBody(_) => "limit body",
            Policy::LimitRate(_) => "limit rate",
            Policy::LimitConcurrency(_) => "limit concurrency",
            Policy::AuthBasic(_) => "auth basic",
            Policy::AuthBearer(_) => "auth bearer",
            Policy::AuthApiKey(_) => "auth api_key",
            Policy::AuthJwt(_) => "auth jwt",
            Policy::AuthForward(_) => "auth forward",
        }
    }

    pub fn phase(&self) -> Phase {
        if self.counts_per_claim() {
            // After `auth jwt`, whose claims it counts per.
            return Phase::Auth;
        }
        match self {
            Policy::Access(_) | Policy::ClientCert(_) => Phase::Access,
            Policy::Cors(_) => Phase::Cors,
            Policy::LimitBody(_) | Policy::LimitRate(_) | Policy::LimitConcurrency(_) => Phase::Limit,
            Policy::AuthBasic(_)
            | Policy::AuthBearer(_)
            | Policy::AuthApiKey(_)
            | Policy::AuthJwt(_)
            | Policy::AuthForward(_) => Phase::Auth,
        }
    }

    /// Whether it is a limit counted per JWT claim.
    pub fn counts_per_claim(&self) -> bool {
        match self {
            Policy::LimitRate(limit) => matches!(limit.key, LimitKey::Claim(_)),
            Policy::LimitConcurrency(limit) => matches!(limit.key, LimitKey::Claim(_)),
            _ => false,
        }
    }

    /// The order within a phase: the variants' order.
    pub fn rank(&self) -> (Phase, u8) {
        if self.counts_per_claim() {
            let within = if matches!(self, Policy::LimitRate(_)) { 1 } else { 2 };
            return (Phase::Auth, within);
        }
        let within = match self {
            Policy::Access(_) | Policy::Cors(_) => 0,
            Policy::ClientCert(_) => 1,
            Policy::LimitBody(_) => 0,
            Policy::LimitRate(_) => 1,
            Policy::LimitConcurrency(_) => 2,
            Policy::AuthBasic(_)
            | Policy::AuthBearer(_)
            | Policy::AuthApiKey(_)
            | Policy::AuthJwt(_)
            | Policy::AuthForward(_) => 0,
        };
        (self.phase(), within)
    }
}

/// `cors { ... }`.
pub(crate) fn lower_cors(ck: &Checker<'_>, directive: &Directive) -> Option<Policy> {
    cors::lower(ck, directive).map(Policy::Cors)
}

/// `limit KIND ...`: the kind picks the policy.
pub(crate) fn lower_limit(ck: &Checker<'_>, args: &mut Args<'_>) -> Option<Policy> {
    let (kind, _) = args.keyword("a limit kind", symbol::LIMIT_KINDS)?;
    match kind {
        "rate" => limit_rate::lower(ck, args).map(Policy::LimitRate),
        "concurrency" => limit_concurrency::lower(ck, args).map(Policy::LimitConcurrency),
        _ => limit_body::lower(ck, args).map(Policy::LimitBody),
    }
}

/// Whether `directive` is one of the access rules (`allow`, `deny`).
pub(crate) fn is_access_rule(directive: &Directive) -> bool {
    matches!(directive.name.text.as_str(), "allow" | "deny")
}

/// Where an instance's code goes: names chosen by codegen, never by the policy.
pub(crate) struct Site {
    /// `policy_N`, the instance's field on `Gateway` or its static's suffix.
    pub(crate) id: usize,
    /// The error pages of the route being emitted.
    pub(crate) pages: TokenStream,
    /// This instance's slot in `Ctx::inflight`, for concurrency limits.
    pub(crate) slot: usize,
    /// Statements run on `refusal` before it is written (the route's CORS
    /// fields).
    pub(crate) decorate: TokenStream,
    /// The claims of the request's JWT for keys (`ctx.claims.as_ref()`),
    /// or `None` where no limit counts per claim.
    pub(crate) claims: TokenStream,
    /// Whether `auth jwt` keeps its claims in `Ctx` for such limits.
    pub(crate) keeps_claims: bool,
    /// The tracing and the request's trace (`Option<(&Tracing,
    /// &RequestTrace)>`), for the spans of subrequests.
    pub(crate) trace: TokenStream,
}

impl Site {
    pub(crate) fn field(&self) -> Ident {
        quote::format_ident!("policy_{}", self.id)
    }

    pub(crate) fn table(&self) -> Ident {
        quote::format_ident!("POLICY_{}", self.id)
    }

    /// The response to a `refusal` (an expression of type `Sending`), with
    /// the route's decoration.
    pub(crate) fn refusal(&self) -> TokenStream {
        let (pages, decorate) = (&self.pages, &self.decorate);
        if decorate.is_empty() {
            return quote!(::gateway_runtime::respond::refusal(session, refusal, #pages));
        }
        quote!({
            let mut refusal = refusal;
            #decorate
            ::gateway_runtime::respond::refusal(session, refusal, #pages)
        })
    }

    /// Statements that run `check` (a `Result<T, Refusal>`), give the value
    /// of `Ok` to `on_ok` (statements that see it as `value`), and answer
    /// an `Err` with the refusal.
    pub(crate) fn check(&self, check: TokenStream, on_ok: TokenStream) -> TokenStream {
        let refusal = self.refusal();
        Site::answer(quote! {
            match #check {
                ::core::result::Result::Ok(value) => {
                    #on_ok
                    ::core::option::Option::None
                }
                ::core::result::Result::Err(refusal) => ::core::option::Option::Some(#refusal),
            }
        })
    }

    /// Statements that evaluate `sending` (an `Option<Sending>`) and, if it
    /// holds a response, write it. The response is awaited after the
    /// statement that made it, so that no temporary of the check (a
    /// `Result`, a refusal) is held across the wait in `request_filter`'s
    /// future, which Pingora allocates for every request.
    pub(crate) fn answer(sending: TokenStream) -> TokenStream {
        quote! {
            if let ::core::option::Option::Some(sending) = {
                let sending: ::core::option::Option<::gateway_runtime::respond::Sending<'_>> = #sending;
                sending
            } {
                return sending.await;
            }
        }
    }
}

/// An instance's share of the generated code; empty where it has none.
#[derive(Default)]
pub(crate) struct Emit {
    /// The type of its field on `Gateway` and the expression that builds it.
    pub(crate) field: Option<(TokenStream, TokenStream)>,
    /// Items at module level (tables).
    pub(crate) statics: TokenStream,
    /// A statement of `request_filter`, after routing; `route` is the route.
    pub(crate) request: TokenStream,
    /// A statement of `request_body_filter` (proxied routes).
    pub(crate) request_body: TokenStream,
    /// A statement of `response_filter` (proxied routes), on `upstream_response`.
    pub(crate) response: TokenStream,
}

/// Dispatches to the policy's `emit`.
pub(crate) fn emit(policy: &Policy, site: &Site) -> Emit {
    match policy {
        Policy::Access(access) => access.emit(site),
        Policy::ClientCert(client_cert) => client_cert.emit(site),
        Policy::Cors(cors) => cors.emit(site),
        Policy::LimitBody(limit) => limit.emit(site),
        Policy::LimitRate(limit) => limit.emit(site),
        Policy::LimitConcurrency(limit) => limit.emit(site),
        Policy::AuthBasic(auth) => auth.emit(site),
        Policy::AuthBearer(auth) => auth.emit(site),
        Policy::AuthApiKey(auth) => auth.emit(site),
        Policy::AuthJwt(auth) => auth.emit(site),
        Policy::AuthForward(auth) => auth.emit(site),
    }
}
