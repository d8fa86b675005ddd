//! Where an upstream's backends come from: addresses and unix sockets
//! written in the file, DNS names resolved in the background, a file read
//! again on an interval, and replacements from the admin API.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr as InetAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

use async_trait::async_trait;
use http::Extensions;
use pingora::lb::Backend;
use pingora::lb::discovery::ServiceDiscovery;
use pingora::protocols::l4::socket::SocketAddr;

/// A backend as the `.gw` file names it.
#[derive(Debug, Clone, Copy)]
pub enum BackendSpec {
    Addr(InetAddr, usize),
    /// A DNS name and port: every address it resolves to.
    Dns(&'static str, u16, usize),
    Unix(&'static str, usize),
}

/// The name a backend was resolved from, its TLS server name by default.
#[derive(Debug, Clone)]
pub struct ResolvedFrom(pub &'static str);

/// An upstream's service discovery.
pub struct Discovery {
    upstream: &'static str,
    specs: Vec<BackendSpec>,
    file: Option<PathBuf>,
    /// Addresses each DNS name resolved to last, kept when a lookup fails.
    resolved: Mutex<HashMap<&'static str, Vec<InetAddr>>>,
    /// The file's last good backends.
    from_file: Mutex<BTreeSet<Backend>>,
    /// Backends set through the admin API; they replace everything else.
    replaced: RwLock<Option<BTreeSet<Backend>>>,
    /// Set until the first discovery, which happens at start-up outside any
    /// runtime and answers with the written backends only.
    first: AtomicBool,
}

impl Discovery {
    pub fn new(upstream: &'static str, specs: &[BackendSpec], file: Option<PathBuf>) -> Discovery {
        Discovery {
            upstream,
            specs: specs.to_vec(),
            file,
            resolved: Mutex::new(HashMap::new()),
            from_file: Mutex::new(BTreeSet::new()),
            replaced: RwLock::new(None),
            first: AtomicBool::new(true),
        }
    }

    /// Replaces every backend until the gateway restarts.
    pub fn replace(&self, backends: BTreeSet<Backend>) {
        if let Ok(mut replaced) = self.replaced.write() {
            *replaced = Some(backends);
        }
    }

    /// The backends known without waiting: written addresses and sockets.
    pub fn fixed(&self) -> BTreeSet<Backend> {
        self.specs.iter().filter_map(|spec| fixed_backend(*spec)).collect()
    }

    async fn current(&self) -> BTreeSet<Backend> {
        if let Ok(replaced) = self.replaced.read()
            && let Some(backends) = replaced.as_ref()
        {
            return backends.clone();
        }
        let mut backends = self.fixed();
        if self.first.swap(false, Ordering::Relaxed) {
            return backends;
        }
        for spec in &self.specs {
            if let BackendSpec::Dns(host, port, weight) = *spec {
                for addr in self.resolve(host, port).await {
                    backends.insert(backend(SocketAddr::Inet(addr), weight, Some(host)));
                }
            }
        }
        if let Some(path) = &self.file {
            backends.extend(self.read_file(path).await);
        }
        backends
    }

    async fn resolve(&self, host: &'static str, port: u16) -> Vec<InetAddr> {
        match tokio::net::lookup_host((host, port)).await {
            Ok(addrs) => {
                let addrs: Vec<InetAddr> = addrs.collect();
                if let Ok(mut resolved) = self.resolved.lock() {
                    resolved.insert(host, addrs.clone());
                }
                addrs
            }
            Err(error) => {
                log::warn!(
                    "upstream `{}`: cannot resolve `{host}`: {error}; keeping its last addresses",
                    self.upstream
                );
                self.resolved.lock().ok().and_then(|resolved| resolved.get(host).cloned()).unwrap_or_default()
            }
        }
    }

    /// The file's backends, or its last good ones if it cannot be read or a
    /// line is wrong (each wrong line is logged with its number).
    async fn read_file(&self, path: &PathBuf) -> BTreeSet<Backend> {
        let last_good = || self.from_file.lock().map(|backends| backends.clone()).unwrap_or_default();
        let text = match tokio::fs::read_to_string(path).await {
            Ok(text) => text,
            Err(error) => {
                log::warn!(
                    "upstream `{}`: cannot read {}: {error}; keeping the last backends",
                    self.upstream,
                    path.display()
                );
                return last_good();
            }
        };
        match parse_backends(&text) {
            Ok(backends) => {
                if let Ok(mut from_file) = self.from_file.lock() {
                    from_file.clone_from(&backends);
                }
                backends
            }
            Err(errors) => {
                for error in errors {
                    log::warn!("upstream `{}`: {}:{error}; keeping the last backends", self.upstream, path.display());
                }
                last_good()
            }
        }
    }
}

#[async_trait]
impl ServiceDiscovery for Discovery {
    async fn discover(&self) -> pingora::Result<(BTreeSet<Backend>, HashMap<u64, bool>)> {
        Ok((self.current().await, HashMap::new()))
    }
}

fn fixed_backend(spec: BackendSpec) -> Option<Backend> {
    match spec {
        BackendSpec::Addr(addr, weight) => Some(backend(SocketAddr::Inet(addr), weight, None)),
        BackendSpec::Unix(path, weight) => {
            let addr = std::os::unix::net::SocketAddr::from_pathname(path).ok()?;
            Some(backend(SocketAddr::Unix(addr), weight, None))
        }
        BackendSpec::Dns(..) => None,
    }
}

/// A backend; one resolved from a DNS name carries the name in its
/// extensions. Others carry nothing: the balancer clones the backend it
/// picks on every request, and empty extensions clone without allocating.
pub fn backend(addr: SocketAddr, weight: usize, host: Option<&'static str>) -> Backend {
    let mut ext = Extensions::new();
    if let Some(host) = host {
        ext.insert(ResolvedFrom(host));
    }
    Backend { addr, weight, ext }
}

/// A backend's stable identity (sticky cookies, connection pools through a
/// proxy): a [`stable_hash`] of the address as text.
pub fn identity(addr: &SocketAddr) -> u64 {
    stable_hash(format_args!("{addr}"))
}

/// FNV-1a of a text, the same across restarts and machines, computed
/// without allocating.
pub fn stable_hash(text: std::fmt::Arguments<'_>) -> u64 {
    struct Fnv(u64);
    impl std::fmt::Write for Fnv {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0 = fnv1a(self.0, text.as_bytes());
            Ok(())
        }
    }
    let mut hash = Fnv(FNV_OFFSET);
    let _ = std::fmt::Write::write_fmt(&mut hash, text);
    hash.0
}

/// FNV-1a's starting value.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, continuing from `hash` ([`FNV_OFFSET`] to start).
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Backends in the text form of discovery files and the admin API: one per
/// line, `IP:PORT` or `unix:/path`, optionally `weight N`; `#` comments.
/// Every wrong line is an error, as `LINE: message`.
pub fn parse_backends(text: &str) -> Result<BTreeSet<Backend>, Vec<String>> {
    let mut backends = BTreeSet::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(backend) => {
                backends.insert(backend);
            }
            Err(error) => errors.push(format!("{}: {error}", index + 1)),
        }
    }
    if errors.is_empty() { Ok(backends) } else { Err(errors) }
}

