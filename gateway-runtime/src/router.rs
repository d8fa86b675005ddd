//! The routing decision. Generated code fills a [`Router`] with static
//! tables built at compile time; a lookup walks the request path's segments
//! through a trie, so its cost depends on the path's length, not on the
//! number of routes.

use std::cmp::Ordering;

use pingora::http::RequestHeader;

/// Routes by host and path. `R` is the generated route type.
#[derive(Debug)]
pub struct Router<R: 'static> {
    /// Tries of routes naming a host, sorted by host (lower case).
    pub hosts: &'static [(&'static str, PathTrie<R>)],
    /// The trie of routes without a host.
    pub any_host: PathTrie<R>,
}

/// A trie over the `/`-separated segments of paths; `nodes[0]` is the root.
#[derive(Debug)]
pub struct PathTrie<R: 'static> {
    pub nodes: &'static [Node<R>],
}

/// One node of a [`PathTrie`]: the routes that end here and its children.
#[derive(Debug)]
pub struct Node<R: 'static> {
    /// The exact route of the path that ends at this node.
    pub exact: Option<R>,
    /// A prefix route matching this node's path and everything below it (`/api`).
    pub subtree: Option<R>,
    /// A prefix route matching everything strictly below this node (`/api/`).
    pub below: Option<R>,
    /// Children, sorted by segment, as indexes into the trie's nodes.
    pub children: &'static [(&'static str, u32)],
}

impl<R: Copy> Router<R> {
    /// The route of a request: among the routes of `host`, then among the
    /// routes without host, the exact match or else the longest prefix.
    pub fn find(&self, host: Option<&str>, path: &str) -> Option<R> {
        let host_trie = host.and_then(|host| {
            self.hosts
                .binary_search_by(|(name, _)| cmp_ignore_ascii_case(name, host))
                .ok()
                .map(|index| &self.hosts[index].1)
        });
        host_trie.and_then(|trie| trie.find(path)).or_else(|| self.any_host.find(path))
    }
}

impl<R: Copy> PathTrie<R> {
    /// The route of `path` in this trie.
    pub fn find(&self, path: &str) -> Option<R> {
        let mut node = self.nodes.first()?;
        let rest = path.strip_prefix('/')?;
        // The best prefix match so far; deeper nodes are longer prefixes.
        let mut best = None;
        let mut segments = rest.split('/');
        loop {
            let Some(segment) = segments.next() else {
                return node.exact.or(node.subtree).or(best);
            };
            best = node.below.or(node.subtree).or(best);
            match node.children.binary_search_by(|(child, _)| child.cmp(&segment)) {
                Ok(index) => match self.nodes.get(node.children[index].1 as usize) {
                    Some(child) => node = child,
                    None => return best,
                },
                Err(_) => return best,
            }
        }
    }
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

fn cmp_ignore_ascii_case(lower: &str, other: &str) -> Ordering {
    lower.bytes().cmp(other.bytes().map(|byte| byte.to_ascii_lowercase()))
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
    }

    // `/` prefix, `/api/` prefix, `= /api`, `/api/v1` prefix, `= /healthz`,
    // and `/` on host `api.example.com`.
    static ROUTER: Router<R> = Router {
        hosts: &[(
            "api.example.com",
            PathTrie { nodes: &[Node { exact: None, subtree: None, below: Some(R::HostApi), children: &[] }] },
        )],
        any_host: PathTrie {
            nodes: &[
                Node { exact: None, subtree: None, below: Some(R::Root), children: &[("api", 1), ("healthz", 3)] },
                Node { exact: Some(R::ApiExact), subtree: None, below: Some(R::Api), children: &[("v1", 2)] },
                Node { exact: None, subtree: Some(R::ApiV1), below: None, children: &[] },
                Node { exact: Some(R::Health), subtree: None, below: None, children: &[] },
            ],
        },
    };

    #[test]
    fn exact_beats_prefix_and_longest_prefix_wins() {
        assert_eq!(ROUTER.find(None, "/"), Some(R::Root));
        assert_eq!(ROUTER.find(None, "/api"), Some(R::ApiExact));
        assert_eq!(ROUTER.find(None, "/api/"), Some(R::Api));
        assert_eq!(ROUTER.find(None, "/api/x"), Some(R::Api));
        assert_eq!(ROUTER.find(None, "/api/v1"), Some(R::ApiV1));
        assert_eq!(ROUTER.find(None, "/api/v1/users"), Some(R::ApiV1));
        assert_eq!(ROUTER.find(None, "/api/v10"), Some(R::Api));
        assert_eq!(ROUTER.find(None, "/apix"), Some(R::Root));
        assert_eq!(ROUTER.find(None, "/healthz"), Some(R::Health));
        assert_eq!(ROUTER.find(None, "/healthz/x"), Some(R::Root));
        assert_eq!(ROUTER.find(None, "*"), None);
    }

    #[test]
    fn hosts_first_then_any_host() {
        assert_eq!(ROUTER.find(Some("API.example.com"), "/api/x"), Some(R::HostApi));
        assert_eq!(ROUTER.find(Some("other.example.com"), "/api/x"), Some(R::Api));
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
