//! `limit concurrency N [per KEY] [status S] [shared ...]`: requests in
//! flight per key, on `pingora-limits`' `Inflight`; past N, 429 (or the
//! status named). `shared`: [`SharedConcurrencyLimiter`], slots leased in
//! the store every instance naming it shares.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, Weak};

use pingora_limits::inflight::{Guard, Inflight};

use pingora::proxy::Session;

use super::Refusal;
use super::key::{Facts, KeySpec};
use crate::store::{OnStoreError, Store, StoreError};

/// A request's slot, held in its context until the request ends on any
/// path (response sent, upstream failure, client gone): dropping it gives
/// the slot back.
pub enum Slot {
    /// Counted on this instance.
    Local(Guard),
    /// Leased in the store.
    Shared(SharedSlot),
}

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
    pub fn acquire_request(&self, session: &Session, spec: KeySpec, facts: Facts<'_>) -> Result<Option<Slot>, Refusal> {
        if session.subrequest_ctx.is_some() {
            return Ok(None);
        }
        self.acquire(&spec.of(session, facts)).map(|guard| Some(Slot::Local(guard)))
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

/// `limit concurrency ... shared`: at most `limit` requests of a key in
/// flight across every instance sharing the store. Each slot is a member of
/// a sorted set per key (`PREFIX cc:SCOPE:HASH`), scored by when its lease
/// ends; taking one (after dropping expired ones) is one Lua script, one
/// round trip. A request's slot is removed when the request ends, and
/// renewed while it runs (every third of [`Store::lease`]), so the slots
/// of an instance that dies come back after one lease at most.
pub struct SharedConcurrencyLimiter {
    leases: Arc<Leases>,
    on_error: OnStoreError,
    /// The limit on this instance alone, for `on_store_error local`.
    local: ConcurrencyLimiter,
}

/// The slots this instance holds in the store, and what renews them.
struct Leases {
    store: Arc<Store>,
    /// `PREFIX cc:SCOPE:`, made once.
    key_prefix: String,
    /// The script's arguments: the limit and the lease in ms.
    limit: String,
    lease_ms: String,
    /// `INSTANCE:` (hex), the start of every slot this instance takes.
    member_prefix: String,
    next: AtomicU64,
    /// Held slots: their number, and the store key they are in.
    held: Mutex<HashMap<u64, String>>,
    renewing: AtomicBool,
}

/// A slot leased in the store; dropping it removes it there.
pub struct SharedSlot {
    leases: Arc<Leases>,
    id: u64,
}

/// Takes a slot: KEYS[1] the key's set; ARGV limit, lease (ms), member.
/// Returns 1 when taken, 0 when `limit` unexpired slots are held.
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
";

/// Renews slots still held: KEYS[1] the set; ARGV lease (ms), members.
/// A slot that already expired (and may have been taken by another
/// request since) is not brought back.
const RENEW: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return renewed
";

/// Gives a slot back: KEYS[1] the set; ARGV[1] the member.
const RELEASE: &str = "return redis.call('ZREM', KEYS[1], ARGV[1])";

static SCRIPTS: LazyLock<[redis::Script; 3]> =
    LazyLock::new(|| [redis::Script::new(ACQUIRE), redis::Script::new(RENEW), redis::Script::new(RELEASE)]);

impl SharedConcurrencyLimiter {
    pub fn new(
        store: Arc<Store>,
        scope: &'static str,
        on_error: OnStoreError,
        local: ConcurrencyLimiter,
    ) -> SharedConcurrencyLimiter {
        let leases = Leases {
            key_prefix: format!("{}cc:{scope}:", store.prefix()),
            limit: local.limit.to_string(),
            lease_ms: store.lease().as_millis().max(1).to_string(),
            member_prefix: format!("{:016x}:", store.instance()),
            store,
            next: AtomicU64::new(0),
            held: Mutex::new(HashMap::new()),
            renewing: AtomicBool::new(false),
        };
        SharedConcurrencyLimiter { leases: Arc::new(leases), on_error, local }
    }

    /// [`ConcurrencyLimiter::acquire_request`], the slot leased in the store.
    pub async fn acquire_request(
        &self,
        session: &Session,
        spec: KeySpec,
        facts: Facts<'_>,
    ) -> Result<Option<Slot>, Refusal> {
        if session.subrequest_ctx.is_some() {
            return Ok(None);
        }
        let key = spec.of(session, facts);
        let leases = &self.leases;
        let store_key = key.store_key(&leases.key_prefix);
        let id = leases.next.fetch_add(1, Ordering::Relaxed);
        let member = format!("{}{id}", leases.member_prefix);
        let answer: Result<i64, StoreError> = leases
            .store
            .eval(
                "limit_concurrency",
                &SCRIPTS[0],
                &[store_key.as_bytes()],
                &[leases.limit.as_bytes(), leases.lease_ms.as_bytes(), member.as_bytes()],
            )
            .await;
        match answer {
            Ok(1) => {
                if let Ok(mut held) = leases.held.lock() {
                    held.insert(id, store_key);
                }
                if !leases.renewing.swap(true, Ordering::AcqRel) {
                    tokio::spawn(renew(Arc::downgrade(leases)));
                }
                Ok(Some(Slot::Shared(SharedSlot { leases: leases.clone(), id })))
            }
            Ok(_) => Err(Refusal::status(self.local.status)),
            Err(_) => match self.on_error {
                OnStoreError::Allow => Ok(None),
                OnStoreError::Deny => Err(Refusal::status(503)),
                OnStoreError::Local => self.local.acquire(&key).map(|guard| Some(Slot::Local(guard))),
            },
        }
    }
}

/// Renews the held slots every third of the lease, until the limiter is gone.
async fn renew(leases: Weak<Leases>) {
    let every = match leases.upgrade() {
        Some(leases) => leases.store.lease() / 3,
        None => return,
    };
    loop {
        tokio::time::sleep(every).await;
        let Some(leases) = leases.upgrade() else { return };
        let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
        if let Ok(held) = leases.held.lock() {
            for (id, key) in held.iter() {
                by_key.entry(key.clone()).or_default().push(format!("{}{id}", leases.member_prefix));
            }
        }
        for (key, members) in by_key {
            let mut args: Vec<&[u8]> = vec![leases.lease_ms.as_bytes()];
            args.extend(members.iter().map(|member| member.as_bytes()));
            let _: Result<i64, StoreError> =
                leases.store.eval("limit_concurrency_renew", &SCRIPTS[1], &[key.as_bytes()], &args).await;
        }
    }
}

impl Drop for SharedSlot {
    fn drop(&mut self) {
        let key = self.leases.held.lock().ok().and_then(|mut held| held.remove(&self.id));
        let (Some(key), Ok(runtime)) = (key, tokio::runtime::Handle::try_current()) else {
            // Without a runtime to send the release from, the lease ends it.
            return;
        };
        let leases = self.leases.clone();
        let member = format!("{}{}", leases.member_prefix, self.id);
        runtime.spawn(async move {
            let _: Result<i64, StoreError> = leases
                .store
                .eval("limit_concurrency_release", &SCRIPTS[2], &[key.as_bytes()], &[member.as_bytes()])
                .await;
        });
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
