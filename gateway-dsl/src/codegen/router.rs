//! The route enum and the routing decision as flat static tables for
//! `gateway_runtime::router` (laid out by `crate::routing::Tables`): plain data, small for the compiler even with
//! 10,000 routes.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::route_variant;
use crate::ir;
use crate::routing::{Tables, candidate_pattern};

pub(super) fn router(gateway: &ir::Gateway) -> TokenStream {
    let variants = (0..gateway.routes.len()).map(route_variant);
    let labels = gateway.routes.iter().map(|route| route.label.as_str());
    let route_count = gateway.routes.len();
    let tables = Tables::build(gateway);

    let nodes = tables.nodes.iter().map(|node| {
        let parent = match node.parent {
            Some(parent) => {
                let parent = Literal::u32_unsuffixed(parent);
                quote!(#parent)
            }
            None => quote!(__E),
        };
        let (exact, subtree, below, children) =
            (span(node.exact), span(node.subtree), span(node.below), span(node.children));
        quote!(__n(#parent, #exact, #subtree, #below, #children))
    });
    let candidates = tables.candidates.iter().map(|route_id| {
        let variant = route_variant(*route_id);
        let pattern = candidate_pattern(&gateway.routes[*route_id]);
        quote!((Route::#variant, #pattern))
    });
    let slots = tables.slots.iter().map(|slot| match slot {
        Some((key, value)) => {
            let value = Literal::u32_unsuffixed(*value);
            quote!((#key, #value))
        }
        None => quote!(("", __E)),
    });
    let regex = tables.regex.iter().map(|route_id| {
        let variant = route_variant(*route_id);
        quote!(Route::#variant)
    });
    let groups = tables.groups.iter().map(|(root, regex, default)| {
        let root = Literal::u32_unsuffixed(*root);
        let (regex, default) = (span(*regex), span(*default));
        quote!(__g(#root, #regex, #default))
    });
    let (hosts, wildcards) = (span(tables.hosts), span(tables.wildcards));
    quote! {
        /// The routes of the file, in file order; `ROUTE_LABELS` names them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Route {
            #(#variants,)*
        }

        /// Route labels in metrics, by `Route as usize`.
        static ROUTE_LABELS: [&str; #route_count] = [#(#labels),*];

        use ::gateway_runtime::router::{EMPTY as __E, group as __g, node as __n};

        static ROUTER: ::gateway_runtime::router::Router<'static, Route> = ::gateway_runtime::router::Router {
            nodes: &[#(#nodes),*],
            candidates: &[#(#candidates),*],
            slots: &[#(#slots),*],
            regex: &[#(#regex),*],
            groups: &[#(#groups),*],
            hosts: #hosts,
            wildcards: #wildcards,
            any_host: 0,
        };
    }
}

fn span(span: [u32; 2]) -> TokenStream {
    let (start, len) = (Literal::u32_unsuffixed(span[0]), Literal::u32_unsuffixed(span[1]));
    quote!([#start, #len])
}
