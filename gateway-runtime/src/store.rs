//! The store limits share between gateway instances: Redis, standalone or
//! a Redis Cluster, through `redis` (redis-rs). One multiplexed connection
//! per gateway (`ConnectionManager`, which reconnects by itself; or a
//! `ClusterConnection`, which follows the cluster's slots), made at the
//! first request that needs it, and made again at most once a second while
//! the store is down. Every call has a time budget: past it, or on any
//! error, the caller applies its limit's `on_store_error`. Errors are
//! counted in `gw_store_errors_total` and logged at most once per
//! [`LOG_EVERY`], never per request.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{LazyLock, RwLock};
use std::time::{Duration, Instant};

use prometheus::{IntCounterVec, Opts};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster_async::ClusterConnection;

use crate::StartupError;

/// How often a store error is logged, at most.
pub const LOG_EVERY: Duration = Duration::from_secs(10);
/// How often a connection is attempted while the store is down, at most.
const CONNECT_EVERY: Duration = Duration::from_secs(1);
/// How often a subscription is pinged: a connection that died without a
/// word (no FIN: a host gone, a NAT that forgot it) or a server that
/// stopped answering is otherwise never noticed, and purges published
/// meanwhile are missed for good.
const SUBSCRIPTION_PING: Duration = Duration::from_secs(5);
/// How long a subscription's ping may take (or the store's `timeout`, if
/// longer) before the subscription counts as lost.
const SUBSCRIPTION_PING_DEADLINE: Duration = Duration::from_secs(2);

/// `gw_store_errors_total{op}`: calls to the store that failed or ran out
/// of time, by operation (`connect`, `limit_rate`, ...).
pub(crate) static STORE_ERRORS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    // Fails only for an invalid name; these are constants and valid.
    IntCounterVec::new(
        Opts::new("gw_store_errors_total", "Calls to the shared store (Redis) that failed or timed out."),
        &["op"],
    )
    .expect("a valid metric")
});

/// `server { store redis ... }`, as generated code writes it.
#[derive(Debug, Clone, Copy)]
pub struct StoreConfig {
    /// `host:port` of each node (one for a standalone server).
    pub nodes: &'static [&'static str],
    /// A Redis Cluster: keys are spread over the nodes by slot.
    pub cluster: bool,
    /// `rediss://`: TLS to the store.
    pub tls: bool,
    /// The database of a standalone server.
    pub database: u32,
    /// Put before every key, so that several gateways can share a server.
    pub prefix: &'static str,
    /// The budget of one call, connecting included.
    pub timeout: Duration,
    /// `password env(NAME)`: the variable, and where the directive is.
    pub password: Option<(&'static str, &'static str)>,
    /// How long a `limit concurrency ... shared` slot is held in the store
    /// without being renewed: how long the slots of an instance that died
    /// stay taken. Held slots are renewed every third of it.
    pub lease: Duration,
}

#[derive(Clone)]
enum Connection {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

/// The store of a gateway: its configuration and its connection.
pub struct Store {
    config: StoreConfig,
    password: Option<String>,
    connection: RwLock<Option<Connection>>,
    connecting: AtomicBool,
    /// When a connection was last attempted, in ms since `epoch`.
    last_attempt: AtomicU64,
    /// When an error was last logged, in ms since `epoch`.
    last_logged: AtomicU64,
    epoch: Instant,
    /// This process among those sharing the store: random, made at start-up.
    instance: u64,
}

/// Why a call to the store gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Not connected (and not trying again yet, or the attempt failed).
    Unavailable,
    /// The call ran out of its time budget.
    Timeout,
    /// The store answered with an error.
    Failed(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable => f.write_str("not connected"),
            StoreError::Timeout => f.write_str("no answer within the time budget"),
            StoreError::Failed(error) => f.write_str(error),
        }
    }
}

