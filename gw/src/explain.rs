//! `gw explain FILE 'METHOD URL' [-H 'Name: value']... [--on LISTENER]`:
//! which route a request takes and why, by `gateway_dsl::routing::decide`,
//! the routing decision `test` blocks are checked with (the gateway's own
//! tables and lookup).

use std::process::ExitCode;

use gateway_dsl::routing::{self, Outcome, Request};
use gateway_dsl::{ir, table};

pub fn explain(args: &[String]) -> ExitCode {
    let (file, request_line, rest) = match args {
        [file, request, rest @ ..] => (file, request, rest),
        _ => return crate::usage(),
    };
    let Some((method, url)) = request_line.trim().split_once(char::is_whitespace) else {
        eprintln!("gw explain: the request is `METHOD URL`, e.g. 'GET https://example.com/api/users'");
        return ExitCode::from(2);
    };
    let mut request = match Request::parse(method, url.trim()) {
        Ok(request) => request,
        Err(message) => {
            eprintln!("gw explain: {message}");
            return ExitCode::from(2);
        }
    };
    let mut listener = None;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.next()) {
            ("-H" | "--header", Some(header)) => {
                let Some((name, value)) = header.split_once(':') else {
                    eprintln!("gw explain: a header is 'Name: value', not `{header}`");
                    return ExitCode::from(2);
                };
                let (name, value) = (name.trim(), value.trim());
                if name.eq_ignore_ascii_case("host") {
                    request.host = Some(value.to_string());
                } else {
                    request.headers.push((name.to_string(), value.to_string()));
                }
            }
            ("--on", Some(name)) => listener = Some(name.clone()),
            _ => return crate::usage(),
        }
    }
    let Some(gateway) = crate::load_checked(file) else { return ExitCode::FAILURE };
    if let Some(name) = listener {
        match gateway.listeners.iter().position(|listener| listener.name.as_deref() == Some(name.as_str())) {
            Some(index) => request.listener = index,
            None => {
                eprintln!("gw explain: `{file}` has no listener named `{name}`");
                return ExitCode::from(2);
            }
        }
    }
    print!("{}", text(&gateway, &request));
    ExitCode::SUCCESS
}

/// The explanation, as printed.
pub fn text(gateway: &ir::Gateway, request: &Request) -> String {
    let decision = routing::decide(gateway, request);
    let mut out = format!("request   {} {}\n", request.method, request.target);
    if let Some(host) = &decision.host {
        out.push_str(&format!("host      {host}\n"));
    }
    if let Some(listener) = gateway.listeners.get(request.listener) {
        let name = listener.name.clone().unwrap_or_else(|| listener.addr.to_string());
        out.push_str(&format!("listener  {name}\n"));
    }
    match &decision.path {
        Some(path) => out.push_str(&format!("path      {path} (normalised)\n")),
        None => out.push_str("path      cannot be normalised\n"),
    }
    for (route_id, reason) in &decision.passed_over {
        let route = &gateway.routes[*route_id];
        out.push_str(&format!("skipped   route {} ({}): {reason}\n", table::pattern(&route.path), route.location));
    }
    match &decision.outcome {
        Outcome::Refused(status, reason) => out.push_str(&format!("refused   {status}: {reason}\n")),
        Outcome::Route(route_id) => {
            let route = &gateway.routes[*route_id];
            out.push_str(&format!("route     {} ({})\n", table::pattern(&route.path), route.location));
            let matchers = table::matchers(gateway, route);
            if !matchers.is_empty() {
                out.push_str(&format!("matchers  {}\n", matchers.join("; ")));
            }
            out.push_str(&format!("action    {}\n", table::action(gateway, route)));
            let policies = table::policies(gateway, route);
            let policies = if policies.is_empty() { "-".to_string() } else { policies.join(", ") };
            out.push_str(&format!("policies  {policies}\n"));
        }
    }
    out
}
