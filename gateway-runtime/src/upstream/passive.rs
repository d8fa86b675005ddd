//! Passive failure marks: a backend that refused a connection is left
//! aside for `fail_timeout`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use pingora::protocols::l4::socket::SocketAddr;

/// Backends left aside after a failed connection, until when. An active
/// health check that finds one healthy again takes it back at once.
#[derive(Debug, Default)]
pub struct Passive {
    down: RwLock<HashMap<SocketAddr, Instant>>,
    /// Whether any backend was ever left aside: saves the lock otherwise.
    any_down: AtomicBool,
}

impl Passive {
    pub(super) fn leave_aside(&self, addr: SocketAddr, until: Instant) {
        if let Ok(mut down) = self.down.write() {
            down.insert(addr, until);
            self.any_down.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn is_down(&self, addr: &SocketAddr, now: Instant) -> bool {
        self.any_down.load(Ordering::Relaxed)
            && self.down.read().is_ok_and(|down| down.get(addr).is_some_and(|until| *until > now))
    }

    /// `is_down` now; reads neither the clock nor the lock while no backend
    /// is left aside, the usual case.
    pub(super) fn is_down_now(&self, addr: &SocketAddr) -> bool {
        self.any_down.load(Ordering::Relaxed) && self.is_down(addr, Instant::now())
    }

    /// Takes a backend back (its health check passed).
    pub fn take_back(&self, addr: &SocketAddr) {
        if self.any_down.load(Ordering::Relaxed)
            && let Ok(mut down) = self.down.write()
        {
            down.remove(addr);
        }
    }
}