impl Store {
    /// The store of `config`; its password is read from the environment
    /// now (a missing variable stops the gateway), nothing is connected yet.
    pub fn new(config: StoreConfig) -> Result<Store, StartupError> {
        let password = match config.password {
            Some((name, location)) => Some(crate::auth::env_secret(name, "store redis { password }", location)?),
            None => None,
        };
        Ok(Store {
            config,
            password,
            connection: RwLock::new(None),
            connecting: AtomicBool::new(false),
            last_attempt: AtomicU64::new(0),
            last_logged: AtomicU64::new(0),
            epoch: Instant::now(),
            instance: rand::random(),
        })
    }

    pub fn prefix(&self) -> &'static str {
        self.config.prefix
    }

    /// This process's id among the instances sharing the store (random).
    pub fn instance(&self) -> u64 {
        self.instance
    }

    pub fn lease(&self) -> Duration {
        self.config.lease
    }

    /// Runs `script` with `keys` and `args` on the store, within the budget.
    pub async fn eval<T: redis::FromRedisValue>(
        &self,
        op: &'static str,
        script: &redis::Script,
        keys: &[&[u8]],
        args: &[&[u8]],
    ) -> Result<T, StoreError> {
        let budget = self.config.timeout;
        let result = tokio::time::timeout(budget, async {
            let mut connection = self.connection().await?;
            let mut invocation = script.prepare_invoke();
            for key in keys {
                invocation.key(*key);
            }
            for arg in args {
                invocation.arg(*arg);
            }
            let result = match &mut connection {
                Connection::Single(connection) => invocation.invoke_async(connection).await,
                Connection::Cluster(connection) => invocation.invoke_async(connection).await,
            };
            result.map_err(|error| StoreError::Failed(error.to_string()))
        })
        .await;
        let result = result.unwrap_or(Err(StoreError::Timeout));
        if let Err(error) = &result {
            self.failed(op, error);
        }
        result
    }

    /// Publishes `message` on `channel` (within the budget), tagged with
    /// this instance's id so that its own subscription skips it.
    pub async fn publish(&self, channel: &str, message: &[u8]) -> Result<(), StoreError> {
        let channel = format!("{}{channel}", self.config.prefix);
        let message = tagged(self.instance, message);
        let result = tokio::time::timeout(self.config.timeout, async {
            let mut connection = self.connection().await?;
            let mut command = redis::cmd("PUBLISH");
            command.arg(&channel).arg(&message);
            let result: redis::RedisResult<i64> = match &mut connection {
                Connection::Single(connection) => command.query_async(connection).await,
                Connection::Cluster(connection) => command.query_async(connection).await,
            };
            result.map(|_| ()).map_err(|error| StoreError::Failed(error.to_string()))
        })
        .await
        .unwrap_or(Err(StoreError::Timeout));
        if let Err(error) = &result {
            self.failed("publish", error);
        }
        result
    }

    /// A background service that delivers what other instances publish on
    /// `channel` to `subscriber`, for as long as the gateway runs: it
    /// subscribes (on the standalone server, or on the first cluster node
    /// that answers: a cluster forwards `PUBLISH` to every node), and
    /// subscribes again at most once a second when the subscription is
    /// lost, telling `subscriber` it may have missed messages
    /// ([`Subscriber::resync`]). The subscription is pinged every 5 s, and
    /// counts as lost if a ping is not answered within 2 s (or the store's
    /// `timeout`, if longer). Messages this instance published are not
    /// delivered to it.
    pub fn subscription(
        self: &std::sync::Arc<Self>,
        channel: &'static str,
        subscriber: std::sync::Arc<dyn Subscriber>,
    ) -> Box<dyn crate::server::Service> {
        let name = format!("store subscription {channel}");
        Box::new(pingora::services::background::background_service(
            &name,
            Subscription { store: self.clone(), channel, subscriber },
        ))
    }

    /// Counts an error, and logs it unless one was logged in the last [`LOG_EVERY`].
    fn failed(&self, op: &'static str, error: &StoreError) {
        STORE_ERRORS.with_label_values(&[op]).inc();
        let now = self.now_ms();
        let last = self.last_logged.load(Ordering::Relaxed);
        if (last == 0 || now.saturating_sub(last) >= LOG_EVERY.as_millis() as u64)
            && self.last_logged.compare_exchange(last, now.max(1), Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            log::warn!(
                "store redis {}: {op}: {error} (limits apply their `on_store_error`; logged at most every {}s)",
                self.config.nodes.join(" "),
                LOG_EVERY.as_secs()
            );
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The connection, made now if there is none and no attempt was made in
    /// the last [`CONNECT_EVERY`] (by this request or another).
    async fn connection(&self) -> Result<Connection, StoreError> {
        if let Some(connection) = self.connection.read().ok().and_then(|slot| slot.clone()) {
            return Ok(connection);
        }
        let now = self.now_ms();
        let last = self.last_attempt.load(Ordering::Relaxed);
        if last != 0 && now.saturating_sub(last) < CONNECT_EVERY.as_millis() as u64 {
            return Err(StoreError::Unavailable);
        }
        if self.connecting.swap(true, Ordering::AcqRel) {
            return Err(StoreError::Unavailable);
        }
        self.last_attempt.store(now.max(1), Ordering::Relaxed);
        // Whatever happens to this future (its budget may end it), the
        // flag is given back.
        struct Release<'a>(&'a AtomicBool);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _release = Release(&self.connecting);
        let connection = self.connect().await.map_err(|error| {
            let error = StoreError::Failed(error.to_string());
            self.failed("connect", &error);
            error
        })?;
        if let Ok(mut slot) = self.connection.write() {
            *slot = Some(connection.clone());
        }
        Ok(connection)
    }

    /// The URL of one node, with the password and (standalone) database.
    fn url(&self, node: &str) -> String {
        let scheme = if self.config.tls { "rediss" } else { "redis" };
        let database = if self.config.cluster { 0 } else { self.config.database };
        match &self.password {
            Some(password) => format!("{scheme}://:{}@{node}/{database}", encode_userinfo(password)),
            None => format!("{scheme}://{node}/{database}"),
        }
    }

    /// A pub/sub connection subscribed to `channel` (prefixed), on the
    /// first node that answers within the budget.
    async fn subscribe(&self, channel: &str) -> Result<redis::aio::PubSub, StoreError> {
        let channel = format!("{}{channel}", self.config.prefix);
        let mut last = StoreError::Unavailable;
        for node in self.config.nodes {
            let attempt = tokio::time::timeout(self.config.timeout.max(Duration::from_secs(1)), async {
                let client = redis::Client::open(self.url(node))?;
                let mut pubsub = client.get_async_pubsub().await?;
                pubsub.subscribe(&channel).await?;
                redis::RedisResult::Ok(pubsub)
            })
            .await;
            match attempt {
                Ok(Ok(pubsub)) => return Ok(pubsub),
                Ok(Err(error)) => last = StoreError::Failed(error.to_string()),
                Err(_) => last = StoreError::Timeout,
            }
        }
        Err(last)
    }

    async fn connect(&self) -> redis::RedisResult<Connection> {
        let scheme = if self.config.tls { "rediss" } else { "redis" };
        let timeout = Some(self.config.timeout);
        if self.config.cluster {
            let nodes: Vec<String> = self.config.nodes.iter().map(|node| format!("{scheme}://{node}")).collect();
            let mut builder = redis::cluster::ClusterClient::builder(nodes)
                .connection_timeout(self.config.timeout)
                .response_timeout(self.config.timeout)
                .retries(1);
            if let Some(password) = &self.password {
                builder = builder.password(password.clone());
            }
            let client = builder.build()?;
            return Ok(Connection::Cluster(client.get_async_connection().await?));
        }
        let node = self.config.nodes.first().copied().unwrap_or("127.0.0.1:6379");
        let client = redis::Client::open(self.url(node))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout)
            .set_number_of_retries(1)
            .set_max_delay(CONNECT_EVERY);
        Ok(Connection::Single(ConnectionManager::new_with_config(client, config).await?))
    }
}

