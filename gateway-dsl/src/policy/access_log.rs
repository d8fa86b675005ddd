//! `access_log stdout|stderr|FILE [format combined|json] [{ fields ...;
//! redact_query ... }]` in `server { }` (every route) or a route (its own
//! destination), and `access_log off` in a route. Runtime:
//! `gateway_runtime::access_log`; the line is made in `logging`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Directive;
use crate::check::args::Args;
use crate::check::{Checker, literal};
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct AccessLog {
    pub destination: Destination,
    pub json: bool,
    /// The fields of JSON lines, by name (`gateway_runtime::access_log::Field`).
    pub fields: Vec<String>,
    pub redact_query: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    Stdout,
    Stderr,
    /// An absolute path, or relative to the working directory at start-up.
    File(String),
}

/// A route's `access_log`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RouteLog {
    /// The server's, if any.
    #[default]
    Inherit,
    Off,
    Own(AccessLog),
}

/// The fields a JSON line may hold, in the order it holds them.
pub const FIELDS: &[&str] = &[
    "time",
    "client",
    "method",
    "target",
    "protocol",
    "host",
    "status",
    "bytes_sent",
    "duration",
    "upstream_duration",
    "route",
    "upstream",
    "backend",
    "cache",
    "request_id",
    "trace_id",
    "user",
    "outcome",
    "referer",
    "user_agent",
];

