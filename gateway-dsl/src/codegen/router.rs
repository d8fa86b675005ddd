//! The route enum and the routing decision as static tables for
//! `gateway_runtime::router`.

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
    let hosts = host_table(gateway, &gateway.router.exact_hosts);
    let wildcards = host_table(gateway, &gateway.router.wildcard_hosts);
    let any_host = routes(gateway, &gateway.router.any_host);
    quote! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Route {
            #(#variants)*
        }

        /// Route labels in metrics, by `Route as usize`.
        static ROUTE_LABELS: [&str; #route_count] = [#(#labels),*];

        static ROUTER: ::gateway_runtime::router::Router<Route> = ::gateway_runtime::router::Router {
            hosts: #hosts,
            wildcards: #wildcards,
            any_host: #any_host,
        };
    }
}

fn host_table(gateway: &ir::Gateway, groups: &[(String, ir::HostRoutes)]) -> TokenStream {
    let slots = hash_table(groups.iter().map(|(name, _)| name.as_str()));
    let groups = groups.iter().map(|(_, group)| routes(gateway, group));
    quote!(::gateway_runtime::router::HostTable { slots: #slots, groups: &[#(#groups),*] })
}

fn routes(gateway: &ir::Gateway, group: &ir::HostRoutes) -> TokenStream {
    let nodes = group.trie.iter().map(|node| {
        let parent = match node.parent {
            Some(parent) => Literal::u32_unsuffixed(parent as u32),
            None => Literal::u32_unsuffixed(u32::MAX),
        };
        let exact = candidates(gateway, &node.exact);
        let subtree = candidates(gateway, &node.subtree);
        let below = candidates(gateway, &node.below);
        let children = hash_table_of(node.children.iter().map(|(segment, child)| (segment.as_str(), *child)));
        quote! {
            ::gateway_runtime::router::Node { parent: #parent, exact: #exact, subtree: #subtree, below: #below, children: #children }
        }
    });
    let regex = group.regex.iter().map(|route_id| {
        let variant = route_variant(*route_id);
        quote!(Route::#variant)
    });
    let default = candidates(gateway, &group.default);
    quote!(::gateway_runtime::router::Routes { trie: &[#(#nodes),*], regex: &[#(#regex),*], default: #default })
}

fn candidates(gateway: &ir::Gateway, route_ids: &[ir::RouteId]) -> TokenStream {
    let candidates = route_ids.iter().map(|route_id| {
        let variant = route_variant(*route_id);
        let pattern = match &gateway.routes[*route_id].path {
            ir::PathPattern::Prefix(path) | ir::PathPattern::Exact(path) => path.as_str(),
            ir::PathPattern::Regex { .. } => "",
        };
        quote!(::gateway_runtime::router::Candidate { route: Route::#variant, pattern: #pattern })
    });
    quote!(&[#(#candidates),*])
}

/// An open-addressing table of `keys`, valued by their position.
fn hash_table<'a>(keys: impl Iterator<Item = &'a str>) -> TokenStream {
    hash_table_of(keys.enumerate().map(|(index, key)| (key, index)))
}

/// An open-addressing table (linear probing) of lower-case keys, sized to a
/// power of two at least twice the number of keys, laid out as
/// `gateway_runtime::router` probes it.
fn hash_table_of<'a>(entries: impl Iterator<Item = (&'a str, usize)>) -> TokenStream {
    let entries: Vec<(&str, usize)> = entries.collect();
    if entries.is_empty() {
        return quote!(&[]);
    }
    let size = (entries.len() * 2).next_power_of_two();
    let mut slots: Vec<Option<(&str, usize)>> = vec![None; size];
    for (key, value) in entries {
        let mut slot = (hash(key) as usize) & (size - 1);
        while slots[slot].is_some() {
            slot = (slot + 1) & (size - 1);
        }
        slots[slot] = Some((key, value));
    }
    let slots = slots.iter().map(|slot| match slot {
        Some((key, value)) => {
            let value = Literal::u32_unsuffixed(*value as u32);
            quote!((#key, #value))
        }
        None => quote!(("", ::gateway_runtime::router::EMPTY)),
    });
    quote!(&[#(#slots),*])
}

/// FNV-1a over lower-cased bytes: the same function as `gateway_runtime::router::hash`.
fn hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}
