//! `server { http2 { ... } }`: the HTTP/2 settings of downstream
//! connections that matter against abuse. Runtime:
//! `gateway_runtime::server::Http2` (Pingora's `H2Options`, the `h2`
//! crate's server builder).

use super::args::Args;
use super::{Checker, Once, literal};
use crate::ast::Directive;
use crate::diagnostics::Diagnostic;
use crate::{ir, symbol};

impl Checker<'_> {
    /// The `http2` block of `server`.
    pub(super) fn lower_http2(&self, directive: &Directive) -> Option<ir::Http2> {
        let block = self.block(directive, "http2 { max_concurrent_streams 128 }")?;
        let mut streams = Once::new();
        let mut header_list = Once::new();
        let mut pending_resets = Once::new();
        let mut error_resets = Once::new();
        for inner in &block.directives {
            self.no_block(inner);
            let mut args = Args::new(self.cx, inner);
            let count = |args: &mut Args<'_>, max: u64| {
                args.parse("a number", |text| literal::count(text, max)).map(|(count, _)| count)
            };
            match inner.name.text.as_str() {
                "max_concurrent_streams" => streams.set(self, inner, count(&mut args, 65_536)),
                "max_header_list_size" => {
                    let size = args.parse("a size such as `32KiB`", literal::size);
                    let size = size.and_then(|(size, span)| {
                        if (1024..=16 << 20).contains(&size) {
                            Some(size)
                        } else {
                            self.cx.push(
                                Diagnostic::new(span, "`max_header_list_size` is between 1KiB and 16MiB")
                                    .label("the decoded header fields of one request"),
                            );
                            None
                        }
                    });
                    header_list.set(self, inner, size);
                }
                "max_pending_resets" => pending_resets.set(self, inner, count(&mut args, 10_000)),
                "max_error_resets" => error_resets.set(self, inner, count(&mut args, 100_000)),
                _ => {
                    self.unknown_directive(inner, "an `http2` block", symbol::HTTP2);
                    continue;
                }
            }
            args.finish();
        }
        let defaults = ir::Http2::default();
        Some(ir::Http2 {
            max_concurrent_streams: streams.get().unwrap_or(defaults.max_concurrent_streams),
            max_header_list_size: header_list.get(),
            max_pending_resets: pending_resets.get().unwrap_or(defaults.max_pending_resets),
            max_error_resets: error_resets.get().unwrap_or(defaults.max_error_resets),
        })
    }
}
