//! `gw check` and `gw routes` on the language's golden files.

mod common;

use std::process::{Command, Output};

fn gw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gw"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../gateway-dsl/test_data"))
        .output()
        .expect("run gw")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_passes_good_files_and_reports_every_error_of_bad_ones() {
    let good = gw(&["check", "ok/cache.gw", "ok/tracing.gw"]);
    assert!(good.status.success(), "{}", text(&good.stderr));
    assert!(good.stdout.is_empty() && good.stderr.is_empty());

    let bad = gw(&["check", "ok/cache.gw", "err/tracing.gw"]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = text(&bad.stderr);
    // Every diagnostic at once, rustc-style, located in the .gw file itself.
    assert_eq!(stderr.matches("\nerror: ").count() + usize::from(stderr.starts_with("error: ")), 4, "{stderr}");
    assert!(stderr.contains(" --> err/tracing.gw:5:12\n"), "{stderr}");
    let expected =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../gateway-dsl/test_data/err/tracing.stderr"))
            .expect("golden");
    assert_eq!(stderr.trim_end(), expected.trim_end(), "the diagnostics of `gateway!`, exactly");

    let short = gw(&["check", "--format", "short", "err/tracing.gw"]);
    let lines: Vec<String> = text(&short.stderr).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        "err/tracing.gw:4:10: error: `collector:4318`: the OTLP/HTTP endpoint is an `http://` or `https://` URL"
    );

    let json = gw(&["check", "--format", "json", "err/tracing.gw"]);
    assert_eq!(json.status.code(), Some(1));
    let objects: Vec<serde_json::Value> =
        text(&json.stdout).lines().map(|line| serde_json::from_str(line).expect("one JSON object per line")).collect();
    assert_eq!(objects.len(), 4);
    assert_eq!(
        (&objects[3]["file"], &objects[3]["line"], &objects[3]["column"], &objects[3]["end_column"]),
        (&"err/tracing.gw".into(), &7.into(), &5.into(), &13.into())
    );
    assert_eq!(objects[3]["severity"], "error");
    assert_eq!(objects[3]["message"], "unknown directive `exporter` in a `tracing` block");
}