/// What receives the messages of a [`Store::subscription`].
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync + 'static {
    /// A message another instance published.
    async fn message(&self, message: &[u8]);
    /// The subscription was lost and is back: messages published meanwhile
    /// were not received.
    async fn resync(&self);
}

/// A message as published: the sender's id (16 hex digits), a space, the body.
pub(crate) fn tagged(instance: u64, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{instance:016x} ").into_bytes();
    out.extend_from_slice(body);
    out
}

struct Subscription {
    store: std::sync::Arc<Store>,
    channel: &'static str,
    subscriber: std::sync::Arc<dyn Subscriber>,
}

#[async_trait::async_trait]
impl pingora::services::background::BackgroundService for Subscription {
    async fn start(&self, mut shutdown: pingora::server::ShutdownWatch) {
        use futures::StreamExt as _;
        let own = format!("{:016x} ", self.store.instance);
        let mut subscribed_before = false;
        loop {
            let pubsub = tokio::select! {
                _ = shutdown.changed() => return,
                pubsub = self.store.subscribe(self.channel) => pubsub,
            };
            match pubsub {
                Ok(pubsub) => {
                    if subscribed_before {
                        self.subscriber.resync().await;
                    }
                    subscribed_before = true;
                    let (mut sink, mut messages) = pubsub.split();
                    let start = tokio::time::Instant::now() + SUBSCRIPTION_PING;
                    let mut ping = tokio::time::interval_at(start, SUBSCRIPTION_PING);
                    let deadline = self.store.config.timeout.max(SUBSCRIPTION_PING_DEADLINE);
                    loop {
                        let message = tokio::select! {
                            _ = shutdown.changed() => return,
                            _ = ping.tick() => {
                                match tokio::time::timeout(deadline, sink.ping::<redis::Value>()).await {
                                    Ok(Ok(_)) => continue,
                                    // Unanswered: subscribe again, and resync.
                                    _ => break,
                                }
                            }
                            message = messages.next() => message,
                        };
                        let Some(message) = message else { break };
                        let payload = message.get_payload_bytes();
                        if payload.starts_with(own.as_bytes()) {
                            continue;
                        }
                        // `ID ` then the body; anything else is not ours.
                        if let Some(body) = payload.get(17..).filter(|_| payload.get(16) == Some(&b' ')) {
                            self.subscriber.message(body).await;
                        }
                    }
                    self.store.failed("subscribe", &StoreError::Failed("subscription lost".to_string()));
                }
                Err(error) => self.store.failed("subscribe", &error),
            }
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(CONNECT_EVERY) => {}
            }
        }
    }
}

