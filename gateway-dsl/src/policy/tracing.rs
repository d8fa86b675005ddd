//! `server { tracing { otlp URL [json]; service_name NAME; sample RATIO } }`:
//! W3C Trace Context propagated to upstreams, and spans exported over
//! OTLP/HTTP when `otlp` is given. Runtime: `gateway_runtime::trace`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct Tracing {
    /// The OTLP/HTTP traces endpoint, used as written.
    pub otlp: Option<String>,
    pub json: bool,
    pub service_name: String,
    /// The share of new traces recorded.
    pub sample: f64,
}

pub const DEFAULT_SERVICE_NAME: &str = "gw";

/// Whether the file traces.
pub(crate) fn enabled(gateway: &ir::Gateway) -> bool {
    gateway.server.tracing.is_some()
}

/// The block of `tracing` (its arguments are reported by the caller).
pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive) -> Option<Tracing> {
    let block = ck.block(directive, "tracing { otlp http://127.0.0.1:4318/v1/traces }")?;
    let mut tracing = Tracing { otlp: None, json: false, service_name: DEFAULT_SERVICE_NAME.to_string(), sample: 1.0 };
    let mut ok = true;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for inner in &block.directives {
        ck.no_block(inner);
        let name = inner.name.text.as_str();
        if symbol::TRACING.contains(&name) && !ck.first_in_block(&mut seen, inner) {
            ok = false;
            continue;
        }
        let mut args = Args::new(ck.cx, inner);
        match name {
            "otlp" => {
                match args.parse("the OTLP/HTTP traces URL (`http://collector:4318/v1/traces`)", endpoint) {
                    Some((url, _)) => tracing.otlp = Some(url),
                    None => ok = false,
                }
                if !args.is_done() {
                    match args.keyword("`json` or `protobuf`", &["json", "protobuf"]) {
                        Some((format, _)) => tracing.json = format == "json",
                        None => ok = false,
                    }
                }
            }
            "service_name" => match args.text("a service name") {
                Some((text, _)) if !text.is_empty() && text.chars().all(|c| c.is_ascii_graphic()) => {
                    tracing.service_name = text.to_string();
                }
                Some((text, span)) => {
                    ck.cx.push(
                        Diagnostic::new(span, format!("`{text}` is not a service name")).label("visible characters"),
                    );
                    ok = false;
                }
                None => ok = false,
            },
            "sample" => match args.parse("a ratio from 0 to 1 (`0.1`) or a percentage (`10%`)", ratio) {
                Some((sample, _)) => tracing.sample = sample,
                None => ok = false,
            },
            _ => {
                ck.unknown_directive(inner, "a `tracing` block", symbol::TRACING);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    ok.then_some(tracing)
}

/// An `http://` or `https://` URL with a host.
fn endpoint(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
        .ok_or_else(|| format!("`{text}`: the OTLP/HTTP endpoint is an `http://` or `https://` URL"))?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() || text.chars().any(|c| !c.is_ascii_graphic()) {
        return Err(format!("`{text}` is not a URL with a host"));
    }
    Ok(text.to_string())
}

/// `0.25` or `25%`.
fn ratio(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(number) => (number, 100.0),
        None => (text, 1.0),
    };
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() && (0.0..=scale).contains(&value) => Ok(value / scale),
        _ => Err(format!("`{text}` is not a ratio from 0 to 1 or a percentage from 0% to 100%")),
    }
}

/// `TRACING`, the configuration static.
pub(crate) fn tables(gateway: &ir::Gateway) -> TokenStream {
    let Some(tracing) = &gateway.server.tracing else { return TokenStream::new() };
    let otlp = crate::codegen::optional(tracing.otlp.as_ref().map(|url| quote!(#url)));
    let (json, service_name, sample) = (tracing.json, &tracing.service_name, tracing.sample);
    quote! {
        static TRACING: ::gateway_runtime::trace::TraceConfig = ::gateway_runtime::trace::TraceConfig {
            otlp: #otlp,
            json: #json,
            service_name: #service_name,
            sample: #sample,
        };
    }
}
