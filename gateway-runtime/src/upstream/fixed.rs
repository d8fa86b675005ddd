//! The fast path: round robin over backends known at build time.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pingora::lb::Backend;
use pingora::protocols::l4::socket::SocketAddr;
use pingora::upstreams::peer::HttpPeer;

/// Round robin over backends known at build time and never checked:
/// Pingora's weighted order, with each backend's peer built once, and
/// without the selection's per-request hashing of backends and set of
/// those seen. A request on a retry, or that meets a backend left aside,
/// takes the general path; so does every request once the admin API has
/// replaced the backends.
pub(super) struct Fixed {
    pub(super) backends: Box<[(SocketAddr, HttpPeer)]>,
    /// Indexes into `backends`, each repeated as many times as its weight.
    order: Box<[u32]>,
    next: AtomicUsize,
    pub(super) valid: AtomicBool,
}

impl Fixed {
    /// `None` unless there is a backend with a weight.
    pub(super) fn new(
        backends: &std::collections::BTreeSet<Backend>,
        peer_of: impl Fn(&Backend) -> HttpPeer,
    ) -> Option<Fixed> {
        let mut order = Vec::new();
        for (index, backend) in backends.iter().enumerate() {
            let index = u32::try_from(index).ok()?;
            order.extend(std::iter::repeat_n(index, backend.weight));
        }
        if order.is_empty() {
            return None;
        }
        Some(Fixed {
            backends: backends.iter().map(|backend| (backend.addr.clone(), peer_of(backend))).collect(),
            order: order.into_boxed_slice(),
            next: AtomicUsize::new(0),
            valid: AtomicBool::new(true),
        })
    }

    /// The backend at `index` in `backends`: its address and peer.
    pub(super) fn get(&self, index: u32) -> Option<&(SocketAddr, HttpPeer)> {
        self.backends.get(usize::try_from(index).ok()?)
    }

    /// The address of the backend at `index` in `backends`.
    pub(super) fn addr(&self, index: u32) -> Option<&SocketAddr> {
        self.get(index).map(|(addr, _)| addr)
    }

    /// The next backend: its index in `backends`, its address and peer.
    pub(super) fn select(&self) -> Option<(u32, &SocketAddr, &HttpPeer)> {
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        let index = *self.order.get(turn % self.order.len())?;
        let (addr, peer) = self.get(index)?;
        Some((index, addr, peer))
    }
}
