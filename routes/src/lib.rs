//! Support for the example gateway: [`guards`], the Rust functions its
//! routes `call`, and [`origin`], the demo upstream server that
//! `demo-upstreams` runs and the integration tests start.

pub mod guards;
pub mod origin;
