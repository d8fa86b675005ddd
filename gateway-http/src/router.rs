//! The routing decision, as flat tables: the generated gateway holds them as
//! statics (`gateway_runtime::router`), and `gateway-dsl` builds the same
//! tables at build time, to run a file's `test` blocks and `gw explain` with
//! the very lookup the gateway runs. The layout of the tables ([`layout`],
//! [`hash`]) is defined here once, for both.
//!
//! A lookup hashes the request's host and walks its path's segments through
//! a trie whose children are hash tables, so its cost depends on the host
//! and the path, not on the number of routes.
//!
//! Precedence, for the routes of one host group:
//! 1. an exact route of the path;
//! 2. the longest prefix route (segment boundaries; `/api/` before `/api`);
//! 3. regex routes, in file order;
//! 4. the default route, `/`.
//!
//! At each place the candidates are tried in file order and the first whose
//! other matchers (listener, method, header, query, cookie) accept the
//! request wins.
//! Host groups are tried from the most specific: the request's exact host,
//! its wildcard suffixes (longest first), then routes without `host`.
//!
//! Paths are compared without regard to letter case to find the route, then
//! with it: a request whose path matches the chosen route only when case is
//! ignored (`/ADMIN` for `route /admin`) is [`Found::CaseMismatch`], refused
//! rather than handed to a less specific route that `/admin`'s `auth` would
//! not protect.

/// Routes by host and path. `R` is the generated route type.
///
/// Everything is in a few flat arrays, indexed by `[start, len]` spans, so
/// that a table of 10,000 routes is plain data for the compiler.
#[derive(Debug)]
pub struct Router<'a, R> {
    /// Trie nodes of every host group.
    pub nodes: &'a [Node],
    /// Candidates of every node and group, each a span of this.
    pub candidates: &'a [Candidate<'a, R>],
    /// Hash tables of children and of host names, each a span of this.
    pub slots: &'a [Slot<'a>],
    /// Regex routes of every group.
    pub regex: &'a [R],
    /// Host groups.
    pub groups: &'a [Group],
    /// The table of exact host names (lower case), valued by group.
    pub hosts: Span,
    /// The table of wildcard suffixes (`*.example.com` is `example.com`), valued by group.
    pub wildcards: Span,
    /// The group of routes without `host`.
    pub any_host: u32,
}

/// `[start, len]` of a run in one of the router's arrays.
pub type Span = [u32; 2];

/// An entry of a hash table: a lower-case key and its value, [`EMPTY`] when free.
pub type Slot<'a> = (&'a str, u32);

/// A route at a place in the trie, with its pattern as written.
pub type Candidate<'a, R> = (R, &'a str);

/// The routes of one host group.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// The root of the group's trie.
    pub root: u32,
    /// Regex routes, in file order.
    pub regex: Span,
    /// `route /`, in file order.
    pub default: Span,
}

/// One node of a trie: the routes ending at its path, and its children.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The parent node, [`EMPTY`] for a root.
    pub parent: u32,
    /// Exact routes of this node's path.
    pub exact: Span,
    /// Prefix routes without trailing slash (`/api`): this path and below.
    pub subtree: Span,
    /// Prefix routes with trailing slash (`/api/`): strictly below this path.
    pub below: Span,
    /// Children by segment (lower case): a hash table of node indexes.
    pub children: Span,
}

/// A [`Node`], short to write in generated tables.
pub const fn node(parent: u32, exact: Span, subtree: Span, below: Span, children: Span) -> Node {
    Node { parent, exact, subtree, below, children }
}

/// A [`Group`], short to write in generated tables.
pub const fn group(root: u32, regex: Span, default: Span) -> Group {
    Group { root, regex, default }
}

/// The free slot of a hash table, and the parent of a root.
pub const EMPTY: u32 = u32::MAX;

/// The outcome of a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<R> {
    Route(R),
    /// No route matches: 404.
    NotFound,
    /// The path matches this route only if letter case is ignored: refused (404).
    CaseMismatch(R),
}

fn span<T>(items: &[T], span: Span) -> &[T] {
    let start = span[0] as usize;
    items.get(start..start + span[1] as usize).unwrap_or(&[])
}