fn parse_line(line: &str) -> Result<Backend, String> {
    let mut words = line.split_whitespace();
    let addr = words.next().unwrap_or("");
    let weight = match (words.next(), words.next(), words.next()) {
        (None, _, _) => 1,
        (Some("weight"), Some(weight), None) => match weight.parse::<usize>() {
            Ok(weight @ 1..=1000) => weight,
            _ => return Err(format!("invalid weight `{weight}`: a whole number from 1 to 1000")),
        },
        _ => return Err(format!("expected `ADDRESS [weight N]`, found `{line}`")),
    };
    if let Some(path) = addr.strip_prefix("unix:") {
        let unix = std::os::unix::net::SocketAddr::from_pathname(path)
            .map_err(|error| format!("invalid unix socket `{path}`: {error}"))?;
        return Ok(backend(SocketAddr::Unix(unix), weight, None));
    }
    match addr.parse::<InetAddr>() {
        Ok(inet) if inet.port() != 0 => Ok(backend(SocketAddr::Inet(inet), weight, None)),
        _ => Err(format!("invalid address `{addr}`: expected IP:PORT or unix:/path")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_lists() {
        let backends =
            parse_backends("# primary\n127.0.0.1:8001 weight 3\n\n[::1]:8002 # v6\nunix:/run/a.sock\n").expect("valid");
        let listed: Vec<(String, usize)> =
            backends.iter().map(|backend| (backend.addr.to_string(), backend.weight)).collect();
        assert_eq!(listed.len(), 3);
        assert!(listed.contains(&("127.0.0.1:8001".to_string(), 3)));
        let errors = parse_backends("127.0.0.1:8001\nnot-an-address\n127.0.0.1:8002 weight 0\n127.0.0.1:1 x\n")
            .expect_err("invalid");
        assert_eq!(errors.len(), 3);
        assert!(errors[0].starts_with("2: invalid address"), "{errors:?}");
        assert!(errors[1].starts_with("3: invalid weight"), "{errors:?}");
        assert!(errors[2].starts_with("4: expected"), "{errors:?}");
    }

    #[test]
    fn identities_are_fnv_of_the_address_text() {
        // Sticky cookies written by earlier versions keep working: the
        // identity is FNV-1a of `addr.to_string()`, whatever computes it.
        let fnv = |text: &str| {
            text.bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
        };
        for text in ["127.0.0.1:8001", "[::1]:8002"] {
            let addr = SocketAddr::Inet(text.parse().expect("address"));
            assert_eq!(identity(&addr), fnv(text), "{text}");
        }
        let unix = SocketAddr::Unix(std::os::unix::net::SocketAddr::from_pathname("/run/a.sock").expect("path"));
        assert_eq!(identity(&unix), fnv(&unix.to_string()));
        assert_ne!(identity(&unix), fnv("127.0.0.1:8001"));
    }
}
