//! `test { }` blocks: requests and where they must go, checked at build
//! time by the gateway's own routing decision (`crate::routing`). A line
//! that fails is a build error at that line, saying what happened instead.
//!
//! ```text
//! test {
//!     GET api.example.com/v1/users -> route /v1/ upstream api
//!     GET /ADMIN -> 404
//!     POST /upload header Content-Type "text/csv" on public -> route = /upload
//! }
//! ```

use super::Checker;
use super::args::Args;
use super::names::Names;
use crate::ast::{ArgKind, Directive};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir;
use crate::routing::{self, Outcome, Request};

/// One line of a `test` block, checked.
pub(crate) struct RouteTest {
    span: Span,
    request: Request,
    expect: Vec<Expect>,
}

enum Expect {
    /// `route PATTERN`: the pattern as `gw routes` shows it.
    Route(String),
    /// `upstream NAME`.
    Upstream(String),
    /// `404`: refused with it, or answered with it by `respond`/`redirect`.
    Status(u16),
}

impl Checker<'_> {
    /// The lines of a `test` block.
    pub(crate) fn lower_test(&self, directive: &Directive, upstreams: &Names, listeners: &Names) -> Vec<RouteTest> {
        Args::new(self.cx, directive).finish();
        let Some(block) = self.block(directive, "test { GET /api/users -> route /api/ }") else { return Vec::new() };
        block.directives.iter().filter_map(|line| self.lower_test_line(line, upstreams, listeners)).collect()
    }

    fn lower_test_line(&self, line: &Directive, upstreams: &Names, listeners: &Names) -> Option<RouteTest> {
        let method = line.name.text.as_str();
        if let Some(block) = &line.block {
            self.cx.push(
                Diagnostic::new(block.span, "a test line has no block")
                    .label("not allowed here")
                    .help("write each test on one line: `GET /path -> route /path/`"),
            );
            return None;
        }
        if method.bytes().any(|byte| byte.is_ascii_lowercase()) {
            self.cx.push(
                Diagnostic::new(line.name.span, format!("expected a request method, found `{method}`"))
                    .label("methods are upper case")
                    .help(format!(
                        "a test line is `METHOD URL [header NAME VALUE]... [on LISTENER] -> EXPECTED...`, e.g. `{} /`",
                        method.to_ascii_uppercase()
                    )),
            );
            return None;
        }
        let mut args = Args::new(self.cx, line);
        let (url, url_span) = args.text("a URL (`/path`, `host/path` or `https://host/path`)")?;
        let mut request = match Request::parse(method, url) {
            Ok(request) => request,
            Err(message) => {
                self.cx.error(url_span, message);
                return None;
            }
        };
        let mut failed = false;
        loop {
            let Some(arg) = args.peek() else {
                let end = line.head_span().end;
                self.cx.push(
                    Diagnostic::new(Span::new(end, end), "a test line needs `->` and what is expected")
                        .label("expected `->` here")
                        .help("e.g. `-> route /api/`, `-> upstream api`, `-> 404`"),
                );
                return None;
            };
            match arg.text() {
                Some("->") => {
                    args.next("`->`");
                    break;
                }
                Some("header") => {
                    args.next("`header`");
                    let name = args.text("a header name");
                    let value = args.text("a header value");
                    match (name, value) {
                        (Some((_, span)), Some(("->", _))) | (Some(("->", span)), _) => {
                            self.cx.push(
                                Diagnostic::new(span, "`header` needs a name and a value")
                                    .label("expected `header NAME VALUE`")
                                    .help("e.g. `GET /api/x header X-Env prod -> route /api/`"),
                            );
                            return None;
                        }
                        (Some((name, _)), Some((value, _))) => {
                            request.headers.push((name.to_string(), value.to_string()))
                        }
                        _ => return None,
                    }
                }
                Some("on") => {
                    args.next("`on`");
                    let (name, span) = args.text("a listener name")?;
                    match listeners.resolve(self, name, span, "name a listener: `listen http public 0.0.0.0:80`") {
                        Some(index) => request.listener = index,
                        None => failed = true,
                    }
                }
                _ => {
                    args.reported();
                    self.cx.push(
                        Diagnostic::new(arg.span, format!("expected `header`, `on` or `->`, found {}", arg.describe()))
                            .label("not a request option")
                            .help("a test line is `METHOD URL [header NAME VALUE]... [on LISTENER] -> EXPECTED...`"),
                    );
                    return None;
                }
            }
        }
        let mut expect = Vec::new();
        while let Some(arg) = args.peek() {
            match (&arg.kind, arg.text()) {
                (_, Some("route")) => {
                    args.next("`route`");
                    let (first, _) = args.text("a route pattern")?;
                    let pattern = match first {
                        "=" => format!("= {}", args.text("a path")?.0),
                        "~" => format!("~ {:?}", args.text("a regex")?.0),
                        prefix => prefix.to_string(),
                    };
                    expect.push(Expect::Route(pattern));
                }
                (_, Some("upstream")) => {
                    args.next("`upstream`");
                    let (name, span) = args.text("an upstream name")?;
                    if upstreams
                        .resolve(self, name, span, "declare one with `upstream NAME { backend ADDR }`")
                        .is_none()
                    {
                        failed = true;
                    }
                    expect.push(Expect::Upstream(name.to_string()));
                }
                (ArgKind::Word(word), _) if word.parse::<u16>().is_ok_and(|status| (100..=599).contains(&status)) => {
                    args.next("a status");
                    expect.push(Expect::Status(word.parse().unwrap_or_default()));
                }
                _ => {
                    args.reported();
                    self.cx.push(
                        Diagnostic::new(
                            arg.span,
                            format!("expected `route`, `upstream` or a status, found {}", arg.describe()),
                        )
                        .label("not an expectation")
                        .help("e.g. `-> route /api/ upstream api`, `-> 404`, `-> 301`"),
                    );
                    return None;
                }
            }
        }
        if expect.is_empty() {
            self.cx.push(
                Diagnostic::new(line.head_span(), "a test line must say what is expected after `->`")
                    .label("nothing expected")
                    .help("e.g. `-> route /api/`, `-> upstream api`, `-> 404`"),
            );
            return None;
        }
        args.finish();
        (!failed).then_some(RouteTest { span: line.head_span(), request, expect })
    }
}