impl<R: Copy> Router<'_, R> {
    /// The route of a request for `host` (without port) and `path` (normalised),
    /// among the candidates `accept` takes.
    pub fn find(&self, host: Option<&str>, path: &str, mut accept: impl FnMut(R) -> bool) -> Found<R> {
        // Routes without `host` need no look at the host at all.
        if let Some(host) = host.filter(|_| self.hosts[1] != 0 || self.wildcards[1] != 0) {
            if let Some(found) = self.table(self.hosts, host).and_then(|group| self.find_in(group, path, &mut accept)) {
                return found;
            }
            let mut suffix = host;
            while self.wildcards[1] != 0
                && let Some(dot) = suffix.find('.')
            {
                suffix = &suffix[dot + 1..];
                let group = self.table(self.wildcards, suffix);
                if let Some(found) = group.and_then(|group| self.find_in(group, path, &mut accept)) {
                    return found;
                }
            }
        }
        self.find_in(self.any_host, path, &mut accept).unwrap_or(Found::NotFound)
    }

    fn table(&self, table: Span, key: &str) -> Option<u32> {
        probe(span(self.slots, table), key)
    }

    fn find_in(&self, group: u32, path: &str, accept: &mut impl FnMut(R) -> bool) -> Option<Found<R>> {
        let group = *self.groups.get(group as usize)?;
        let rest = path.strip_prefix('/')?;
        let mut index = group.root;
        let mut node = *self.nodes.get(index as usize)?;
        let mut segments = rest.split('/');
        let path_ends_here = loop {
            let Some(segment) = segments.next() else { break true };
            let child = probe(span(self.slots, node.children), segment);
            match child.and_then(|child| self.nodes.get(child as usize).map(|found| (child, *found))) {
                Some((child, child_node)) => {
                    index = child;
                    node = child_node;
                }
                None => break false,
            }
        };
        // The deepest node first: its exact routes if the path ends there,
        // else its prefixes; then the prefixes of each ancestor. A root's
        // `below` is the default route, tried last.
        let pick =
            |candidates: Span, accept: &mut dyn FnMut(R) -> bool| pick(span(self.candidates, candidates), path, accept);
        if path_ends_here {
            if let Some(found) = pick(node.exact, accept).or_else(|| pick(node.subtree, accept)) {
                return Some(found);
            }
        } else if let Some(found) = self.prefixes(index == group.root, node, path, accept) {
            return Some(found);
        }
        while node.parent != EMPTY {
            index = node.parent;
            node = *self.nodes.get(index as usize)?;
            if let Some(found) = self.prefixes(index == group.root, node, path, accept) {
                return Some(found);
            }
        }
        if let Some(route) = span(self.regex, group.regex).iter().copied().find(|route| accept(*route)) {
            return Some(Found::Route(route));
        }
        pick(group.default, accept)
    }

    fn prefixes(&self, is_root: bool, node: Node, path: &str, accept: &mut impl FnMut(R) -> bool) -> Option<Found<R>> {
        let below = if is_root { None } else { pick(span(self.candidates, node.below), path, accept) };
        below.or_else(|| pick(span(self.candidates, node.subtree), path, accept))
    }
}