/// `access_log off` (`allow_off`: in a route) or a destination.
pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, args: &mut Args<'_>, allow_off: bool) -> Option<RouteLog> {
    let (text, span) = args.text("`stdout`, `stderr`, a file path or `off`")?;
    let destination = match text {
        "off" if allow_off => {
            if let Some(block) = &directive.block {
                ck.cx.push(Diagnostic::new(block.span, "`access_log off` takes no block").label("unexpected block"));
            }
            return Some(RouteLog::Off);
        }
        "off" => {
            ck.cx.push(
                Diagnostic::new(span, "`access_log off` is for routes")
                    .label("the server logs nothing without `access_log`")
                    .help("remove the directive"),
            );
            return None;
        }
        "stdout" => Destination::Stdout,
        "stderr" => Destination::Stderr,
        path if path.starts_with('/') || path.starts_with("./") || path.starts_with("../") || path.contains('/') => {
            Destination::File(path.to_string())
        }
        other => {
            ck.cx.push(
                Diagnostic::new(span, format!("`{other}` is not `stdout`, `stderr` or a file path"))
                    .label("unknown destination")
                    .help(format!("a file in the working directory is written `./{other}`")),
            );
            return None;
        }
    };
    let mut json = false;
    if !args.is_done() {
        args.keyword("`format`", &["format"])?;
        json = args.keyword("`combined` or `json`", &["combined", "json"])?.0 == "json";
    }
    let mut log = AccessLog {
        destination,
        json,
        fields: FIELDS.iter().map(|field| field.to_string()).collect(),
        redact_query: Vec::new(),
    };
    let mut ok = true;
    let mut fields_span: Option<Span> = None;
    for inner in directive.block.iter().flat_map(|block| &block.directives) {
        ck.no_block(inner);
        let mut args = Args::new(ck.cx, inner);
        match inner.name.text.as_str() {
            "fields" => {
                fields_span = Some(inner.head_span());
                log.fields.clear();
                loop {
                    match args.keyword("a field", FIELDS) {
                        Some((field, span)) if log.fields.iter().any(|known| known == field) => {
                            ck.cx.push(Diagnostic::new(span, format!("`{field}` twice")).label("listed already"));
                            ok = false;
                        }
                        Some((field, _)) => log.fields.push(field.to_string()),
                        None => ok = false,
                    }
                    if args.is_done() {
                        break;
                    }
                }
            }
            "redact_query" => loop {
                match args.parse("a query parameter", literal::query_name) {
                    Some((name, _)) => log.redact_query.push(name),
                    None => ok = false,
                }
                if args.is_done() {
                    break;
                }
            },
            _ => {
                ck.unknown_directive(inner, "an `access_log` block", symbol::ACCESS_LOG);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    if let (Some(span), false) = (fields_span, log.json) {
        ck.cx.push(
            Diagnostic::new(span, "`fields` chooses what JSON lines hold")
                .label("the combined format is fixed")
                .help("add `format json` to the `access_log` line"),
        );
        ok = false;
    }
    // Keep the fields in the canonical order: lines read alike whatever
    // order `fields` lists them in.
    log.fields.sort_by_key(|field| FIELDS.iter().position(|known| known == field));
    ok.then_some(RouteLog::Own(log))
}

/// Whether the file has an access log.
pub(crate) fn enabled(gateway: &ir::Gateway) -> bool {
    !logs(gateway).is_empty()
}

/// Whether requests note why the gateway refused them (`Ctx::outcome`): for
/// the access log and the refusal metrics.
pub(crate) fn records_outcome(gateway: &ir::Gateway) -> bool {
    gateway.admin.is_some() || enabled(gateway)
}

/// The statements of `logging` that write a request's line.
pub(crate) fn logging(gateway: &ir::Gateway, proxies: bool, request_id: bool) -> TokenStream {
    if !enabled(gateway) {
        return TokenStream::new();
    }
    let none = quote!(::core::option::Option::None);
    let (upstream, backend, upstream_duration) = if proxies {
        (
            quote!(ctx.upstream.upstream()),
            quote!(ctx.connected.map(|connected| connected.backend)),
            quote!(ctx.connected.map(|connected| connected.elapsed())),
        )
    } else {
        (quote!(""), none.clone(), none.clone())
    };
    let request_id =
        if request_id { quote!(ctx.request_id.as_ref().and_then(|id| id.to_str().ok())) } else { none.clone() };
    let cache = if gateway.routes.iter().any(|route| route.cache.is_some()) {
        quote!(cache_route(ctx.route).map(|_| ::gateway_runtime::cache::status(session)))
    } else {
        none.clone()
    };
    let basic: Vec<_> = gateway
        .routes
        .iter()
        .enumerate()
        .filter(|(_, route)| {
            route.policies.iter().any(|id| matches!(gateway.policies[*id].policy, crate::policy::Policy::AuthBasic(_)))
        })
        .map(|(route_id, _)| crate::codegen::route_variant(route_id))
        .collect();
    let user = if basic.is_empty() {
        none.clone()
    } else {
        quote!(match ctx.route {
            ::core::option::Option::Some(#(Route::#basic)|*) if ctx.outcome.is_none() => {
                ::gateway_runtime::policy::auth_basic::user(session)
            }
            _ => ::core::option::Option::None,
        })
    };
    let trace_id = if crate::policy::tracing::enabled(gateway) {
        quote!(ctx.trace.as_ref().map(|trace| trace.trace_id()))
    } else {
        none.clone()
    };
    quote! {
        if let ::core::option::Option::Some(index) = access_log_of(ctx.route) {
            let user: ::core::option::Option<::std::string::String> = #user;
            let trace_id: ::core::option::Option<::std::string::String> = #trace_id;
            let record = ::gateway_runtime::access_log::Record {
                client: ctx.client_ip,
                start: ctx.start,
                route: ctx
                    .route
                    .and_then(|route| ROUTE_LABELS.get(route as usize).copied())
                    .unwrap_or(::gateway_runtime::metrics::UNMATCHED),
                upstream: #upstream,
                backend: #backend,
                upstream_duration: #upstream_duration,
                cache: #cache,
                request_id: #request_id,
                trace_id: trace_id.as_deref(),
                user: user.as_deref(),
                outcome: ctx.outcome,
            };
            self.access_logs.log(index, session, &record);
        }
    }
}

/// The logs of a gateway, in index order: the server's first, then each
/// route's own.
pub(crate) fn logs(gateway: &ir::Gateway) -> Vec<&AccessLog> {
    let routes = gateway.routes.iter().filter_map(|route| match &route.access_log {
        RouteLog::Own(log) => Some(log),
        _ => None,
    });
    gateway.server.access_log.iter().chain(routes).collect()
}

/// The index of the log of each route (`None`: not logged).
pub(crate) fn indexes(gateway: &ir::Gateway) -> Vec<Option<usize>> {
    let server = gateway.server.access_log.as_ref().map(|_| 0);
    let mut next = usize::from(server.is_some());
    gateway
        .routes
        .iter()
        .map(|route| match &route.access_log {
            RouteLog::Inherit => server,
            RouteLog::Off => None,
            RouteLog::Own(_) => {
                next += 1;
                Some(next - 1)
            }
        })
        .collect()
}

/// `ACCESS_LOG_n` statics, `ACCESS_LOGS` and `access_log_of`.
pub(crate) fn tables(gateway: &ir::Gateway) -> TokenStream {
    let logs = logs(gateway);
    if logs.is_empty() {
        return TokenStream::new();
    }
    let mut out = TokenStream::new();
    let mut names = Vec::new();
    for (index, log) in logs.iter().enumerate() {
        let name = format_ident!("ACCESS_LOG_{}", index);
        let destination = match &log.destination {
            Destination::Stdout => quote!(::gateway_runtime::access_log::Destination::Stdout),
            Destination::Stderr => quote!(::gateway_runtime::access_log::Destination::Stderr),
            Destination::File(path) => quote!(::gateway_runtime::access_log::Destination::File(#path)),
        };
        let format = if log.json { quote!(Json) } else { quote!(Combined) };
        let fields = log.fields.iter().map(|field| {
            let variant = format_ident!("{}", field.split('_').map(capitalized).collect::<String>());
            quote!(::gateway_runtime::access_log::Field::#variant)
        });
        let redact = &log.redact_query;
        out.extend(quote! {
            static #name: ::gateway_runtime::access_log::LogConfig = ::gateway_runtime::access_log::LogConfig {
                destination: #destination,
                format: ::gateway_runtime::access_log::Format::#format,
                fields: &[#(#fields),*],
                redact_query: &[#(#redact),*],
            };
        });
        names.push(name);
    }
    let count = names.len();
    let server = match gateway.server.access_log {
        Some(_) => quote!(::core::option::Option::Some(0)),
        None => quote!(::core::option::Option::None),
    };
    let arms = indexes(gateway).into_iter().enumerate().filter(|(_, index)| *index != server_index(gateway)).map(
        |(route_id, index)| {
            let variant = crate::codegen::route_variant(route_id);
            let index = crate::codegen::optional(index.map(|index| quote!(#index)));
            quote!(::core::option::Option::Some(Route::#variant) => #index,)
        },
    );
    out.extend(quote! {
        static ACCESS_LOGS: [&::gateway_runtime::access_log::LogConfig; #count] = [#(&#names),*];

        /// The access log of a request's route (unmatched requests: the server's).
        fn access_log_of(route: ::core::option::Option<Route>) -> ::core::option::Option<usize> {
            match route {
                #(#arms)*
                _ => #server,
            }
        }
    });
    out
}

fn server_index(gateway: &ir::Gateway) -> Option<usize> {
    gateway.server.access_log.as_ref().map(|_| 0)
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_ascii_uppercase().to_string() + chars.as_str())
}
