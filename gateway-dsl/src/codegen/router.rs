//! The route enum and the routing decision as static tables.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::route_variant;
use crate::ir;

pub(super) fn router(gateway: &ir::Gateway) -> TokenStream {
    let variants = gateway.routes.iter().enumerate().map(|(route_id, route)| {
        let variant = route_variant(route_id);
        let doc = format!(" `{}` at {}", route.label, route.location);
        quote!(#[doc = #doc] #variant,)
    });
    let labels = gateway.routes.iter().map(|route| route.label.as_str());
    let route_count = gateway.routes.len();
    let hosts = gateway.router.hosts.iter().map(|(host, trie)| {
        let trie = path_trie(trie);
        quote!((#host, #trie))
    });
    let any_host = path_trie(&gateway.router.any_host);
    quote! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Route {
            #(#variants)*
        }

        /// Route labels in metrics, by `Route as usize`.
        static ROUTE_LABELS: [&str; #route_count] = [#(#labels),*];

        static ROUTER: ::gateway_runtime::router::Router<Route> = ::gateway_runtime::router::Router {
            hosts: &[#(#hosts),*],
            any_host: #any_host,
        };
    }
}

fn path_trie(trie: &ir::PathTrie) -> TokenStream {
    let nodes = trie.nodes.iter().map(|node| {
        let exact = route_option(node.exact);
        let subtree = route_option(node.subtree);
        let below = route_option(node.below);
        let children = node.children.iter().map(|(segment, child)| {
            let child = Literal::u32_unsuffixed(*child as u32);
            quote!((#segment, #child))
        });
        quote! {
            ::gateway_runtime::router::Node {
                exact: #exact,
                subtree: #subtree,
                below: #below,
                children: &[#(#children),*],
            }
        }
    });
    quote!(::gateway_runtime::router::PathTrie { nodes: &[#(#nodes),*] })
}

fn route_option(route: Option<ir::RouteId>) -> TokenStream {
    match route {
        Some(route_id) => {
            let variant = route_variant(route_id);
            quote!(::core::option::Option::Some(Route::#variant))
        }
        None => quote!(::core::option::Option::None),
    }
}
