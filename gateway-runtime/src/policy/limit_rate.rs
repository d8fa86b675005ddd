//! `limit rate N/s|m|h [fixed | burst B] per KEY`: requests per window of
//! time and key, on `pingora-limits`' `Rate` (or, with `burst`, a token
//! bucket: [`super::gcra`]); over the rate, 429 with `Retry-After`.
//! `shared`: [`SharedRateLimiter`], the same windows counted in Redis.

use std::hash::Hash;
use std::time::Duration;

use pingora_limits::rate::{Rate, RateComponents};

use pingora::proxy::Session;

use super::Refusal;
use super::gcra::Gcra;
use super::key::{Facts, KeySpec};
use crate::store::{OnStoreError, Store, StoreError};

/// Allows `limit` requests per key in each window of time.
///
/// By default the count is a sliding-window estimate (Cloudflare's): the
/// previous window's count weighted by how much of it the sliding window
/// still covers, plus the current window's, so that no window boundary lets
/// twice the rate through. `fixed` counts each window on its own.
///
/// Only requests that are let through are counted: a client over the rate
/// gets its share as the window slides, whatever it sends. Counts are
/// estimates (count-min sketches) that can be too high when many keys
/// collide, never too low; one window clock is shared by every key of a
/// limit, and windows start when the gateway first counts, not on the clock.
pub struct RateLimiter {
    rate: Rate,
    /// With `burst`: the token bucket that decides instead of the windows.
    bucket: Option<Gcra>,
    limit: isize,
    window: Duration,
    sliding: bool,
    /// The policy's name in `RateLimit-Policy` and `RateLimit`.
    name: &'static str,
}

impl RateLimiter {
    pub fn new(limit: u64, window: Duration, sliding: bool, name: &'static str) -> RateLimiter {
        RateLimiter {
            rate: Rate::new(window),
            bucket: None,
            limit: isize::try_from(limit).unwrap_or(isize::MAX),
            window,
            sliding,
            name,
        }
    }

    /// `limit rate N/W burst B`: up to `burst` requests at once, `limit`
    /// per `window` on average (a token bucket; no windows).
    pub fn with_burst(limit: u64, window: Duration, burst: u64, name: &'static str) -> RateLimiter {
        RateLimiter { bucket: Some(Gcra::new(limit, window, burst)), ..RateLimiter::new(limit, window, false, name) }
    }

    /// [`RateLimiter::check`] for a request on route `route`, keyed as
    /// `spec` says. Background cache refreshes are not counted: the
    /// client's request that caused them already was.
    #[inline]
    pub fn check_request(&self, session: &Session, spec: KeySpec, facts: Facts<'_>) -> Result<(), Refusal> {
        if session.subrequest_ctx.is_some() {
            return Ok(());
        }
        self.check(&spec.of(session, facts))
    }

    /// Counts a request of `key` if it is within the rate; otherwise the
    /// 429 to answer, with `Retry-After` and the `RateLimit` fields
    /// (draft-ietf-httpapi-ratelimit-headers) saying when to come back.
    pub fn check<K: Hash>(&self, key: &K) -> Result<(), Refusal> {
        if let Some(bucket) = &self.bucket {
            return bucket.check(key).map_err(|wait| self.refusal(wait.as_secs_f64().ceil().max(1.0) as u64));
        }
        let sliding = self.sliding;
        let (estimate, components) = self.rate.rate_with(key, |components: RateComponents| {
            let current = components.curr_samples as f64;
            let previous = components.prev_samples as f64 * (1.0 - components.current_interval_fraction);
            let estimate = if sliding { previous + current } else { current };
            (estimate, (components.prev_samples, components.curr_samples, components.current_interval_fraction))
        });
        if estimate + 1.0 <= self.limit as f64 {
            self.rate.observe(key, 1);
            return Ok(());
        }
        let (previous, current, fraction) = components;
        Err(self.refusal(self.retry_after(previous, current, fraction)))
    }

    /// The 429 for a request that may come back in `retry_after` seconds.
    fn refusal(&self, retry_after: u64) -> Refusal {
        let window = self.window.as_secs().max(1);
        Refusal {
            status: 429,
            headers: vec![
                ("Retry-After", retry_after.to_string()),
                ("RateLimit-Policy", format!("\"{}\";q={};w={window}", self.name, self.limit)),
                ("RateLimit", format!("\"{}\";r=0;t={retry_after}", self.name)),
            ],
        }
    }

    /// Whole seconds until a request of this key would be let through
    /// again, at least 1.
    fn retry_after(&self, previous: isize, current: isize, fraction: f64) -> u64 {
        let window = self.window.as_secs_f64();
        let limit = self.limit as f64;
        let (previous, current) = (previous.max(0) as f64, current.max(0) as f64);
        let wait = if !self.sliding {
            (1.0 - fraction) * window
        } else if current + 1.0 <= limit && previous > 0.0 {
            // Within this window, once the previous one weighs little enough.
            let needed = 1.0 - (limit - 1.0 - current) / previous;
            (needed - fraction).max(0.0) * window
        } else {
            // In the next window, once this one weighs little enough.
            let needed = if current > 0.0 { (1.0 - (limit - 1.0) / current).max(0.0) } else { 0.0 };
            (1.0 - fraction + needed) * window
        };
        (wait.ceil() as u64).max(1)
    }
}

