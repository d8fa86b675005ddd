//! The per-request context, the per-route tables the hooks read, the route
//! matching glue, and `impl ProxyHttp` with only the hooks this file needs.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{duration, optional, policies, route_variant, upstream_field};
use crate::ir;

fn is_proxy(route: &ir::Route) -> bool {
    matches!(route.action, ir::Action::Proxy { .. })
}

fn uses_request_id(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(|route| is_proxy(route) && route.forwarded.request_id)
}

fn proxies(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(is_proxy)
}

fn uses_body_rules(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(|route| is_proxy(route) && route.body.is_some())
}

/// Whether `request_body_filter` has work: body rules or body limits.
fn filters_bodies(gateway: &ir::Gateway) -> bool {
    uses_body_rules(gateway) || policies::counts_body(gateway)
}

pub(super) fn ctx(gateway: &ir::Gateway) -> TokenStream {
    let mut fields = TokenStream::new();
    let mut inits = TokenStream::new();
    let traces = crate::policy::tracing::enabled(gateway);
    if gateway.admin.is_some() || crate::policy::access_log::enabled(gateway) || traces {
        fields.extend(quote!(start: ::std::time::Instant,));
        inits.extend(quote!(start: ::std::time::Instant::now(),));
    }
    if (gateway.admin.is_some() || crate::policy::access_log::enabled(gateway) || traces) && proxies(gateway) {
        fields.extend(quote! {
            /// The last upstream connection, for metrics, logs and spans.
            connected: ::core::option::Option<::gateway_runtime::upstream::Connected>,
        });
        inits.extend(quote!(connected: ::core::option::Option::None,));
    }
    if traces {
        fields.extend(quote! {
            /// The request's spans and trace context (`tracing`).
            trace: ::core::option::Option<::std::boxed::Box<::gateway_runtime::trace::RequestTrace>>,
        });
        inits.extend(quote!(trace: ::core::option::Option::None,));
    }
    if gateway.admin.is_some() {
        fields.extend(quote!(_in_flight: ::gateway_runtime::metrics::InFlight,));
        inits.extend(quote!(_in_flight: ::gateway_runtime::metrics::InFlight::enter(),));
    }
    if crate::policy::access_log::records_outcome(gateway) {
        fields.extend(quote! {
            /// Why the gateway refused the request, for logs and metrics.
            outcome: ::core::option::Option<&'static str>,
        });
        inits.extend(quote!(outcome: ::core::option::Option::None,));
    }
    if uses_request_id(gateway) {
        fields.extend(quote!(request_id: ::core::option::Option<::gateway_runtime::__private::HeaderValue>,));
        inits.extend(quote!(request_id: ::core::option::Option::None,));
    }
    if proxies(gateway) {
        fields.extend(quote!(upstream: ::gateway_runtime::upstream::RequestState,));
        inits.extend(quote!(upstream: ::gateway_runtime::upstream::RequestState::new(),));
    }
    if uses_body_rules(gateway) {
        fields.extend(quote!(body: ::gateway_runtime::body::BodyState,));
        inits.extend(quote!(body: ::gateway_runtime::body::BodyState::new(),));
    }
    let (policy_fields, policy_inits) = policies::ctx(gateway);
    fields.extend(policy_fields);
    inits.extend(policy_inits);
    quote! {
        /// What one request carries from phase to phase.
        pub struct Ctx {
            route: ::core::option::Option<Route>,
            /// The client's address (`gateway_runtime::client_ip`).
            client_ip: ::core::option::Option<::std::net::IpAddr>,
            #fields
        }

        impl Ctx {
            fn new() -> Ctx {
                Ctx { route: ::core::option::Option::None, client_ip: ::core::option::Option::None, #inits }
            }
        }
    }
}

/// A `match` over routes with one arm per distinct body, so that the size of
/// the code grows with the kinds of routes rather than their number.
///
/// With `fallback`, routes not listed get it. Without, the hook only runs for
/// the routes listed, and the most common body becomes the `_` arm.
fn dispatch(
    scrutinee: TokenStream,
    optional: bool,
    bodies: Vec<(ir::RouteId, TokenStream)>,
    fallback: Option<TokenStream>,
) -> TokenStream {
    let mut groups: Vec<(String, TokenStream, Vec<Ident>)> = Vec::new();
    for (route_id, body) in bodies {
        let key = body.to_string();
        match groups.iter_mut().find(|(existing, _, _)| *existing == key) {
            Some((_, _, variants)) => variants.push(route_variant(route_id)),
            None => groups.push((key, body, vec![route_variant(route_id)])),
        }
    }
    let fallback = match fallback {
        Some(fallback) => fallback,
        None => {
            let largest = (0..groups.len()).max_by_key(|index| (groups[*index].2.len(), usize::MAX - index));
            match largest {
                Some(index) => groups.remove(index).1,
                // No routes: `Route` has no value to match.
                None if !optional => return quote!(match #scrutinee {}),
                None => return quote!({}),
            }
        }
    };
    let arms = groups.iter().map(|(_, body, variants)| {
        if optional {
            quote!(::core::option::Option::Some(#(Route::#variants)|*) => #body,)
        } else {
            quote!(#(Route::#variants)|* => #body,)
        }
    });
    quote! {
        match #scrutinee {
            #(#arms)*
            _ => #fallback,
        }
    }
}

/// `LIMITS`: the limits on request heads, the runtime's defaults where the
/// file says nothing.
fn head_limits(limits: &ir::HeadLimits) -> TokenStream {
    let field = |value: Option<u64>, name: &str| {
        let name = format_ident!("{}", name);
        match value {
            Some(value) => {
                let value = Literal::usize_unsuffixed(usize::try_from(value).unwrap_or(usize::MAX));
                quote!(#name: #value)
            }
            None => quote!(#name: ::gateway_runtime::strict::Limits::DEFAULT.#name),
        }
    };
    let request_line = field(limits.request_line, "request_line");
    let headers = field(limits.headers, "headers");
    let head_bytes = field(limits.head_bytes, "head_bytes");
    quote! {
        static LIMITS: ::gateway_runtime::strict::Limits =
            ::gateway_runtime::strict::Limits { #request_line, #headers, #head_bytes };
    }
}

fn table(prefix: &str, route_id: ir::RouteId) -> Ident {
    format_ident!("{}_{}", prefix, route_id)
}

/// The error pages a route answers with: its own table, or the server's.
fn error_pages_of(gateway: &ir::Gateway, route_id: ir::RouteId) -> TokenStream {
    if gateway.routes[route_id].error_pages == gateway.error_pages {
        quote!(&ERROR_PAGES)
    } else {
        let table = table("ERROR_PAGES", route_id);
        quote!(&#table)
    }
}

/// Static data per route: header and query edits, fixed responses,
/// redirects, cache defaults, body rules, error pages.
pub(super) fn tables(gateway: &ir::Gateway) -> TokenStream {
    let mut out = head_limits(&gateway.server.limits);
    out.extend(listener_table(gateway));
    out.extend(super::tls::statics(gateway));
    out.extend(policies::statics(gateway));
    out.extend(real_ip_table(gateway));
    out.extend(crate::policy::cache::tables(gateway));
    out.extend(crate::policy::access_log::tables(gateway));
    out.extend(crate::policy::compress::tables(gateway));
    out.extend(crate::policy::tracing::tables(gateway));
    out.extend(error_page_table(&format_ident!("ERROR_PAGES"), &gateway.error_pages));
    for (route_id, route) in gateway.routes.iter().enumerate() {
        // Each slice of edits is a static of its own: a `HeaderValue` may not
        // live in a temporary borrowed by a static.
        if is_proxy(route) {
            let headers: Vec<&ir::HeaderEdit> = route
                .request_edits
                .iter()
                .filter_map(|edit| match edit {
                    ir::RequestEdit::Header(edit) => Some(edit),
                    _ => None,
                })
                .collect();
            if !headers.is_empty() {
                out.extend(edit_table(&table("REQUEST_HEADERS", route_id), headers));
            }
            let query: Vec<TokenStream> = route.request_edits.iter().filter_map(query_edit).collect();
            if !query.is_empty() {
                let name = table("QUERY_EDITS", route_id);
                out.extend(quote!(static #name: &[::gateway_runtime::target::QueryEdit] = &[#(#query),*];));
            }
        }
        let writes_response = !is_proxy(route);
        if writes_response || !route.response_headers.is_empty() {
            out.extend(edit_table(&table("RESPONSE_HEADERS", route_id), route.response_headers.iter()));
        }
        let headers = table("RESPONSE_HEADERS", route_id);
        match &route.action {
            ir::Action::Respond { status, body, content_type } => {
                let name = table("RESPONSE", route_id);
                let body = Literal::byte_string(body.as_bytes());
                out.extend(quote! {
                    static #name: ::gateway_runtime::respond::Fixed = ::gateway_runtime::respond::Fixed {
                        status: #status,
                        body: #body,
                        content_type: #content_type,
                        headers: &#headers,
                    };
                });
            }
            ir::Action::Redirect { status, location } => {
                let name = table("REDIRECT", route_id);
                let parts = location.iter().map(|part| match part {
                    ir::TemplatePart::Literal(text) => quote!(::gateway_runtime::respond::Part::Text(#text)),
                    ir::TemplatePart::Scheme => quote!(::gateway_runtime::respond::Part::Scheme),
                    ir::TemplatePart::Host => quote!(::gateway_runtime::respond::Part::Host),
                    ir::TemplatePart::Path => quote!(::gateway_runtime::respond::Part::Path),
                    ir::TemplatePart::Query => quote!(::gateway_runtime::respond::Part::Query),
                });
                out.extend(quote! {
                    static #name: ::gateway_runtime::respond::Redirect = ::gateway_runtime::respond::Redirect {
                        status: #status,
                        location: &[#(#parts),*],
                        headers: &#headers,
                    };
                });
            }
            ir::Action::Proxy { .. } => {}
        }
        if route.error_pages != gateway.error_pages {
            out.extend(error_page_table(&table("ERROR_PAGES", route_id), &route.error_pages));
        }
        if let (Some(body), true) = (&route.body, is_proxy(route)) {
            let name = table("BODY", route_id);
            let literals = body.deny.iter().filter_map(|pattern| match pattern {
                ir::BodyPattern::Literal(text) => Some(Literal::byte_string(text.as_bytes())),
                ir::BodyPattern::Regex(_) => None,
            });
            let status = body.status;
            let inspect = Literal::usize_unsuffixed(body.inspect);
            out.extend(quote! {
                static #name: ::gateway_runtime::body::BodyRules = ::gateway_runtime::body::BodyRules {
                    literals: &[#(#literals),*],
                    status: #status,
                    inspect: #inspect,
                };
            });
        }
    }
    out
}

fn error_page_table(name: &Ident, pages: &[ir::ErrorPage]) -> TokenStream {
    let entries: Vec<TokenStream> = pages
        .iter()
        .flat_map(|page| {
            page.statuses.iter().map(move |status| {
                let body = Literal::byte_string(page.body.as_bytes());
                let content_type = &page.content_type;
                quote!(::gateway_runtime::respond::ErrorPage { status: #status, body: #body, content_type: #content_type })
            })
        })
        .collect();
    let count = entries.len();
    quote!(static #name: [::gateway_runtime::respond::ErrorPage; #count] = [#(#entries),*];)
}

fn query_edit(edit: &ir::RequestEdit) -> Option<TokenStream> {
    let encode = |text: &str| crate::codegen::encode_query_component(text);
    Some(match edit {
        ir::RequestEdit::QueryRemove(name) => quote!(::gateway_runtime::target::QueryEdit::Remove(#name)),
        ir::RequestEdit::QueryAdd(name, value) => {
            let (name, value) = (encode(name), encode(value));
            quote!(::gateway_runtime::target::QueryEdit::Add(#name, #value))
        }
        ir::RequestEdit::QuerySet(name, value) => {
            let (raw_name, name, value) = (name, encode(name), encode(value));
            quote!(::gateway_runtime::target::QueryEdit::Set(#raw_name, #name, #value))
        }
        ir::RequestEdit::Header(_) => return None,
    })
}

fn edit_table<'a>(name: &Ident, edits: impl IntoIterator<Item = &'a ir::HeaderEdit>) -> TokenStream {
    let edits: Vec<TokenStream> = edits
        .into_iter()
        .map(|edit| match edit {
            ir::HeaderEdit::Set { name, value } => quote! {
                ::gateway_runtime::headers::Edit::Set(#name, ::gateway_runtime::__private::HeaderValue::from_static(#value))
            },
            ir::HeaderEdit::Add { name, value } => quote! {
                ::gateway_runtime::headers::Edit::Add(#name, ::gateway_runtime::__private::HeaderValue::from_static(#value))
            },
            ir::HeaderEdit::Remove { name } => quote!(::gateway_runtime::headers::Edit::Remove(#name)),
            ir::HeaderEdit::Copy { from, to } => quote!(::gateway_runtime::headers::Edit::Copy(#from, #to)),
        })
        .collect();
    let count = edits.len();
    quote!(static #name: [::gateway_runtime::headers::Edit; #count] = [#(#edits),*];)
}

/// Whether some route is bound to listeners (`on`): only then does a
/// request look up the listener it came on.
fn has_listener_bindings(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(|route| !route.conditions.listeners.is_empty()) || super::tls::redirects(gateway)
}

/// `LISTENERS`: the address of each listener, by index, for
/// `gateway_runtime::router::listener_index`.
fn listener_table(gateway: &ir::Gateway) -> TokenStream {
    if !has_listener_bindings(gateway) {
        return TokenStream::new();
    }
    let count = gateway.listeners.len();
    let addrs = gateway.listeners.iter().map(|listener| super::service::socket_addr(listener.addr));
    quote!(static LISTENERS: [::std::net::SocketAddr; #count] = [#(#addrs),*];)
}

/// `Gateway::accept`: the matchers of each route besides host and path pattern,
/// and the regex of regex routes.
pub(super) fn matching(gateway: &ir::Gateway) -> TokenStream {
    let arms: Vec<TokenStream> = gateway
        .routes
        .iter()
        .enumerate()
        .filter_map(|(route_id, route)| {
            let mut tests: Vec<TokenStream> = Vec::new();
            if !route.conditions.listeners.is_empty() {
                let mask = route.conditions.listeners.iter().fold(0u64, |mask, id| mask | (1u64 << id));
                let mask = Literal::u64_unsuffixed(mask);
                tests.push(quote!(::gateway_runtime::router::on_listener(#mask, listener)));
            }
            if let ir::PathPattern::Regex { regex, .. } = &route.path {
                let regex = Literal::usize_unsuffixed(*regex);
                tests.push(quote!(self.regexes[#regex].is_match(path)));
            }
            let conditions = &route.conditions;
            if !conditions.methods.is_empty() {
                let methods = &conditions.methods;
                tests.push(quote!(::gateway_runtime::matchers::method(request, &[#(#methods),*])));
            }
            for (kind, matchers) in
                [("header", &conditions.headers), ("query", &conditions.query), ("cookie", &conditions.cookies)]
            {
                let function = format_ident!("{}", kind);
                for (name, value) in matchers {
                    let value = match value {
                        ir::ValueMatch::Present => quote!(::gateway_runtime::matchers::Value::Present),
                        ir::ValueMatch::Equals(text) => quote!(::gateway_runtime::matchers::Value::Equals(#text)),
                        ir::ValueMatch::Regex { regex, .. } => {
                            let regex = Literal::usize_unsuffixed(*regex);
                            quote!(::gateway_runtime::matchers::Value::Matches(&self.regexes[#regex]))
                        }
                    };
                    tests.push(quote!(::gateway_runtime::matchers::#function(request, #name, #value)));
                }
            }
            if tests.is_empty() {
                return None;
            }
            let variant = route_variant(route_id);
            Some(quote!(Route::#variant => #(#tests)&&*,))
        })
        .collect();
    let body = if arms.is_empty() {
        quote!(true)
    } else {
        quote! {
            match route {
                #(#arms)*
                _ => true,
            }
        }
    };
    // A file whose routes name no host routes without looking at one.
    let host = if gateway.router.exact_hosts.is_empty() && gateway.router.wildcard_hosts.is_empty() {
        quote!(::core::option::Option::None)
    } else {
        quote!(::gateway_runtime::router::request_host(request))
    };
    // The listener index is read only where a route is bound to listeners.
    let listener_param = if has_listener_bindings(gateway) { quote!(listener) } else { quote!(_listener) };
    quote! {
        impl Gateway {
            /// Whether `route` takes the request, beyond its host and path
            /// pattern; `listener` is the index of the listener it came on.
            #[inline]
            fn accept(
                &self,
                route: Route,
                request: &::gateway_runtime::__private::RequestHeader,
                path: &str,
                #listener_param: usize,
            ) -> bool {
                #body
            }

            /// The route of a request whose path is normal, on listener `listener`.
            fn find(
                &self,
                request: &::gateway_runtime::__private::RequestHeader,
                listener: usize,
            ) -> ::gateway_runtime::router::Found<Route> {
                let path = request.uri.path();
                ROUTER.find(#host, path, |route| self.accept(route, request, path, listener))
            }

            /// The label of the route a request on the first listener would
            /// take; see [`Gateway::route_label_on`].
            pub fn route_label(&self, request: &::gateway_runtime::__private::RequestHeader) -> ::core::option::Option<&'static str> {
                self.route_label_on(0, request)
            }

            /// The label of the route a request on listener `listener` (its
            /// index among the file's `listen` directives) would take, its path
            /// normalised first, or `None` for a 400 or 404: what the gateway
            /// decides, for tools and benchmarks.
            pub fn route_label_on(
                &self,
                listener: usize,
                request: &::gateway_runtime::__private::RequestHeader,
            ) -> ::core::option::Option<&'static str> {
                self.route_index_on(listener, request).ok().and_then(|route| ROUTE_LABELS.get(route).copied())
            }

            /// The index (in file order) of the route a request on listener
            /// `listener` would take, or the status it is refused with (400
            /// for a path that cannot be normalised, 404): the decision
            /// `gateway_dsl::routing::decide` makes at build time for `test`
            /// blocks, made here by the generated tables.
            pub fn route_index_on(
                &self,
                listener: usize,
                request: &::gateway_runtime::__private::RequestHeader,
            ) -> ::core::result::Result<usize, u16> {
                let path = ::gateway_runtime::path::normalize(request.uri.path()).map_err(|_| 400u16)?;
                match ROUTER.find(#host, &path, |route| self.accept(route, request, &path, listener)) {
                    ::gateway_runtime::router::Found::Route(route) => ::core::result::Result::Ok(route as usize),
                    _ => ::core::result::Result::Err(404),
                }
            }
        }
    }
}

pub(super) fn proxy_impl(gateway: &ir::Gateway) -> TokenStream {
    let request_filter = request_filter(gateway);
    let upstream_peer = upstream_peer(gateway);
    let upstream_request_filter = upstream_request_filter(gateway);
    let request_body_filter = request_body_filter(gateway);
    let response_filter = response_filter(gateway);
    let cache_hooks = crate::policy::cache::hooks(gateway);
    let compress_hooks = crate::policy::compress::hooks(gateway);
    let fail_to_proxy = fail_to_proxy(gateway);
    let fail_to_connect = fail_to_connect(gateway);
    let connected_to_upstream = connected_to_upstream(gateway);
    let logging = logging(gateway);
    quote! {
        #[::gateway_runtime::__private::async_trait]
        impl ::gateway_runtime::__private::ProxyHttp for Gateway {
            type CTX = Ctx;

            fn new_ctx(&self) -> Ctx {
                Ctx::new()
            }

            #compress_hooks

            #request_filter
            #upstream_peer
            #upstream_request_filter
            #request_body_filter
            #response_filter
            #cache_hooks
            #fail_to_proxy
            #fail_to_connect
            #connected_to_upstream
            #logging
        }
    }
}

/// Path normalisation, routing, then per route: the policies, calls, and the
/// response of routes that answer themselves.
fn request_filter(gateway: &ir::Gateway) -> TokenStream {
    let bodies = gateway
        .routes
        .iter()
        .enumerate()
        .map(|(route_id, route)| {
            let pages = error_pages_of(gateway, route_id);
            let purge = crate::policy::cache::purge_check(gateway, route_id, route, &pages);
            let compress = crate::policy::compress::select(gateway, route_id, route);
            let limit = policies::request(gateway, route, &pages);
            let limit = quote!(#compress #purge #limit);
            // A call's future is boxed: held inline, the largest call of
            // any route would make every request's `request_filter` future
            // as large (Pingora allocates that future for every request).
            let calls = route.calls.iter().map(|call| {
                let path = rust_path(&call.path);
                // Called through a function named after where the `call` is
                // written: a function of another signature fails its bound,
                // and rustc's error names it ("required by a bound in
                // `call_at_gateway_gw_line_8_in_route_api`").
                let checked = format_ident!("{}", call_site_name(&call.location, &route.label));
                quote! {
                    {
                        #[inline(always)]
                        fn #checked<'s, F: ::gateway_runtime::call::CallFn<'s>>(
                            function: &F,
                            session: &'s mut ::gateway_runtime::__private::Session,
                        ) -> F::Future {
                            function.call(session)
                        }
                        if ::std::boxed::Box::pin(#checked(&#path, session)).await? {
                            return ::core::result::Result::Ok(true);
                        }
                    }
                }
            });
            let outcome = match route.action {
                ir::Action::Respond { .. } => {
                    let name = table("RESPONSE", route_id);
                    match policies::cors_fields(gateway, route) {
                        Some(fields) => quote!(::gateway_runtime::respond::fixed_with(session, &#name, #fields).await),
                        None => quote!(::gateway_runtime::respond::fixed(session, &#name).await),
                    }
                }
                ir::Action::Redirect { .. } => {
                    let name = table("REDIRECT", route_id);
                    quote!(::gateway_runtime::respond::redirect(session, &#name).await)
                }
                // A chunked body is known to be well framed before the
                // upstream request is opened.
                ir::Action::Proxy { .. } => quote! {
                    if ::gateway_runtime::strict::first_chunk_pending(session) {
                        ::std::boxed::Box::pin(::gateway_runtime::strict::read_first_chunk(session, #pages)).await
                    } else {
                        ::core::result::Result::Ok(false)
                    }
                },
            };
            let body = if limit.is_empty() && route.calls.is_empty() {
                outcome
            } else {
                quote!({ #limit #(#calls)* #outcome })
            };
            (route_id, body)
        })
        .collect();
    let per_route = dispatch(quote!(route), false, bodies, None);
    let listener = if has_listener_bindings(gateway) {
        quote!(::gateway_runtime::router::listener_index(session.as_downstream().server_addr(), &LISTENERS))
    } else {
        quote!(0)
    };
    let trace_start = crate::policy::tracing::enabled(gateway).then(|| {
        quote! {
            let label = ROUTE_LABELS.get(route as usize).copied().unwrap_or(::gateway_runtime::metrics::UNMATCHED);
            ctx.trace = ::core::option::Option::Some(self.tracing.start(session, label, ctx.client_ip, ctx.start));
        }
    });
    let strict = crate::policy::access_log::records_outcome(gateway)
        .then(|| quote!(ctx.outcome = ::core::option::Option::Some("strict");));
    let misdirected = crate::policy::access_log::records_outcome(gateway)
        .then(|| quote!(ctx.outcome = ::core::option::Option::Some("misdirected");));
    let edge = super::tls::request(gateway, &misdirected.unwrap_or_default());
    let client_ip = match &gateway.server.real_ip {
        None => quote!(::gateway_runtime::client_ip::peer(session)),
        Some(_) => quote!(::gateway_runtime::client_ip::behind(session, &REAL_IP)),
    };
    quote! {
        async fn request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<bool> {
            if let ::core::option::Option::Some(response) = ::gateway_runtime::strict::screen(session, &LIMITS, &ERROR_PAGES) {
                #strict
                return response.await;
            }
            let normal = ::gateway_runtime::path::normalize_target(session.req_header_mut());
            if !normal {
                #strict
                return ::gateway_runtime::respond::error(session, 400, &ERROR_PAGES).await;
            }
            let listener = #listener;
            #edge
            let route = match self.find(session.req_header(), listener) {
                ::gateway_runtime::router::Found::Route(route) => route,
                _ => return ::gateway_runtime::respond::error(session, 404, &ERROR_PAGES).await,
            };
            ctx.route = ::core::option::Option::Some(route);
            ctx.client_ip = #client_ip;
            #trace_start
            #per_route
        }
    }
}

/// `REAL_IP`: `server { trusted_proxies ...; real_ip header ... }`.
fn real_ip_table(gateway: &ir::Gateway) -> TokenStream {
    let Some(real_ip) = &gateway.server.real_ip else { return TokenStream::new() };
    let trusted = real_ip.trusted.iter().map(|cidr| super::cidr(*cidr));
    let header = match real_ip.header {
        ir::RealIpHeader::XForwardedFor => quote!(XForwardedFor),
        ir::RealIpHeader::XRealIp => quote!(XRealIp),
    };
    quote! {
        static REAL_IP: ::gateway_runtime::client_ip::RealIp = ::gateway_runtime::client_ip::RealIp {
            trusted: &[#(#trusted),*],
            header: ::gateway_runtime::client_ip::Header::#header,
        };
    }
}

/// `call_at_gateway_gw_line_8_in_route_api`: the name of the function a
/// `call` at `location` (`file:line:col`) in the route labelled `label` is
/// made through, as an identifier.
fn call_site_name(location: &str, label: &str) -> String {
    let mut parts = location.rsplitn(3, ':');
    let (_column, line, file) = (parts.next(), parts.next().unwrap_or("0"), parts.next().unwrap_or(""));
    let file = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let word = |text: &str| {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('_') {
                out.push('_');
            }
        }
        out.trim_matches('_').to_string()
    };
    let route = match word(label) {
        route if route.is_empty() => "root".to_string(),
        route => route,
    };
    format!("call_at_{}_line_{line}_in_route_{route}", word(file))
}

/// A `call` path, as seen from inside the generated module: paths relative
/// to the module that calls `gateway!` get a `super::`.
fn rust_path(path: &[String]) -> TokenStream {
    let segments: Vec<Ident> =
        path.iter().filter(|segment| !segment.is_empty()).map(|segment| format_ident!("{}", segment)).collect();
    match path.first().map(String::as_str) {
        Some("") => quote!(::#(#segments)::*),
        Some("crate") => quote!(#(#segments)::*),
        Some("self") => {
            let rest = &segments[1..];
            quote!(super::#(#rest)::*)
        }
        _ => quote!(super::#(#segments)::*),
    }
}

/// Routes to the upstream they name, grouped by upstream and timeouts.
fn upstream_peer(gateway: &ir::Gateway) -> TokenStream {
    let bodies = gateway
        .routes
        .iter()
        .enumerate()
        .filter_map(|(route_id, route)| {
            let ir::Action::Proxy { upstream } = route.action else { return None };
            let field = upstream_field(gateway, upstream);
            let timeouts = route.timeouts;
            let connect = optional(timeouts.connect.map(duration));
            let mut peer = quote!(self.#field.peer(session, ctx.client_ip, #connect, &mut ctx.upstream));
            if timeouts.read.is_some() || timeouts.write.is_some() {
                let [read, write] = [timeouts.read, timeouts.write].map(|value| optional(value.map(duration)));
                peer = quote!(#peer.map(|peer| ::gateway_runtime::upstream::with_timeouts(peer, #read, #write)));
            }
            if let Some(idle) = route.websocket {
                let idle = optional(idle.map(duration));
                peer = quote! {{
                    let upgrade = ::gateway_runtime::upstream::is_websocket(session.req_header());
                    #peer.map(|peer| ::gateway_runtime::upstream::for_websocket(peer, upgrade, #idle))
                }};
            }
            Some((route_id, peer))
        })
        .collect::<Vec<_>>();
    let per_route = if bodies.is_empty() {
        quote!(::core::result::Result::Err(::gateway_runtime::upstream::no_upstream()))
    } else {
        dispatch(quote!(ctx.route), true, bodies, None)
    };
    quote! {
        async fn upstream_peer(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<::std::boxed::Box<::gateway_runtime::__private::HttpPeer>> {
            #per_route
        }
    }
}

/// The request sent upstream: its target (strip_prefix, rewrite, query
/// edits), the forwarding headers, then the route's header edits.
fn upstream_request_filter(gateway: &ir::Gateway) -> TokenStream {
    let bodies: Vec<(ir::RouteId, TokenStream)> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| is_proxy(route))
        .map(|(route_id, route)| {
            let mut steps = TokenStream::new();
            let has_query = route.request_edits.iter().any(|edit| !matches!(edit, ir::RequestEdit::Header(_)));
            if route.upstream_path != ir::UpstreamPath::Unchanged || has_query {
                let change = match &route.upstream_path {
                    ir::UpstreamPath::Unchanged => quote!(::gateway_runtime::target::PathChange::Keep),
                    ir::UpstreamPath::StripPrefix(prefix) => quote!(::gateway_runtime::target::PathChange::StripPrefix(#prefix)),
                    ir::UpstreamPath::Rewrite { regex, replacement } => {
                        let regex = Literal::usize_unsuffixed(*regex);
                        quote!(::gateway_runtime::target::PathChange::Rewrite(&self.regexes[#regex], #replacement))
                    }
                };
                let query = if has_query {
                    let name = table("QUERY_EDITS", route_id);
                    quote!(#name)
                } else {
                    quote!(&[])
                };
                steps.extend(quote!(::gateway_runtime::target::rewrite(upstream_request, #change, #query)?;));
            }
            let forwarded = route.forwarded;
            let for_mode = match forwarded.x_forwarded_for {
                ir::ForwardedFor::Replace => quote!(::gateway_runtime::forwarded::For::Replace),
                ir::ForwardedFor::Append => quote!(::gateway_runtime::forwarded::For::Append),
                ir::ForwardedFor::Off => quote!(::gateway_runtime::forwarded::For::Off),
            };
            let (proto, host) = (forwarded.x_forwarded_proto, forwarded.x_forwarded_host);
            if forwarded.x_forwarded_for != ir::ForwardedFor::Off || proto || host {
                steps.extend(quote!(::gateway_runtime::forwarded::add(session, upstream_request, ctx.client_ip, #for_mode, #proto, #host)?;));
            }
            if forwarded.request_id {
                steps.extend(quote! {
                    ctx.request_id = ::core::option::Option::Some(::gateway_runtime::forwarded::request_id(upstream_request)?);
                });
            }
            if route.request_edits.iter().any(|edit| matches!(edit, ir::RequestEdit::Header(_))) {
                let name = table("REQUEST_HEADERS", route_id);
                steps.extend(quote!(::gateway_runtime::headers::edit_request(&#name, upstream_request)?;));
            }
            if let (true, ir::Action::Proxy { upstream }) = (crate::policy::tracing::enabled(gateway), &route.action) {
                let name = &gateway.upstreams[*upstream].name;
                steps.extend(quote!(self.tracing.upstream(ctx.trace.as_deref_mut(), upstream_request, #name);));
            }
            (route_id, quote!({ #steps }))
        })
        .collect();
    if bodies.iter().all(|(_, body)| body.to_string() == "{ }") {
        return TokenStream::new();
    }
    let per_route = dispatch(quote!(ctx.route), true, bodies, None);
    quote! {
        async fn upstream_request_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_request: &mut ::gateway_runtime::__private::RequestHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            #per_route
            ::core::result::Result::Ok(())
        }
    }
}

/// Request body limits (`limit body`) and inspection (`body { deny ... }`).
fn request_body_filter(gateway: &ir::Gateway) -> TokenStream {
    if !filters_bodies(gateway) {
        return TokenStream::new();
    }
    let arms =
        gateway.routes.iter().enumerate().filter(|(_, route)| is_proxy(route)).filter_map(|(route_id, route)| {
            let limits = policies::request_body(gateway, route);
            let inspect = route.body.as_ref().map(|rules| {
                let name = table("BODY", route_id);
                let regexes = rules.deny.iter().filter_map(|pattern| match pattern {
                    ir::BodyPattern::Regex(index) => {
                        let index = Literal::usize_unsuffixed(*index);
                        Some(quote!(&self.body_regexes[#index]))
                    }
                    ir::BodyPattern::Literal(_) => None,
                });
                quote!(::gateway_runtime::body::inspect(&mut ctx.body, body, end_of_stream, &#name, &[#(#regexes),*])?;)
            });
            if limits.is_empty() && inspect.is_none() {
                return None;
            }
            let variant = route_variant(route_id);
            Some(quote! {
                ::core::option::Option::Some(Route::#variant) => {
                    #limits
                    #inspect
                }
            })
        });
    quote! {
        async fn request_body_filter(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            body: &mut ::core::option::Option<::gateway_runtime::__private::Bytes>,
            end_of_stream: bool,
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

/// Response header edits of proxied routes, the cache status of cached
/// ones, and the request id.
fn response_filter(gateway: &ir::Gateway) -> TokenStream {
    let bodies: Vec<(ir::RouteId, TokenStream)> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| is_proxy(route))
        .map(|(route_id, route)| {
            let cache_status = crate::policy::cache::status_header(route);
            let compress = crate::policy::compress::response(gateway, route_id, route);
            let request_id = route.forwarded.request_id.then(
                || quote!(::gateway_runtime::forwarded::echo_request_id(ctx.request_id.as_ref(), upstream_response)?;),
            );
            let sticky = match route.action {
                ir::Action::Proxy { upstream } if gateway.upstreams[upstream].sticky.is_some() => {
                    Some(quote!(ctx.upstream.add_sticky_cookie(upstream_response)?;))
                }
                _ => None,
            };
            let edits = (!route.response_headers.is_empty()).then(|| {
                let name = table("RESPONSE_HEADERS", route_id);
                quote!(::gateway_runtime::headers::edit_response(&#name, upstream_response)?;)
            });
            let policies = policies::response(gateway, route);
            (route_id, quote!({ #cache_status #compress #request_id #sticky #policies #edits }))
        })
        .collect();
    let hsts = super::tls::response(gateway);
    if bodies.iter().all(|(_, body)| body.to_string() == "{ }") && hsts.is_empty() {
        return TokenStream::new();
    }
    let per_route = dispatch(quote!(ctx.route), true, bodies, None);
    quote! {
        async fn response_filter(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            upstream_response: &mut ::gateway_runtime::__private::ResponseHeader,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            #hsts
            #per_route
            ::core::result::Result::Ok(())
        }
    }
}

/// Errors of any phase: 504 for upstream timeouts, 502 for other upstream
/// failures, and the route's error pages.
fn fail_to_proxy(gateway: &ir::Gateway) -> TokenStream {
    let arms = gateway.routes.iter().enumerate().filter(|(_, route)| route.error_pages != gateway.error_pages).map(
        |(route_id, _)| {
            let variant = route_variant(route_id);
            let name = table("ERROR_PAGES", route_id);
            quote!(::core::option::Option::Some(Route::#variant) => &#name,)
        },
    );
    quote! {
        async fn fail_to_proxy(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            error: &::gateway_runtime::__private::Error,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::FailToProxy {
            let pages: &[::gateway_runtime::respond::ErrorPage] = match ctx.route {
                #(#arms)*
                _ => &ERROR_PAGES,
            };
            ::gateway_runtime::respond::fail_to_proxy(session, error, pages).await
        }
    }
}

/// A failed connection: the upstream leaves the backend aside and asks for a
/// retry on another if its budget allows.
fn fail_to_connect(gateway: &ir::Gateway) -> TokenStream {
    let bodies: Vec<(ir::RouteId, TokenStream)> = gateway
        .routes
        .iter()
        .enumerate()
        .filter_map(|(route_id, route)| {
            let ir::Action::Proxy { upstream } = route.action else { return None };
            let field = upstream_field(gateway, upstream);
            let call = quote!(self.#field.connect_failed(peer, &ctx.upstream, error));
            let body = match &gateway.admin {
                Some(_) => {
                    let name = &gateway.upstreams[upstream].name;
                    quote!({
                        let error = #call;
                        self.metrics.connect_failed(#name, error.retry());
                        error
                    })
                }
                None => call,
            };
            Some((route_id, body))
        })
        .collect();
    if bodies.is_empty() {
        return TokenStream::new();
    }
    let per_route = dispatch(quote!(ctx.route), true, bodies, Some(quote!(error)));
    quote! {
        fn fail_to_connect(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            peer: &::gateway_runtime::__private::HttpPeer,
            ctx: &mut Ctx,
            error: ::std::boxed::Box<::gateway_runtime::__private::Error>,
        ) -> ::std::boxed::Box<::gateway_runtime::__private::Error> {
            #per_route
        }
    }
}

/// Counts connections to upstreams, reused or new, in the metrics.
fn connected_to_upstream(gateway: &ir::Gateway) -> TokenStream {
    let logs = crate::policy::access_log::enabled(gateway) || crate::policy::tracing::enabled(gateway);
    if (gateway.admin.is_none() && !logs) || !proxies(gateway) {
        return TokenStream::new();
    }
    let metrics = gateway.admin.as_ref().map(|_| quote!(self.metrics.connection(ctx.upstream.upstream(), reused);));
    let (peer, log) = (quote!(peer), Some(quote!(ctx.connected = ::gateway_runtime::upstream::Connected::of(peer);)));
    let reused = if gateway.admin.is_some() { quote!(reused) } else { quote!(_reused) };
    quote! {
        async fn connected_to_upstream(
            &self,
            _session: &mut ::gateway_runtime::__private::Session,
            #reused: bool,
            #peer: &::gateway_runtime::__private::HttpPeer,
            #[cfg(unix)] _fd: ::std::os::unix::io::RawFd,
            #[cfg(windows)] _sock: ::std::os::windows::io::RawSocket,
            _digest: ::core::option::Option<&::gateway_runtime::__private::Digest>,
            ctx: &mut Ctx,
        ) -> ::gateway_runtime::__private::Result<()> {
            #metrics
            #log
            ::core::result::Result::Ok(())
        }
    }
}

fn logging(gateway: &ir::Gateway) -> TokenStream {
    let logs = crate::policy::access_log::logging(gateway, proxies(gateway), uses_request_id(gateway));
    let trace = crate::policy::tracing::enabled(gateway).then(|| {
        let backend = if proxies(gateway) {
            quote!(ctx.connected.map(|connected| connected.backend))
        } else {
            quote!(::core::option::Option::None)
        };
        quote!(self.tracing.end(ctx.trace.take(), session, #backend);)
    });
    if gateway.admin.is_none() && logs.is_empty() && trace.is_none() {
        return TokenStream::new();
    }
    let metrics = gateway.admin.as_ref().map(|_| {
        let cache = if gateway.routes.iter().any(|route| route.cache.is_some()) {
            quote!(cache_route(ctx.route).map(|_| ::gateway_runtime::cache::status(session)))
        } else {
            quote!(::core::option::Option::None)
        };
        let upstream = if proxies(gateway) {
            quote!(ctx.connected.map(|connected| (ctx.upstream.upstream(), connected.elapsed())))
        } else {
            quote!(::core::option::Option::None)
        };
        quote! {
            self.metrics.record(session, &::gateway_runtime::metrics::Outcome {
                route: ctx.route.map(|route| route as usize),
                start: ctx.start,
                refused: ctx.outcome,
                cache: #cache,
                upstream: #upstream,
            });
        }
    });
    quote! {
        async fn logging(
            &self,
            session: &mut ::gateway_runtime::__private::Session,
            _error: ::core::option::Option<&::gateway_runtime::__private::Error>,
            ctx: &mut Ctx,
        ) {
            #metrics
            #logs
            #trace
        }
    }
}
