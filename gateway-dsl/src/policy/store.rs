//! `server { store redis ADDR... [{ cluster; password env(NAME); database N;
//! prefix TEXT; timeout D; tls }] }`: the store `shared` limits count in, so
//! that every gateway instance naming it shares one budget. Runtime:
//! `gateway_runtime::store`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ast::Directive;
use crate::check::Checker;
use crate::check::args::Args;
use crate::diagnostics::{Diagnostic, Span};
use crate::{ir, symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// `host:port` of each node, as written.
    pub nodes: Vec<String>,
    pub cluster: bool,
    pub tls: bool,
    pub database: u32,
    pub prefix: String,
    pub timeout: std::time::Duration,
    pub password: Option<ir::Secret>,
    /// `lease D`: how long a shared concurrency slot outlives its instance.
    pub lease: std::time::Duration,
    /// `file:line:col` of the directive.
    pub location: String,
}

/// The default time budget of one call to the store.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(50);
/// The default lease of a shared concurrency slot.
pub const DEFAULT_LEASE: std::time::Duration = std::time::Duration::from_secs(30);
/// The default prefix of every key.
pub const DEFAULT_PREFIX: &str = "gw:";

/// What a `shared` limit does without an answer from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnStoreError {
    Allow,
    Deny,
    Local,
}

/// `shared [on_store_error allow|deny|local]` on a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub on_error: OnStoreError,
    /// What the limit is counted under in the store: the routes it applies
    /// to and the directive as written (set once the routes are known).
    pub scope: String,
}

/// `store redis ADDR...` and its block.
pub(crate) fn lower(ck: &Checker<'_>, directive: &Directive, args: &mut Args<'_>) -> Option<Store> {
    args.keyword("the store's kind (`redis`)", &["redis"])?;
    let mut nodes: Vec<(String, Span)> = Vec::new();
    let mut ok = true;
    while !args.is_done() {
        match args.parse("an address (`HOST:PORT`)", node) {
            Some((address, span)) => nodes.push((address, span)),
            None => ok = false,
        }
    }
    if nodes.is_empty() && ok {
        args.next("an address (`HOST:PORT`)");
        return None;
    }
    let mut store = Store {
        nodes: nodes.iter().map(|(node, _)| node.clone()).collect(),
        cluster: false,
        tls: false,
        database: 0,
        prefix: DEFAULT_PREFIX.to_string(),
        timeout: DEFAULT_TIMEOUT,
        password: None,
        lease: DEFAULT_LEASE,
        location: ck.source.location(directive.name.span),
    };
    let mut database_span = None;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for inner in directive.block.iter().flat_map(|block| &block.directives) {
        ck.no_block(inner);
        let name = inner.name.text.as_str();
        if symbol::STORE.contains(&name) && !ck.first_in_block(&mut seen, inner) {
            ok = false;
            continue;
        }
        let mut args = Args::new(ck.cx, inner);
        match name {
            "cluster" => store.cluster = true,
            "tls" => store.tls = true,
            "password" => {
                let secret = args.next("the password, as `env(NAME)`").and_then(|arg| {
                    let name = super::auth::env_secret(ck, arg, "a store without a password on a private network")?;
                    Some(ir::Secret::Env { name, location: ck.source.location(arg.span) })
                });
                match secret {
                    Some(secret) => store.password = Some(secret),
                    None => {
                        args.reported();
                        ok = false;
                    }
                }
            }
            "database" => match args.parse("a database number (0 to 15)", |text| match text.parse::<u32>() {
                Ok(number) if number <= 15 => Ok(number),
                _ => Err(format!("`{text}` is not a database number: 0 to 15")),
            }) {
                Some((database, span)) => {
                    store.database = database;
                    database_span = Some(span);
                }
                None => ok = false,
            },
            "prefix" => match args.text("a key prefix") {
                Some((prefix, _)) if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_graphic()) => {
                    store.prefix = prefix.to_string();
                }
                Some((prefix, span)) => {
                    ck.cx.push(
                        Diagnostic::new(span, format!("`{prefix}` is not a key prefix"))
                            .label("visible ASCII characters, e.g. `gw:`"),
                    );
                    ok = false;
                }
                None => ok = false,
            },
            "timeout" => match args.parse("a duration", crate::check::literal::duration) {
                Some((timeout, span)) if timeout.is_zero() || timeout > std::time::Duration::from_secs(10) => {
                    ck.cx.push(
                        Diagnostic::new(span, "the store's time budget is between 1ms and 10s")
                            .label("every request with a shared limit waits for the store at most this long")
                            .help("a few milliseconds on a local network: `timeout 20ms`"),
                    );
                    ok = false;
                }
                Some((timeout, _)) => store.timeout = timeout,
                None => ok = false,
            },
            "lease" => match args.parse("a duration", crate::check::literal::duration) {
                Some((lease, span))
                    if lease < std::time::Duration::from_secs(1) || lease > std::time::Duration::from_secs(3600) =>
                {
                    ck.cx.push(
                        Diagnostic::new(span, "a slot's lease is between 1s and 1h")
                            .label("how long the slots of an instance that died stay taken")
                            .help("held slots are renewed every third of it: `lease 30s` (the default)"),
                    );
                    ok = false;
                }
                Some((lease, _)) => store.lease = lease,
                None => ok = false,
            },
            _ => {
                ck.unknown_directive(inner, "a `store` block", symbol::STORE);
                ok = false;
                continue;
            }
        }
        args.finish();
    }
    if nodes.len() > 1 && !store.cluster {
        ck.cx.push(
            Diagnostic::new(nodes[1].1, "several addresses are the nodes of a Redis Cluster")
                .label("a second node")
                .help("add `cluster` to the store's block: `store redis A B C { cluster }`, or keep one address"),
        );
        ok = false;
    }
    if let (true, Some(span)) = (store.cluster, database_span) {
        ck.cx.push(
            Diagnostic::new(span, "a Redis Cluster has only database 0")
                .label("not with `cluster`")
                .help("remove `database`, or separate gateways with `prefix`"),
        );
        ok = false;
    }
    ok.then_some(store)
}

