//! Support for the example gateway: [`origin`], the demo upstream server
//! that `demo-upstreams` runs and the integration tests start.

pub mod origin;
