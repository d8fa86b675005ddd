//! The per-request context, the per-route tables the hooks read, and
//! `impl ProxyHttp` with only the hooks this file needs.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{auth_field, duration, has_cache, limit_field, route_variant, upstream_field};
use crate::ir;

pub(super) fn ctx(gateway: &ir::Gateway) -> TokenStream {
    let (start_field, start_init) = if gateway.admin.is_some() {
        (quote!(start: ::std::time::Instant,), quote!(start: ::std::time::Instant::now(),))
    } else {
        (quote!(), quote!())
    };
    quote! {
        /// What one request carries from phase to phase.
        pub struct Ctx {
            route: ::core::option::Option<Route>,
            #start_field
        }

        impl Ctx {
            fn new() -> Ctx {
                Ctx { route: ::core::option::Option::None, #start_init }
            }
        }
    }
}

fn request_headers_table(route_id: ir::RouteId) -> Ident {
    format_ident!("REQUEST_HEADERS_{}", route_id)
}

fn response_headers_table(route_id: ir::RouteId) -> Ident {
    format_ident!("RESPONSE_HEADERS_{}", route_id)
}

fn fixed_response_table(route_id: ir::RouteId) -> Ident {
    format_ident!("RESPONSE_{}", route_id)
}

fn cache_table(route_id: ir::RouteId) -> Ident {
    format_ident!("CACHE_{}", route_id)
}

fn fresh_fn(route_id: ir::RouteId) -> Ident {
    format_ident!("fresh_{}", route_id)
}

/// Static data per route: header edits, fixed responses, cache defaults.
pub(super) fn tables(gateway: &ir::Gateway) -> TokenStream {
    let mut out = TokenStream::new();
    for (route_id, route) in gateway.routes.iter().enumerate() {
        // Each slice of edits is a static of its own: a `HeaderValue` may not
        // live in a temporary borrowed by a static.
        if !route.request_headers.is_empty() && matches!(route.action, ir::Action::Proxy { .. }) {
            out.extend(edit_table(&request_headers_table(route_id), &route.request_headers));
        }
        let respond = matches!(route.action, ir::Action::Respond { .. });
        if respond || !route.response_headers.is_empty() {
            out.extend(edit_table(&response_headers_table(route_id), &route.response_headers));
        }
        if let ir::Action::Respond { status, body } = &route.action {
            let table = fixed_response_table(route_id);
            let headers = response_headers_table(route_id);
            let body = Literal::byte_string(body.as_bytes());
            out.extend(quote! {
                static #table: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
                    status: #status,
                    body: #body,
                    headers: &#headers,
                };
            });
        }
        if let Some(cache) = &route.cache {
            let table = cache_table(route_id);
            let fresh = fresh_fn(route_id);
            let ttl = duration(cache.ttl);
            let swr = cache.stale_while_revalidate_seconds;
            out.extend(quote! {
                fn #fresh(status: ::gateway_runtime::__private::StatusCode) -> ::core::option::Option<::core::time::Duration> {
                    ::gateway_runtime::cache::default_freshness(status, #ttl)
                }
                static #table: ::gateway_runtime::__private::CacheMetaDefaults =
                    ::gateway_runtime::__private::CacheMetaDefaults::new(#fresh, #swr, 0);
            });
        }
    }
    out
}

fn edit_table(name: &Ident, edits: &[ir::HeaderEdit]) -> TokenStream {
    let count = edits.len();
    let edits = edits.iter().map(|edit| match edit {
        ir::HeaderEdit::Set { name, value } => quote! {
            ::gateway_runtime::headers::Edit::Set(#name, ::gateway_runtime::__private::HeaderValue::from_static(#value))
        },
        ir::HeaderEdit::Remove { name } => quote!(::gateway_runtime::headers::Edit::Remove(#name)),
    });
    quote!(static #name: [::gateway_runtime::headers::Edit; #count] = [#(#edits),*];)
}

pub(super) fn proxy_impl(gateway: &ir::Gateway) -> TokenStream {
    let request_filter = request_filter(gateway);
    let upstream_peer = upstream_peer(gateway);
    let upstream_request_filter = upstream_request_filter(gateway);
    let response_filter = response_filter(gateway);
    let cache_hooks = cache_hooks(gateway);
    let logging = logging(gateway);
    quote! {
        #[::gateway_runtime::__private::async_trait]
        impl ::gateway_runtime::__private::ProxyHttp for Gateway {
            type CTX = Ctx;

            fn new_ctx(&self) -> Ctx {
                Ctx::new()
            }

            #request_filter
            #upstream_peer
            #upstream_request_filter
            #response_filter
            #cache_hooks
            #logging
        }
    }
}

/// Routing, then per route: limit, auth, and a fixed response if it has one.
fn request_filter(gateway: &ir::Gateway) -> TokenStream {
    let arms = gateway.routes.iter().enumerate().map(|(route_id, route)| {
        let variant = route_variant(route_id);
        let limit = route.limit.as_ref().map(|_| {
            let field = limit_field(route_id);
            quote! {
                if let ::core::option::Option::Some(retry_after) = self.#field.check(session) {
                    return ::gateway_runtime::respond::too_many_requests(session, retry_after).await;
                }
            }
        });
        let auth = route.auth.as_ref().map(|_| {
            let field = auth_field(route_id);
            quote! {
                if let ::core::result::Result::Err(rejection) = self.#field.verify(session.req_header()) {
                    return ::gateway_runtime::respond::auth_rejected(session, rejection).await;
                }
            }
        });
        let outcome = match route.action {
            ir::Action::Respond { .. } => {
                let table = fixed_response_table(route_id);
                quote!(::gateway_runtime::respond::fixed(session, &#table).await)
            }
            ir::Action::Proxy { .. } => quote!(::core::result::Result::Ok(false)),
        };
        quote! {
            Route::#variant => {
                #limit
                #auth
                #outcome
            }
        }
    });
    quote! {
        async fn request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<bool> {
            let found = {
                let request = session.req_header();
                ROUTER.find(::gateway_runtime::router::request_host(request), request.uri.path())
            };
            let ::core::option::Option::Some(route) = found else {
                return ::gateway_runtime::respond::not_found(session).await;
            };
            ctx.route = ::core::option::Option::Some(route);
            match route {
                #(#arms)*
            }
        }
    }
}

/// Routes to the upstream they name, grouped by upstream.
fn upstream_peer(gateway: &ir::Gateway) -> TokenStream {
    let arms = gateway.upstreams.iter().enumerate().filter_map(|(upstream_id, upstream)| {
        let variants: Vec<Ident> = gateway
            .routes
            .iter()
            .enumerate()
            .filter(|(_, route)| route.action == ir::Action::Proxy { upstream: upstream_id })
            .map(|(route_id, _)| route_variant(route_id))
            .collect();
        if variants.is_empty() {
            return None;
        }
        let field = upstream_field(gateway, upstream_id);
        let name = &upstream.name;
        Some(quote! {
            ::core::option::Option::Some(#(Route::#variants)|*) => ::gateway_runtime::lb::peer(&self.#field, #name),
        })
    });
    quote! {
        async fn upstream_peer(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::std::boxed::Box<::gateway_runtime::__private::HttpPeer>> {
            match ctx.route {
                #(#arms)*
                _ => ::core::result::Result::Err(::gateway_runtime::lb::no_upstream()),
            }
        }
    }
}

fn upstream_request_filter(gateway: &ir::Gateway) -> TokenStream {
    let arms: Vec<TokenStream> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| !route.request_headers.is_empty() && matches!(route.action, ir::Action::Proxy { .. }))
        .map(|(route_id, _)| {
            let variant = route_variant(route_id);
            let table = request_headers_table(route_id);
            quote!(::core::option::Option::Some(Route::#variant) => ::gateway_runtime::headers::edit_request(&#table, upstream_request),)
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        async fn upstream_request_filter(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            upstream_request: &mut ::gateway_runtime::__private::RequestHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            match ctx.route {
                #(#arms)*
                _ => ::core::result::Result::Ok(()),
            }
        }
    }
}

/// Response header edits of proxied routes, and the cache status of cached ones.
fn response_filter(gateway: &ir::Gateway) -> TokenStream {
    let arms: Vec<TokenStream> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| matches!(route.action, ir::Action::Proxy { .. }))
        .filter(|(_, route)| !route.response_headers.is_empty() || route.cache.is_some())
        .map(|(route_id, route)| {
            let variant = route_variant(route_id);
            let cache_status = route
                .cache
                .as_ref()
                .map(|_| quote!(::gateway_runtime::cache::add_status_header(session, upstream_response)?;));
            let edits = (!route.response_headers.is_empty()).then(|| {
                let table = response_headers_table(route_id);
                quote!(::gateway_runtime::headers::edit_response(&#table, upstream_response)?;)
            });
            quote! {
                ::core::option::Option::Some(Route::#variant) => {
                    #cache_status
                    #edits
                }
            }
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        async fn response_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_response: &mut ::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            match ctx.route {
                #(#arms)*
                _ => {}
            }
            ::core::result::Result::Ok(())
        }
    }
}

fn cache_hooks(gateway: &ir::Gateway) -> TokenStream {
    if !has_cache(gateway) {
        return TokenStream::new();
    }
    let cached: Vec<(Ident, Ident)> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| route.cache.is_some())
        .map(|(route_id, _)| (route_variant(route_id), cache_table(route_id)))
        .collect();
    let variants = cached.iter().map(|(variant, _)| variant);
    let cacheable_arms = cached.iter().map(|(variant, table)| {
        quote!(::core::option::Option::Some(Route::#variant) => ::gateway_runtime::cache::cacheable(session, response, &#table),)
    });
    quote! {
        fn request_cache_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            if let ::core::option::Option::Some(#(Route::#variants)|*) = ctx.route {
                self.cache.enable(session);
            }
            ::core::result::Result::Ok(())
        }

        fn cache_key_callback(
            &self,
            session: &::gateway_runtime::__private::Session,
            _ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::gateway_runtime::__private::CacheKey> {
            ::core::result::Result::Ok(::gateway_runtime::cache::key(session))
        }

        fn response_cache_filter(
            &self,
            session: &::gateway_runtime::__private::Session,
            response: &::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::gateway_runtime::__private::RespCacheable> {
            ::core::result::Result::Ok(match ctx.route {
                #(#cacheable_arms)*
                _ => ::gateway_runtime::cache::uncacheable(),
            })
        }

        fn should_serve_stale(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            _ctx: &mut Ctx,
            error: ::core::option::Option<&::gateway_runtime::__private::Error>,
        ) -> bool {
            ::gateway_runtime::cache::should_serve_stale(error)
        }
    }
}

fn logging(gateway: &ir::Gateway) -> TokenStream {
    if gateway.admin.is_none() {
        return TokenStream::new();
    }
    quote! {
        async fn logging(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _error: ::core::option::Option<&::gateway_runtime::__private::Error>,
            ctx: &mut Ctx,
        ) {
            self.metrics.record(session, ctx.route.map(|route| route as usize), ctx.start);
        }
    }
}
