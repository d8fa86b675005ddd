//! Route policies: one module per directive, each a type the generated code
//! builds once (or a table it writes as a `static`) and calls from the hook
//! its phase runs in (docs/phases.md).
//!
//! - [`access`]: `allow` / `deny` by client address, 403.
//! - [`client_cert`]: `client_cert required|san|subject`: a verified client certificate, 403.
//! - [`cors`]: `cors { ... }`: preflights answered (204 / 403), fields on responses.
//! - [`limit_rate`]: `limit rate N/s per KEY`, sliding or fixed windows, 429.
//! - [`limit_concurrency`]: `limit concurrency N [per KEY]`, requests in flight, 429.
//! - [`limit_body`]: `limit body SIZE`, 413.
//! - [`auth_basic`], [`auth_bearer`], [`auth_api_key`], [`auth_jwt`]: `auth ...`, 401/403;
//!   [`auth_forward`]: the auth service's answer, or 503.
//!
//! A policy that refuses a request returns a [`Refusal`]: its status and
//! headers, written by [`crate::respond::refusal`] with the route's error
//! pages. The passing path allocates nothing.

pub mod access;
pub mod auth_api_key;
pub mod auth_basic;
pub mod auth_bearer;
pub mod auth_forward;
pub mod auth_jwt;
pub mod client_cert;
pub mod cors;
pub mod gcra;
pub mod key;
pub mod limit_body;
pub mod limit_concurrency;
pub mod limit_rate;

/// A request a policy refuses: the status and the headers that say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
}

impl Refusal {
    pub fn status(status: u16) -> Refusal {
        Refusal { status, headers: Vec::new() }
    }
}
