//! `gw lsp`: a language server for `.gw` files (LSP 3.17 over standard
//! input and output), on `gateway-dsl`'s own parser, checks and formatter:
//! diagnostics as you type (those of `cargo build`), hover documentation of
//! directives (docs/language.md), go to definition and find references of
//! upstreams, completion of directive and upstream names, and formatting
//! (`gw fmt`). Built on `lsp-server` and `lsp-types`, rust-analyzer's own
//! transport and protocol types.

mod position;
mod symbols;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use gateway_dsl::diagnostics::Note;
use gateway_dsl::{Options, SourceFile};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, Formatting, GotoDefinition, HoverRequest, References, Request as _};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, Diagnostic, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams,
    GotoDefinitionParams, Hover, HoverContents, HoverParams, HoverProviderCapability, Location, MarkupContent,
    MarkupKind, OneOf, PublishDiagnosticsParams, ReferenceParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri,
};

use position::LineIndex;
use symbols::Symbol;

pub fn lsp(args: &[String]) -> ExitCode {
    if !args.is_empty() && args != ["--stdio"] {
        return crate::usage();
    }
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    let joined = io_threads.join();
    match (result, joined) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(error), _) => {
            eprintln!("gw lsp: {error}");
            ExitCode::FAILURE
        }
        (_, Err(error)) => {
            eprintln!("gw lsp: {error}");
            ExitCode::FAILURE
        }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let capabilities = serde_json::to_value(capabilities())?;
    let (id, _params) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "gw", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let mut server = Server { documents: HashMap::new() };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = server.request(request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                for published in server.notification(notification) {
                    connection.sender.send(Message::Notification(published))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

struct Server {
    /// Open documents by URI: their text as the editor has it.
    documents: HashMap<Uri, String>,
}

impl Server {
    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.insert(uri.clone(), params.text_document.text);
                self.publish(&uri)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                // Full synchronisation: the last change is the whole text.
                if let Some(change) = params.content_changes.into_iter().last() {
                    self.documents.insert(uri.clone(), change.text);
                }
                self.publish(&uri)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                self.documents.remove(&params.text_document.uri);
                vec![diagnostics_notification(params.text_document.uri, Vec::new())]
            }
            _ => Vec::new(),
        }
    }

    /// The diagnostics of a document, as `cargo build` would report them.
    fn publish(&self, uri: &Uri) -> Vec<Notification> {
        let Some(text) = self.documents.get(uri) else { return Vec::new() };
        let source_path = file_path(uri);
        let shown = source_path
            .file_name()
            .map_or_else(|| uri.as_str().to_string(), |name| name.to_string_lossy().into_owned());
        let source = SourceFile::new(shown, text.as_str());
        let diagnostics = match gateway_dsl::compile(&source, &Options { source_path }) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => {
                let index = LineIndex::new(text);
                diagnostics.iter().map(|diagnostic| lsp_diagnostic(&index, diagnostic)).collect()
            }
        };
        vec![diagnostics_notification(uri.clone(), diagnostics)]
    }

    fn request(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.params(request).map(|params: HoverParams| {
                let position = params.text_document_position_params;
                serde_json::to_value(self.hover(&position.text_document.uri, position.position))
            }),
            GotoDefinition::METHOD => self.params(request).map(|params: GotoDefinitionParams| {
                let position = params.text_document_position_params;
                serde_json::to_value(self.definition(&position.text_document.uri, position.position))
            }),
            References::METHOD => self.params(request).map(|params: ReferenceParams| {
                let position = params.text_document_position;
                serde_json::to_value(self.references(
                    &position.text_document.uri,
                    position.position,
                    params.context.include_declaration,
                ))
            }),
            Completion::METHOD => self.params(request).map(|params: CompletionParams| {
                let position = params.text_document_position;
                serde_json::to_value(self.completion(&position.text_document.uri, position.position))
            }),
            Formatting::METHOD => self.params(request).map(|params: DocumentFormattingParams| {
                serde_json::to_value(self.formatting(&params.text_document.uri))
            }),
            method => {
                Err(Response::new_err(id.clone(), ErrorCode::MethodNotFound as i32, format!("unknown method {method}")))
            }
        };
        match result {
            Ok(Ok(value)) => Response { id, result: Some(value), error: None },
            Ok(Err(error)) => Response::new_err(id, ErrorCode::InternalError as i32, error.to_string()),
            Err(response) => response,
        }
    }

    fn params<P: serde::de::DeserializeOwned>(&self, request: Request) -> Result<P, Response> {
        let id: RequestId = request.id.clone();
        serde_json::from_value(request.params)
            .map_err(|error| Response::new_err(id, ErrorCode::InvalidParams as i32, error.to_string()))
    }

    fn document(&self, uri: &Uri) -> Option<(&str, gateway_dsl::ast::File)> {
        let text = self.documents.get(uri)?;
        Some((text.as_str(), gateway_dsl::parse::parse(text).file))
    }

    fn hover(&self, uri: &Uri, position: lsp_types::Position) -> Option<Hover> {
        let (text, file) = self.document(uri)?;
        let index = LineIndex::new(text);
        let (symbol, span) = symbols::at(&file, index.offset(position))?;
        let value = match symbol {
            Symbol::Directive { name, within } => symbols::docs_in(&name, within.as_deref())?,
            Symbol::Upstream(name) => {
                let (declaration, references) = symbols::upstream_sites(&file, &name);
                match declaration {
                    Some(span) => format!(
                        "upstream `{name}`, declared on line {}, used {} time(s)",
                        index.position(span.start).line + 1,
                        references.len()
                    ),
                    None => format!("upstream `{name}` is not declared"),
                }
            }
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: Some(index.range(span.start, span.end)),
        })
    }

    fn definition(&self, uri: &Uri, position: lsp_types::Position) -> Option<Location> {
        let (text, file) = self.document(uri)?;
        let index = LineIndex::new(text);
        let (Symbol::Upstream(name), _) = symbols::at(&file, index.offset(position))? else { return None };
        let (declaration, _) = symbols::upstream_sites(&file, &name);
        let span = declaration?;
        Some(Location::new(uri.clone(), index.range(span.start, span.end)))
    }

    fn references(&self, uri: &Uri, position: lsp_types::Position, declaration: bool) -> Option<Vec<Location>> {
        let (text, file) = self.document(uri)?;
        let index = LineIndex::new(text);
        let (Symbol::Upstream(name), _) = symbols::at(&file, index.offset(position))? else { return None };
        let (declared, references) = symbols::upstream_sites(&file, &name);
        let spans = declared.filter(|_| declaration).into_iter().chain(references);
        Some(spans.map(|span| Location::new(uri.clone(), index.range(span.start, span.end))).collect())
    }

    fn completion(&self, uri: &Uri, position: lsp_types::Position) -> Option<Vec<CompletionItem>> {
        let (text, file) = self.document(uri)?;
        let index = LineIndex::new(text);
        let offset = index.offset(position);
        let line_start = text[..offset].rfind(['\n', ';', '{']).map_or(0, |at| at + 1);
        let before: Vec<&str> = text[line_start..offset].split_whitespace().collect();
        let typing_word = !text[..offset].ends_with(char::is_whitespace);
        let complete_index = if typing_word { before.len().saturating_sub(1) } else { before.len() };
        let chain = symbols::enclosing(&file, offset);
        // `to ▮` in a route, `upstream ▮` after `->` in a test: upstream names.
        let previous = complete_index.checked_sub(1).and_then(|at| before.get(at)).copied();
        let in_block = chain.last().map(|directive| directive.name.text.as_str());
        let wants_upstream = match (in_block, previous) {
            (Some("route"), Some("to")) => complete_index == 1,
            (Some("test"), Some("upstream")) => true,
            _ => false,
        };
        if wants_upstream {
            let items = symbols::upstream_declarations(&file)
                .into_iter()
                .map(|name| CompletionItem {
                    label: name,
                    kind: Some(CompletionItemKind::REFERENCE),
                    detail: Some("upstream".to_string()),
                    ..CompletionItem::default()
                })
                .collect();
            return Some(items);
        }
        if complete_index != 0 {
            return Some(Vec::new());
        }
        let items = symbols::allowed_in(chain.last().copied())
            .iter()
            .map(|name| CompletionItem {
                label: (*name).to_string(),
                kind: Some(CompletionItemKind::KEYWORD),
                documentation: symbols::docs_in(name, chain.first().map(|parent| parent.name.text.as_str())).map(
                    |value| {
                        lsp_types::Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })
                    },
                ),
                ..CompletionItem::default()
            })
            .collect();
        Some(items)
    }

    fn formatting(&self, uri: &Uri) -> Option<Vec<TextEdit>> {
        let text = self.documents.get(uri)?;
        let formatted = gateway_dsl::format::format(text).ok()?;
        if formatted == *text {
            return Some(Vec::new());
        }
        let index = LineIndex::new(text);
        Some(vec![TextEdit::new(index.range(0, text.len()), formatted)])
    }
}

fn diagnostics_notification(uri: Uri, diagnostics: Vec<Diagnostic>) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams { uri, diagnostics, version: None },
    )
}

/// A diagnostic of the language as the editor shows it: the message, then
/// the label, notes and help lines.
fn lsp_diagnostic(index: &LineIndex<'_>, diagnostic: &gateway_dsl::Diagnostic) -> Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        message.push_str(&format!(" ({label})"));
    }
    for note in &diagnostic.notes {
        match note {
            Note::Note(text) => message.push_str(&format!("\nnote: {text}")),
            Note::Help(text) => message.push_str(&format!("\nhelp: {text}")),
        }
    }
    Diagnostic {
        range: index.range(diagnostic.span.start, diagnostic.span.end),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("gw".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The file a `file://` URI names (files a `.gw` names are relative to
/// its directory); other URIs (unsaved buffers) are taken as in the
/// current directory.
fn file_path(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    let Some(path) = text.strip_prefix("file://") else {
        return std::env::current_dir().unwrap_or_default().join("untitled.gw");
    };
    // `file://host/path` is not a local file; `file:///path` is.
    let path = path.strip_prefix("localhost").unwrap_or(path);
    PathBuf::from(percent_decode(path))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(byte) = text.get(index + 1..index + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
