//! The routing decision. Generated code fills a [`Router`] with static
//! tables built at compile time; a lookup hashes the request's host and walks
//! its path's segments through a trie whose children are hash tables, so its
//! cost depends on the host and the path, not on the number of routes.
//!
//! Precedence, for the routes of one host group:
//! 1. an exact route of the path;
//! 2. the longest prefix route (segment boundaries; `/api/` before `/api`);
//! 3. regex routes, in file order;
//! 4. the default route, `/`.
//!
//! At each place the candidates are tried in file order and the first whose
//! other matchers (method, header, query, cookie) accept the request wins.
//! Host groups are tried from the most specific: the request's exact host,
//! its wildcard suffixes (longest first), then routes without `host`.
//!
//! Paths are compared without regard to letter case to find the route, then
//! with it: a request whose path matches the chosen route only when case is
//! ignored (`/ADMIN` for `route /admin`) is [`Found::CaseMismatch`], refused
//! rather than handed to a less specific route that `/admin`'s `auth` would
//! not protect.

use pingora::http::RequestHeader;

/// Routes by host and path. `R` is the generated route type.
#[derive(Debug)]
pub struct Router<R: 'static> {
    /// Routes of exact host names.
    pub hosts: HostTable<R>,
    /// Routes of `*.suffix` host names, by suffix.
    pub wildcards: HostTable<R>,
    /// Routes without `host`.
    pub any_host: Routes<R>,
}

/// Host groups by name (lower case), as an open-addressing hash table.
#[derive(Debug)]
pub struct HostTable<R: 'static> {
    /// `(name, index into groups)`; `EMPTY` marks a free slot. The length is
    /// a power of two, or zero.
    pub slots: &'static [(&'static str, u32)],
    pub groups: &'static [Routes<R>],
}

/// The routes of one host group.
#[derive(Debug)]
pub struct Routes<R: 'static> {
    /// The trie of exact and prefix routes; `trie[0]` is the root.
    pub trie: &'static [Node<R>],
    /// Regex routes, in file order.
    pub regex: &'static [R],
    /// `route /`, in file order.
    pub default: &'static [Candidate<R>],
}

/// One node of the trie: the routes ending at its path, and its children.
#[derive(Debug)]
pub struct Node<R: 'static> {
    /// The parent node, `EMPTY` for the root.
    pub parent: u32,
    /// Exact routes of this node's path.
    pub exact: &'static [Candidate<R>],
    /// Prefix routes without trailing slash (`/api`): this path and below.
    pub subtree: &'static [Candidate<R>],
    /// Prefix routes with trailing slash (`/api/`): strictly below this path.
    pub below: &'static [Candidate<R>],
    /// Children by segment (lower case): an open-addressing hash table, as in [`HostTable`].
    pub children: &'static [(&'static str, u32)],
}

/// A route at a place in the trie, with its pattern as written.
#[derive(Debug)]
pub struct Candidate<R: 'static> {
    pub route: R,
    pub pattern: &'static str,
}

/// The free slot of a hash table, and the parent of the root.
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

impl<R: Copy> Router<R> {
    /// The route of a request for `host` (without port) and `path` (normalised),
    /// among the candidates `accept` takes.
    pub fn find(&self, host: Option<&str>, path: &str, mut accept: impl FnMut(R) -> bool) -> Found<R> {
        if let Some(host) = host {
            if let Some(found) = self.hosts.get(host).and_then(|routes| routes.find(path, &mut accept)) {
                return found;
            }
            let mut suffix = host;
            while let Some(dot) = suffix.find('.') {
                suffix = &suffix[dot + 1..];
                if let Some(found) = self.wildcards.get(suffix).and_then(|routes| routes.find(path, &mut accept)) {
                    return found;
                }
            }
        }
        self.any_host.find(path, &mut accept).unwrap_or(Found::NotFound)
    }
}

impl<R> HostTable<R> {
    fn get(&self, host: &str) -> Option<&Routes<R>> {
        probe(self.slots, host).and_then(|index| self.groups.get(index as usize))
    }
}

impl<R: Copy> Routes<R> {
    fn find(&self, path: &str, accept: &mut impl FnMut(R) -> bool) -> Option<Found<R>> {
        let rest = path.strip_prefix('/')?;
        let mut index = 0;
        let mut node = self.trie.first()?;
        let mut segments = rest.split('/');
        let path_ends_here = loop {
            let Some(segment) = segments.next() else { break true };
            match probe(node.children, segment)
                .and_then(|child| self.trie.get(child as usize).map(|node| (child, node)))
            {
                Some((child, child_node)) => {
                    index = child;
                    node = child_node;
                }
                None => break false,
            }
        };
        // The deepest node first: its exact routes if the path ends there,
        // else its prefixes; then the prefixes of each ancestor. The root's
        // `below` is the default route, tried last.
        if path_ends_here {
            if let Some(found) = pick(node.exact, path, accept).or_else(|| pick(node.subtree, path, accept)) {
                return Some(found);
            }
        } else if let Some(found) = self.prefixes(index, node, path, accept) {
            return Some(found);
        }
        while node.parent != EMPTY {
            index = node.parent;
            node = self.trie.get(index as usize)?;
            if let Some(found) = self.prefixes(index, node, path, accept) {
                return Some(found);
            }
        }
        if let Some(route) = self.regex.iter().copied().find(|route| accept(*route)) {
            return Some(Found::Route(route));
        }
        pick(self.default, path, accept)
    }

