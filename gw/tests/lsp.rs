//! `gw lsp`, driven over JSON-RPC on its standard input and output as an
//! editor would: initialize, open a document, edit it, ask for hover,
//! definition, references, completion and formatting, shut down.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

mod common;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gw"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start gw lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                reader.read_exact(&mut body).expect("body");
                if sender.send(serde_json::from_slice(&body).expect("JSON")).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, messages, next_id: 1 }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (10 s at most), skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(10)).expect("a response in time");
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// The next `publishDiagnostics` notification.
    fn diagnostics(&mut self) -> Value {
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(10)).expect("diagnostics in time");
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }
}

const URI: &str = "file:///tmp/gw-lsp-test/gateway.gw";

const TEXT: &str = "listen http 127.0.0.1:8080
upstream api { backend 127.0.0.1:9001 }
upstream web { backend 127.0.0.1:9002 }
route /api/ {
  balance x
  to api
}
route / { to apii }
";

fn position(text: &str, needle: &str, offset: usize) -> Value {
    let at = text.find(needle).expect("needle") + offset;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    json!({ "line": line, "character": column })
}

fn at(text: &str, needle: &str, offset: usize) -> Value {
    json!({ "textDocument": { "uri": URI }, "position": position(text, needle, offset) })
}

#[test]
fn an_editor_session() {
    let mut client = Client::start();
    let init = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
    let capabilities = &init["capabilities"];
    for capability in ["hoverProvider", "definitionProvider", "referencesProvider", "documentFormattingProvider"] {
        assert_eq!(capabilities[capability], json!(true), "{capability}: {init}");
    }
    assert!(capabilities["completionProvider"].is_object());
    client.notify("initialized", json!({}));

    // Diagnostics as the file is opened: the same as `cargo build`'s.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "gw", "version": 1, "text": TEXT } }),
    );
    let published = client.diagnostics();
    assert_eq!(published["uri"], URI);
    let diagnostics = published["diagnostics"].as_array().expect("array").clone();
    let messages: Vec<&str> = diagnostics.iter().map(|d| d["message"].as_str().unwrap_or("")).collect();
    assert_eq!(diagnostics.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("unknown directive `balance` in a `route` block"), "{messages:?}");
    assert_eq!(diagnostics[0]["range"]["start"], position(TEXT, "balance x", 0));
    assert_eq!(diagnostics[0]["range"]["end"], position(TEXT, "balance x", 7));
    assert!(messages[1].starts_with("unknown upstream `apii`") && messages[1].contains("help: did you mean `api`?"));
    assert_eq!(diagnostics[1]["severity"], 1);

    // As you type: the fixed text has no diagnostics.
    let fixed = TEXT.replace("  balance x\n", "").replace("apii", "api");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));

    // Hover: the directive's documentation, from docs/language.md.
    let hover = client.request("textDocument/hover", at(&fixed, "backend 127.0.0.1:9001", 2));
    let docs = hover["contents"]["value"].as_str().expect("markdown");
    assert!(docs.starts_with("- `backend ADDRESS [weight N]`"), "{docs}");
    let hover = client.request("textDocument/hover", at(&fixed, "route /api/", 1));
    assert!(hover["contents"]["value"].as_str().is_some_and(|text| text.starts_with("## `route`")), "{hover}");

    // Go to definition and find references of an upstream.
    let definition = client.request("textDocument/definition", at(&fixed, "to api", 4));
    assert_eq!(definition["uri"], URI);
    assert_eq!(definition["range"]["start"], position(&fixed, "api {", 0));
    let mut references = at(&fixed, "upstream api", 10);
    references["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", references);
    let lines: Vec<&Value> =
        references.as_array().expect("array").iter().map(|r| &r["range"]["start"]["line"]).collect();
    assert_eq!(lines, [&json!(1), &json!(4), &json!(6)], "{references}");

    // Completion: directive names of the block, upstream names after `to`.
    let typing = fixed.replace("  to api\n}\nroute /", "  to api\n  str\n}\nroute /");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 3 }, "contentChanges": [{ "text": typing }] }),
    );
    client.diagnostics();
    let items = client.request("textDocument/completion", at(&typing, "  str\n", 5));
    let labels: Vec<&str> = items.as_array().expect("array").iter().filter_map(|item| item["label"].as_str()).collect();
    assert!(labels.contains(&"strip_prefix") && labels.contains(&"to") && !labels.contains(&"backend"), "{labels:?}");
    let items = client.request("textDocument/completion", at(&typing, "{ to api }", 5));
    let labels: Vec<&str> = items.as_array().expect("array").iter().filter_map(|item| item["label"].as_str()).collect();
    assert_eq!(labels, ["api", "web"]);

    // Formatting: `gw fmt`'s layout, as one edit.
    let messy = "listen http 127.0.0.1:8080   # l\nupstream api { backend 127.0.0.1:9001 }\nroute / { to api }\n";
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 4 }, "contentChanges": [{ "text": messy }] }),
    );
    client.diagnostics();
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let expected = gateway_dsl_format(messy);
    assert_eq!(edits[0]["newText"], expected);
    assert_eq!(edits[0]["range"]["start"], json!({ "line": 0, "character": 0 }));

    // Closing clears the document's diagnostics; shutdown and exit end the server.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": URI } }));
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "gw lsp did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What `gw fmt -` makes of `text`.
fn gateway_dsl_format(text: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gw"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gw fmt");
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("output");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn diagnostics_and_formatting_on_every_gw_file_of_the_repository() {
    let files = common::workspace_gw_files();
    assert!(files.len() > 50);
    let mut client = Client::start();
    client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
    client.notify("initialized", json!({}));
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let uri = format!("file://{}", path.display());
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "gw", "version": 1, "text": text } }),
        );
        let published = client.diagnostics();
        assert_eq!(published["uri"], uri);
        let source = gateway_dsl::SourceFile::new("x.gw", text.as_str());
        let expected = match gateway_dsl::compile(&source, &gateway_dsl::Options { source_path: path.clone() }) {
            Ok(_) => 0,
            Err(diagnostics) => diagnostics.len(),
        };
        let count = published["diagnostics"].as_array().map_or(0, Vec::len);
        assert_eq!(count, expected, "{}", path.display());
        let edits = client.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        );
        match gateway_dsl::format::format(&text) {
            Ok(formatted) if formatted == text => assert_eq!(edits, json!([]), "{}", path.display()),
            Ok(formatted) => assert_eq!(edits[0]["newText"], formatted, "{}", path.display()),
            Err(_) => assert_eq!(edits, Value::Null, "{}", path.display()),
        }
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
        client.diagnostics();
    }
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = client.child.wait();
}
