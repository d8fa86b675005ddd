// The VS Code client of `gw lsp`: starts the language server on standard
// input and output for every `.gw` file. Everything else (diagnostics,
// hover, definition, references, completion, formatting) is the server's.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("gw").get("server.path") || "gw";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "gw",
    "gw language server",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "gw" }, { scheme: "untitled", language: "gw" }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
