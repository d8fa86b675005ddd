//! `compress gzip zstd [{ min_size SIZE; types TYPE... }]` in `server { }`
//! (every route) or a route, and `compress off` in a route. Runtime:
//! `gateway_runtime::compress` (Pingora's response compression module).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Directive;
use crate::check::args::Args;
use crate::check::{Checker, literal};
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct Compress {
    pub gzip: bool,
    pub zstd: bool,
    pub min_size: u64,
    /// Lower case; `text/*` for a family.
    pub types: Vec<String>,
}

/// A route's `compress`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RouteCompress {
    /// The server's, if any.
    #[default]
    Inherit,
    Off,
    Own(Compress),
}

/// Below this, compressing gains less than it costs.
pub const DEFAULT_MIN_SIZE: u64 = 1024;
/// Types compressed when `types` is not given: text, and the text-based
/// formats of the web.
pub const DEFAULT_TYPES: &[&str] = &[
    "text/*",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/wasm",
    "image/svg+xml",
];

/// `compress off` (`allow_off`: in a route) or codings.
pub(crate) fn lower(
    ck: &Checker<'_>,
    directive: &Directive,
    args: &mut Args<'_>,
    allow_off: bool,
) -> Option<RouteCompress> {
    let mut compress = Compress {
        gzip: false,
        zstd: false,
        min_size: DEFAULT_MIN_SIZE,
        types: DEFAULT_TYPES.iter().map(|media_type| media_type.to_string()).collect(),
    };
    let mut ok = true;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    loop {
        let expected = if allow_off { "`gzip`, `zstd` or `off`" } else { "`gzip` or `zstd`" };
        let keywords: &[&'static str] = if allow_off { &["gzip", "zstd", "off"] } else { &["gzip", "zstd"] };
        if let Some(arg) = args.peek()
            && arg.text() == Some("br")
        {
            args.next("a coding");
            ck.cx.push(
                Diagnostic::new(arg.span, "`br` is not offered: Pingora 0.9's brotli encoder never ends its stream")
                    .label("strict decoders (Node's `fetch`) reject such bodies")
                    .note("cloudflare/pingora#1013")
                    .help("use `gzip` and `zstd`"),
            );
            ok = false;
            if args.is_done() {
                break;
            }
            continue;
        }
        let (coding, span) = args.keyword(expected, keywords)?;
        if coding == "off" {
            if seen.is_empty() && args.is_done() && directive.block.is_none() {
                return Some(RouteCompress::Off);
            }
            ck.cx.push(Diagnostic::new(span, "`compress off` stands alone").label("not with codings or a block"));
            args.reported();
            return None;
        }
        if let Some((_, first)) = seen.iter().find(|(known, _)| *known == coding) {
            ck.cx.push(
                Diagnostic::new(span, format!("`{coding}` twice"))
                    .label("listed again")
                    .note(format!("first listed at column {}", ck.source.line_col(first.start).1)),
            );
            ok = false;
        }
        seen.push((coding, span));
        match coding {
            "gzip" => compress.gzip = true,
            _ => compress.zstd = true,
        }
        if args.is_done() {
            break;
        }
    }
    let mut types_given = false;
    for inner in directive.block.iter().flat_map(|block| &block.directives) {
        ck.no_block(inner);
        let mut args = Args::new(ck.cx, inner);
        match inner.name.text.as_str() {
            "min_size" => match args.parse("a size", literal::size) {
                Some((size, _)) => compress.min_size = size,
                None => ok = false,
            },
            "types" => {
                if !types_given {
                    compress.types.clear();
                    types_given = true;
                }
                loop {
                    match args.parse("a media type (`text/html`, `text/*`)", media_type) {
                        Some((media_type, _)) => compress.types.push(media_type),
                        None => ok = false,
                    }
                    if args.is_done() {
                        break;
                    }
                }
            }
            _ => {
                ck.unknown_directive(inner, "a `compress` block", symbol::COMPRESS);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    ok.then_some(RouteCompress::Own(compress))
}

/// `type/subtype` or `type/*`, lower case, without parameters.
fn media_type(text: &str) -> Result<String, String> {
    if let Some(family) = text.strip_suffix("/*")
        && !family.is_empty()
        && family.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-+.".contains(&byte))
    {
        return Ok(text.to_ascii_lowercase());
    }
    literal::media_type(text).and_then(|media_type| match media_type.contains(';') {
        true => Err(format!("`{text}`: a media type without parameters is matched")),
        false => Ok(media_type.to_ascii_lowercase()),
    })
}

/// The compression of a route: its own, the server's, or none.
pub(crate) fn of<'a>(gateway: &'a ir::Gateway, route: &'a ir::Route) -> Option<&'a Compress> {
    match &route.compress {
        RouteCompress::Inherit => gateway.server.compress.as_ref(),
        RouteCompress::Off => None,
        RouteCompress::Own(compress) => Some(compress),
    }
}

/// Whether any route compresses.
pub(crate) fn used(gateway: &ir::Gateway) -> bool {
    gateway.routes.iter().any(|route| of(gateway, route).is_some())
}

fn table(route_id: ir::RouteId) -> proc_macro2::Ident {
    format_ident!("COMPRESS_{}", route_id)
}

/// The `COMPRESS_n` statics of the routes that compress.
pub(crate) fn tables(gateway: &ir::Gateway) -> TokenStream {
    let mut out = TokenStream::new();
    for (route_id, route) in gateway.routes.iter().enumerate() {
        let Some(compress) = of(gateway, route) else { continue };
        let name = table(route_id);
        let Compress { gzip, zstd, min_size, types } = compress;
        out.extend(quote! {
            static #name: ::gateway_runtime::compress::Compress = ::gateway_runtime::compress::Compress {
                gzip: #gzip,
                zstd: #zstd,
                min_size: #min_size,
                types: &[#(#types),*],
            };
        });
    }
    out
}

/// `init_downstream_modules`: the module, when a route compresses.
pub(crate) fn hooks(gateway: &ir::Gateway) -> TokenStream {
    if !used(gateway) {
        return quote! {
            /// No downstream module: nothing in the file transforms response
            /// bodies, and Pingora's default (a disabled compression module)
            /// would still be set up and run for every request.
            fn init_downstream_modules(&self, _modules: &mut ::gateway_runtime::__private::HttpModules) {}
        };
    }
    quote! {
        /// Response compression (`compress`): registered once, disabled,
        /// turned on by the routes that compress.
        fn init_downstream_modules(&self, modules: &mut ::gateway_runtime::__private::HttpModules) {
            modules.add_module(::gateway_runtime::compress::module());
        }
    }
}

/// The route's statement of `request_filter`.
pub(crate) fn select(gateway: &ir::Gateway, route_id: ir::RouteId, route: &ir::Route) -> TokenStream {
    match of(gateway, route) {
        Some(_) => {
            let name = table(route_id);
            quote!(::gateway_runtime::compress::select(session, &#name);)
        }
        None => TokenStream::new(),
    }
}

/// The route's statement of `response_filter`.
pub(crate) fn response(gateway: &ir::Gateway, route_id: ir::RouteId, route: &ir::Route) -> TokenStream {
    match of(gateway, route) {
        Some(_) => {
            let name = table(route_id);
            quote!(::gateway_runtime::compress::response(session, &#name, upstream_response);)
        }
        None => TokenStream::new(),
    }
}
