//! The HTTP syntax a gateway enforces before routing, as pure functions
//! over text and bytes: [`path`] normalisation, the rules on raw request
//! [`head`]s, the framing of [`chunked`] bodies, and the address ranges
//! ([`cidr`]) of access rules, and the client's address behind trusted
//! proxies ([`real_ip`]), the lines of htpasswd files ([`htpasswd`]), and W3C
//! [`traceparent`] values, the [`router`] tables and lookup, and the [`query`] and cookie values route matchers read. `gateway-runtime` applies them to Pingora's requests
//! (`gateway_runtime::path`, `gateway_runtime::strict`); `fuzz/` fuzzes
//! them on their own.

pub mod chunked;
pub mod cidr;
pub mod head;
pub mod htpasswd;
pub mod path;
pub mod proxy_protocol;
pub mod query;
pub mod real_ip;
pub mod router;
pub mod secrets;
pub mod traceparent;
