//! `cache ttl D [swr D]` or `cache { ... }`: the route's responses stored
//! and served by `pingora-cache`. The block chooses the freshness per
//! status, stale serving, the lock, bypass conditions, size and admission
//! limits, the key and who may purge. Runtime: `gateway_runtime::cache`;
//! its hooks are written by `hooks`.

use std::time::Duration;

use gateway_http::cidr::Cidr;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ast::{ArgKind, Directive};
use crate::check::args::Args;
use crate::check::{Checker, literal};
use crate::codegen::optional;
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct Cache {
    /// Freshness of 200, 203, 301 and 308 responses whose origin says
    /// nothing about it.
    pub ttl: Option<Duration>,
    /// Freshness by status, when the origin says nothing (`ttl 404 30s`).
    pub status_ttls: Vec<(u16, Duration)>,
    pub stale_while_revalidate_seconds: u32,
    pub stale_if_error_seconds: u32,
    /// How long a request waits for another filling the same entry; `None`
    /// for `lock_timeout off`.
    pub lock_timeout: Option<Duration>,
    pub bypass: Vec<Bypass>,
    pub max_size: Option<u64>,
    pub min_uses: u32,
    pub max_variants: u32,
    pub status_header: bool,
    pub key: Key,
    pub purge: Option<Purge>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Bypass {
    Cookie(String),
    /// Lower case.
    Header(String),
    Query(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Key {
    /// Lower case.
    pub headers: Vec<String>,
    pub cookies: Vec<String>,
    pub query: KeyQuery,
    pub sort_query: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum KeyQuery {
    #[default]
    All,
    None,
    Only(Vec<String>),
    Ignore(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Purge {
    pub allow: Vec<Cidr>,
    pub token: Option<ir::Secret>,
}

/// How long a miss waits for the request filling the same entry.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_VARIANTS: u32 = 16;
/// The bound of `min_uses` and `max_variants`.
const MAX_COUNT: u64 = 10_000;

impl Cache {
    fn new() -> Cache {
        Cache {
            ttl: None,
            status_ttls: Vec::new(),
            stale_while_revalidate_seconds: 0,
            stale_if_error_seconds: 0,
            lock_timeout: Some(DEFAULT_LOCK_TIMEOUT),
            bypass: Vec::new(),
            max_size: None,
            min_uses: 1,
            max_variants: DEFAULT_MAX_VARIANTS,
            status_header: true,
            key: Key::default(),
            purge: None,
        }
    }
}

/// `cache ttl D [swr D]`, or `cache { }`.
pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, args: &mut Args<'_>) -> Option<Cache> {
    let Some(block) = &directive.block else { return lower_line(ck, args) };
    if !args.is_done() {
        args.reported();
        ck.cx.push(
            Diagnostic::new(directive.args[0].span, "`cache` takes either arguments or a block")
                .label("not with a block")
                .help("write `ttl` inside the block: `cache { ttl 60s }`"),
        );
        return None;
    }
    let mut cache = Cache::new();
    let mut ok = true;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    let mut purge_seen: Option<Span> = None;
    for inner in &block.directives {
        let name = inner.name.text.as_str();
        if name != "key" {
            ck.no_block(inner);
        }
        // `ttl`, `bypass` and `purge` may be given several times.
        if !matches!(name, "ttl" | "bypass" | "purge")
            && symbol::CACHE.contains(&name)
            && !ck.first_in_block(&mut seen, inner)
        {
            ok = false;
            continue;
        }
        let mut args = Args::new(ck.cx, inner);
        let done = match name {
            "ttl" => lower_ttl(ck, &mut args, &mut cache),
            "stale_while_revalidate" | "stale_if_error" => match seconds(ck, &mut args, name) {
                Some(seconds) if name == "stale_if_error" => {
                    cache.stale_if_error_seconds = seconds;
                    true
                }
                Some(seconds) => {
                    cache.stale_while_revalidate_seconds = seconds;
                    true
                }
                None => false,
            },
            "lock_timeout" => match args.peek().and_then(|arg| arg.text()) {
                Some("off") => {
                    args.next("off");
                    cache.lock_timeout = None;
                    true
                }
                _ => match args.parse("a duration or `off`", literal::duration) {
                    Some((timeout, span)) if timeout.is_zero() => {
                        ck.cx.push(
                            Diagnostic::new(span, "`lock_timeout 0s` would never wait")
                                .label("must be longer than 0")
                                .help("write `lock_timeout off` to send every miss upstream"),
                        );
                        false
                    }
                    Some((timeout, _)) => {
                        cache.lock_timeout = Some(timeout);
                        true
                    }
                    None => false,
                },
            },
            "bypass" => {
                let kind = args.keyword("`cookie`, `header` or `query`", &["cookie", "header", "query"]);
                match kind.map(|(kind, _)| kind) {
                    Some("cookie") => {
                        args.parse("a cookie name", literal::cookie_name).map(|(name, _)| Bypass::Cookie(name))
                    }
                    Some("header") => args
                        .parse("a header name", literal::header_name)
                        .map(|(name, _)| Bypass::Header(name.to_ascii_lowercase())),
                    Some(_) => {
                        args.parse("a query parameter", literal::query_name).map(|(name, _)| Bypass::Query(name))
                    }
                    None => None,
                }
                .map(|bypass| cache.bypass.push(bypass))
                .is_some()
            }
            "max_size" => match args.parse("a size", literal::size) {
                Some((0, span)) => {
                    ck.cx.push(Diagnostic::new(span, "`max_size 0` would store nothing").label("must be more than 0"));
                    false
                }
                Some((size, _)) => {
                    cache.max_size = Some(size);
                    true
                }
                None => false,
            },
            "min_uses" | "max_variants" => match args.parse("a count", |text| literal::count(text, MAX_COUNT)) {
                Some((0, span)) => {
                    ck.cx.push(Diagnostic::new(span, format!("`{name} 0` is not a count")).label("at least 1"));
                    false
                }
                Some((count, _)) => {
                    let count = u32::try_from(count).unwrap_or(u32::MAX);
                    if name == "min_uses" {
                        cache.min_uses = count
                    } else {
                        cache.max_variants = count
                    }
                    true
                }
                None => false,
            },
            "status_header" => match args.keyword("`on` or `off`", &["on", "off"]) {
                Some((value, _)) => {
                    cache.status_header = value == "on";
                    true
                }
                None => false,
            },
            "key" => match ck.block(inner, "key { header Accept-Language }") {
                Some(block) => match lower_key(ck, block) {
                    Some(key) => {
                        cache.key = key;
                        true
                    }
                    None => false,
                },
                None => false,
            },
            "purge" => {
                let span = inner.head_span();
                let purge = cache.purge.get_or_insert(Purge { allow: Vec::new(), token: None });
                purge_seen = Some(span);
                lower_purge(ck, &mut args, purge, span)
            }
            _ => {
                ck.unknown_directive(inner, "a `cache` block", symbol::CACHE);
                ok = false;
                continue;
            }
        };
        args.finish();
        ok &= done;
    }
    if let (Some(purge), Some(span)) = (&cache.purge, purge_seen)
        && purge.token.is_none()
        && purge.allow.contains(&Cidr::ALL)
    {
        ck.cx.push(
            Diagnostic::new(span, "anyone could purge this route's cache")
                .label("`purge allow all` without a token")
                .help("name the addresses purges come from, or add `purge token env(NAME)`"),
        );
        ok = false;
    }
    ok.then_some(cache)
}

/// `cache ttl DURATION [swr DURATION]`.
fn lower_line(ck: &Checker<'_>, args: &mut Args<'_>) -> Option<Cache> {
    args.keyword("`ttl` (or a block: `cache { ttl 60s }`)", &["ttl"])?;
    let ttl = args.parse("a duration", literal::duration);
    let mut cache = Cache::new();
    if !args.is_done() {
        args.keyword("`swr`", &["swr"])?;
        cache.stale_while_revalidate_seconds = seconds(ck, args, "swr")?;
    }
    let (ttl, span) = ttl?;
    cache.ttl = Some(positive_ttl(ck, ttl, span)?);
    Some(cache)
}

/// `ttl DURATION` (200, 203, 301, 308) or `ttl STATUS... DURATION`.
fn lower_ttl(ck: &Checker<'_>, args: &mut Args<'_>, cache: &mut Cache) -> bool {
    let mut statuses: Vec<(u16, Span)> = Vec::new();
    let mut ok = true;
    while args.remaining() > 1 {
        match args.parse("a status", cacheable_status) {
            Some(status) => statuses.push(status),
            None => ok = false,
        }
    }
    let Some((ttl, span)) = args.parse("a duration", literal::duration) else { return false };
    let Some(ttl) = positive_ttl(ck, ttl, span) else { return false };
    if !ok {
        return false;
    }
    if statuses.is_empty() {
        if cache.ttl.is_some() {
            ck.cx.push(
                Diagnostic::new(span, "a second `ttl` for the default statuses")
                    .label("200, 203, 301 and 308 have a `ttl` already")
                    .help("name the statuses this one is for: `ttl 404 30s`"),
            );
            return false;
        }
        cache.ttl = Some(ttl);
    }
    for (status, span) in statuses {
        if cache.status_ttls.iter().any(|(known, _)| *known == status) {
            ck.cx.push(Diagnostic::new(span, format!("status {status} has a `ttl` already")).label("given again"));
            ok = false;
        } else {
            cache.status_ttls.push((status, ttl));
        }
    }
    ok
}

/// A status whose responses may be stored: final, not a partial content
/// (206) or a revalidation (304).
fn cacheable_status(text: &str) -> Result<u16, String> {
    let status = literal::response_status(text)?;
    match status {
        206 => Err("206 answers a range request; the cache stores whole responses".to_string()),
        304 => Err("304 revalidates a stored response; it is not stored itself".to_string()),
        status if status < 200 => Err(format!("{status} is not a final status")),
        status => Ok(status),
    }
}

fn positive_ttl(ck: &Checker<'_>, ttl: Duration, span: Span) -> Option<Duration> {
    if ttl.is_zero() {
        ck.cx.push(
            Diagnostic::new(span, "`ttl 0s` would cache nothing")
                .label("must be longer than 0")
                .help("remove the `ttl` (or `cache`) instead"),
        );
        return None;
    }
    Some(ttl)
}

/// A duration in whole seconds (stale times count seconds).
fn seconds(ck: &Checker<'_>, args: &mut Args<'_>, name: &str) -> Option<u32> {
    let (duration, span) = args.parse("a duration", literal::duration)?;
    if duration.subsec_nanos() != 0 || duration.as_secs() > u64::from(u32::MAX) {
        ck.cx.push(
            Diagnostic::new(span, format!("`{name} {}` needs whole seconds", crate::check::duration_text(duration)))
                .label("stale times count whole seconds"),
        );
        return None;
    }
    Some(duration.as_secs() as u32)
}

/// `key { header NAME...; cookie NAME...; query NAME... | none; ignore_query NAME...; sort_query }`.
fn lower_key(ck: &Checker<'_>, block: &crate::ast::Block) -> Option<Key> {
    let mut key = Key::default();
    let mut ok = true;
    let mut query_span: Option<Span> = None;
    for inner in &block.directives {
        ck.no_block(inner);
        let mut args = Args::new(ck.cx, inner);
        let name = inner.name.text.as_str();
        match name {
            "header" | "cookie" => loop {
                let parsed = if name == "header" {
                    args.parse("a header name", literal::header_name).map(|(name, _)| name.to_ascii_lowercase())
                } else {
                    args.parse("a cookie name", literal::cookie_name).map(|(name, _)| name)
                };
                match parsed {
                    Some(value) if name == "header" => key.headers.push(value),
                    Some(value) => key.cookies.push(value),
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            },
            "query" | "ignore_query" => {
                if let Some(first) = query_span {
                    ck.cx.push(
                        Diagnostic::new(inner.head_span(), format!("`{name}` with another query rule"))
                            .label("the key's query is chosen once")
                            .note(format!("chosen at line {}", ck.line(first))),
                    );
                    ok = false;
                    continue;
                }
                query_span = Some(inner.head_span());
                if name == "query" && args.peek().and_then(|arg| arg.text()) == Some("none") {
                    args.next("none");
                    key.query = KeyQuery::None;
                } else {
                    let mut names = Vec::new();
                    loop {
                        match args.parse("a query parameter", literal::query_name) {
                            Some((param, _)) => names.push(param),
                            None => ok = false,
                        }
                        if args.is_done() {
                            break;
                        }
                    }
                    key.query = if name == "query" { KeyQuery::Only(names) } else { KeyQuery::Ignore(names) };
                }
            }
            "sort_query" => key.sort_query = true,
            _ => {
                ck.unknown_directive(inner, "a `key` block", symbol::CACHE_KEY);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    if key.sort_query && key.query == KeyQuery::None {
        ck.cx.push(
            Diagnostic::new(block.span, "`sort_query` with `query none`").label("there is no query in the key to sort"),
        );
        ok = false;
    }
    ok.then_some(key)
}

/// `purge allow CIDR...` or `purge token env(NAME)`.
fn lower_purge(ck: &Checker<'_>, args: &mut Args<'_>, purge: &mut Purge, span: Span) -> bool {
    match args.keyword("`allow` or `token`", &["allow", "token"]) {
        Some(("allow", _)) => {
            let mut ok = true;
            loop {
                match args.parse("an address range (`10.0.0.0/8`) or `all`", Cidr::parse) {
                    Some((cidr, _)) => purge.allow.push(cidr),
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            }
            ok
        }
        Some(_) => {
            if purge.token.is_some() {
                ck.cx.push(Diagnostic::new(span, "a second purge token").label("`purge token` is given once"));
                return false;
            }
            let Some(arg) = args.next("the token, as `env(NAME)`") else { return false };
            if !matches!(arg.kind, ArgKind::Call { .. }) {
                args.reported();
            }
            match super::auth::env_secret(ck, arg, "an `allow` list") {
                Some(name) => {
                    purge.token = Some(ir::Secret::Env { name, location: ck.source.location(arg.span) });
                    true
                }
                None => false,
            }
        }
        None => false,
    }
}

/// The cached routes, each with its slot (its index among them).
fn cached(gateway: &ir::Gateway) -> impl Iterator<Item = (usize, ir::RouteId, &ir::Route, &Cache)> {
    gateway
        .routes
        .iter()
        .enumerate()
        .filter_map(|(route_id, route)| route.cache.as_ref().map(|cache| (route_id, route, cache)))
        .enumerate()
        .map(|(slot, (route_id, route, cache))| (slot, route_id, route, cache))
}

/// What separates a cached route's entries from every other route's: its
/// index (unique), its label and its upstream (for people reading a key).
fn scope(gateway: &ir::Gateway, route_id: ir::RouteId, route: &ir::Route) -> String {
    match route.action {
        ir::Action::Proxy { upstream } => {
            format!("route {route_id} {} -> {}", route.label, gateway.upstreams[upstream].name)
        }
        _ => format!("route {route_id} {}", route.label),
    }
}

/// Module-level items: each cached route's static, `CACHE_ROUTES` (by
/// slot) and `cache_route`, the rules of a request's route.
pub(crate) fn tables(gateway: &ir::Gateway) -> TokenStream {
    if !gateway.routes.iter().any(|route| route.cache.is_some()) {
        return TokenStream::new();
    }
    let mut out = TokenStream::new();
    let mut names = Vec::new();
    let mut arms = Vec::new();
    for (slot, route_id, route, cache) in cached(gateway) {
        out.extend(statics(cache, route_id, slot, &route.label, &scope(gateway, route_id, route)));
        let name = format_ident!("CACHE_{}", route_id);
        let variant = crate::codegen::route_variant(route_id);
        arms.push(quote!(::core::option::Option::Some(Route::#variant) => ::core::option::Option::Some(&#name),));
        names.push(name);
    }
    let count = names.len();
    out.extend(quote! {
        static CACHE_ROUTES: [&::gateway_runtime::cache::Route; #count] = [#(&#names),*];

        /// The cache rules of a request's route; `None` for routes without `cache`.
        fn cache_route(route: ::core::option::Option<Route>) -> ::core::option::Option<&'static ::gateway_runtime::cache::Route> {
            match route {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    });
    out
}

/// The expression that builds the gateway's `CacheStore`.
pub(crate) fn store(gateway: &ir::Gateway) -> TokenStream {
    let size = Literal::u64_unsuffixed(gateway.server.cache_size);
    let tokens = cached(gateway).map(|(_, _, _, cache)| token(cache));
    let leak = quote!(::gateway_runtime::cache::CacheStore::leak(#size, &CACHE_ROUTES, ::std::vec![#(#tokens),*]));
    match gateway.server.store {
        // Purges are shared through the store (`gateway_runtime::cache::shared`).
        Some(_) => quote!(#leak.share(store.clone())),
        None => leak,
    }
}

/// The background service that receives other instances' purges, when
/// the server has a `store`.
pub(crate) fn subscription(gateway: &ir::Gateway) -> TokenStream {
    if gateway.server.store.is_none() || !gateway.routes.iter().any(|route| route.cache.is_some()) {
        return TokenStream::new();
    }
    quote!(services.extend(gateway.cache.subscription());)
}

/// The statement of `request_filter` that answers a refused `PURGE`, and
/// lets an authorised one through to the cache (before the route's other
/// policies: the purge rule is its access rule).
pub(crate) fn purge_check(
    gateway: &ir::Gateway,
    route_id: ir::RouteId,
    route: &ir::Route,
    pages: &TokenStream,
) -> TokenStream {
    if route.cache.as_ref().is_none_or(|cache| cache.purge.is_none()) {
        return TokenStream::new();
    }
    let outcome = crate::policy::access_log::records_outcome(gateway)
        .then(|| quote!(ctx.outcome = ::core::option::Option::Some("purge");));
    let name = format_ident!("CACHE_{}", route_id);
    quote! {
        if ::gateway_runtime::cache::purge::is_purge(session.req_header()) {
            if let ::core::option::Option::Some(sending) = {
                let sending: ::core::option::Option<::gateway_runtime::respond::Sending<'_>> = self
                    .cache
                    .authorize_purge(&#name, session.req_header(), ctx.client_ip)
                    .err()
                    .map(|refusal| {
                        #outcome
                        ::gateway_runtime::respond::refusal(session, refusal, #pages)
                    });
                sending
            } {
                return sending.await;
            }
            return ::core::result::Result::Ok(false);
        }
    }
}

/// The statement of `response_filter` that adds `X-Cache-Status`.
pub(crate) fn status_header(route: &ir::Route) -> TokenStream {
    match &route.cache {
        Some(cache) if cache.status_header => {
            quote!(::gateway_runtime::cache::add_status_header(session, upstream_response)?;)
        }
        _ => TokenStream::new(),
    }
}

/// The cache hooks of `ProxyHttp`, when some route has `cache`.
pub(crate) fn hooks(gateway: &ir::Gateway) -> TokenStream {
    if !gateway.routes.iter().any(|route| route.cache.is_some()) {
        return TokenStream::new();
    }
    let purges = gateway.routes.iter().any(|route| route.cache.as_ref().is_some_and(|cache| cache.purge.is_some()));
    // With a store, each `PURGE` is published to the other instances.
    let purge_response_filter = (purges && gateway.server.store.is_some()).then(|| {
        quote! {
            fn purge_response_filter(
                &self,
                session: &::gateway_runtime::__private::Session,
                ctx: &mut Ctx,
                status: ::gateway_runtime::__private::PurgeStatus,
                _response: &mut ::std::borrow::Cow<'static, ::gateway_runtime::__private::ResponseHeader>,
            ) -> ::gateway_runtime::__private::Result<()> {
                if let ::core::option::Option::Some(rules) = cache_route(ctx.route) {
                    self.cache.purged(session, rules, &status);
                }
                ::core::result::Result::Ok(())
            }
        }
    });
    quote! {
        fn request_cache_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            if let ::core::option::Option::Some(rules) = cache_route(ctx.route) {
                self.cache.enable(session, rules);
            }
            ::core::result::Result::Ok(())
        }

        fn cache_key_callback(
            &self,
            session: &::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::gateway_runtime::__private::CacheKey> {
            match cache_route(ctx.route) {
                ::core::option::Option::Some(rules) => ::core::result::Result::Ok(self.cache.key(session, rules)),
                ::core::option::Option::None => ::gateway_runtime::cache::no_key(),
            }
        }

        fn cache_vary_filter(
            &self,
            meta: &::gateway_runtime::__private::CacheMeta,
            _ctx: &mut Ctx,
            request: &::gateway_runtime::__private::RequestHeader,
        ) -> ::core::option::Option<::gateway_runtime::__private::HashBinary> {
            ::gateway_runtime::cache::vary::variance(meta, request)
        }

        fn is_purge(&self, session: &::gateway_runtime::__private::Session, ctx: &Ctx) -> bool {
            ::gateway_runtime::cache::purge::purges(cache_route(ctx.route), session.req_header())
        }
        #purge_response_filter

        fn response_cache_filter(
            &self,
            session: &::gateway_runtime::__private::Session,
            response: &::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::gateway_runtime::__private::RespCacheable> {
            ::core::result::Result::Ok(match cache_route(ctx.route) {
                ::core::option::Option::Some(rules) => self.cache.cacheable(session, response, rules),
                ::core::option::Option::None => ::gateway_runtime::cache::uncacheable(),
            })
        }

        fn should_serve_stale(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _ctx: &mut Ctx,
            error: ::core::option::Option<&::gateway_runtime::__private::Error>,
        ) -> bool {
            ::gateway_runtime::cache::should_serve_stale(session, error)
        }
    }
}

/// The generated items of one cached route: its freshness function and
/// its [`gateway_runtime::cache::Route`] static, `CACHE_n`.
fn statics(cache: &Cache, route_id: ir::RouteId, slot: usize, label: &str, scope: &str) -> TokenStream {
    let name = format_ident!("CACHE_{}", route_id);
    let fresh = format_ident!("fresh_{}", route_id);
    let status_arms = cache.status_ttls.iter().map(|(status, ttl)| {
        let ttl = crate::codegen::duration(*ttl);
        quote!(#status => ::core::option::Option::Some(#ttl),)
    });
    let fallback = match cache.ttl {
        Some(ttl) => {
            let ttl = crate::codegen::duration(ttl);
            quote!(_ => ::gateway_runtime::cache::default_freshness(status, #ttl),)
        }
        None => quote!(_ => ::core::option::Option::None,),
    };
    let swr = cache.stale_while_revalidate_seconds;
    let sie = cache.stale_if_error_seconds;
    let lock = optional(cache.lock_timeout.map(crate::codegen::duration));
    let max_size = optional(cache.max_size.map(|size| {
        let size = Literal::u64_unsuffixed(size);
        quote!(#size as usize)
    }));
    let (min_uses, max_variants, status_header) = (cache.min_uses, cache.max_variants, cache.status_header);
    let bypass = cache.bypass.iter().map(|bypass| match bypass {
        Bypass::Cookie(name) => quote!(::gateway_runtime::cache::Bypass::Cookie(#name)),
        Bypass::Header(name) => quote!(::gateway_runtime::cache::Bypass::Header(#name)),
        Bypass::Query(name) => quote!(::gateway_runtime::cache::Bypass::Query(#name)),
    });
    let key = &cache.key;
    let (headers, cookies, sort_query) = (&key.headers, &key.cookies, key.sort_query);
    let query = match &key.query {
        KeyQuery::All => quote!(::gateway_runtime::cache::Query::All),
        KeyQuery::None => quote!(::gateway_runtime::cache::Query::None),
        KeyQuery::Only(names) => quote!(::gateway_runtime::cache::Query::Only(&[#(#names),*])),
        KeyQuery::Ignore(names) => quote!(::gateway_runtime::cache::Query::Ignore(&[#(#names),*])),
    };
    let purge = optional(cache.purge.as_ref().map(|purge| {
        let allow = purge.allow.iter().map(|cidr| crate::codegen::cidr(*cidr));
        let token = purge.token.is_some();
        quote!(::gateway_runtime::cache::Purge { allow: &[#(#allow),*], token: #token })
    }));
    quote! {
        fn #fresh(status: ::gateway_runtime::__private::StatusCode) -> ::core::option::Option<::core::time::Duration> {
            match status.as_u16() {
                #(#status_arms)*
                #fallback
            }
        }
        static #name: ::gateway_runtime::cache::Route = ::gateway_runtime::cache::Route {
            slot: #slot,
            label: #label,
            scope: #scope,
            defaults: ::gateway_runtime::__private::CacheMetaDefaults::new(#fresh, #swr, #sie),
            lock_timeout: #lock,
            max_size: #max_size,
            min_uses: #min_uses,
            max_variants: #max_variants,
            status_header: #status_header,
            bypass: &[#(#bypass),*],
            key: ::gateway_runtime::cache::KeyRules {
                headers: &[#(#headers),*],
                cookies: &[#(#cookies),*],
                query: #query,
                sort_query: #sort_query,
            },
            purge: #purge,
        };
    }
}

/// The purge token of a cached route, read at start-up.
fn token(cache: &Cache) -> TokenStream {
    match cache.purge.as_ref().and_then(|purge| purge.token.as_ref()) {
        Some(ir::Secret::Env { name, location }) => quote!(::core::option::Option::Some(
            ::gateway_runtime::auth::BearerToken::from_env(#name, #location)?
        )),
        None => quote!(::core::option::Option::None),
    }
}