/// `limit rate ... shared`: the same sliding (or fixed) windows, counted in
/// the store every instance naming it shares: one hash per key holding the
/// window's index, its count and the previous window's, updated by one Lua
/// script (one round trip, atomic, on the store's clock, so instances'
/// clocks do not matter). Only requests let through are counted, as locally.
/// Without an answer from the store, `on_store_error` decides.
pub struct SharedRateLimiter {
    store: std::sync::Arc<Store>,
    /// `PREFIX rl:SCOPE:`, the start of every key: the scope is the
    /// route(s) and the directive, the same in every instance built from
    /// the same file. Made once, at start-up.
    key_prefix: String,
    /// The script's arguments (window in ms, limit, sliding), made once.
    args: [String; 3],
    on_error: OnStoreError,
    /// The limit on this instance alone, for `on_store_error local`; and
    /// the 429s' fields.
    local: RateLimiter,
}

/// The sliding-window counter, on the store's clock. KEYS[1]: the key's
/// hash; ARGV: window (ms), limit, sliding (1/0). Returns {allowed,
/// current count, previous count, thousandths of the window elapsed}.
const SLIDING_WINDOW: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local index = math.floor(now / window)
local elapsed = now % window
local v = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w = tonumber(v[1])
local c = tonumber(v[2]) or 0
local p = tonumber(v[3]) or 0
if w == nil or w < index - 1 then
  c = 0; p = 0
elseif w == index - 1 then
  p = c; c = 0
end
local estimate = c
if ARGV[3] == '1' then estimate = c + p * (window - elapsed) / window end
local allowed = 0
if estimate + 1 <= limit then
  allowed = 1
  c = c + 1
end
if allowed == 1 or w ~= index then
  redis.call('HSET', KEYS[1], 'w', index, 'c', c, 'p', p)
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
return {allowed, c, p, math.floor(elapsed * 1000 / window)}
";

static SLIDING_WINDOW_SCRIPT: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(SLIDING_WINDOW));

impl SharedRateLimiter {
    pub fn new(
        store: std::sync::Arc<Store>,
        scope: &'static str,
        on_error: OnStoreError,
        local: RateLimiter,
    ) -> SharedRateLimiter {
        let key_prefix = format!("{}rl:{scope}:", store.prefix());
        let window = local.window.as_millis().max(1).to_string();
        let args = [window, local.limit.to_string(), if local.sliding { "1" } else { "0" }.to_string()];
        SharedRateLimiter { store, key_prefix, args, on_error, local }
    }

    /// [`RateLimiter::check_request`], counted in the store.
    pub async fn check_request(&self, session: &Session, spec: KeySpec, facts: Facts<'_>) -> Result<(), Refusal> {
        if session.subrequest_ctx.is_some() {
            return Ok(());
        }
        let key = spec.of(session, facts);
        let store_key = key.store_key(&self.key_prefix);
        let [window, limit, sliding] = &self.args;
        let answer: Result<(i64, i64, i64, i64), StoreError> = self
            .store
            .eval(
                "limit_rate",
                &SLIDING_WINDOW_SCRIPT,
                &[store_key.as_bytes()],
                &[window.as_bytes(), limit.as_bytes(), sliding.as_bytes()],
            )
            .await;
        match answer {
            Ok((1, ..)) => Ok(()),
            Ok((_, current, previous, thousandths)) => {
                let fraction = thousandths as f64 / 1000.0;
                let retry = self.local.retry_after(previous as isize, current as isize, fraction);
                Err(self.local.refusal(retry))
            }
            Err(_) => match self.on_error {
                OnStoreError::Allow => Ok(()),
                OnStoreError::Deny => Err(Refusal::status(503)),
                OnStoreError::Local => self.local.check(&key),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_and_refusals_say_when_to_return() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60), true, "client_ip");
        for _ in 0..3 {
            assert_eq!(limiter.check(&"a"), Ok(()));
        }
        let refusal = limiter.check(&"a").expect_err("the fourth");
        assert_eq!(refusal.status, 429);
        let header = |name: &str| refusal.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        let retry: u64 = header("Retry-After").expect("Retry-After").parse().expect("seconds");
        assert!((1..=120).contains(&retry), "{retry}");
        assert_eq!(header("RateLimit-Policy").as_deref(), Some("\"client_ip\";q=3;w=60"));
        assert_eq!(header("RateLimit"), Some(format!("\"client_ip\";r=0;t={retry}")));
        // Other keys have budgets of their own; refusals are not counted.
        assert_eq!(limiter.check(&"b"), Ok(()));
        assert!(limiter.check(&"a").is_err());
    }

    #[test]
    fn retry_after_follows_the_sliding_window() {
        let limiter = RateLimiter::new(10, Duration::from_secs(10), true, "x");
        // 10 in the previous window, none yet in this one, 20% in: the
        // estimate (8) already leaves room; at least 1 s all the same.
        assert_eq!(limiter.retry_after(10, 0, 0.2), 1);
        // 5 now and 10 before at 20%: 8 + 5 > 9; the previous window must
        // weigh at most 4, so 60% in: 4 s from now.
        assert_eq!(limiter.retry_after(10, 5, 0.2), 4);
        // 10 now: wait for the next window, and 10% into it (1 - 9/10).
        assert_eq!(limiter.retry_after(0, 10, 0.5), 6);
        let fixed = RateLimiter::new(10, Duration::from_secs(10), false, "x");
        assert_eq!(fixed.retry_after(0, 10, 0.25), 8);
    }
}