/// `HOST:PORT`: an IP address or a DNS name, and a port.
fn node(text: &str) -> Result<String, String> {
    let message = || format!("`{text}` is not `HOST:PORT` (e.g. `127.0.0.1:6379`, `redis.internal:6379`)");
    if text.contains("://") {
        return Err(format!("`{text}`: write the address alone, `HOST:PORT`; `tls` in the block asks for TLS"));
    }
    if text.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(text.to_string());
    }
    let (host, port) = text.rsplit_once(':').ok_or_else(message)?;
    port.parse::<u16>().ok().filter(|port| *port != 0).ok_or_else(message)?;
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
                && !label.starts_with('-')
        });
    if host_ok { Ok(text.to_string()) } else { Err(message()) }
}

/// `on_store_error allow|deny|local` after `shared`; `local` by default.
pub(crate) fn lower_shared(args: &mut Args<'_>) -> Option<Option<Shared>> {
    let is = |args: &Args<'_>, word: &str| args.peek().and_then(|arg| arg.text()) == Some(word);
    if !is(args, "shared") {
        return Some(None);
    }
    args.next("`shared`");
    let mut on_error = OnStoreError::Local;
    if is(args, "on_store_error") {
        args.next("`on_store_error`");
        let (choice, _) = args.keyword("`allow`, `deny` or `local`", &["allow", "deny", "local"])?;
        on_error = match choice {
            "allow" => OnStoreError::Allow,
            "deny" => OnStoreError::Deny,
            _ => OnStoreError::Local,
        };
    }
    Some(Some(Shared { on_error, scope: String::new() }))
}

/// `let store = Store::new(...)?;` in `Gateway::new`, before the fields
/// (the shared limiters' inits clone it).
pub(crate) fn init(gateway: &ir::Gateway) -> TokenStream {
    let Some(store) = &gateway.server.store else { return TokenStream::new() };
    let nodes = &store.nodes;
    let (cluster, tls, prefix) = (store.cluster, store.tls, &store.prefix);
    let database = Literal::u32_unsuffixed(store.database);
    let timeout = crate::codegen::duration(store.timeout);
    let lease = crate::codegen::duration(store.lease);
    let password = match &store.password {
        Some(ir::Secret::Env { name, location }) => quote!(::core::option::Option::Some((#name, #location))),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        let store = ::std::sync::Arc::new(::gateway_runtime::store::Store::new(::gateway_runtime::store::StoreConfig {
            nodes: &[#(#nodes),*],
            cluster: #cluster,
            tls: #tls,
            database: #database,
            prefix: #prefix,
            timeout: #timeout,
            password: #password,
            lease: #lease,
        })?);
    }
}

impl Shared {
    /// `OnStoreError::X` of the runtime.
    pub(crate) fn on_error_tokens(&self) -> TokenStream {
        match self.on_error {
            OnStoreError::Allow => quote!(::gateway_runtime::store::OnStoreError::Allow),
            OnStoreError::Deny => quote!(::gateway_runtime::store::OnStoreError::Deny),
            OnStoreError::Local => quote!(::gateway_runtime::store::OnStoreError::Local),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_are_host_and_port() {
        assert!(node("127.0.0.1:6379").is_ok());
        assert!(node("[::1]:6379").is_ok());
        assert!(node("redis.internal:6379").is_ok());
        assert!(node("redis:0").is_err());
        assert!(node("redis").is_err());
        assert!(node("redis://127.0.0.1:6379").is_err());
        assert!(node("bad_host:6379").is_err());
    }
}