    fn prefixes(&self, index: u32, node: &Node<R>, path: &str, accept: &mut impl FnMut(R) -> bool) -> Option<Found<R>> {
        let below = if index == 0 { None } else { pick(node.below, path, accept) };
        below.or_else(|| pick(node.subtree, path, accept))
    }
}

/// The first candidate `accept` takes, checked against the path with case.
fn pick<R: Copy>(candidates: &[Candidate<R>], path: &str, accept: &mut impl FnMut(R) -> bool) -> Option<Found<R>> {
    let candidate = candidates.iter().find(|candidate| accept(candidate.route))?;
    Some(if path.starts_with(candidate.pattern) {
        Found::Route(candidate.route)
    } else {
        Found::CaseMismatch(candidate.route)
    })
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

/// FNV-1a over the lower-cased bytes of `key`; `gateway-dsl` builds the
/// tables with the same function.
pub fn hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The host a request is for, without port: the `Host` header, or the
/// authority of the request target (HTTP/2 has no `Host` header).
pub fn request_host(request: &RequestHeader) -> Option<&str> {
    let host = match request.headers.get(http::header::HOST) {
        Some(value) => value.to_str().ok()?,
        None => request.uri.host()?,
    };
    let host = match host.rfind(':') {
        // `[::1]:80` and `example.com:80`, but not a bare `[::1]`.
        Some(colon) if !host[colon..].contains(']') => &host[..colon],
        _ => host,
    };
    Some(host.strip_suffix('.').unwrap_or(host))
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

    const fn c(route: R, pattern: &'static str) -> Candidate<R> {
        Candidate { route, pattern }
    }

    // Full tables (no free slot) are searched whole, whatever the order.
    static ROUTER: Router<R> = Router {
        hosts: HostTable {
            slots: &[("api.example.com", 0)],
            groups: &[Routes {
                trie: &[Node { parent: EMPTY, exact: &[], subtree: &[], below: &[], children: &[] }],
                regex: &[],
                default: &[c(R::HostApi, "/")],
            }],
        },
        wildcards: HostTable {
            slots: &[("example.org", 0)],
            groups: &[Routes {
                trie: &[Node { parent: EMPTY, exact: &[], subtree: &[], below: &[], children: &[] }],
                regex: &[],
                default: &[c(R::Wild, "/")],
            }],
        },
        any_host: Routes {
            trie: &[
                Node { parent: EMPTY, exact: &[], subtree: &[], below: &[], children: &[("api", 1), ("healthz", 3)] },
                Node {
                    parent: 0,
                    exact: &[c(R::ApiExact, "/api")],
                    subtree: &[],
                    below: &[c(R::Post, "/api/"), c(R::Api, "/api/")],
                    children: &[("v1", 2)],
                },
                Node { parent: 1, exact: &[], subtree: &[c(R::ApiV1, "/api/v1")], below: &[], children: &[] },
                Node { parent: 0, exact: &[c(R::Health, "/healthz")], subtree: &[], below: &[], children: &[] },
            ],
            regex: &[R::Regex],
            default: &[c(R::Root, "/")],
        },
    };

    fn find(host: Option<&str>, path: &str) -> Found<R> {
        // `Post` takes nothing here; `Regex` takes paths ending in `.php`.
        ROUTER.find(host, path, |route| match route {
            R::Post => false,
            R::Regex => path.ends_with(".php"),
            _ => true,
        })
    }

    fn table_of(keys: &[&'static str]) -> Vec<(&'static str, u32)> {
        let size = (keys.len() * 2).next_power_of_two();
        let mut slots = vec![("", EMPTY); size];
        for (value, key) in keys.iter().enumerate() {
            let mut slot = hash(key) as usize & (size - 1);
            while slots[slot].1 != EMPTY {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = (key, value as u32);
        }
        slots
    }

    #[test]
    fn probing_finds_every_key_without_case() {
        let keys: Vec<&'static str> = (0..100).map(|n| &*Box::leak(format!("seg{n}").into_boxed_str())).collect();
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
    fn host_without_port() {
        let mut request = RequestHeader::build("GET", b"/", None).expect("request");
        request.insert_header("Host", "Example.com:8080").expect("header");
        assert_eq!(request_host(&request), Some("Example.com"));
        request.insert_header("Host", "[::1]:80").expect("header");
        assert_eq!(request_host(&request), Some("[::1]"));
        request.insert_header("Host", "example.com.").expect("header");
        assert_eq!(request_host(&request), Some("example.com"));
    }
}
