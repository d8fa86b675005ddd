//! The generic cell rate algorithm (GCRA, ITU-T I.371), the token bucket
//! behind `limit rate N/W burst B`: requests are let through at one per
//! `interval` (W/N) on average, and up to `burst` at once after a quiet
//! period.
//!
//! Each key has a theoretical arrival time (TAT): the time its bucket will
//! be full again. A request at `now` passes if `TAT - now` is at most
//! `tolerance` (`(burst - 1) × interval`); it then moves the TAT to
//! `max(TAT, now) + interval`. Refused requests change nothing.
//!
//! TATs are kept in a fixed table of atomic slots, with no allocation per
//! key: each key hashes to one slot in each of `ROWS` rows, and a request
//! must pass in every row (as a count-min sketch, a collision can only make
//! a key's limit stricter, never looser).

use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Rows of the table: independent hashes.
const ROWS: usize = 3;
/// Slots per row.
const SLOTS: usize = 4096;

pub struct Gcra {
    /// Nanoseconds between requests at the steady rate.
    interval: u64,
    /// How far ahead of `now` a TAT may be for a request to pass.
    tolerance: u64,
    hashers: [RandomState; ROWS],
    /// TATs in nanoseconds since [`epoch`]; 0 is "full".
    slots: Box<[AtomicU64]>,
}

/// The clock's origin: the first use.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl Gcra {
    /// `count` requests per `window`, up to `burst` at once.
    pub fn new(count: u64, window: Duration, burst: u64) -> Gcra {
        let interval = (nanos(window) / count.max(1)).max(1);
        Gcra {
            interval,
            tolerance: interval.saturating_mul(burst.max(1) - 1),
            hashers: std::array::from_fn(|_| RandomState::new()),
            slots: (0..ROWS * SLOTS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Lets a request of `key` through, or says how long until one would pass.
    pub fn check<K: Hash>(&self, key: &K) -> Result<(), Duration> {
        self.check_at(key, nanos(epoch().elapsed()))
    }

    fn check_at<K: Hash>(&self, key: &K, now: u64) -> Result<(), Duration> {
        for (row, hasher) in self.hashers.iter().enumerate() {
            let slot = &self.slots[row * SLOTS + (hasher.hash_one(key) as usize % SLOTS)];
            let mut old = slot.load(Ordering::Relaxed);
            loop {
                let tat = old.max(now);
                if tat - now > self.tolerance {
                    return Err(Duration::from_nanos(tat - now - self.tolerance));
                }
                match slot.compare_exchange_weak(old, tat + self.interval, Ordering::AcqRel, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(current) => old = current,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000_000;

    #[test]
    fn a_burst_passes_at_once_then_the_steady_rate() {
        // 10/s, burst 5: five at once, then one every 100 ms.
        let gcra = Gcra::new(10, Duration::from_secs(1), 5);
        let now = 50 * SECOND;
        let passed = (0..20).filter(|_| gcra.check_at(&"a", now).is_ok()).count();
        assert_eq!(passed, 5);
        let wait = gcra.check_at(&"a", now).expect_err("over the burst");
        assert_eq!(wait, Duration::from_millis(100));
        assert!(gcra.check_at(&"a", now + SECOND / 10).is_ok());
        assert!(gcra.check_at(&"a", now + SECOND / 10).is_err());
        // Another key has its own bucket.
        assert!(gcra.check_at(&"b", now).is_ok());
        // After a quiet second, the whole burst again.
        let later = now + 2 * SECOND;
        assert_eq!((0..20).filter(|_| gcra.check_at(&"a", later).is_ok()).count(), 5);
    }

    #[test]
    fn burst_one_is_an_even_rate() {
        let gcra = Gcra::new(2, Duration::from_secs(1), 1);
        let now = 10 * SECOND;
        assert!(gcra.check_at(&1, now).is_ok());
        assert!(gcra.check_at(&1, now + SECOND / 4).is_err());
        assert!(gcra.check_at(&1, now + SECOND / 2).is_ok());
    }
}