#[test]
fn missing_files_and_wrong_usage_are_errors() {
    let missing = gw(&["check", "nowhere.gw"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read `nowhere.gw`"));
    assert_eq!(gw(&[]).status.code(), Some(2));
    assert_eq!(gw(&["check", "--format", "xml", "ok/cache.gw"]).status.code(), Some(2));
}

#[test]
fn routes_prints_the_table_in_the_order_the_gateway_tries_it() {
    let routes = gw(&["routes", "ok/cache.gw"]);
    assert!(routes.status.success(), "{}", text(&routes.stderr));
    let stdout = text(&routes.stdout);
    let patterns: Vec<&str> = stdout.lines().skip(1).filter_map(|line| line.split_whitespace().nth(1)).collect();
    assert_eq!(patterns, ["/articles/", "/search", "/old"], "{stdout}");
    assert!(stdout.lines().next().is_some_and(|header| header.starts_with("HOST  PATTERN")));
    assert!(stdout.contains("ok/cache.gw:8:1"), "{stdout}");
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gw-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("gateway.gw");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn explain_shows_the_candidates_passed_over_and_the_route_taken() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../routes/gateway.gw");
    let explained = gw(&["explain", example, "DELETE http://example.com/static/../tenants/x?a=1", "-H", "X-A: b"]);
    assert!(explained.status.success(), "{}", text(&explained.stderr));
    let stdout = text(&explained.stdout);
    assert!(stdout.contains("path      /tenants/x (normalised)\n"), "{stdout}");
    assert!(stdout.contains("skipped   route /tenants/ ("), "{stdout}");
    assert!(stdout.contains("`methods GET POST` does not take DELETE"), "{stdout}");
    assert!(stdout.contains("route     / (") && stdout.contains("action    to web\n"), "{stdout}");

    let refused = text(&gw(&["explain", example, "GET /API/v1"]).stdout);
    assert!(
        refused.contains("refused   404: the path matches `route /api/` only if letter case is ignored"),
        "{refused}"
    );
    let bad = text(&gw(&["explain", example, "GET /a/../../b"]).stdout);
    assert!(bad.contains("refused   400: the path climbs above `/`"), "{bad}");
    assert_eq!(gw(&["explain", example, "GET"]).status.code(), Some(2));
    assert_eq!(gw(&["explain", example, "GET /", "--on", "nope"]).status.code(), Some(2));
}

#[test]
fn check_runs_the_route_tests_of_a_file() {
    let path = temp_file(
        "tests",
        "listen http 127.0.0.1:8080\nupstream a { backend 127.0.0.1:9001 }\nroute /api/ { methods GET; to a }\n\
         route / { respond 404 }\ntest {\n  GET /api/x -> route /api/\n  POST /api/x -> route /api/\n}\n",
    );
    let checked = gw(&["check", "--format", "short", path.to_str().expect("path")]);
    assert_eq!(checked.status.code(), Some(1));
    let stderr = text(&checked.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("gateway.gw:7:3: error: route test failed: expected `route /api/`"), "{stderr}");
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn fmt_rewrites_checks_and_refuses_broken_files() {
    let messy = "listen http 127.0.0.1:8080 # l\nupstream a { backend 127.0.0.1:9001 }\nroute / { to a }\n";
    let path = temp_file("fmt", messy);
    let file = path.to_str().expect("path");
    let check = gw(&["fmt", "--check", file]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(text(&check.stdout).trim(), file);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), messy, "--check changes nothing");
    assert!(gw(&["fmt", file]).status.success());
    let formatted = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        formatted,
        "listen http 127.0.0.1:8080  # l\nupstream a {\n  backend 127.0.0.1:9001\n}\nroute / {\n  to a\n}\n"
    );
    assert!(gw(&["fmt", "--check", file]).status.success());

    std::fs::write(&path, "route / {\n").expect("write");
    let broken = gw(&["fmt", file]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("has syntax errors"), "{}", text(&broken.stderr));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "route / {\n");
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn the_example_gateway_is_formatted_and_its_tests_pass() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../routes/gateway.gw");
    let checked = gw(&["check", example]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    let formatted = gw(&["fmt", "--check", example]);
    assert!(formatted.status.success(), "routes/gateway.gw is not formatted: run `gw fmt routes/gateway.gw`");
}

#[test]
fn check_routes_and_explain_work_on_every_gw_file_of_the_repository() {
    let files = common::workspace_gw_files();
    assert!(files.len() > 50);
    for path in &files {
        let file = path.to_str().expect("path");
        let contents = std::fs::read_to_string(path).expect("read");
        let source = gateway_dsl::SourceFile::new(file, contents.as_str());
        let compiled = gateway_dsl::compile(&source, &gateway_dsl::Options { source_path: path.clone() });
        let checked = gw(&["check", "--format", "json", file]);
        let lines = text_lines(&checked.stdout);
        match &compiled {
            Ok(_) => {
                assert!(checked.status.success(), "{file}: {lines:?}");
                let routes = gw(&["routes", file]);
                assert!(routes.status.success() && !routes.stdout.is_empty(), "{file}");
                let explained = gw(&["explain", file, "GET /"]);
                assert!(explained.status.success(), "{file}: {}", text(&explained.stderr));
                assert!(text(&explained.stdout).contains("path      /"), "{file}");
            }
            Err(diagnostics) => {
                assert_eq!(checked.status.code(), Some(1), "{file}");
                assert_eq!(lines.len(), diagnostics.len(), "{file}: one JSON line per diagnostic");
            }
        }
    }
}

fn text_lines(bytes: &[u8]) -> Vec<String> {
    text(bytes).lines().map(str::to_string).collect()
}