/// A password as the user-info part of a URL.
fn encode_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What a limit does when the store gives no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnStoreError {
    /// Let the request through (fail open).
    Allow,
    /// Refuse it: 503 (fail closed).
    Deny,
    /// Apply the limit on this instance alone.
    Local,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_encoded_in_urls() {
        assert_eq!(encode_userinfo("a b@c:d/é"), "a%20b%40c%3Ad%2F%C3%A9");
        assert_eq!(encode_userinfo("plain-1.2_3~"), "plain-1.2_3~");
    }

    #[tokio::test]
    async fn an_unreachable_store_fails_and_is_not_retried_at_once() {
        // A port nothing listens on (the test binds and drops it).
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let node: &'static str = Box::leak(format!("127.0.0.1:{port}").into_boxed_str());
        let nodes: &'static [&'static str] = Box::leak(vec![node].into_boxed_slice());
        let store = Store::new(StoreConfig {
            nodes,
            cluster: false,
            tls: false,
            database: 0,
            prefix: "gw:",
            timeout: Duration::from_millis(200),
            password: None,
            lease: Duration::from_secs(30),
        })
        .expect("store");
        let script = redis::Script::new("return 1");
        let first: Result<i64, StoreError> = store.eval("test", &script, &[b"k"], &[]).await;
        assert!(matches!(first, Err(StoreError::Failed(_) | StoreError::Timeout)), "{first:?}");
        // Within a second of the failed attempt, no new one: at once.
        let second: Result<i64, StoreError> = store.eval("test", &script, &[b"k"], &[]).await;
        assert_eq!(second, Err(StoreError::Unavailable));
    }
}
