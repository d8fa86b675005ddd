//! Least connections: the backend with the fewest requests in flight,
//! relative to its weight. Pingora has no such selection; this one counts
//! in-flight requests per backend through a guard each request holds.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pingora::lb::Backend;
use pingora::lb::selection::{BackendIter, BackendSelection};

/// The in-flight count of a backend, carried in the backends this selection hands out.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

/// Counts one request in flight until dropped.
#[derive(Debug)]
pub struct InFlightGuard(Arc<AtomicUsize>);

impl InFlight {
    /// Counts a request on this backend.
    pub fn enter(&self) -> InFlightGuard {
        self.0.fetch_add(1, Ordering::Relaxed);
        InFlightGuard(self.0.clone())
    }

    pub fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The selection: backends with their counters.
pub struct LeastConn {
    backends: Box<[Backend]>,
    counters: Box<[InFlight]>,
}

impl BackendSelection for LeastConn {
    type Iter = LeastConnIter;
    type Config = ();

    fn build(backends: &BTreeSet<Backend>) -> Self {
        let counters: Box<[InFlight]> = backends.iter().map(|_| InFlight::default()).collect();
        let backends = backends
            .iter()
            .zip(counters.iter())
            .map(|(backend, counter)| {
                let mut backend = backend.clone();
                backend.ext.insert(counter.clone());
                backend
            })
            .collect();
        LeastConn { backends, counters }
    }

    /// The least loaded backend first (in-flight count over weight, ties to
    /// the first), then the others in order.
    fn iter(self: &Arc<Self>, _key: &[u8]) -> LeastConnIter {
        let start = (0..self.backends.len())
            .min_by(|a, b| {
                // a/wa < b/wb  <=>  a*wb < b*wa
                let load =
                    |index: usize| (self.counters[index].count() as u128, self.backends[index].weight.max(1) as u128);
                let ((count_a, weight_a), (count_b, weight_b)) = (load(*a), load(*b));
                (count_a * weight_b).cmp(&(count_b * weight_a))
            })
            .unwrap_or(0);
        LeastConnIter { selection: self.clone(), start, offset: 0 }
    }
}

pub struct LeastConnIter {
    selection: Arc<LeastConn>,
    start: usize,
    offset: usize,
}

impl BackendIter for LeastConnIter {
    fn next(&mut self) -> Option<&Backend> {
        let count = self.selection.backends.len();
        if self.offset >= count {
            return None;
        }
        let index = (self.start + self.offset) % count;
        self.offset += 1;
        self.selection.backends.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_least_loaded_relative_to_weight() {
        let backends: BTreeSet<Backend> = [("127.0.0.1:1", 1), ("127.0.0.1:2", 2)]
            .into_iter()
            .map(|(addr, weight)| Backend::new_with_weight(addr, weight).expect("backend"))
            .collect();
        let selection = Arc::new(LeastConn::build(&backends));
        let first = |selection: &Arc<LeastConn>| selection.iter(b"").next().cloned().expect("a backend");
        let a = first(&selection);
        assert_eq!(a.addr.to_string(), "127.0.0.1:1");
        let _a_guard = a.ext.get::<InFlight>().expect("counter").enter();
        // 1/1 against 0/2: the second.
        let b = first(&selection);
        assert_eq!(b.addr.to_string(), "127.0.0.1:2");
        let _b1 = b.ext.get::<InFlight>().expect("counter").enter();
        // 1/1 against 1/2: still the second, by weight.
        let b = first(&selection);
        assert_eq!(b.addr.to_string(), "127.0.0.1:2");
        let _b2 = b.ext.get::<InFlight>().expect("counter").enter();
        // 1/1 against 2/2: a tie goes to the first.
        assert_eq!(first(&selection).addr.to_string(), "127.0.0.1:1");
        drop(_a_guard);
        assert_eq!(first(&selection).addr.to_string(), "127.0.0.1:1");
        assert_eq!(selection.iter(b"").count_all(), 2);
    }

    trait CountAll {
        fn count_all(self) -> usize;
    }

    impl CountAll for LeastConnIter {
        fn count_all(mut self) -> usize {
            let mut count = 0;
            while self.next().is_some() {
                count += 1;
            }
            count
        }
    }
}
