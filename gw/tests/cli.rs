//! `gw check` and `gw routes` on the language's golden files.

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
