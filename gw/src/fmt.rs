//! `gw fmt [--check] FILE...`: rewrites files in the canonical layout of
//! `gateway_dsl::format`; `--check` changes nothing and lists the files
//! that are not formatted (exit status 1 if any). `-` is standard input,
//! written formatted to standard output.

use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use gateway_dsl::SourceFile;
use gateway_dsl::diagnostics::render_all;

pub fn fmt(args: &[String]) -> ExitCode {
    let check = args.iter().any(|arg| arg == "--check");
    let files: Vec<&String> = args.iter().filter(|arg| *arg != "--check").collect();
    if files.is_empty() || files.iter().any(|file| file.starts_with("--")) {
        return crate::usage();
    }
    let mut status = ExitCode::SUCCESS;
    for file in files {
        let text = if file == "-" {
            let mut text = String::new();
            if let Err(error) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("error: cannot read standard input: {error}");
                return ExitCode::FAILURE;
            }
            text
        } else {
            match std::fs::read_to_string(file) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!("error: cannot read `{file}`: {error}");
                    status = ExitCode::FAILURE;
                    continue;
                }
            }
        };
        let formatted = match gateway_dsl::format::format(&text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                let shown = if file == "-" { "<stdin>" } else { file.as_str() };
                eprintln!("{}", render_all(&errors, &SourceFile::new(shown, text.as_str())));
                eprintln!("error: `{shown}` has syntax errors; it is not formatted");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        if file == "-" {
            if !check {
                let _ = std::io::stdout().write_all(formatted.as_bytes());
            } else if formatted != text {
                println!("<stdin>");
                status = ExitCode::FAILURE;
            }
            continue;
        }
        if formatted == text {
            continue;
        }
        if check {
            println!("{file}");
            status = ExitCode::FAILURE;
        } else if let Err(error) = std::fs::write(file, formatted) {
            eprintln!("error: cannot write `{file}`: {error}");
            status = ExitCode::FAILURE;
        }
    }
    status
}
