//! Integration tests: each test starts a fixture gateway (`tests/gw/*.gw`,
//! built into `gw-fixtures`) as a child process, with real origin servers on
//! 127.71.0.0/16, and sends real requests over loopback.

mod actions;
mod auth;
mod balance;
mod body;
mod bypass;
mod cache;
mod call;
mod cli;
mod errors;
mod example;
mod headers;
mod limits;
mod matchers;
mod metrics;
mod routing;
mod support;
mod tls;
