//! The route enum and the routing decision as flat static tables for
//! `gateway_runtime::router`: plain data, small for the compiler even with
//! 10,000 routes.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::route_variant;
use crate::ir;

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
        let pattern = match &gateway.routes[*route_id].path {
            ir::PathPattern::Prefix(path) | ir::PathPattern::Exact(path) => path.as_str(),
            ir::PathPattern::Regex { .. } => "",
        };
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

        static ROUTER: ::gateway_runtime::router::Router<Route> = ::gateway_runtime::router::Router {
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

/// The IR router laid out in the runtime's flat arrays. Group 0 is the one
/// of routes without host, then exact host names, then wildcard suffixes.
#[derive(Default)]
struct Tables {
    nodes: Vec<FlatNode>,
    candidates: Vec<ir::RouteId>,
    slots: Vec<Option<(String, u32)>>,
    regex: Vec<ir::RouteId>,
    groups: Vec<(u32, [u32; 2], [u32; 2])>,
    hosts: [u32; 2],
    wildcards: [u32; 2],
}

struct FlatNode {
    parent: Option<u32>,
    exact: [u32; 2],
    subtree: [u32; 2],
    below: [u32; 2],
    children: [u32; 2],
}

impl Tables {
    fn build(gateway: &ir::Gateway) -> Tables {
        let router = &gateway.router;
        let mut tables = Tables::default();
        tables.add_group(&router.any_host);
        let mut host_keys = Vec::new();
        for (name, group) in &router.exact_hosts {
            host_keys.push((name.clone(), tables.add_group(group)));
        }
        let mut wildcard_keys = Vec::new();
        for (suffix, group) in &router.wildcard_hosts {
            wildcard_keys.push((suffix.clone(), tables.add_group(group)));
        }
        tables.hosts = tables.add_table(host_keys);
        tables.wildcards = tables.add_table(wildcard_keys);
        tables
    }

    fn add_group(&mut self, group: &ir::HostRoutes) -> u32 {
        let base = self.nodes.len() as u32;
        for node in &group.trie {
            let exact = self.add_candidates(&node.exact);
            let subtree = self.add_candidates(&node.subtree);
            let below = self.add_candidates(&node.below);
            let children =
                node.children.iter().map(|(segment, child)| (segment.clone(), base + *child as u32)).collect();
            let children = self.add_table(children);
            let parent = node.parent.map(|parent| base + parent as u32);
            self.nodes.push(FlatNode { parent, exact, subtree, below, children });
        }
        let regex = [self.regex.len() as u32, group.regex.len() as u32];
        self.regex.extend(&group.regex);
        let default = self.add_candidates(&group.default);
        self.groups.push((base, regex, default));
        (self.groups.len() - 1) as u32
    }

    fn add_candidates(&mut self, route_ids: &[ir::RouteId]) -> [u32; 2] {
        let start = self.candidates.len() as u32;
        self.candidates.extend(route_ids);
        [start, route_ids.len() as u32]
    }

    /// An open-addressing table (linear probing) of lower-case keys, sized
    /// to a power of two at least twice the number of keys, laid out as
    /// `gateway_runtime::router` probes it.
    fn add_table(&mut self, entries: Vec<(String, u32)>) -> [u32; 2] {
        if entries.is_empty() {
            return [0, 0];
        }
        let size = (entries.len() * 2).next_power_of_two();
        let mut table: Vec<Option<(String, u32)>> = vec![None; size];
        for (key, value) in entries {
            let mut slot = (hash(&key) as usize) & (size - 1);
            while table[slot].is_some() {
                slot = (slot + 1) & (size - 1);
            }
            table[slot] = Some((key, value));
        }
        let start = self.slots.len() as u32;
        self.slots.extend(table);
        [start, size as u32]
    }
}

/// FNV-1a over lower-cased bytes: the same function as `gateway_runtime::router::hash`.
fn hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}
