//! `limit concurrency N [per KEY] [status S]`: requests in flight per key,
//! on `pingora-limits`' `Inflight`; past N, 429 (or the status named).

use std::hash::Hash;

use pingora_limits::inflight::{Guard, Inflight};

use pingora::proxy::Session;

use super::Refusal;
use super::key::{Facts, KeySpec};

/// Lets at most `limit` requests of one key be in flight at once.
///
/// A request that is let through holds a [`Guard`] in its context until the
/// context is dropped, which Pingora does when the request ends on every
/// path (response sent, upstream failure, client gone). Counts are
/// estimates that can be too high when many keys collide, never too low.
pub struct ConcurrencyLimiter {
    inflight: Inflight,
    limit: isize,
    status: u16,
}

impl ConcurrencyLimiter {
    pub fn new(limit: u64, status: u16) -> ConcurrencyLimiter {
        ConcurrencyLimiter { inflight: Inflight::new(), limit: isize::try_from(limit).unwrap_or(isize::MAX), status }
    }

    /// [`ConcurrencyLimiter::acquire`] for a request on route `route`,
    /// keyed as `spec` says from `facts`; background cache refreshes take no slot.
    #[inline]
    pub fn acquire_request(
        &self,
        session: &Session,
        spec: KeySpec,
        facts: Facts<'_>,
    ) -> Result<Option<Guard>, Refusal> {
        if session.subrequest_ctx.is_some() {
            return Ok(None);
        }
        self.acquire(&spec.of(session, facts)).map(Some)
    }

    /// A slot for a request of `key`, held until the guard is dropped, or
    /// the refusal when `limit` requests of that key are in flight.
    pub fn acquire<K: Hash>(&self, key: &K) -> Result<Guard, Refusal> {
        let (guard, count) = self.inflight.incr(key, 1);
        if count > self.limit {
            // Dropping the guard gives the slot back at once.
            drop(guard);
            return Err(Refusal::status(self.status));
        }
        Ok(guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_given_back_when_guards_drop() {
        let limiter = ConcurrencyLimiter::new(2, 503);
        let first = limiter.acquire(&"a").expect("first");
        let second = limiter.acquire(&"a").expect("second");
        assert_eq!(limiter.acquire(&"a").map(|_| ()), Err(Refusal::status(503)));
        assert!(limiter.acquire(&"b").is_ok(), "another key has its own slots");
        drop(first);
        let third = limiter.acquire(&"a").expect("a slot was given back");
        assert!(limiter.acquire(&"a").is_err(), "a refusal holds no slot");
        drop((second, third));
        assert!(limiter.acquire(&"a").is_ok());
    }
}
