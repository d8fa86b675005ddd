//! Purges shared by the instances of one `store`: a purge on one instance
//! (`PURGE`, or the admin API's `DELETE /cache`) is published on the
//! store's `cache` channel, and every other instance subscribed to it
//! purges the same entry or routes.
//!
//! Messages (after the sender's id, see [`crate::store::Store::publish`]):
//!
//! - `all`: every cached route;
//! - `route LABEL`: the routes labelled LABEL;
//! - `key SLOT BYTES`: the entry of cached route SLOT whose key is the hash
//!   of BYTES (`key::primary`); the receiver puts its own generation
//!   of the route in, and ignores a key whose route scope is not its own
//!   (an instance built from another file).
//!
//! While the store is down, purges apply on the instance that received
//! them only. An instance that lost its subscription purges every cached
//! route once it is subscribed again: it cannot know what it missed.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_trait::async_trait;
use pingora::cache::eviction::EvictionManager;
use pingora::cache::trace::Span;
use pingora::cache::{CacheKey, PurgeOutcome, PurgeTarget, PurgeType, Storage};
use pingora::proxy::{PurgeStatus, Session};

use super::{CacheStore, Route, key};
use crate::store::{Store, Subscriber};

/// The channel purges are published on (after the store's prefix).
pub const CHANNEL: &str = "cache";

/// A purge, as published.
#[derive(Debug, PartialEq, Eq)]
enum Message<'a> {
    All,
    Route(&'a str),
    Key { slot: usize, primary: &'a [u8] },
}

impl Message<'_> {
    fn encode(&self) -> Vec<u8> {
        match self {
            Message::All => b"all".to_vec(),
            Message::Route(label) => format!("route {label}").into_bytes(),
            Message::Key { slot, primary } => {
                let mut out = format!("key {slot} ").into_bytes();
                out.extend_from_slice(primary);
                out
            }
        }
    }

    fn decode(bytes: &[u8]) -> Option<Message<'_>> {
        if bytes == b"all" {
            return Some(Message::All);
        }
        if let Some(label) = bytes.strip_prefix(b"route ") {
            return std::str::from_utf8(label).ok().map(Message::Route);
        }
        let rest = bytes.strip_prefix(b"key ")?;
        let space = rest.iter().position(|byte| *byte == b' ')?;
        let slot = std::str::from_utf8(&rest[..space]).ok()?.parse().ok()?;
        Some(Message::Key { slot, primary: &rest[space + 1..] })
    }
}

impl CacheStore {
    /// Shares this cache's purges through `store` (once; later calls do
    /// nothing). Returns the cache, for the generated initialiser.
    pub fn share(&'static self, store: Arc<Store>) -> &'static CacheStore {
        let _ = self.shared.set(store);
        self
    }

    /// The background service that applies the other instances' purges,
    /// when the purges are shared.
    pub fn subscription(&'static self) -> Option<Box<dyn crate::server::Service>> {
        let store = self.shared.get()?;
        Some(store.subscription(CHANNEL, Arc::new(Purges(self))))
    }

    /// [`CacheStore::purge_routes`], then published to the other instances.
    /// The number of routes purged here, and whether the purge was
    /// published (`None` when the purges are not shared).
    pub async fn purge_routes_everywhere(&self, label: Option<&str>) -> (usize, Option<bool>) {
        let purged = self.purge_routes(label);
        let Some(store) = self.shared.get() else { return (purged, None) };
        if purged == 0 {
            return (0, None);
        }
        let message = match label {
            Some(label) => Message::Route(label),
            None => Message::All,
        };
        (purged, Some(store.publish(CHANNEL, &message.encode()).await.is_ok()))
    }

    /// After Pingora answered a `PURGE` on `route` (`purge_response_filter`):
    /// publishes it, whether or not this instance held the entry (another
    /// may). Sent from a task of its own; a failure is counted and logged
    /// by the store.
    pub fn purged(&'static self, session: &Session, route: &'static Route, status: &PurgeStatus) {
        if !matches!(status, PurgeStatus::Found | PurgeStatus::NotFound) {
            return;
        }
        let Some(store) = self.shared.get().cloned() else { return };
        let primary = key::primary(session, route, 0);
        let message = Message::Key { slot: route.slot, primary: &primary }.encode();
        tokio::spawn(async move {
            let _ = store.publish(CHANNEL, &message).await;
        });
    }

    /// Deletes the entry of `route` whose key (in any generation) is `primary`.
    async fn purge_key(&'static self, slot: usize, primary: &[u8]) {
        let Some(route) = self.routes.get(slot) else { return };
        let at = key::generation_at(route);
        if primary.len() < at.end || primary.get(4..at.start) != Some(route.scope.as_bytes()) {
            return;
        }
        let generation = self.generations.get(slot).map_or(0, |generation| generation.load(Ordering::Relaxed));
        let mut bytes = primary.to_vec();
        bytes[at].copy_from_slice(&generation.to_le_bytes());
        let key = CacheKey::new(bytes, "").to_compact();
        let target = PurgeTarget::Active(&key);
        let span = Span::inactive();
        if let Ok(PurgeOutcome::Purged(id)) = self.storage.purge(target, PurgeType::Invalidation, &span.handle()).await
        {
            self.eviction.remove(target.removed_entry(id));
        }
    }
}

/// Applies the purges other instances publish.
struct Purges(&'static CacheStore);

#[async_trait]
impl Subscriber for Purges {
    async fn message(&self, message: &[u8]) {
        match Message::decode(message) {
            Some(Message::All) => {
                self.0.purge_routes(None);
            }
            Some(Message::Route(label)) => {
                self.0.purge_routes(Some(label));
            }
            Some(Message::Key { slot, primary }) => self.0.purge_key(slot, primary).await,
            None => {}
        }
    }

    async fn resync(&self) {
        self.0.purge_routes(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_the_wire() {
        let key = [0u8, 1, 2, b' ', 255];
        for message in [Message::All, Message::Route("/api v2/"), Message::Key { slot: 3, primary: &key }] {
            assert_eq!(Message::decode(&message.encode()), Some(message));
        }
        assert_eq!(Message::decode(b"key x 1"), None);
        assert_eq!(Message::decode(b"other"), None);
    }
}