/// The first candidate `accept` takes, checked against the path with case.
fn pick<R: Copy>(
    candidates: &[Candidate<'_, R>],
    path: &str,
    accept: &mut (impl FnMut(R) -> bool + ?Sized),
) -> Option<Found<R>> {
    let (route, pattern) = *candidates.iter().find(|(route, _)| accept(*route))?;
    Some(if path.starts_with(pattern) { Found::Route(route) } else { Found::CaseMismatch(route) })
}

/// Looks `key` up in an open-addressing table of lower-case keys, without case.
fn probe(slots: &[(&str, u32)], key: &str) -> Option<u32> {
    if slots.is_empty() {
        return None;
    }
    let mask = slots.len() - 1;
    let mut slot = (hash(key) as usize) & mask;
    for _ in 0..slots.len() {
        let (name, value) = slots[slot];
        if value == EMPTY {
            return None;
        }
        if name.eq_ignore_ascii_case(key) {
            return Some(value);
        }
        slot = (slot + 1) & mask;
    }
    None
}

/// FNV-1a over the lower-cased bytes of `key`.
pub fn hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// An open-addressing table (linear probing) of `entries`, keyed by lower-case
/// text, sized to a power of two at least twice the number of keys: the
/// layout [`Router`] probes. `None` is a free slot.
pub fn layout<K: AsRef<str>>(entries: Vec<(K, u32)>) -> Vec<Option<(K, u32)>> {
    if entries.is_empty() {
        return Vec::new();
    }
    let size = (entries.len() * 2).next_power_of_two();
    let mut table: Vec<Option<(K, u32)>> = (0..size).map(|_| None).collect();
    for (key, value) in entries {
        let mut slot = (hash(key.as_ref()) as usize) & (size - 1);
        while table[slot].is_some() {
            slot = (slot + 1) & (size - 1);
        }
        table[slot] = Some((key, value));
    }
    table
}

/// The host of a `Host` header value (or a request target's authority),
/// without port and without a trailing dot.
pub fn host_without_port(host: &str) -> &str {
    let host = match host.rfind(':') {
        // `[::1]:80` and `example.com:80`, but not a bare `[::1]`.
        Some(colon) if !host[colon..].contains(']') => &host[..colon],
        _ => host,
    };
    host.strip_suffix('.').unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum R {
        Root,
        Api,
        ApiExact,
        ApiV1,
        Health,
        HostApi,
        Wild,
        Regex,
        Post,
    }

    // Full tables (no free slot) are searched whole, whatever the order.
    // Groups: 0 = any host, 1 = api.example.com, 2 = *.example.org.
    static ROUTER: Router<'static, R> = Router {
        nodes: &[
            node(EMPTY, [0, 0], [0, 0], [0, 0], [0, 2]),
            node(0, [0, 1], [0, 0], [1, 2], [2, 1]),
            node(1, [0, 0], [3, 1], [0, 0], [0, 0]),
            node(0, [4, 1], [0, 0], [0, 0], [0, 0]),
            node(EMPTY, [0, 0], [0, 0], [0, 0], [0, 0]),
            node(EMPTY, [0, 0], [0, 0], [0, 0], [0, 0]),
        ],
        candidates: &[
            (R::ApiExact, "/api"),
            (R::Post, "/api/"),
            (R::Api, "/api/"),
            (R::ApiV1, "/api/v1"),
            (R::Health, "/healthz"),
            (R::Root, "/"),
            (R::HostApi, "/"),
            (R::Wild, "/"),
        ],
        slots: &[("api", 1), ("healthz", 3), ("v1", 2), ("api.example.com", 1), ("example.org", 2)],
        regex: &[R::Regex],
        groups: &[group(0, [0, 1], [5, 1]), group(4, [0, 0], [6, 1]), group(5, [0, 0], [7, 1])],
        hosts: [3, 1],
        wildcards: [4, 1],
        any_host: 0,
    };

    fn find(host: Option<&str>, path: &str) -> Found<R> {
        // `Post` takes nothing here; `Regex` takes paths ending in `.php`.
        ROUTER.find(host, path, |route| match route {
            R::Post => false,
            R::Regex => path.ends_with(".php"),
            _ => true,
        })
    }

    fn table_of<'a>(keys: &[&'a str]) -> Vec<(&'a str, u32)> {
        let entries = keys.iter().enumerate().map(|(value, key)| (*key, value as u32)).collect();
        layout(entries).into_iter().map(|slot| slot.unwrap_or(("", EMPTY))).collect()
    }

    #[test]
    fn probing_finds_every_key_without_case() {
        let names: Vec<String> = (0..100).map(|n| format!("seg{n}")).collect();
        let keys: Vec<&str> = names.iter().map(String::as_str).collect();
        let slots = table_of(&keys);
        for (value, key) in keys.iter().enumerate() {
            assert_eq!(probe(&slots, key), Some(value as u32));
            assert_eq!(probe(&slots, &key.to_ascii_uppercase()), Some(value as u32));
        }
        assert_eq!(probe(&slots, "nope"), None);
    }

    #[test]
    fn exact_then_longest_prefix_then_regex_then_default() {
        assert_eq!(find(None, "/"), Found::Route(R::Root));
        assert_eq!(find(None, "/api"), Found::Route(R::ApiExact));
        assert_eq!(find(None, "/api/"), Found::Route(R::Api));
        assert_eq!(find(None, "/api/x.php"), Found::Route(R::Api));
        assert_eq!(find(None, "/api/v1"), Found::Route(R::ApiV1));
        assert_eq!(find(None, "/api/v1/users"), Found::Route(R::ApiV1));
        assert_eq!(find(None, "/api/v10"), Found::Route(R::Api));
        assert_eq!(find(None, "/apix"), Found::Route(R::Root));
        assert_eq!(find(None, "/healthz"), Found::Route(R::Health));
        assert_eq!(find(None, "/healthz/x"), Found::Route(R::Root));
        assert_eq!(find(None, "/index.php"), Found::Route(R::Regex));
        assert_eq!(find(None, "*"), Found::NotFound);
    }

    #[test]
    fn letter_case_finds_the_route_but_must_match_it() {
        assert_eq!(find(None, "/API"), Found::CaseMismatch(R::ApiExact));
        assert_eq!(find(None, "/Api/v1/x"), Found::CaseMismatch(R::ApiV1));
        assert_eq!(find(None, "/HEALTHZ/x"), Found::Route(R::Root));
    }

    #[test]
    fn exact_hosts_then_wildcards_then_any_host() {
        assert_eq!(find(Some("API.example.com"), "/api/x"), Found::Route(R::HostApi));
        assert_eq!(find(Some("a.b.example.org"), "/x"), Found::Route(R::Wild));
        assert_eq!(find(Some("example.org"), "/x"), Found::Route(R::Root));
        assert_eq!(find(Some("other.example.com"), "/api/x"), Found::Route(R::Api));
    }

    #[test]
    fn hosts_lose_their_port_and_trailing_dot() {
        assert_eq!(host_without_port("Example.com:8080"), "Example.com");
        assert_eq!(host_without_port("[::1]:80"), "[::1]");
        assert_eq!(host_without_port("[::1]"), "[::1]");
        assert_eq!(host_without_port("example.com."), "example.com");
    }
}
