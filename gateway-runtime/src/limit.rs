//! Rate limits, on `pingora-limits`.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use pingora::proxy::Session;
use pingora_limits::rate::Rate;

/// Allows `limit` requests per client IP in each window of time.
///
/// Counting is by fixed windows (`pingora_limits::rate::Rate`): a client may
/// make `limit` requests in each window, so up to twice that in a short time
/// across the boundary of two windows. Counts are estimates that can only be
/// too high, never too low, when many clients collide in the estimator.
pub struct RateLimiter {
    rate: Rate,
    limit: isize,
    retry_after_seconds: u64,
}

impl RateLimiter {
    pub fn new(limit: u64, window: Duration) -> RateLimiter {
        RateLimiter {
            rate: Rate::new(window),
            limit: isize::try_from(limit).unwrap_or(isize::MAX),
            retry_after_seconds: window.as_secs().max(1),
        }
    }

    /// Counts this request; `Some(seconds to wait)` when it is over the limit.
    ///
    /// Called in `request_filter`. Background cache refreshes are not counted:
    /// the client's request that caused them already was.
    pub fn check(&self, session: &Session) -> Option<u64> {
        if session.subrequest_ctx.is_some() {
            return None;
        }
        let client_ip = session
            .client_addr()
            .and_then(|addr| addr.as_inet())
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
        self.check_ip(client_ip)
    }

    /// Counts a request of `client_ip`; `Some(seconds to wait)` when it is over the limit.
    pub fn check_ip(&self, client_ip: IpAddr) -> Option<u64> {
        let seen = self.rate.observe(&client_ip, 1);
        (seen > self.limit).then_some(self.retry_after_seconds)
    }
}
