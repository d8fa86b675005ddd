//! Integration tests: each test starts a fixture gateway (`tests/gw/*.gw`,
//! built into `gw-fixtures`) as a child process, with real origin servers on
//! 127.71.0.0/16, and sends real requests over loopback.

mod access_log;
mod actions;
mod admin_api;
mod auth;
mod balance;
mod balancing;
mod body;
mod bypass;
mod cache;
mod call;
mod cli;
mod compress;
mod cors;
mod discover;
mod edge;
mod errors;
mod example;
mod forward_auth;
mod headers;
mod health;
mod lifecycle;
mod limits;
mod listeners;
mod matchers;
mod metrics;
mod peers;
mod policies;
mod proxy_protocol;
mod proxy_upstream;
mod real_ip;
mod recorder;
mod redis;
mod routing;
mod security;
mod servers;
mod shared_limits;
mod support;
mod tls;
mod tracing;