/// Runs the tests against the checked gateway: a diagnostic per failure.
pub(crate) fn run(gateway: &ir::Gateway, tests: &[RouteTest]) -> Vec<Diagnostic> {
    let mut failures = Vec::new();
    for test in tests {
        let decision = routing::decide(gateway, &test.request);
        let failed: Vec<String> =
            test.expect.iter().filter(|expect| !holds(gateway, &decision.outcome, expect)).map(describe).collect();
        if failed.is_empty() {
            continue;
        }
        let mut diagnostic =
            Diagnostic::new(test.span, format!("route test failed: expected {}", failed.join(" and ")))
                .label(format!("but {}", routing::describe(gateway, &decision)));
        let sent = test.request.target.split('?').next().unwrap_or("");
        if let Some(path) = decision.path.as_deref().filter(|path| *path != sent) {
            diagnostic = diagnostic.note(format!("the path is routed as `{path}`"));
        }
        for (route_id, reason) in &decision.passed_over {
            let route = &gateway.routes[*route_id];
            diagnostic = diagnostic.note(format!(
                "passed over `route {}` ({}): {reason}",
                crate::table::pattern(&route.path),
                route.location
            ));
        }
        failures.push(diagnostic);
    }
    failures
}

fn holds(gateway: &ir::Gateway, outcome: &Outcome, expect: &Expect) -> bool {
    match (expect, outcome) {
        (Expect::Route(pattern), Outcome::Route(id)) => crate::table::pattern(&gateway.routes[*id].path) == *pattern,
        (Expect::Upstream(name), Outcome::Route(id)) => {
            matches!(gateway.routes[*id].action, ir::Action::Proxy { upstream } if gateway.upstreams[upstream].name == *name)
        }
        (Expect::Status(status), Outcome::Refused(refused, _)) => refused == status,
        (Expect::Status(status), Outcome::Route(id)) => match &gateway.routes[*id].action {
            ir::Action::Respond { status: answered, .. } | ir::Action::Redirect { status: answered, .. } => {
                answered == status
            }
            ir::Action::Proxy { .. } => false,
        },
        _ => false,
    }
}

fn describe(expect: &Expect) -> String {
    match expect {
        Expect::Route(pattern) => format!("`route {pattern}`"),
        Expect::Upstream(name) => format!("upstream `{name}`"),
        Expect::Status(status) => format!("status {status}"),
    }
}
